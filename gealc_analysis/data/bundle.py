"""Check the curated tables beside the plans (alternative codings, lineage, theme kinds) in
one call, so ``gealc-report validate`` can report their problems with the plans' own.

Each table is read and checked by its module; this gathers every problem instead of stopping
at the first table that fails.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from gealc_analysis.data import (
    PlanDataError,
    Problem,
    alternatives,
    load_plans,
    load_themes,
    theme_kinds,
)
from gealc_analysis.measures import lineage

# The warnings the side tables' loaders give about the data (not errors: validation passes).
DATA_WARNINGS: tuple[type[Warning], ...] = (
    lineage.UnlinkedPlanWarning,
    theme_kinds.UnclassifiedThemeWarning,
)


def check_curated_extras(
    plans: pd.DataFrame, themes: pd.DataFrame, data_dir: Path | str | None = None
) -> tuple[list[Problem], list[str]]:
    """(problems, warnings) of the tables beside the plans; problems make validation fail,
    warnings (a plan not linked yet, a theme without a kind) do not."""
    problems: list[Problem] = []
    with warnings.catch_warnings(record=True) as caught:
        # Only the side tables' own warnings: a ResourceWarning that garbage collection
        # happens to raise meanwhile (an unclosed event loop elsewhere) is not about the data.
        warnings.simplefilter("ignore")
        for category in DATA_WARNINGS:
            warnings.simplefilter("always", category)
        for load in (
            lambda: alternatives.load_alternatives(plans, themes, data_dir),
            lambda: lineage.load_lineage(plans, data_dir),
            lambda: theme_kinds.load_theme_kinds(themes, data_dir),
        ):
            try:
                load()
            except PlanDataError as error:
                problems += error.problems
    return problems, [str(w.message) for w in caught]


def load_checked(
    data_dir: Path | str | None = None, years: list[int] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Plans and crosswalk validated together with the tables beside them: what
    ``gealc-report validate`` and the build accept, so neither lets a broken lineage or
    alternative-codings row through. Raises PlanDataError with every problem; returns
    (plans, themes, warnings).

    The side tables link activities of every plan, so they are checked when every plan is
    loaded; a run restricted to some years (``--years``) checks those plans only.
    """
    plans, themes = load_plans(data_dir, years), load_themes(data_dir)
    if years is not None:
        return plans, themes, []
    problems, notes = check_curated_extras(plans, themes, data_dir)
    if problems:
        raise PlanDataError(problems)
    return plans, themes, notes
