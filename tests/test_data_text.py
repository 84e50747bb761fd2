"""Data text is text (issue 20, item 3): a label, title or note from the data is shown as
typed wherever the report shows it, and no page references anything outside the report.

A hostile text — Markdown link, image and autolink to another host, raw HTML, emphasis,
mathtext, code — is planted in every text field of the plans and the crosswalk and in the
funding labels of the real data (in memory: no validation, no build). Then every renderer
that turns data into a page is called directly: the sentences of ``words`` through the pages'
Markdown renderer, the index's finding sentences, the reader tables, a chart as inline SVG,
the explorer and the brief's inputs. Every ``href``/``src``-like attribute must stay inside
the report, and the hostile text must be visible as text (escaping, not omission). The built
report (the session's ``report_build``) is scanned for the same promise.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gealc_analysis.charts import files, plots, style
from gealc_analysis.data.bundle import DataBundle, load_bundle
from gealc_analysis.measures import counts, funding, themes
from gealc_analysis.measures.robustness import bundle_robustness
from gealc_analysis.products import brief, explorer
from gealc_analysis.words import findings, i18n, markup, narrative, tables
from gealc_analysis.words import robustness as robustness_words

HOST = "evil.example"
HOSTILE = (
    f" [a](http://{HOST}/a) ![p](https://{HOST}/p.png) <http://{HOST}/x> "
    f'<img src="//{HOST}/i.gif"> *em* __strong__ $x^2$ `code` &amp; ~~s~~ | # h'
)
# What a reader must see of it, as typed (a chart or an alt text may wrap long text).
VISIBLE = (f"[a](http://{HOST}/a)", f"![p](https://{HOST}/p.png)", "*em*", "$x^2$", "&amp;")
BASELINE, COMPARE = 2020, 2024
# Attributes through which a page loads or links something.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "xlink:href", "srcset", "action", "formaction", "poster", "data", "background"}
)
TEXT_COLUMNS = {
    "plans": (
        "area_name", "title_original", "title_en", "title_es", "timing_original",
        "venue_original", "resources_original", "product", "participants", "notes",
    ),
    "themes": ("area_name", "area_name_en", "area_name_es", "theme_label_en", "theme_label_es",
               "notes"),
}  # fmt: skip


class References(HTMLParser):
    """Every URL a page references (attributes, CSS ``url()``) and its visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name.lower() in URL_ATTRIBUTES:
                self.urls.append((tag, name, value))
            self.urls += [
                (tag, f"{name} url()", url) for url in re.findall(r"url\(([^)]*)\)", value)
            ]

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def outside_references(page: str) -> list[tuple[str, str, str]]:
    """The references of ``page`` that leave the report (another host, an absolute path, a
    scheme); inline raster images and in-page ``#id`` are the report's own."""
    parser = References()
    parser.feed(page)
    return [
        (tag, name, url)
        for tag, name, url in parser.urls
        if not markup.is_local_url(url.strip("'\" "))
        and not (tag == "img" and markup.INLINE_IMAGE.fullmatch(url))
    ]


def visible_text(page: str) -> str:
    parser = References()
    parser.feed(page)
    return " ".join("".join(parser.text).split())


