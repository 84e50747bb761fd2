"""The one Markdown renderer and the one sanitiser of the report's pages
(``gealc_analysis.words.markup``), on hand-made inputs."""

from __future__ import annotations

import pytest

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
SAFE_URLS = [
    "https://www.oas.org",
    "http://x.org/a?b=c",
    "mailto:a@b.org",
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


def test_markdown_headings_get_ids_that_in_page_links_reach() -> None:
    html = str(markup.markdown_html("See [the rule](#coding-rule-3-1).\n\n## Coding rule 3.1\n"))
    assert '<a href="#coding-rule-3-1">the rule</a>' in html
    assert '<h2 id="coding-rule-3-1">Coding rule 3.1</h2>' in html


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
