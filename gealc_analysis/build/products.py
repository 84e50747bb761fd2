"""The other products of a language's report: the Committee's two-page brief and the
researchers' activities explorer (``gealc_analysis.products.brief`` and
``gealc_analysis.products.explorer``).

The build calls them once per language after the notebooks, with the same provenance record
as the pages, and the index links what they wrote; this is the only place that calls them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from gealc_analysis.build import pages
from gealc_analysis.data import PlanDataError, load_plans, load_themes
from gealc_analysis.data.bundle import load_bundle
from gealc_analysis.products import brief, explorer
from gealc_analysis.words import i18n

BRIEF_FILE = "brief.pdf"
EXPLORER_FILE = "explorer.html"


def write_products(
    lang_dir: Path,
    *,
    data_dir: Path,
    years: Sequence[int],
    baseline_year: int,
    compare_year: int,
    lang: str,
    languages: Sequence[str],
    prov: Mapping[str, Any],
    progress: Callable[[str], None] = print,
) -> tuple[pages.Link, ...]:
    """Write the brief and the explorer into ``lang_dir``; return the
    links the language's index shows for what was written.

    A product that cannot be written (e.g. a brief that does not fit on two pages) is named in
    a progress line and left out of the index; the report's pages are still published.
    """
    try:
        plans = load_plans(data_dir, list(years))
        themes = load_themes(data_dir)
    except PlanDataError as error:  # only where validation was stubbed (the build's tests)
        progress(f"[{lang}] brief and explorer not written: {error}")
        return ()
    links: list[pages.Link] = []
    try:
        brief.write_brief(
            load_bundle(data_dir, list(years)),
            baseline_year=baseline_year,
            compare_year=compare_year,
            lang=lang,
            out_path=lang_dir / BRIEF_FILE,
            provenance=dict(prov),
        )
    except Exception as error:  # the brief's own located message, e.g. does not fit
        (lang_dir / BRIEF_FILE).unlink(missing_ok=True)
        progress(f"[{lang}] {BRIEF_FILE} not written: {type(error).__name__}: {error}")
    else:
        links.append(pages.Link(BRIEF_FILE, i18n.label("pages.product.brief", lang)))
    twin = pages.twin_link(pages.PurePosixPath(EXPLORER_FILE), lang, languages)
    try:
        explorer.write_explorer(
            plans,
            themes,
            lang=lang,
            out_path=lang_dir / EXPLORER_FILE,
            provenance=dict(prov),
            twin_href=twin.href if twin else None,
        )
    except Exception as error:
        (lang_dir / EXPLORER_FILE).unlink(missing_ok=True)
        progress(f"[{lang}] {EXPLORER_FILE} not written: {type(error).__name__}: {error}")
    else:
        links.append(pages.Link(EXPLORER_FILE, i18n.label("pages.product.explorer", lang)))
    return tuple(links)
