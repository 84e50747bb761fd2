"""The one Markdown renderer and the one sanitiser of the report's pages
(``gealc_analysis.words.markup``), on hand-made inputs."""

from __future__ import annotations

import re

import pytest

from gealc_analysis.core import paths
from gealc_analysis.words import markup

UNSAFE_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "java\tscript:alert(1)",
    " javascript:x",
    "vbscript:x",
    "data:text/html,<script>x</script>",
    "data:text/html;base64,PHNjcmlwdD4=",
    "file:///etc/passwd",
]
EXTERNAL_URLS = [
    "https://www.oas.org",
    "http://x.org/a?b=c",
    "mailto:a@b.org",
    "//evil.example/pixel.gif",  # protocol-relative: another host
    "\\\\evil.example\\pixel.gif",  # a browser reads backslashes as slashes
    "/etc/passwd",  # outside the report folder
    "HTTPS://EVIL.EXAMPLE",
]
SAFE_URLS = [
    "03_funding.html",
    "../data/x.csv",
    "#top",
    "#Activities-at-risk:-the-funder-is-their-only-cash-resource",  # nbconvert's anchors
]


@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_unsafe_link_schemes_lose_their_href(url: str) -> None:
    html = str(markup.sanitize(f'<a href="{url}">x</a><img src="{url}" alt="a">'))
    assert "href" not in html and "src" not in html, html
    assert ">x</a>" in html  # the words stay, as a dead link


@pytest.mark.parametrize("url", SAFE_URLS)
def test_safe_and_in_page_links_pass_unchanged(url: str) -> None:
    assert str(markup.sanitize(f'<a href="{url}">x</a>')) == f'<a href="{url}">x</a>'


@pytest.mark.parametrize("url", EXTERNAL_URLS)
def test_no_page_fragment_links_or_loads_outside_the_report(url: str) -> None:
    """A page references nothing outside the report folder: the link loses its href, the
    image its src (a remote image is a tracking pixel and breaks the offline report)."""
    html = str(markup.sanitize(f'<a href="{url}">x</a><img src="{url}" alt="a">'))
    assert "href" not in html and "src" not in html, html


def test_in_page_heading_anchor_of_a_notebook_survives() -> None:
    """nbconvert writes a heading's id from its words, colons included; its ¶ link works."""
    heading = (
        '<h2 id="Activities-at-risk:-the-funder">Activities at risk: the funder'
        '<a class="anchor-link" href="#Activities-at-risk:-the-funder">¶</a></h2>'
    )
    assert str(markup.sanitize(heading)) == heading


def test_markdown_escapes_raw_html_and_removes_script_links() -> None:
    html = str(
        markup.markdown_html(
            'A **bold** <img src=x onerror=alert(1)> [x](javascript:alert(1)) "><script>s</script>'
        )
    )
    assert "<strong>bold</strong>" in html
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<a>x</a>" in html and "javascript:" not in html


def test_markdown_headings_get_the_ids_github_gives_them() -> None:
    html = str(
        markup.markdown_html(
            "See [the rule](#rule-31-the-funders-own).\n\n## Rule 3.1: the funder's `own`\n"
        )
    )
    assert '<a href="#rule-31-the-funders-own">the rule</a>' in html
    assert '<h2 id="rule-31-the-funders-own">' in html


def test_every_in_page_link_of_the_shipped_codebook_reaches_a_heading() -> None:
    """The codebook's contents list links its sections by GitHub's anchors; on the report's
    page (CODEBOOK.html) each of them lands on its heading."""
    html = str(markup.markdown_html((paths.DATA_DIR / "CODEBOOK.md").read_text(encoding="utf-8")))
    links = set(re.findall(r'href="#([^"]*)"', html))
    assert links, "the codebook links none of its sections"
    assert links <= set(re.findall(r'id="([^"]*)"', html)), links - set(
        re.findall(r'id="([^"]*)"', html)
    )


def test_markdown_keeps_tables() -> None:
    html = str(markup.markdown_html("| a | b |\n|---|--:|\n| x | 1 |\n"))
    assert "<table>" in html and "<td>x</td>" in html


def test_inline_markdown_drops_the_wrapping_paragraph() -> None:
    assert str(markup.markdown_inline_html("**13** of 28")) == "<strong>13</strong> of 28"


def test_sanitize_keeps_report_markup_and_removes_everything_that_could_run() -> None:
    fragment = (
        '<p class="x">3 &lt; 4 <b>ok</b></p><img src="data:image/png;base64,iVBO" '
        'alt="Chart &amp; finding"><script>alert(1)</script>'
        '<img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>'
        '<iframe srcdoc="&lt;script&gt;"></iframe><p style="color:red">1</p>'
        "<!-- a comment --><form action=x><input value=y></form>"
    )
    clean = str(markup.sanitize(fragment))
    assert '<p class="x">3 &lt; 4 <b>ok</b></p>' in clean
    assert '<img src="data:image/png;base64,iVBO" alt="Chart &amp; finding">' in clean
    for gone in ("<script", "alert(1)", "onerror", "javascript:", "<iframe", "style=", "<!--"):
        assert gone not in clean, gone
    for gone in ("<form", "<input", "action="):
        assert gone not in clean, gone
    assert "<a>x</a>" in clean


def test_sanitize_refuses_inline_images_other_than_raster() -> None:
    clean = str(markup.sanitize('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="a">'))
    assert clean == '<img alt="a">'


def test_explorer_data_is_html_safe_json_in_a_script() -> None:
    """``|tojson`` of the one environment: a "</script>" in the data cannot end the block."""
    template = markup.environment().from_string("<script>{{ data|tojson }}</script>")
    html = template.render(data={"b": "</script><!--", "a": "é"})
    assert html == '<script>{"a": "é", "b": "\\u003c/script\\u003e\\u003c!--"}</script>'


def test_every_page_template_escapes_data() -> None:
    template = markup.environment().from_string("<p title='{{ x }}'>{{ x }}</p>")
    assert template.render(x="<b>'&") == "<p title='&lt;b&gt;&#39;&amp;'>&lt;b&gt;&#39;&amp;</p>"


def test_reader_table_template_escapes_every_cell_and_marks_column_classes() -> None:
    html = markup.render(
        "reader_table.html.j2",
        table_class="gealc-table",
        region_label="Table",
        caption="",
        classes=["code", "", "num"],
        header=["Id", "<b>Title</b>", "n"],
        rows=[["2024-3.1.1", '<img src=x onerror="y">', "3"]],
    )
    assert html == (
        '<div class="table-box" tabindex="0" role="region" aria-label="Table">'
        '<table class="gealc-table"><thead><tr><th scope="col" class="code">Id</th>'
        '<th scope="col">&lt;b&gt;Title&lt;/b&gt;</th><th scope="col" class="num">n</th>'
        "</tr></thead><tbody><tr>"
        '<td class="code" data-label="Id">2024-3.1.1</td>'
        '<td data-label="&lt;b&gt;Title&lt;/b&gt;">&lt;img src=x onerror=&#34;y&#34;&gt;</td>'
        '<td class="num" data-label="n">3</td></tr></tbody></table></div>'
    )


def test_sanitize_keeps_non_breaking_spaces_as_the_character() -> None:
    assert str(markup.sanitize("<p>46,4\u00a0% &amp;nbsp;</p>")) == "<p>46,4\u00a0% &amp;nbsp;</p>"
