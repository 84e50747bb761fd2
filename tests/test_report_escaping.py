"""Hostile text in the data never runs in a reader's browser.

Markup is written into every free-text field of the plans and of the themes crosswalk (a
scratch copy of data/curated: the fields validation would reject keep their codes; the other
curated tables are copied as they are, repeating the poisoned labels where they repeat
labels), and the data is loaded as a build loads it. The pages are then made from it by the
report's own rendering functions, called directly, in both languages: a section page holding
what the notebooks show (the reader's tables of every plan row and of the crosswalk, the
narrative Markdown of each value, a chart titled and labelled with them), the executed
notebook's page (code, a printed stream and that HTML output), the index (findings, a
section's headline, the front chart) and the explorer. No injected element, no
event-handler attribute, no script, no ``javascript:`` link may be live in any of them, and
the payload must still reach them as visible text (escaping, not omission).

Every page of a build is made by these functions, and every section body goes through the
page's sanitiser whatever the notebook wrote (``pages.section_page``), so no data can make
one live. The real notebooks and templates of the session's build (kernels and all, the
curated data) carry no live markup either (``test_the_session_report_has_no_live_markup``);
that markup in the data is printed as written in the PDF brief is
``test_brief.py::test_markup_in_data_strings_is_printed_as_written``.
"""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from markupsafe import Markup

from gealc_analysis import data
from gealc_analysis.build import BuildResult, pages
from gealc_analysis.core import paths
from gealc_analysis.data.bundle import DataBundle, load_bundle
from gealc_analysis.notebook import section
from gealc_analysis.products import explorer
from gealc_analysis.words import markup, tables

MARKER = "PWN"
PAYLOAD = (
    f' <img src=x onerror=alert("{MARKER}")> [{MARKER}](javascript:alert(1)) '
    f'"><script>alert("{MARKER}")</script> <a href="javascript:alert(1)">{MARKER}</a>'
)


def poison(path: Path, skip: set[str], poisoned: dict[str, str]) -> list[str]:
    """Append the payload to every cell of a curated CSV except the ``skip`` columns;
    return the columns touched. ``poisoned`` collects original → poisoned text, so the other
    curated tables that repeat a label (alternative codings) can repeat it poisoned too."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    touched = [name for name in header if name not in skip]
    for row in rows[1:]:
        for index, name in enumerate(header):
            if name in touched:
                new = (row[index] + PAYLOAD).strip()
                if " " in row[index].strip():  # a label, not a code
                    poisoned[row[index]] = new
                row[index] = new
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return touched


def repeat_poisoned(path: Path, poisoned: dict[str, str]) -> None:
    """In a curated table that repeats labels of the plans or the crosswalk, use the
    poisoned labels (the tables must keep agreeing with each other)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1:] = [[poisoned.get(cell, cell) for cell in row] for row in rows[1:]]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def rejected_columns(data_dir: Path) -> set[str]:
    """The columns validation rejects in a poisoned copy (codes, numbers, ids)."""
    rejected: set[str] = set()
    for load in (data.load_plans, data.load_themes):
        try:
            load(data_dir)
        except data.PlanDataError as error:
            rejected |= {problem.column for problem in error.problems}
    return rejected


