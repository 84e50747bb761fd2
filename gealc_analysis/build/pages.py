"""The report's pages for people: index, section pages, executed notebooks and the landing page.

Why it is shaped this way:

- **One stylesheet** (``assets/report.css``) linked by every page instead of nbconvert's
  ~256 KB of notebook CSS copied into each one; section bodies come from nbconvert's minimal
  ``basic`` template (outputs only) and are wrapped in the report's own Jinja page.
- **Escaping by construction.** Every page is rendered by the one Jinja environment of
  :mod:`gealc_analysis.words.markup` with autoescape on, so any string from the data is
  escaped unless it went through that module's Markdown renderer or its allowlist sanitiser
  (nh3), which keep only relative, http, https and mailto links; a section body (notebook
  output) is sanitised as the page is rendered.
- **Figures as files.** A figure a notebook showed is the PNG it saved (``Section.figure``
  shows the saved bytes), so the page links that file instead of carrying it base64-inlined:
  pages shrink from hundreds of KB to tens, and the image a reader sees is the one they
  download. Alt text on the image is kept as the notebook wrote it.
- **Navigation from data.** Menus, previous/next links, the language switch and the footer
  are computed from the list of sections and languages, so a new notebook or language
  needs no template edit.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from gealc_analysis.words import i18n
from gealc_analysis.words.markup import (
    TEMPLATES_DIR,
    markdown_html,
    markdown_inline_html,
    render,
    sanitize,
)

STYLESHEET: Path = TEMPLATES_DIR / "report.css"


@dataclass(frozen=True)
class Link:
    """A link as a page shows it: where it goes and the words on it (``lang`` if it differs)."""

    href: str
    label: str
    lang: str | None = None
    current: bool = False
    group: str | None = None  # links sharing a group are shown on one line after its name


@dataclass(frozen=True)
class Chrome:
    """What surrounds every page's content: header, menu, pager and footer.

    ``root`` is the relative path from the page to the report root (``../`` for a page in
    ``reports/en/``), so links keep working when the folder is moved, zipped or mailed.
    """

    lang: str
    root: str
    site_title: str
    index: Link
    twin: Link | None = None
    menu: tuple[Link, ...] = ()
    previous: Link | None = None
    next: Link | None = None
    footer_links: tuple[Link, ...] = ()
    provenance_line: str = ""


@dataclass(frozen=True)
class IndexEntry:
    """One section on a language's index page."""

    href: str
    title: str
    summary_html: str = ""  # the section's headline findings, rendered by markdown_html
    parameters_line: str = ""  # only when the section ran with other parameters


@dataclass(frozen=True)
class KeyNumber:
    """One large number of a front page and its one-line label."""

    number: str
    label: str


@dataclass(frozen=True)
class KeyFinding:
    """One finding of a front page (Markdown, only emphasis) and its one-line robustness,
    linked to the section that tests every coding (``robustness_href``, "" when absent)."""

    sentence: str
    robustness: str
    robustness_href: str = ""


@dataclass(frozen=True)
class Chart:
    """A figure a section showed, shown again on a front page: its markup (inline SVG in both
    layouts, sanitised), its alt text (the chart's finding, inside the markup too) and the
    section it comes from."""

    html: Markup
    alt: str
    section: Link


@dataclass(frozen=True)
class Front:
    """What a language's front page opens with: 3–5 large numbers, one chart, the findings
    with their robustness, the Committee's block (what the data can answer, the questions
    it raises) and the one-click way to the list of activities that name the IDB as their
    only cash resource."""

    numbers: tuple[KeyNumber, ...] = ()
    chart: Chart | None = None
    findings: tuple[KeyFinding, ...] = ()
    questions: tuple[str, ...] = ()  # Markdown sentences
    idb_list: Link | None = None


@dataclass(frozen=True)
class TableLink:
    """One exported table: its title in the page's language, the CSV and its spreadsheet."""

    title: str
    csv_href: str
    xlsx_href: str | None = None


@dataclass(frozen=True)
class SectionPage:
    """A section page's own content (the chrome comes separately)."""

    title: str
    body_html: str  # nbconvert's outputs, already made safe by the notebook's own code
    parameters_line: str = ""
    tables: tuple[TableLink, ...] = ()
    notebook_href: str | None = None
    notebook_label: str = "pages.executed_notebook"  # label key of the notebook link


# --------------------------------------------------------------------------- documents


def document_page(markdown: str, *, title: str, root: str, lang: str, source_href: str) -> str:
    """A Markdown document shipped with the report (codebook, sources) as a readable page.

    Browsers download ``.md`` files instead of showing them; this page shows the same text
    with the report's stylesheet (raw HTML escaped, tables kept, headings with anchors) and
    links the ``.md`` beside.
    """
    return render(
        "page_document.html.j2",
        title=title,
        root=root,
        lang=lang,
        body=Markup(focusable_boxes(boxed_tables(str(markdown_html(markdown)), lang))),
        source_href=source_href,
    )


