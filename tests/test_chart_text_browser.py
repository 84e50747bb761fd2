"""Chart text as readers see it: every section page of both languages opened in headless
Chromium at 1280 px and 390 px, every text of every chart shown measured in CSS pixels on the
rendered page (font size × the SVG's scale on screen), and every text's box checked to lie
inside its chart (a title is never cut).

Bounds: 11 to 16 px on a desktop (never larger than the headings, never smaller than small
print), at least 10 px on a phone. Measured, not computed: a stylesheet that scaled the charts
to the column again would fail here. Screenshots of each page go to the test's temporary
folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

DESKTOP, PHONE = 1280, 390
BOUNDS = {DESKTOP: (11.0, 16.0), PHONE: (10.0, float("inf"))}

# Each visible chart: its layout, its box, and per text its size in CSS px and its box.
MEASURE = """() => [...document.querySelectorAll('figure svg')]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .map(svg => {
    const box = svg.getBoundingClientRect();
    return {
      layout: svg.getAttribute('class'),
      label: svg.getAttribute('aria-label'),
      title: (svg.querySelector('title') || {}).textContent,
      role: svg.getAttribute('role'),
      width: box.width,
      texts: [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
        const m = t.getScreenCTM();
        const r = t.getBoundingClientRect();
        return {
          text: t.textContent,
          px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b),
          inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5
            && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5,
        };
      }),
    };
  })"""


def section_pages(out: Path) -> list[Path]:
    return sorted(out.glob("*/[0-9][0-9]_*.html"))


def measure(browser, pages: list[Path], width: int, shots: Path) -> list[dict]:
    """Every chart shown on ``pages`` at ``width``, with its page's name."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    charts = []
    for path in pages:
        page.goto(path.as_uri(), wait_until="load")
        page.evaluate("() => document.fonts.ready.then(() => null)")
        for chart in page.evaluate(MEASURE):
            charts.append({**chart, "page": f"{path.parent.name}/{path.name}"})
        page.screenshot(path=str(shots / f"{path.parent.name}-{path.stem}-{width}.png"))
    context.close()
    return charts


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_chart_text_reads_at_a_fixed_size_on_every_section_page(
    browser, report_build, tmp_path: Path, width: int
) -> None:
    pages = section_pages(report_build.out_dir)
    assert {path.parent.name for path in pages} == {"en", "es"}
    charts = measure(browser, pages, width, tmp_path)
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