@dataclass
class Hostile:
    bundle: DataBundle  # the poisoned copy, loaded and validated as a build loads it
    touched: list[str]  # "<file>:<column>" of every poisoned field
    values: dict[str, list[str]]  # field → its poisoned values (labels and text)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    """Every field validation accepts markup in is poisoned; those it rejects (codes,
    numbers) keep their values, found by validating until nothing more is rejected."""
    root = tmp_path_factory.mktemp("hostile")
    data_dir = root / "curated"
    skip: set[str] = set()
    while True:
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir()
        touched: list[str] = []
        poisoned: dict[str, str] = {}
        others = []
        for source in sorted(paths.CURATED_DIR.glob("*.csv")):
            target = data_dir / source.name
            target.write_bytes(source.read_bytes())
            if source.name.startswith("plan_") or source.name == "themes.csv":
                touched += [f"{source.name}:{column}" for column in poison(target, skip, poisoned)]
            else:
                others.append(target)
        for target in others:
            repeat_poisoned(target, poisoned)
        rejected = rejected_columns(data_dir)
        if not rejected:
            break
        assert not rejected <= skip, f"validation keeps rejecting {rejected - skip}"
        skip |= rejected
    print(
        f"poisoned {len(touched)} fields: {', '.join(touched)}; "
        f"left as codes (validation rejects markup): {', '.join(sorted(skip))}"
    )
    bundle = load_bundle(data_dir)
    values: dict[str, list[str]] = {}
    for field in touched:
        name, column = field.split(":")
        frame = bundle.themes if name == "themes.csv" else bundle.plans
        if name.startswith("plan_"):
            frame = frame[frame["plan_year"].astype(int) == int(name[5:9])]
        values[field] = sorted({str(v) for v in frame[column].dropna() if MARKER in str(v)})
    return Hostile(bundle, touched, values)


def chrome(lang: str, title: str) -> pages.Chrome:
    """A page's frame whose titles and menu are data (a section's title is a label)."""
    return pages.Chrome(
        lang=lang,
        root="../",
        site_title=title,
        index=pages.Link("index.html", title),
        menu=(pages.Link("01_a.html", title, current=True),),
        provenance_line=title,
    )


def chart_html(texts: list[str], name: str) -> str:
    """A chart titled and labelled with ``texts``, in the report's chart style (its text is
    SVG text, as on the pages), shown as a section shows one."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from gealc_analysis.charts import files, style

    with style.style_context():
        fig, ax = plt.subplots()
        ax.barh(range(len(texts)), range(1, len(texts) + 1))
        ax.set_yticks(range(len(texts)), texts)
        ax.set_title(texts[0])
        svg = files.figure_bytes(fig, "svg")
        plt.close(fig)
    inline = files.inline_svg(svg, alt=texts[0], prefix=name, css_class="chart")
    assert shown_as_text(inline.split(">", 1)[1]) >= len(texts) + 1, "chart text is not text"
    return section.figure_html({"desktop": inline}, name)


def what_a_section_shows(hostile: Hostile, lang: str) -> str:
    """The HTML a section's notebook displays (``notebook.section``): reader tables of every
    plan row and of the crosswalk, each poisoned value said in narrative Markdown (data
    values are escaped for Markdown, ``markup.markdown_text``), and a chart of them."""
    every_value = sorted({v for found in hostile.values.values() for v in found})
    parts = [
        tables.reader_html(hostile.bundle.plans, lang, hostile.bundle.themes),
        tables.reader_html(hostile.bundle.themes, lang, hostile.bundle.themes),
        section.markdown_html("\n\n".join(f"- **{markup.markdown_text(v)}**" for v in every_value)),
        # and as if a notebook forgot to escape them for Markdown: still shown, never run
        section.markdown_html("\n\n".join(f"- {v}" for v in every_value)),
        chart_html(every_value[:12], "hostile"),
    ]
    return "".join(parts)


@dataclass
class Rendered:
    lang: str
    section: str  # a section page
    notebook: str  # an executed notebook's page
    index: str  # the language's index
    explorer: str  # the explorer page


@pytest.fixture(scope="module", params=["en", "es"])
def rendered(
    request: pytest.FixtureRequest, hostile: Hostile, tmp_path_factory: pytest.TempPathFactory
) -> Rendered:
    lang: str = request.param
    label = hostile.values["themes.csv:theme_label_" + lang][0]
    shown = what_a_section_shows(hostile, lang)
    frame = chrome(lang, label)
    section_page = pages.section_page(
        frame, pages.SectionPage(title=label, body_html=shown, parameters_line=label)
    )
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(f"print({label!r})\n# {label}")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=label + "\n"),
        nbformat.v4.new_output("display_data", data={"text/html": shown, "text/plain": label}),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {label}"), cell]
    executed = tmp_path_factory.mktemp(f"executed-{lang}") / "01_a.ipynb"
    nbformat.write(nb, executed)
    body = pages.notebook_body(executed, remove_tags=set(), with_code=True)
    notebook_page = pages.section_page(frame, pages.SectionPage(title=label, body_html=body))
    front = pages.Front(
        numbers=(pages.KeyNumber("41", label),),
        chart=pages.Chart(
            Markup(chart_html([label], "front")),
            label,
            pages.Link("01_a.html", label),
        ),
        # Findings and questions are Markdown: each escaped for it, and each as it is.
        findings=(
            pages.KeyFinding(markup.markdown_text(label), label, "07_r.html"),
            pages.KeyFinding(label, label),
        ),
        questions=(markup.markdown_text(label), label),
    )
    index = pages.index_page(
        frame,
        title=label,
        parameters_line=label,
        front=front,
        caveat=label,
        sections=[
            pages.IndexEntry(
                "01_a.html",
                label,
                summary_html=section.markdown_html(f"**{markup.markdown_text(label)}** {label}"),
            )
        ],
    )
    explorer_page = explorer.explorer_html(
        hostile.bundle.plans, hostile.bundle.themes, lang=lang, provenance_text=label
    )
    return Rendered(lang, section_page, notebook_page, index, explorer_page)


