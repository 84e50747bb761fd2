"""An executed notebook as a report page: its outputs (or, for readers of the code, its code
and outputs) inside the report's frame (menu, previous/next, language switch, data footer).

Rendering happens once every notebook of a language has run, because each page's menu and
previous/next links name the other sections.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from gealc_analysis.build import pages
from gealc_analysis.build.layout import EXECUTED_DIR, TABLES_DIR
from gealc_analysis.build.parameters import (
    lang_of,
    other_language_tags,
    papermill_parameters,
    parameters_line,
)
from gealc_analysis.core.outputs import write_text_atomically

# Cells removed from the pages: the defaults and the values papermill injected are shown as
# one readable parameters line instead.
INJECTED_TAG = "injected-parameters"
HIDDEN_CELL_TAGS: tuple[str, ...] = ("parameters", INJECTED_TAG)


def render_section(
    executed: Path, page: Path, *, chrome: pages.Chrome, assets_dir: Path | None = None
) -> None:
    """Write ``page`` (``<lang>/<stem>.html``): the notebook's outputs, no code, no prompts.

    Charts are the inline SVG the notebook showed (the saved PNG/SVG files sit in
    ``<stem>/figures/`` for download); the section's tables are listed under their titles
    with CSV and spreadsheet links; the executed notebook is linked as an HTML page with its
    code.
    """
    import nbformat

    lang_dir = page.parent
    stem = page.stem
    nb = nbformat.read(executed, as_version=4)
    parameters = papermill_parameters(nb)
    lang = lang_of(parameters)
    body = pages.notebook_body(
        executed, remove_tags=_removed_tags(lang), with_code=False, assets_dir=assets_dir
    )
    body = pages.classify_table_cells(body)
    notebook_page = lang_dir / EXECUTED_DIR / f"{stem}.html"
    content = pages.SectionPage(
        title=_title(chrome, stem),
        body_html=body,
        parameters_line=parameters_line(parameters),
        tables=pages.table_links(lang_dir / stem / TABLES_DIR, f"{stem}/{TABLES_DIR}", lang),
        notebook_href=pages.href(EXECUTED_DIR, notebook_page.name),
    )
    write_text_atomically(page, pages.section_page(chrome, content))


def render_executed_notebook(
    executed: Path, page: Path, *, chrome: pages.Chrome, assets_dir: Path | None = None
) -> None:
    """Write ``page`` (``<lang>/notebooks/<stem>.html``): the run with its code, for readers
    who want to see how each number was computed (the ``.ipynb`` stays beside it)."""
    import nbformat

    stem = page.stem
    nb = nbformat.read(executed, as_version=4)
    parameters = papermill_parameters(nb)
    lang = lang_of(parameters)
    # The injected cell holds this machine's paths; the parameters line says the rest.
    body = pages.notebook_body(
        executed,
        remove_tags={INJECTED_TAG} | other_language_tags(lang),
        with_code=True,
        assets_dir=assets_dir,
    )
    body = pages.classify_table_cells(body)
    # The narrative links the section's files from the section page (``<stem>/tables/…``);
    # this page sits one folder down.
    body = pages.relink(body, f"{pages.href(stem)}/", f"../{pages.href(stem)}/")
    content = pages.SectionPage(
        title=_title(chrome, stem),
        body_html=body,
        parameters_line=parameters_line(parameters),
        notebook_href=pages.href(executed.name),
        notebook_label="pages.download_notebook",
    )
    write_text_atomically(page, pages.section_page(chrome, content))


def _removed_tags(lang: str) -> set[str]:
    return set(HIDDEN_CELL_TAGS) | other_language_tags(lang)


def _title(chrome: pages.Chrome, stem: str) -> str:
    current = next((item for item in chrome.menu if item.current), None)
    return current.label if current else stem


def section_chrome(
    base: pages.Chrome,
    sections: Sequence[tuple[str, str]],
    stem: str,
    languages: Sequence[str],
    *,
    in_notebooks: bool = False,
) -> pages.Chrome:
    """The frame of one section page (or its executed notebook) from the language's frame."""
    from dataclasses import replace

    page = (
        PurePosixPath(EXECUTED_DIR, f"{stem}.html")
        if in_notebooks
        else PurePosixPath(f"{stem}.html")
    )
    prefix = "../" if in_notebooks else ""
    previous, following = pages.pager(sections, stem)
    if in_notebooks:
        previous = following = None
    return replace(
        base,
        root=base.root + prefix,
        index=pages.Link(prefix + base.index.href, base.index.label),
        twin=pages.twin_link(page, base.lang, languages),
        menu=pages.section_menu(sections, stem, prefix),
        previous=previous,
        next=following,
        footer_links=tuple(replace(link, href=prefix + link.href) for link in base.footer_links),
    )
