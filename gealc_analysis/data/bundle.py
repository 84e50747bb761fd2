"""Check the curated tables beside the plans (alternative codings, lineage, theme kinds) in
one call, so ``gealc-report validate`` can report their problems with the plans' own.

Each table is read and checked by its module; this gathers every problem instead of stopping
at the first table that fails.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from gealc_analysis.core import paths
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


@dataclass(frozen=True)
class DataBundle:
    """Everything a report reads from one data folder, loaded and validated together.

    The only way data reaches the layers above ``data``: measures, words, charts, the
    notebooks' section object, the brief, the explorer and the index all take a bundle (or
    its frames), and none of them opens a file. Frozen; the frames are never modified in
    place by anyone (measures copy), and a re-coded bundle (the multiverse) is made with
    :meth:`replaced`.
    """

    data_dir: Path
    years: tuple[int, ...]
    plans: pd.DataFrame
    themes: pd.DataFrame
    lineage: pd.DataFrame
    alternatives: pd.DataFrame
    theme_kinds: pd.DataFrame
    notes: tuple[str, ...] = ()

    def replaced(self, **frames: pd.DataFrame) -> DataBundle:
        """A new bundle with some frames replaced (e.g. an alternative coding applied)."""
        return replace(self, **frames)


def load_bundle(data_dir: Path | str | None = None, years: list[int] | None = None) -> DataBundle:
    """Load and validate every curated table of ``data_dir`` (default: the project's
    ``data/curated``) into one :class:`DataBundle`; raises ``PlanDataError`` with every problem.

    ``years`` restricts the plans (``--years``); the side tables are then read for the plans
    loaded (links and codings about other years are left out).
    """
    folder = Path(data_dir) if data_dir is not None else paths.CURATED_DIR
    plans, themes = load_plans(folder, years), load_themes(folder)
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("ignore")
        for category in DATA_WARNINGS:
            warnings.simplefilter("always", category)
        for name, load in (
            ("alternatives", lambda: alternatives.load_alternatives(plans, themes, folder)),
            ("lineage", lambda: lineage.load_lineage(plans, folder)),
            ("theme_kinds", lambda: theme_kinds.load_theme_kinds(themes, folder)),
        ):
            try:
                tables[name] = load()
            except PlanDataError as error:
                problems += error.problems
    if problems:
        raise PlanDataError(problems)
    return DataBundle(
        data_dir=folder,
        years=tuple(sorted(int(y) for y in plans["plan_year"].unique())),
        plans=plans,
        themes=themes,
        notes=tuple(str(w.message) for w in caught),
        **tables,
    )
