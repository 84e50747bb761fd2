"""A language's front page (``<lang>/index.html``), rendered by the report's Jinja
environment with autoescape (:mod:`gealc_analysis.build.pages`).

Every string from the notebooks or the data reaches the page through the template, so it is
escaped by construction; the only markup passed in as safe is Markdown (the key findings and
each section's own), rendered by :func:`pages.markdown_html` with raw HTML escaped and only
safe link schemes.

The page opens with what a Committee member reads in 30 seconds (:func:`front`): the large
numbers, one chart a section saved, the findings each with its robustness linked to the
section that tests every coding, the questions the data raises and the one-click way to the
list of activities that name the IDB as their only cash resource. All of it comes from the
agreed findings shape (``measures.findings.Headlines``) worded by ``words.findings``.
"""

from __future__ import annotations

import html
import re
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
from gealc_analysis.measures.findings import Headlines
from gealc_analysis.words import findings as finding_words
from gealc_analysis.words import i18n
from gealc_analysis.words.markup import sanitize

# The section that tests every coding: each finding's robustness line links it.
ROBUSTNESS_SECTION = "07_robustness"
# The front page's one chart (a figure a section saved) and the IDB list's place.
FRONT_CHART: tuple[str, str] = ("03_funding_dependence", "exposure")
IDB_LIST: tuple[str, str] = ("03_funding_dependence", "idb-list")  # section, heading anchor


@dataclass(frozen=True)
class IndexSection:
    """One entry of the index page: a rendered notebook and the files it saved."""

    stem: str
    title: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    figures: tuple[str, ...] = ()  # file names under <stem>/figures
    tables: tuple[str, ...] = ()  # file names under <stem>/tables
    summary_html: str = ""  # the section's key findings (<stem>/summary.md), rendered
    figure_markup: Mapping[str, str] = field(default_factory=dict)  # name → <figure>


def index_html(
    years: Sequence[int],
    parameters: Mapping[str, Any],
    sections: Sequence[IndexSection],
    *,
    chrome: pages.Chrome | None = None,
    front: pages.Front | None = None,
    caveat: str | None = None,
    products: Sequence[pages.Link] = (),
) -> str:
    """A language's front page: the front (see :func:`front`) and caveat first, then one
    entry per section.

    A section built with other parameters than this build (a partial rebuild over an older
    report) shows its own parameters line, so a mixed report never passes for a uniform one.
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
        front=front or pages.Front(),
        caveat=caveat,
        sections=entries,
        products=products,
    )


def front(headlines: Headlines, lang: str, sections: Sequence[IndexSection]) -> pages.Front:
    """What a language's index opens with, worded in ``lang`` by ``words.findings``.

    Links go only to sections the report holds: a finding's robustness line links the
    robustness section, the chart its section, the IDB list its heading.
    """
    present = {section.stem: section for section in sections}
    robustness_href = (
        pages.href(f"{ROBUSTNESS_SECTION}.html") if ROBUSTNESS_SECTION in present else ""
    )
    list_stem, anchor = IDB_LIST
    return pages.Front(
        numbers=tuple(
            pages.KeyNumber(
                finding_words.number_text(number, lang), finding_words.number_label(number, lang)
            )
            for number in headlines.numbers
        ),
        chart=front_chart(present.get(FRONT_CHART[0]), FRONT_CHART[1]),
        findings=tuple(
            pages.KeyFinding(
                finding_words.finding_sentence(finding, lang),
                finding_words.robustness_line(finding, lang),
                robustness_href,
            )
            for finding in headlines.findings
        ),
        questions=tuple(
            finding_words.question_sentence(question, lang) for question in headlines.questions
        ),
        idb_list=pages.Link(
            pages.href(f"{list_stem}.html") + f"#{anchor}", i18n.label("pages.idb_list", lang)
        )
        if list_stem in present
        else None,
    )


def front_chart(section: IndexSection | None, name: str) -> pages.Chart | None:
    """The figure ``name`` as its section shows it (inline SVG in both layouts, its alt text
    inside), sanitised like every section page; None when the section or the figure is
    missing, or the figure has no alt text: a chart never goes without one."""
    if section is None or name not in section.figure_markup:
        return None
    fragment = section.figure_markup[name]
    alt = _ARIA_LABEL.search(fragment)
    if alt is None or not alt.group(1).strip():
        return None
    return pages.Chart(
        html=sanitize(fragment),
        alt=html.unescape(alt.group(1)),
        section=pages.Link(pages.href(f"{section.stem}.html"), section.title),
    )


# A chart a section showed: ``notebook.section.figure_html`` names it with data-figure.
_SHOWN_FIGURE = re.compile(r'<figure\b[^>]*\bdata-figure="([^"]+)"[^>]*>.*?</figure>', re.S)
_ARIA_LABEL = re.compile(r'\baria-label="([^"]*)"')


def figure_markup(notebook: Any) -> dict[str, str]:
    """Figure name → the ``<figure>`` markup the executed notebook showed it with (the
    first time it is shown), for a front page to show the same chart."""
    found: dict[str, str] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            markup = "".join(output.get("data", {}).get("text/html", ""))
            for match in _SHOWN_FIGURE.finditer(markup):
                found.setdefault(html.unescape(match.group(1)), match.group(0))
    return found


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
                figure_markup=figure_markup(nb),
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
