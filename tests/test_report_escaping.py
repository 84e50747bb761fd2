"""Hostile text in the data never runs in a reader's browser.

Markup is written into every free-text field of the plans and of the themes crosswalk (a
scratch copy of data/curated: the fields validation would reject keep their codes; the other
curated tables are copied as they are), the whole
report is built in both languages, and every generated page is parsed: no injected element,
no event-handler attribute, no script, no ``javascript:`` link may be live. The payload must
still reach the pages as visible text, so the test proves escaping, not omission.

The real notebooks run in this process (``fakes.run_in_process``), not on kernels: what is
tested is what they show and how the build renders it (pages, index, explorer), which
does not depend on where the code runs. Bytes no page holds are left out (the PNG beside
each inline SVG chart, the typesetting of the PDF brief: ``skip_what_no_page_shows``). The
templates of the session's real report carry no live markup either
(``test_the_session_report_has_no_live_markup``).
"""

from __future__ import annotations

import csv
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fakes import memoize_pure_steps, run_in_process

from gealc_analysis import data
from gealc_analysis.build import BuildResult, build_report
from gealc_analysis.core import paths

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


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, list[str]]:
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
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("gealc_analysis.build.execute.execute_notebook", run_in_process)
        memoize_pure_steps(patch)
        skip_what_no_page_shows(patch)
        result = build_report(root / "report", data_dir=data_dir, progress=print)
    return result, touched


# What the hostile build leaves out: bytes no HTML page holds (a third of its time). The
# pages carry each chart as inline SVG, drawn as ever in both layouts; the PNG beside it is
# a file behind a link, so a placeholder stands for it. The brief is a PDF, typeset by Typst
# from JSON: its words are still made from the hostile data (``brief_words``), only the
# typesetting is skipped; that markup in the data is printed as written in the PDF is
# test_brief.py::test_markup_in_data_strings_is_printed_as_written, and the real brief is
# typeset by the session's build.
PLACEHOLDER_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
PLACEHOLDER_PDF = b"%PDF-1.4\n% the hostile build's brief is not typeset\n%%EOF\n"


def skip_what_no_page_shows(patch: pytest.MonkeyPatch) -> None:
    from gealc_analysis.charts import files
    from gealc_analysis.core.outputs import write_bytes_atomically
    from gealc_analysis.products import brief

    figure_bytes = files.figure_bytes

    def svg_only(fig, fmt: str) -> bytes:
        return PLACEHOLDER_PNG if fmt == "png" else figure_bytes(fig, fmt)

    def placeholder_brief(bundle, *, words, out_path, **options) -> Path:
        assert words, "the brief's words are made from the hostile data"
        return write_bytes_atomically(Path(out_path), PLACEHOLDER_PDF)

    patch.setattr(files, "figure_bytes", svg_only)
    patch.setattr(brief, "typeset_brief", placeholder_brief)


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


def test_the_payload_reaches_every_free_text_field(hostile_report) -> None:
    _, touched = hostile_report
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
        assert field in touched, f"{field} was not poisoned"


def test_no_generated_page_has_live_injected_markup(hostile_report) -> None:
    result, _ = hostile_report
    pages = sorted(result.out_dir.rglob("*.html"))
    assert len(pages) >= 2 * 11 + 1  # landing + per language: index, 5 sections, 5 notebooks
    live = {}
    shown = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if page.name == "explorer.html":
            # the explorer's self-contained page has its own script: the data it carries must
            # hold the payload only in escaped form (its own tests cover the rendering in Chromium).
            for raw in ("<img src=x onerror", f'<script>alert("{MARKER}")', '<a href="javascript:'):
                assert raw not in html, f"{page.relative_to(result.out_dir)} holds {raw!r}"
            shown += 1
            continue
        parser = LiveMarkup()
        parser.feed(html)
        if parser.live:
            live[str(page.relative_to(result.out_dir))] = sorted(set(parser.live))
        shown += "onerror=alert" in html.replace("&#34;", '"').replace("&quot;", '"')
    assert not live, "live injected markup:\n" + "\n".join(f"{k}: {v}" for k, v in live.items())
    # The payload is on the pages as text (escaped), on most section pages.
    assert shown >= 10, f"the payload reached only {shown} pages as text"


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