class LiveMarkup(HTMLParser):
    """Collects what would run or load: scripts, event handlers, javascript: URLs, and the
    payload's own elements (an <img src=x> or a link whose text is the marker)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.live.append("<script>")
        for name, value in attrs:
            if name.startswith("on"):
                self.live.append(f"<{tag} {name}=…>")
            if (
                name in ("href", "src", "action")
                and value
                and re.match(r"^\s*(javascript|vbscript|data:text)", value, re.IGNORECASE)
            ):
                self.live.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.live.append("<img src=x>")
        if tag == "a":
            self._href = dict(attrs).get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._href = None

    def handle_data(self, text: str) -> None:
        # Markdown link syntax in the data ([PWN](javascript:…)) may become a link, but one
        # that goes nowhere: the sanitiser removes every href but safe schemes.
        if self._href is not None and text.strip() == MARKER:
            self.live.append(f"<a href={self._href!r}>{MARKER}</a>")


def test_the_payload_reaches_every_free_text_field(hostile: Hostile) -> None:
    for field in (
        "plan_2020.csv:title_en",
        "plan_2024.csv:title_es",
        "plan_2024.csv:area_name",
        "plan_2020.csv:title_original",
        "plan_2024.csv:notes",
        "themes.csv:area_name_es",
        "themes.csv:theme_label_en",
        "themes.csv:theme_label_es",
    ):
        assert field in hostile.touched, f"{field} was not poisoned"
        assert hostile.values[field], f"{field}: no poisoned value survived the load"


def live_markup(html: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(html)
    return sorted(set(parser.live))


def shown_as_text(html: str) -> int:
    """How often the payload's handler is on the page as text (escaped)."""
    return html.replace("&#34;", '"').replace("&quot;", '"').count("onerror=alert")


def test_no_page_has_live_injected_markup_and_each_shows_the_payload(rendered: Rendered) -> None:
    for name in ("section", "notebook", "index"):
        html = getattr(rendered, name)
        assert not live_markup(html), f"{name}: live injected markup: {live_markup(html)}"
        assert shown_as_text(html), f"{name}: the payload is not on the page as text"


def test_the_explorer_carries_the_payload_only_escaped(rendered: Rendered) -> None:
    """The explorer's self-contained page has its own script: the data it carries must hold
    the payload only in escaped form (its own tests cover the rendering in Chromium)."""
    html = rendered.explorer
    for raw in ("<img src=x onerror", f'<script>alert("{MARKER}")', '<a href="javascript:'):
        assert raw not in html, raw
    assert MARKER in html


def test_every_poisoned_field_of_the_pages_language_reaches_a_page(
    rendered: Rendered, hostile: Hostile
) -> None:
    """Escaping, not omission: each poisoned field shown in this language (a field of the
    other language's columns is shown on the other's pages) is on the section page or in
    the explorer, as text."""
    other = "es" if rendered.lang == "en" else "en"
    text = html_text(rendered.section) + html_text(rendered.explorer)
    missing = [
        field
        for field, found in hostile.values.items()
        if not field.endswith(f"_{other}") and not any(value in text for value in found)
    ]
    assert not missing, missing


def html_text(html: str) -> str:
    """The page's text and attribute values, entities decoded (what a reader is shown)."""
    import html as html_module

    return html_module.unescape(html).replace("\\u003c", "<").replace("\\u003e", ">")


def test_the_session_report_has_no_live_markup(report_build: BuildResult) -> None:
    """The real build (kernels and all) on the curated data: no page but the explorer carries
    a script, an event handler or a ``javascript:`` link."""
    live = {}
    for page in sorted(report_build.out_dir.rglob("*.html")):
        if page.name == "explorer.html":
            continue
        parser = LiveMarkup()
        parser.feed(page.read_text(encoding="utf-8"))
        if parser.live:
            live[str(page.relative_to(report_build.out_dir))] = sorted(set(parser.live))
    assert not live, live
