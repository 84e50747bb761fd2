"""Where a language's index gets its key findings and caveat: the one place the lead points at
``gealc_analysis.findings`` (h4's module) when it lands.

Until that module exists the index shows each section's own headline findings instead
(``summary.md``, written by ``Section.headline``), so nothing here computes a number of its
own. MERGE NOTE: once ``gealc_analysis.findings`` is on main, drop the fallback branch.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Sequence
from pathlib import Path

from gealc_analysis import i18n

FINDINGS_MODULE = "gealc_analysis.findings"


def key_findings(data_dir: Path, years: Sequence[int], baseline_year: int, compare_year: int,
                 lang: str, section_headlines: Sequence[str]) -> tuple[list[str], str]:
    """The index's key findings (Markdown sentences) and its one-line caveat, in ``lang``.

    From ``gealc_analysis.findings.key_findings(plans, themes, baseline_year, compare_year,
    lang)`` and ``findings.caveat(lang)`` when that module is installed; otherwise the
    sections' headlines and the caveat from the label catalogue.
    """
    if importlib.util.find_spec(FINDINGS_MODULE) is not None:
        from gealc_analysis.data import PlanDataError, load_plans, load_themes

        module = importlib.import_module(FINDINGS_MODULE)
        try:
            plans = load_plans(data_dir, list(years))
            themes = load_themes(data_dir)
        except PlanDataError:  # only where validation was stubbed (the build's own tests)
            return list(section_headlines), i18n.label("pages.caveat", lang)
        # data_dir: the alternative codings beside this build's data, not the project's
        return (list(module.key_findings(plans, themes, baseline_year, compare_year, lang,
                                         data_dir=data_dir)),
                str(module.caveat(lang)))
    return list(section_headlines), i18n.label("pages.caveat", lang)