def plant(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        if column in out:
            out[column] = [f"{value}{HOSTILE}" for value in out[column].fillna("").astype(str)]
    return out


@pytest.fixture(scope="module")
def hostile() -> DataBundle:
    """The real data with the hostile text in every text field of the plans, the crosswalk
    and the lineage, and in every funding label (the catalogue reads them from the data)."""
    real = load_bundle()
    lineage = real.lineage.copy()
    for column in ("note", "note_es"):
        if column in lineage:
            lineage[column] = lineage[column].fillna("").astype(str) + HOSTILE
    return dataclasses.replace(
        real,
        plans=plant(real.plans, TEXT_COLUMNS["plans"]),
        themes=plant(real.themes, TEXT_COLUMNS["themes"]),
        lineage=lineage,
    )


@pytest.fixture
def hostile_funding_labels(hostile: DataBundle) -> Iterator[None]:
    """Every funding label of the data's funding_codes.csv with the hostile text, labelled
    as a build on that data labels them."""
    codes = hostile.funding_codes
    planted = codes.assign(
        **{f"label_{lang}": codes[f"label_{lang}"] + HOSTILE for lang in i18n.SUPPORTED_LANGS}
    )
    with i18n.labelling_funding_codes(planted):
        yield


def assert_shown_and_contained(page: str, where: str, visible: tuple[str, ...] = VISIBLE) -> None:
    assert not outside_references(page), (where, outside_references(page))
    shown = visible_text(page)
    for text in visible:
        assert text in shown, (where, text, shown[:500])


def sentences(bundle: DataBundle, lang: str) -> dict[str, str]:
    """Every Markdown text of ``words`` that quotes the data, as a section or the index says it."""
    by_theme = themes.count_by_theme(bundle.plans, bundle.themes)
    change = counts.compare_years(by_theme, BASELINE, COMPARE)
    dependence = funding.funding_dependence(bundle.plans, bundle.funding_codes)
    table = bundle_robustness(bundle, BASELINE, COMPARE)
    names = robustness_words.theme_labels(bundle.themes, bundle.alternatives, lang)
    return {
        "theme_changes": narrative.theme_changes(change, lang),
        "theme_shifts": narrative.theme_shifts(
            themes.theme_shifts(bundle.themes, BASELINE, COMPARE), BASELINE, COMPARE, lang
        ),
        "funding": narrative.funding(dependence, "idb", lang),
        "main_sources": narrative.main_sources(dependence, lang),
        "key_findings": findings.key_findings_markdown(bundle, BASELINE, COMPARE, lang),
        "robustness": robustness_words.robustness_statements(table, names, lang),
    }


@pytest.mark.parametrize("lang", i18n.SUPPORTED_LANGS)
def test_data_in_every_sentence_is_shown_as_typed_and_links_nowhere(
    hostile: DataBundle, hostile_funding_labels: None, lang: str
) -> None:
    said = sentences(hostile, lang)
    for name in ("theme_changes", "theme_shifts", "funding", "main_sources", "robustness"):
        assert_shown_and_contained(str(markup.markdown_html(said[name])), name)
    # the findings quote theme labels only when a theme is new; any that do show them as typed
    page = str(markup.markdown_html(said["key_findings"]))
    assert not outside_references(page)
    assert "<em>em</em>" not in page and "<strong>strong</strong>" not in page


@pytest.mark.parametrize("lang", i18n.SUPPORTED_LANGS)
def test_the_index_findings_and_the_brief_read_the_data_as_typed(
    hostile: DataBundle, lang: str
) -> None:
    finding = findings.finding_sentence  # the index and the brief use the same sentences
    headlines = findings.headlines(hostile, BASELINE, COMPARE)
    said = [finding(f, lang) for f in headlines.findings]
    labelled = [s for s in said if HOST in s]
    for sentence in said:
        assert not outside_references(str(markup.markdown_inline_html(sentence)))
    for sentence in labelled:  # a new theme's label: shown as typed on the index and in print
        assert_shown_and_contained(str(markup.markdown_inline_html(sentence)), sentence)
        printed = "".join(part["text"] for part in brief.sentence_parts(sentence))
        assert all(text in printed for text in VISIBLE), printed


def test_the_markdown_escape_survives_every_position_of_a_line() -> None:
    """A value at the start of a sentence or a list item cannot open a block (a heading, a
    list, a quote), and line breaks in it cannot open one either."""
    for value in ("# heading", "- item", "+ item", "1. item", "2) item", "> quote", "a\n# b\n- c"):
        for sentence in (markup.markdown_text(value), f"- {markup.markdown_text(value)}"):
            page = str(markup.markdown_html(sentence))
            assert not re.search(r"<(h\d|ol|blockquote)|<ul>\s*<li>\s*<ul>", page), (value, page)
            assert " ".join(value.split()) in visible_text(page), (value, page)


@pytest.mark.parametrize("lang", i18n.SUPPORTED_LANGS)
def test_reader_tables_show_the_data_as_typed(hostile: DataBundle, lang: str) -> None:
    by_theme = themes.count_by_theme(hostile.plans, hostile.themes)
    change = counts.compare_years(by_theme, BASELINE, COMPARE)
    for frame in (change, counts.count_by_area(hostile.plans)):
        page = tables.reader_html(frame, lang, hostile.themes)
        assert_shown_and_contained(str(markup.sanitize(page)), "reader table")


@pytest.mark.parametrize("lang", i18n.SUPPORTED_LANGS)
def test_a_chart_of_hostile_labels_draws_them_as_plain_text(hostile: DataBundle, lang: str):
    """Chart text is never mathtext (``$x^2$`` stays as typed) and the inline SVG references
    nothing outside the page, alt text included."""
    by_theme = themes.count_by_theme(hostile.plans, hostile.themes)
    fig = plots.plot_theme_change(counts.compare_years(by_theme, BASELINE, COMPARE), lang=lang)
    texts = [t.get_text() for t in fig.findobj(plt.Text) if HOST in t.get_text()]
    assert texts and all(not t._parse_math for t in fig.findobj(plt.Text))  # noqa: SLF001
    svg = files.figure_bytes(fig, "svg")
    alt = f"{style.alt_text(fig)}{HOSTILE}"
    plt.close(fig)
    page = str(markup.sanitize(files.inline_svg(svg, alt=alt, prefix="c", css_class="chart")))
    assert not outside_references(page)
    assert "$x^2$" in html.unescape(page) and "<img" not in page


@pytest.mark.parametrize("lang", i18n.SUPPORTED_LANGS)
def test_the_explorer_shows_the_data_as_typed_and_loads_nothing(
    hostile: DataBundle, lang: str
) -> None:
    page = explorer.explorer_html(hostile.plans, hostile.themes, lang=lang, provenance_text="p")
    assert not outside_references(page)
    assert f'<img src="//{HOST}' not in page and f"](http://{HOST}/a)" in page  # JSON data


@pytest.mark.slow
def test_no_page_of_the_built_report_references_anything_outside_it(report_build) -> None:
    """The promise on the report itself: every page's links and images stay in the folder
    (resolved against the page, none above the report's root)."""
    root = Path(report_build.out_dir).resolve()
    pages = sorted(root.rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not outside_references(text), (page, outside_references(text))
        parser = References()
        parser.feed(text)
        for _tag, _name, url in parser.urls:
            target = url.split("#")[0].split("?")[0]
            if target and not target.startswith("data:"):
                assert (page.parent / target).resolve().is_relative_to(root), (page, url)


# Markdown's own alphabet, weighted in so the fuzzer builds links, images, emphasis, code,
# HTML, entities, list markers and headings far more often than uniform text would.
MARKDOWN_ALPHABET = st.one_of(
    st.sampled_from(list("[]()!<>*_`~|&#;+-=.:/\\ \n\t1a")),
    st.sampled_from(["http://", "https://", "](", "![", "<img ", "&amp;", "&#x41;", "**", "1. "]),
    # any character but control ones (a page cannot show them; the loader's business)
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MARKDOWN_ALPHABET, max_size=40).map("".join))
def test_any_data_value_renders_as_exactly_its_text(value: str) -> None:
    """Fuzzing (item 9, Markdown syntax in every text field): whatever a label holds, the
    sentence that quotes it shows it as typed, with no element but the sentence's own, and
    the brief prints the same characters."""
    sentence = f"- The **label**: {markup.markdown_text(value)} (end)"
    page = str(markup.markdown_html(sentence))
    tags = set(re.findall(r"<([a-z0-9]+)", page))
    assert tags <= {"ul", "li", "strong"}, (value, page)
    typed = " ".join(value.split())
    assert visible_text(page) == " ".join(f"The label: {typed} (end)".split()), (value, page)
    parts = brief.sentence_parts(f"The **label**: {markup.markdown_text(value)}")
    printed = " ".join("".join(part["text"] for part in parts).split())
    assert printed == " ".join(f"The label: {typed}".split()), (value, parts)


def test_the_brief_template_never_evaluates_text() -> None:
    """Typst: the data comes in as JSON strings shown as text; the template has no eval."""
    template = brief.TEMPLATE.read_text(encoding="utf-8")
    assert "eval(" not in template and "json(bytes(sys.inputs.brief))" in template