TABLE_BOX = '<div class="table-box"'


def boxed_tables(body_html: str, lang: str) -> str:
    """Every ``<table>`` of ``body_html`` (safe HTML) in a box that scrolls sideways when the
    table is wider than the page (:func:`focusable_boxes` lets the keyboard reach it)."""
    label = i18n.label("pages.table_region", lang).replace('"', "&quot;")
    opening = f'{TABLE_BOX} role="region" aria-label="{label}"><table'
    boxed = re.sub(r"<table(?=[\s>])", lambda _: opening, body_html)
    return boxed.replace("</table>", "</table></div>")


def focusable_boxes(safe_html: str) -> str:
    """Every table's scroll box of ``safe_html`` (sanitised, which drops ``tabindex``) made
    reachable by the keyboard, so a reader without a mouse can scroll a wide table too."""
    return _TABLE_BOX_TAG.sub(r'<div tabindex="0"\1>', safe_html)


# A table box's opening tag without a tabindex, its attributes in any order (the sanitiser
# and nbconvert may reorder them).
_TABLE_BOX_TAG = re.compile(r'<div\b(?=[^>]*\sclass="table-box")(?![^>]*\stabindex=)([^>]*)>')


# --------------------------------------------------------------------------- links


def href(*parts: str) -> str:
    """A relative URL from path parts, percent-encoded (the template escapes it as well)."""
    return quote(str(PurePosixPath(*parts)) if parts else "")


# --------------------------------------------------------------------------- section bodies


def relink(body_html: str, prefix: str, replacement: str) -> str:
    """Every link of ``body_html`` whose URL starts with ``prefix`` made to start with
    ``replacement`` instead (a page rendered one folder down keeps its relative links)."""
    return body_html.replace(f'href="{prefix}', f'href="{replacement}')


# A cell holding one number as a table shows it: 12, 46.4%, 46,4 %, −3, +2, 1,234 (not a
# source ref such as 3.1.4, which has two separators).
_NUMBER_CELL = re.compile(
    r"[+\-−]?[0-9]{1,3}(?:[,\u00a0\u202f][0-9]{3})*(?:[.,][0-9]+)?(?:[\s\u00a0\u202f]?%)?"
    r"|[+\-−]?[0-9]+(?:[.,][0-9]+)?(?:[\s\u00a0\u202f]?%)?"
)
_TD = re.compile(r"<td>([^<]*)</td>")


def classify_table_cells(body_html: str) -> str:
    """Mark table cells so the stylesheet can align them: numbers right, codes unbroken.

    A cell holding one number gets ``class="num"`` (right-aligned, never wrapped); a cell
    holding one word without spaces (activity ids such as ``2024-3.2.1``, source refs such as
    ``3.2.1``, codes) gets ``class="code"`` (never wrapped). Only cells pandas wrote plainly
    (``<td>text</td>``) are touched; text stays left-aligned.
    """

    def classify(match: re.Match[str]) -> str:
        text = match.group(1).strip()
        if text and _NUMBER_CELL.fullmatch(text):
            return f'<td class="num">{match.group(1)}</td>'
        if text and not re.search(r"\s", text) and len(text) <= 24:
            return f'<td class="code">{match.group(1)}</td>'
        return match.group(0)

    classified = _TD.sub(classify, body_html)
    return _TABLE.sub(lambda match: _align_numeric_headers(match.group(0)), classified)


_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)


def _align_numeric_headers(table: str) -> str:
    """Right-align the header of every column whose body cells are all numbers."""
    head, _, body = table.partition("</thead>")
    if not body:
        return table
    rows = [
        re.findall(r"<t[dh](?: class=\"(\w+)\")?>", row)
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.DOTALL)
    ]
    if not rows or len({len(row) for row in rows}) != 1:
        return table
    numeric = {i for i in range(len(rows[0])) if all(row[i] == "num" for row in rows)}
    header_rows = re.findall(r"<tr[^>]*>.*?</tr>", head, flags=re.DOTALL)
    if not header_rows or not numeric:
        return table
    last = header_rows[-1]
    position = iter(range(10_000))
    aligned = re.sub(
        r"<th>", lambda m: '<th class="num">' if next(position) in numeric else m.group(0), last
    )
    return head.replace(last, aligned) + "</thead>" + body


def table_title(name: str, lang: str) -> str:
    """A table's title in ``lang`` from the label catalogue (``pages.table.<name>``).

    A table without a label (a new notebook's) is shown under its file name rather than
    failing the build; a test keeps every table of the report labelled.
    """
    try:
        return i18n.label(f"pages.table.{name}", lang)
    except i18n.MissingLabelError:
        return name


