"""The other products of a language's report: the Committee's two-page brief and the
researchers' activities explorer (``gealc_analysis.products.brief`` and
``gealc_analysis.products.explorer``).

The build calls them once per language while the first notebooks run (they read none), with
the build's data bundle and the same provenance record as the pages, and the index links what
they wrote; this is the only place that calls them.

All or nothing: a product that cannot be written fails the build, like a notebook that
fails, so the last good report (its brief included) stays as it was. A brief the data makes
too long, or a file the disk refuses, is a :class:`BuildError` (exit 2) that says what to fix;
anything else is an internal error (exit 1, the failed build kept for inspection).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from gealc_analysis.build import pages
from gealc_analysis.build.errors import BuildError
from gealc_analysis.data.bundle import DataBundle
from gealc_analysis.measures.findings import Headlines
from gealc_analysis.products import brief, explorer
from gealc_analysis.words import i18n

BRIEF_FILE = "brief.pdf"
EXPLORER_FILE = "explorer.html"
# How many of the longest theme labels a brief that does not fit names (the findings quote
# them, so they are what a curator can shorten).
LONGEST_NAMED = 3


def write_products(
    lang_dir: Path,
    *,
    bundle: DataBundle,
    baseline_year: int,
    compare_year: int,
    lang: str,
    languages: Sequence[str],
    prov: Mapping[str, Any],
    progress: Callable[[str], None] = print,
    headlines: Headlines | None = None,
) -> tuple[pages.Link, ...]:
    """Write the brief and the explorer of ``bundle`` into ``lang_dir``; return the links the
    language's index shows for them.

    Raises :class:`BuildError` when a product cannot be written (a brief that does not fit on
    two pages, a full disk, a folder that cannot be written); the build then stops and the
    last report is kept. ``progress`` names each product written.
    """
    brief_path = lang_dir / BRIEF_FILE
    try:
        brief.write_brief(
            bundle,
            baseline_year=baseline_year,
            compare_year=compare_year,
            lang=lang,
            out_path=brief_path,
            provenance=dict(prov),
            headlines=headlines,
        )
    except brief.BriefDoesNotFitError as error:
        raise BuildError(
            f"[{lang}] {BRIEF_FILE} cannot be written: {error}. The findings quote the theme "
            f"labels of themes.csv (theme_label_{lang}); the longest are "
            f"{longest_theme_labels(bundle, lang)}: shorten them and build again "
            "(the last report is unchanged)"
        ) from error
    except OSError as error:
        raise unwritable(brief_path, error) from error
    progress(f"[{lang}] {BRIEF_FILE} written")
    explorer_path = lang_dir / EXPLORER_FILE
    twin = pages.twin_link(PurePosixPath(EXPLORER_FILE), lang, languages)
    try:
        explorer.write_explorer(
            bundle,
            lang=lang,
            out_path=explorer_path,
            provenance=dict(prov),
            twin_href=twin.href if twin else None,
        )
    except OSError as error:
        raise unwritable(explorer_path, error) from error
    progress(f"[{lang}] {EXPLORER_FILE} written")
    return (
        pages.Link(BRIEF_FILE, i18n.label("pages.product.brief", lang)),
        pages.Link(EXPLORER_FILE, i18n.label("pages.product.explorer", lang)),
    )


def unwritable(path: Path, error: OSError) -> BuildError:
    """The build's error for a product the disk refused (full, read-only, no permission)."""
    return BuildError(
        f"cannot write {error.filename or path}: {error.strerror or error}; free some disk "
        "space or fix the folder's permissions and build again (the last report is unchanged)"
    )


def longest_theme_labels(bundle: DataBundle, lang: str) -> str:
    """The longest theme labels of the crosswalk in ``lang``, quoted, with their lengths."""
    column = f"theme_label_{i18n.check_lang(lang)}"
    labels = sorted(
        {str(label) for label in bundle.themes[column]}, key=lambda label: (-len(label), label)
    )
    return "; ".join(f"{label!r} ({len(label)} characters)" for label in labels[:LONGEST_NAMED])
