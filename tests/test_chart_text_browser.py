"""Chart text as readers see it: every section page of both languages opened in headless
Chromium at 1280 px and 390 px, every text of every chart shown measured in CSS pixels on the
rendered page (font size × the SVG's scale on screen), and every text's box checked to lie
inside its chart (a title is never cut).

Bounds: 11 to 16 px on a desktop (never larger than the headings, never smaller than small
print), at least 10 px on a phone. Measured, not computed: a stylesheet that scaled the charts
to the column again would fail here. The pages are those the browser tests visit once per width
(``browsing.visit_report``, with a full-page screenshot of each).
"""

from __future__ import annotations

import re

import pytest
from browsing import DESKTOP, PHONE, per_width

pytestmark = pytest.mark.slow

BOUNDS = {DESKTOP: (11.0, 16.0), PHONE: (10.0, float("inf"))}
SECTION_PAGE = re.compile(r"^[a-z]{2}/[0-9]{2}_[^/]+\.html$")


@pytest.mark.parametrize("width", per_width())
def test_chart_text_reads_at_a_fixed_size_on_every_section_page(visits, width: int) -> None:
    pages = [visit for visit in visits(width) if SECTION_PAGE.match(visit.name)]
    assert {visit.name.split("/")[0] for visit in pages} == {"en", "es"}
    charts = [{**chart, "page": visit.name} for visit in pages for chart in visit.charts]
    shown_on = {chart["page"] for chart in charts}
    assert len(shown_on) >= 0.8 * len(pages), f"charts shown on only {sorted(shown_on)}"
    layout = "chart-desktop" if width == DESKTOP else "chart-phone"
    low, high = BOUNDS[width]
    problems = []
    sizes = []
    for chart in charts:
        where = f"{chart['page']} @{width}px [{chart['label'][:50]}]"
        if layout not in chart["layout"]:
            problems.append(f"{where}: shows the {chart['layout']} layout")
        if chart["role"] != "img" or not chart["label"] or chart["title"] != chart["label"]:
            problems.append(f"{where}: no alt text (role=img, aria-label and <title>)")
        if not chart["texts"]:
            problems.append(f"{where}: no text in the chart (drawn as paths?)")
        for text in chart["texts"]:
            sizes.append(text["px"])
            if not low - 0.01 <= text["px"] <= high + 0.01:
                problems.append(f"{where}: {text['text']!r} is {text['px']:.1f} px")
            if not text["inside"]:
                problems.append(f"{where}: {text['text']!r} is cut by the chart's edge")
    print(f"@{width}px: {len(charts)} charts, text {min(sizes):.1f} to {max(sizes):.1f} px")
    assert not problems, "\n".join(problems)
