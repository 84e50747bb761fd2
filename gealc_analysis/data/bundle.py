"""Everything a report reads from one data folder, loaded and validated together: the
:class:`DataBundle`, made by :func:`load_bundle`.

This is the one load of the report. ``gealc-report validate`` and the build call
:func:`load_bundle` once; the build hands the bundle to its notebooks
(:mod:`gealc_analysis.notebook.handoff`), the index's findings and the brief and explorer.
Nothing above the data layer opens a data file.

Every table's problems are gathered before failing, so one run lists every problem in every
file; the side tables' warnings about the data (a plan not linked yet, a theme without a
kind) are caught here, once, and kept in :attr:`DataBundle.notes`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from gealc_analysis.core import paths
from gealc_analysis.data import alternatives, lineage, text_signals, theme_kinds
from gealc_analysis.data.errors import PlanDataError
from gealc_analysis.data.files import folder_problems

# The warnings the side tables' loaders give about the data (not errors: validation passes).
DATA_WARNINGS: tuple[type[Warning], ...] = (
    lineage.UnlinkedPlanWarning,
    theme_kinds.UnclassifiedThemeWarning,
)


@dataclass(frozen=True)
class DataBundle:
    """Everything a report reads from one data folder, loaded and validated together.

    The only way data reaches the layers above ``data``: measures, words, charts, the
    notebooks' section object, the brief, the explorer and the index all take a bundle (or
    its frames), and none of them opens a file. Frozen; the frames are never modified in
    place by anyone (measures copy), and a re-coded bundle (the multiverse) is made with
    :meth:`replaced`.

    ``funding_codes`` lists every code a plan's ``funding_sources`` may name, with its kind
    of resource (``cash`` or ``staff_time``) and its labels (``funding_codes.csv``), so the
    kind is data a contested coding can change, like any other cell. ``notes`` are the data
    warnings (not errors) met while loading, worded for a person. ``text_signals`` are the
    passages quoted from the raw plans (``text_signals.csv``), each with the ``lines`` of the
    raw text it spans (empty when the folder has none).
    """

    data_dir: Path
    years: tuple[int, ...]
    plans: pd.DataFrame
    themes: pd.DataFrame
    lineage: pd.DataFrame
    alternatives: pd.DataFrame
    theme_kinds: pd.DataFrame
    funding_codes: pd.DataFrame
    notes: tuple[str, ...] = ()
    text_signals: pd.DataFrame = field(default_factory=text_signals.empty_text_signals)

    def replaced(self, **frames: pd.DataFrame) -> DataBundle:
        """A new bundle with some frames replaced (e.g. an alternative coding applied)."""
        return replace(self, **frames)

    @property
    def resource_kinds(self) -> dict[str, str]:
        """Funding code → its kind of resource (``cash`` or ``staff_time``), as the data says."""
        return dict(
            zip(self.funding_codes["code"], self.funding_codes["kind"].astype(str), strict=True)
        )


def load_bundle(
    data_dir: Path | str | None = None, years: Iterable[int] | None = None
) -> DataBundle:
    """Load and validate every curated table of ``data_dir`` (default: the project's
    ``data/curated``) into one :class:`DataBundle`; raises ``PlanDataError`` with every
    problem in every table.

    ``years`` restricts the plans (``--years``); the side tables are then checked against
    the plans loaded (links and codings about other years are left out).
    """
    # The validators, imported only to load: a kernel given the build's bundle needs none.
    from gealc_analysis.data.loading import load_plans_with_themes_and_codes

    folder = Path(data_dir) if data_dir is not None else paths.CURATED_DIR
    wanted = sorted({int(year) for year in years}) if years is not None else None
    # The crosswalk and the funding codes the plans were checked against: each file is
    # read and checked once (load_themes and load_funding_codes would check them again).
    plans, themes, codes = load_plans_with_themes_and_codes(folder, wanted)
    # The raw texts beside the curated folder are published with the report: checked too.
    root = folder.resolve().parent
    _, problems = folder_problems(root / "raw", within=root)
    tables: dict[str, pd.DataFrame] = {}
    loaders: tuple[tuple[str, Callable[[], pd.DataFrame]], ...] = (
        ("lineage", lambda: lineage.load_lineage(plans, folder, themes=themes)),
        (
            # After the lineage: an alternative coding may edit it (checked against it).
            "alternatives",
            lambda: alternatives.load_alternatives(
                plans, themes, folder, funding_codes=codes, lineage=tables.get("lineage")
            ),
        ),
        ("theme_kinds", lambda: theme_kinds.load_theme_kinds(themes, folder)),
        ("text_signals", lambda: text_signals.load_text_signals(plans, folder)),
    )
    with warnings.catch_warnings(record=True) as caught:
        # Only the side tables' own warnings: a ResourceWarning that garbage collection
        # happens to raise meanwhile (an unclosed event loop elsewhere) is not about the data.
        warnings.simplefilter("ignore")
        for category in DATA_WARNINGS:
            warnings.simplefilter("always", category)
        for name, load in loaders:
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
        funding_codes=codes,
        notes=tuple(str(w.message) for w in caught),
        **tables,
    )
