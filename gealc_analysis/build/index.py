"""A language's front page (``<lang>/index.html``), rendered by the report's Jinja
environment with autoescape (:mod:`gealc_analysis.build.pages`).

Every string from the notebooks or the data reaches the page through the template, so it is
escaped by construction; the only markup passed in as safe is Markdown (the key findings and
each section's own), rendered by :func:`pages.markdown_html` with raw HTML escaped and only
safe link schemes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from gealc_analysis.build import pages
from gealc_analysis.build.layout import (
    EXECUTED_DIR,
    FIGURES_DIR,
    INDEX_FILE,
    SUMMARY_FILE,
    TABLES_DIR,
)
from gealc_analysis.build.parameters import (
    lang_of,
    notebook_title,
    papermill_parameters,
    parameters_line,
    report_title,
)
from gealc_analysis.words import i18n


@dataclass(frozen=True)
class IndexSection:
    """One entry of the index page: a rendered notebook and the files it saved."""

    stem: str
    title: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    figures: tuple[str, ...] = ()  # file names under <stem>/figures
    tables: tuple[str, ...] = ()  # file names under <stem>/tables
    summary_html: str = ""  # the section's key findings (<stem>/summary.md), rendered


def index_html(
    years: Sequence[int],
    parameters: Mapping[str, Any],
    sections: Sequence[IndexSection],
    *,
    chrome: pages.Chrome | None = None,
    findings: Sequence[str] = (),
    caveat: str | None = None,
    products: Sequence[pages.Link] = (),
) -> str:
    """A language's front page: key findings and caveat first, then one entry per section.

    A section built with other parameters than this build (a partial rebuild over an older
    report) shows its own parameters line, so a mixed report never passes for a uniform one.
    ``findings`` are Markdown sentences (see :mod:`gealc_analysis.build.findings`).
    """
    build_line = parameters_line(parameters)
    lang = lang_of(parameters)
    if chrome is None:
        chrome = pages.Chrome(
            lang=lang,
            root="",
            site_title=report_title(years, lang),
            index=pages.Link(INDEX_FILE, i18n.label("pages.index", lang)),
        )
    entries = [
        pages.IndexEntry(
            href=pages.href(f"{section.stem}.html"),
            title=section.title,
            summary_html=Markup(section.summary_html),  # rendered by pages.markdown_html
            parameters_line=_own_parameters_line(section, build_line),
        )
        for section in sections
    ]
    return pages.index_page(
        chrome,
        title=report_title(years, lang),
        parameters_line=build_line,
        findings=findings,
        caveat=caveat,
        sections=entries,
        products=products,
    )


def _own_parameters_line(section: IndexSection, build_line: str) -> str:
    """The section's parameters line when it differs from the build's, else ""."""
    own_line = parameters_line(section.parameters)
    return own_line if section.parameters and own_line != build_line else ""


def index_sections(staging: Path, notebooks: Sequence[Path]) -> list[IndexSection]:
    """The rendered sections present in the staging folder, in notebook order."""
    import nbformat

    sections = []
    for notebook in notebooks:
        stem = notebook.stem
        if not (staging / f"{stem}.html").is_file():
            continue
        executed = staging / EXECUTED_DIR / f"{stem}.ipynb"
        nb = nbformat.read(executed if executed.is_file() else notebook, as_version=4)
        sections.append(
            IndexSection(
                stem=stem,
                title=notebook_title(nb, lang_of(papermill_parameters(nb))) or stem,
                parameters=papermill_parameters(nb),
                figures=_file_names(staging / stem / FIGURES_DIR, "*.png"),
                tables=_file_names(staging / stem / TABLES_DIR, "*.csv"),
                summary_html=summary_html(staging / stem / SUMMARY_FILE),
            )
        )
    return sections


def summary_html(path: Path) -> str:
    """A section's key findings for the index: the Markdown it saved, as escaped HTML."""
    if not path.is_file():
        return ""
    return str(pages.markdown_html(path.read_text(encoding="utf-8")))


def _file_names(folder: Path, pattern: str) -> tuple[str, ...]:
    return tuple(sorted(path.name for path in folder.glob(pattern) if path.is_file()))
