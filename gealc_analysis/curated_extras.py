"""Check the curated tables beside the plans (alternative codings, lineage, theme kinds) in
one call, so ``gealc-report validate`` can report their problems with the plans' own.

Each table is read and checked by its module; this gathers every problem instead of stopping
at the first table that fails.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from gealc_analysis import alternatives, lineage, theme_kinds
from gealc_analysis.data import PlanDataError, Problem


def check_curated_extras(plans: pd.DataFrame, themes: pd.DataFrame,
                         data_dir: Path | str | None = None) -> tuple[list[Problem], list[str]]:
    """(problems, warnings) of the tables beside the plans; problems make validation fail,
    warnings (a plan not linked yet, a theme without a kind) do not."""
    problems: list[Problem] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for load in (lambda: alternatives.load_alternatives(plans, themes, data_dir),
                     lambda: lineage.load_lineage(plans, data_dir),
                     lambda: theme_kinds.load_theme_kinds(themes, data_dir)):
            try:
                load()
            except PlanDataError as error:
                problems += error.problems
    return problems, [str(w.message) for w in caught]