def table_links(folder: Path, href_prefix: str, lang: str) -> tuple[TableLink, ...]:
    """Every CSV saved in ``folder`` with its title and the .xlsx beside it when there is one."""
    if not folder.is_dir():
        return ()
    links = []
    for csv_path in sorted(folder.glob("*.csv")):
        xlsx = csv_path.with_suffix(".xlsx")
        links.append(
            TableLink(
                title=table_title(csv_path.stem, lang),
                csv_href=href(href_prefix, csv_path.name),
                xlsx_href=href(href_prefix, xlsx.name) if xlsx.is_file() else None,
            )
        )
    return tuple(links)


# --------------------------------------------------------------------------- chrome


def twin_link(page: PurePosixPath, lang: str, languages: Sequence[str]) -> Link | None:
    """The link to the same page in the other language (the first other one built).

    ``page`` is relative to the language folder (``03_funding.html``); the twin sits at the
    same place under the other language's folder.
    """
    others = [other for other in languages if other != lang]
    if not others:
        return None
    other = others[0]
    back = "../" * (len(page.parent.parts) + 1)
    return Link(
        href=back + href(other, str(page)),
        label=i18n.label("pages.this_page_in", other),
        lang=other,
    )


def section_menu(
    sections: Sequence[tuple[str, str]], current: str | None, prefix: str = ""
) -> tuple[Link, ...]:
    """The menu of a language's sections: (stem, title) pairs → links, current one marked."""
    return tuple(
        Link(href=prefix + href(f"{stem}.html"), label=title, current=stem == current)
        for stem, title in sections
    )


def pager(sections: Sequence[tuple[str, str]], current: str) -> tuple[Link | None, Link | None]:
    """Previous and next section links around ``current`` (None at either end)."""
    stems = [stem for stem, _ in sections]
    position = stems.index(current)
    previous = sections[position - 1] if position > 0 else None
    following = sections[position + 1] if position + 1 < len(sections) else None
    return (
        Link(href=href(f"{previous[0]}.html"), label=previous[1]) if previous else None,
        Link(href=href(f"{following[0]}.html"), label=following[1]) if following else None,
    )


def readable(path: str, data_files: Sequence[str]) -> str:
    """The HTML rendering of a shipped Markdown file when there is one, else the file."""
    if path.endswith(".md"):
        html = path[:-3] + ".html"
        if html in data_files:
            return html
    return path


def footer_links(
    data_files: Sequence[str],
    lang: str,
    root: str,
    provenance_href: str | None,
    documents_lang: str | None = None,
) -> tuple[Link, ...]:
    """The footer's way to the data: every file copied under ``data/``, labelled in ``lang``.

    ``data_files`` are paths relative to the report root (``data/curated/plan_2020.csv``);
    curated CSVs are listed by file name, the other files by what they are. The documents
    (codebook, raw sources) are written in ``documents_lang``: a page in ``lang`` links the
    document's twin in its language when the report has one (``CODEBOOK.es.md`` beside
    ``CODEBOOK.md``), else says after the link that it is in another language
    ("(en inglés)") and marks the link's language.
    """

    def document(path: str, key: str) -> Link:
        label = i18n.label(key, lang)
        twin = str(PurePosixPath(path).with_suffix(f".{lang}.md"))
        if twin in data_files:
            return Link(href=root + href(readable(twin, data_files)), label=label)
        target = root + href(readable(path, data_files))
        if documents_lang is None or documents_lang == lang:
            return Link(href=target, label=label)
        note = i18n.label(f"pages.in_language.{documents_lang}", lang)
        label = label if label.endswith(note) else f"{label} {note}"
        return Link(href=target, label=label, lang=documents_lang)

    named = {
        "CODEBOOK.md": "pages.footer.codebook",
        "CODEBOOK.html": "pages.footer.codebook",
        "datapackage.json": "pages.footer.datapackage",
    }
    links: list[Link] = []
    curated = [path for path in data_files if PurePosixPath(path).parent.name == "curated"]
    for path in curated:
        links.append(
            Link(
                href=root + href(path),
                label=PurePosixPath(path).name,
                group=i18n.label("pages.footer.curated", lang),
            )
        )
    for path in data_files:
        key = named.get(PurePosixPath(path).name)
        if key and not any(link.label.startswith(i18n.label(key, lang)) for link in links):
            links.append(
                document(str(PurePosixPath(path).with_suffix(".md")), key)
                if path.endswith((".md", ".html"))
                else Link(href=root + href(path), label=i18n.label(key, lang))
            )
    raw = [path for path in data_files if PurePosixPath(path).parent.name == "raw"]
    raw_index = next(
        (path for path in raw if PurePosixPath(path).name == "SOURCES.md"), raw[0] if raw else None
    )
    if raw_index:
        links.append(document(raw_index, "pages.footer.raw"))
    if provenance_href:
        links.append(Link(href=provenance_href, label=i18n.label("pages.footer.provenance", lang)))
    return tuple(links)


