"""The report's front page, rendered from a Jinja2 template with autoescape.

Every string from the notebooks or the data reaches the page through the template, so it is
escaped by construction; the only markup passed in as safe is a section's key findings,
rendered by mistune with escaping on (raw HTML in the Markdown becomes text).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from gealc_analysis import i18n
from gealc_analysis.build.layout import (
    EXECUTED_DIR,
    FIGURES_DIR,
    INDEX_TEMPLATE,
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


@dataclass(frozen=True)
class IndexSection:
    """One entry of the index page: a rendered notebook and the files it saved."""

    stem: str
    title: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    figures: tuple[str, ...] = ()  # file names under <stem>/figures
    tables: tuple[str, ...] = ()  # file names under <stem>/tables
    summary_html: str = ""  # the section's key findings (<stem>/summary.md), rendered


@functools.cache
def _environment() -> Any:
    """The Jinja2 environment of the report's own pages: autoescape on for every template."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(INDEX_TEMPLATE.parent),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["href"] = href
    return environment


def href(relative: str) -> str:
    """A relative link as a URL path (spaces and other unsafe characters percent-encoded)."""
    return quote(relative)


def index_html(
    years: Sequence[int], parameters: Mapping[str, Any], sections: Sequence[IndexSection]
) -> str:
    """The report's front page: title, build parameters, one entry per section.

    A section built with other parameters than this build (a partial rebuild over an older
    report) shows its own parameters line, so a mixed report never passes for a uniform one.
    """
    build_line = parameters_line(parameters)
    lang = lang_of(parameters)
    entries = [
        {
            "stem": section.stem,
            "title": section.title,
            "own_parameters": _own_parameters_line(section, build_line),
            "summary_html": Markup(section.summary_html),  # rendered with escape=True
            "figures": [
                {"src": f"{section.stem}/{FIGURES_DIR}/{name}", "alt": Path(name).stem}
                for name in section.figures
            ],
            "tables": [
                {"href": f"{section.stem}/{TABLES_DIR}/{name}", "name": name}
                for name in section.tables
            ],
            "executed": f"{EXECUTED_DIR}/{section.stem}.ipynb",
        }
        for section in sections
    ]
    template = _environment().get_template(INDEX_TEMPLATE.name)
    return template.render(
        lang=lang,
        title=report_title(years, lang),
        parameters=build_line,
        sections=entries,
        executed_label=i18n.label("report.executed_notebook", lang),
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
    import mistune

    return mistune.create_markdown(escape=True)(path.read_text(encoding="utf-8")).strip()


def _file_names(folder: Path, pattern: str) -> tuple[str, ...]:
    return tuple(sorted(path.name for path in folder.glob(pattern) if path.is_file()))
