"""Where a language's index gets its key findings and caveat: ``gealc_analysis.words.findings``,
computed from the build's own data folder (and the alternative codings beside it).

A build whose validation was replaced by a stub (the build's own tests on fixture notebooks
and data that is not a plan) shows each section's headline findings instead, so nothing here
computes a number of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gealc_analysis.data import PlanDataError
from gealc_analysis.data.bundle import load_bundle
from gealc_analysis.words import findings, i18n


def key_findings(
    data_dir: Path,
    years: Sequence[int],
    baseline_year: int,
    compare_year: int,
    lang: str,
    section_headlines: Sequence[str],
) -> tuple[list[str], str]:
    """The index's key findings (Markdown sentences) and its one-line caveat, in ``lang``.

    From ``gealc_analysis.words.findings.key_findings(bundle, baseline_year, compare_year,
    lang)`` and ``findings.caveat(lang)``; the sections' headlines and the catalogue's caveat
    only where the data is not plans (validation stubbed in the build's own tests).
    """
    try:
        bundle = load_bundle(data_dir, list(years))
    except PlanDataError:  # only where validation was stubbed (the build's own tests)
        return list(section_headlines), i18n.label("pages.caveat", lang)
    return (
        list(findings.key_findings(bundle, baseline_year, compare_year, lang)),
        str(findings.caveat(lang)),
    )