# --------------------------------------------------------------------------- pages


def stylesheet_text() -> str:
    """The report's stylesheet, as shipped in the package."""
    return STYLESHEET.read_text(encoding="utf-8")


def index_page(
    chrome: Chrome,
    *,
    title: str,
    parameters_line: str,
    front: Front,
    caveat: str | None,
    sections: Sequence[IndexEntry],
    products: Sequence[Link] = (),
) -> str:
    """A language's front page: the large numbers, one chart, the findings with their
    robustness and the caveat, the Committee's block, then one entry per section.

    Findings and questions are Markdown sentences (only emphasis is expected); they are
    rendered by :func:`markdown_inline_html`, so markup in them is shown, never run.
    """
    return render(
        "page_index.html.j2",
        chrome=chrome,
        title=title,
        parameters_line=parameters_line,
        front=front,
        findings=[(markdown_inline_html(finding.sentence), finding) for finding in front.findings],
        questions=[markdown_inline_html(question) for question in front.questions],
        caveat=markdown_inline_html(caveat) if caveat else None,
        sections=sections,
        products=products,
    )


def section_page(chrome: Chrome, page: SectionPage) -> str:
    """A section (or an executed notebook) inside the report's chrome.

    The body is notebook output: it goes through the sanitiser here, whatever made it.
    """
    body = focusable_boxes(str(sanitize(page.body_html)))
    return render("page_section.html.j2", chrome=chrome, page=page, body=Markup(body))


def landing_page(
    *,
    languages: Sequence[str],
    index_hrefs: Mapping[str, str],
    years_line: str,
    footer: Sequence[Link],
    provenance_line: str,
) -> str:
    """The bilingual entry page of ``reports/``: one box per language linking its index."""
    return render(
        "page_landing.html.j2",
        languages=languages,
        index_hrefs=index_hrefs,
        years_line=years_line,
        footer=footer,
        provenance_line=provenance_line,
    )


# --------------------------------------------------------------------------- nbconvert


def notebook_body(
    executed: Path, *, remove_tags: set[str], with_code: bool, assets_dir: Path | None = None
) -> str:
    """The cells of an executed notebook as an HTML fragment (nbconvert's ``basic`` template).

    ``with_code`` keeps the code cells (the executed-notebook pages); the section pages show
    outputs only. Cells tagged with one of ``remove_tags`` (parameters, the other language's
    prose) are dropped. No stylesheet, no scripts: the page frame brings the report's CSS.
    """
    import nbformat

    exporter = _exporter(frozenset(remove_tags), with_code)
    notebook = nbformat.read(executed, as_version=4)
    resources = {"metadata": {"path": str(assets_dir or executed.parent)}}
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    return body.strip()


_EXPORTERS = threading.local()


def _exporter(remove_tags: frozenset[str], with_code: bool) -> Any:
    """One nbconvert exporter per setting and thread, reused: a new exporter builds its
    Jinja environment and compiles its templates again (about half a second a page)."""
    from traitlets.config import Config

    made: dict[tuple[frozenset[str], bool], Any] = _EXPORTERS.__dict__.setdefault("made", {})
    if (remove_tags, with_code) not in made:
        config = Config()
        config.TagRemovePreprocessor.enabled = True
        config.TagRemovePreprocessor.remove_cell_tags = set(remove_tags)
        made[remove_tags, with_code] = _body_exporter_class()(
            config=config,
            template_name="basic",
            exclude_input=not with_code,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=True,
        )
    return made[remove_tags, with_code]


@functools.cache
def _body_exporter_class() -> type:
    """nbconvert's HTML exporter without its last pass, which parses the whole page with
    BeautifulSoup and writes it out again (almost half of a page's rendering, a large inline
    SVG chart being thousands of tags) only to add a stock alt text to ``<img>`` tags that
    have none and ``tabindex`` to ``.jp-Notebook`` cells. A report body has neither: charts
    are inline SVG with their own ``aria-label``, the ``basic`` template writes no
    ``jp-Notebook`` wrapper, and the page's sanitiser drops ``tabindex`` anyway
    (:func:`section_page`, which also writes the markup out in its own form, whatever made
    it). The rest is HTMLExporter's own ``from_notebook_node``: the code highlighter of the
    notebook's language and the widget-state filter, then the template.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class BodyExporter(HTMLExporter):
        def from_notebook_node(
            self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
        ) -> tuple[str, dict[str, Any]]:
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
            )
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", filter_data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return BodyExporter
