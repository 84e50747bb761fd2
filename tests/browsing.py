"""One visit of every report page in headless Chromium per width, shared by the browser tests.

Opening a page, loading its images and fonts and running axe-core is what costs; every
browser check of a page at a width reads the same visit (overflow, tables, axe, images,
console, links, alt text, the language switch, chart text), so each page is opened once per
width per test run. A visit records what the checks need; the tests judge
it, with the judging here (one implementation for both widths): the desktop width's in
``test_report_browser.py``, the phone width's in ``test_report_browser_phone.py``. The two
widths are two modules so that pytest-xdist (``--dist loadfile``: one module, one worker)
can visit them on two workers at once: each is about half of the browser tests' time, and
neither width's visit reads the other's.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WIDTHS = {"desktop": 1280, "phone": 390}
DESKTOP, PHONE = WIDTHS["desktop"], WIDTHS["phone"]
HEIGHT = 900
# The WCAG levels the report meets, as axe-core tags its rules.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    # preload off: axe would fetch the stylesheets again, which file:// pages refuse
    "preload": False,
    "resultTypes": ["violations"],  # only what fails is detailed: 3x faster
}
# Both widths run every rule on every element. colour-contrast (about 80% of axe's time) was
# not narrowed at the phone width: its verdict can change there for most text, not only where
# a stylesheet says so (stacked tables' ``td::before`` labels in grey, the phone layout of
# each chart, body and heading sizes that cross the large-text threshold), and through the
# layout itself (what lies under a text, what clips it), which only axe's own work computes.
# The chart layout hidden at a width (display: none) costs axe nothing measurable.
# Nor do the other rules (about 16% of axe's time) run at one width only: measured on the
# session's report (every rule but colour-contrast, every result type, both widths), ten of
# them (svg-img-alt, nested-interactive and eight aria-* rules) examine a different set of
# elements at each width, each width's own chart layout (the other is display: none), on 30
# of the 36 pages, and scrollable-region-focusable finds different scroll boxes on 22 (a
# table that scrolls at one width fits at the other).

# axe-core's colour-contrast rule (most of axe's time on these pages) parses the same few CSS
# colour strings tens of thousands of times per page through colorjs.io (a parse, a gamut map
# and a conversion each time). Parsing is a pure function of the string, so each string is
# parsed once per page and its result copied: the same channels (``r``, ``g``, ``b`` are
# stored as given, ``alpha`` as a number), the same error for a string it cannot parse (never
# cached, so the parse runs again and records it as axe does). The rule's results are
# identical with and without it (test_report_browser.py checks on a page of every colour
# syntax); it fails loudly if a later axe-core no longer exposes ``Color.parseString``.
AXE_COLOUR_CACHE = """(() => {
  const Color = window.axe && axe.commons && axe.commons.color && axe.commons.color.Color;
  if (!Color || typeof Color.prototype.parseString !== 'function') {
    throw new Error('axe-core has no commons.color.Color.parseString to cache');
  }
  const parse = Color.prototype.parseString;
  const parsed = new Map();
  Color.prototype.parseString = function (text) {
    const known = parsed.get(text);
    if (known) {
      [this.r, this.g, this.b, this.alpha] = known;
      return this;
    }
    parse.call(this, text);
    parsed.set(text, [this.r, this.g, this.b, this.alpha]);
    return this;
  };
})();"""

# Screenshots are for a person to look at (no check reads them), so a test run takes none
# unless asked (README, Development): GEALC_SCREENSHOTS=1 saves the first screen of each page
# at each width, GEALC_SCREENSHOTS=full the whole page (a long page's full screenshot costs as
# much as axe-core on it). First screens of every page at both widths cost about 5 s.
SCREENSHOTS = os.environ.get("GEALC_SCREENSHOTS", "").strip().lower()
if SCREENSHOTS not in ("", "0", "1", "full"):
    raise ValueError(f"GEALC_SCREENSHOTS: expected 0, 1 or full, found {SCREENSHOTS!r}")
TAKE_SCREENSHOTS = SCREENSHOTS in ("1", "full")

# Lazy images only load when scrolled to: make them eager, wait for every one and the fonts.
LOAD_EVERYTHING = """() => Promise.all([...document.images].map(img => {
        img.loading = 'eager';
        if (img.complete) return null;
        return new Promise(done => { img.onload = img.onerror = done; });
    })).then(() => document.fonts.ready).then(() => null)"""

# Everything a check reads from a loaded page, in one round trip.
READ_PAGE = """() => {
  const scrollBox = el => {
    for (let box = el.parentElement; box; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (box.tabIndex >= 0 && /auto|scroll/.test(style.overflowX)) return true;
    }
    return false;
  };
  const charts = [...document.querySelectorAll('figure svg')]
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
    });
  const images = [...document.images];
  const switchLink = document.querySelector('a.language-switch');
  return {
    lang: document.documentElement.lang,
    scroll: [document.scrollingElement.scrollWidth, window.innerWidth],
    wide: [...document.querySelectorAll('body *')]
      .filter(el => el.getBoundingClientRect().width > 0)
      .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
      .filter(el => !scrollBox(el))
      .slice(0, 3).map(el => el.tagName + '.' + el.className),
    tablesCut: [...document.querySelectorAll('.table-box > table.gealc-table')]
      .filter(table => table.parentElement.scrollWidth > table.parentElement.clientWidth + 1)
      .map(table => table.querySelector('th, td') ? table.querySelector('th, td').textContent
                                                   : table.className),
    broken: images.filter(img => !(img.complete && img.naturalWidth > 0)).map(img => img.src),
    noAlt: images.filter(img => !img.alt || img.alt.startsWith('No description'))
      .map(img => img.getAttribute('src')),
    links: [...document.querySelectorAll('a[href], img[src], link[href]')]
      .map(el => el.href || el.src),
    languageSwitch: switchLink ? switchLink.href : null,
    charts: charts,
  };
}"""


@dataclass
class Visit:
    """What one page showed at one width."""

    name: str  # the page's path in the report, e.g. "en/01_overview.html"
    path: Path
    width: int
    lang: str
    scroll: tuple[int, int]
    wide: list[str]
    tables_cut: list[str]
    broken_images: list[str]
    images_without_alt: list[str]
    links: list[str]
    language_switch: str | None
    charts: list[dict[str, Any]]
    axe_violations: list[dict[str, Any]]
    console_errors: list[str] = field(default_factory=list)


def report_pages(out: Path) -> list[Path]:
    """Every HTML page of the report: landing page, and each language's pages."""
    return sorted(out.rglob("*.html"))


def visit_report(
    browser: Any, out: Path, width: int, axe_script: str, shots: Path | None
) -> list[Visit]:
    """Open every page of the report at ``width`` in one browser context (axe-core loaded
    into each page as it opens, its colour parser cached) and record what it shows; with
    ``shots``, save a screenshot of each there (JPEG: the first screen, or the whole page
    with ``GEALC_SCREENSHOTS=full``) for a person to look at."""
    context = browser.new_context(viewport={"width": width, "height": HEIGHT})
    context.add_init_script(script=axe_script + "\n" + AXE_COLOUR_CACHE)
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    visits = []
    try:
        for path in report_pages(out):
            errors.clear()
            name = path.relative_to(out).as_posix()
            page.goto(path.as_uri(), wait_until="load")
            page.evaluate(LOAD_EVERYTHING)
            seen = page.evaluate(READ_PAGE)
            axe = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
            if shots is not None:
                shot = shots / f"{name.replace('/', '__')}-{width}.jpg"
                full = SCREENSHOTS == "full"
                page.screenshot(path=str(shot), full_page=full, type="jpeg", quality=80)
            visits.append(
                Visit(
                    name=name,
                    path=path,
                    width=width,
                    lang=seen["lang"],
                    scroll=tuple(seen["scroll"]),
                    wide=seen["wide"],
                    tables_cut=seen["tablesCut"],
                    broken_images=seen["broken"],
                    images_without_alt=seen["noAlt"],
                    links=seen["links"],
                    language_switch=seen["languageSwitch"],
                    charts=seen["charts"],
                    axe_violations=axe["violations"],
                    console_errors=list(errors),
                )
            )
    finally:
        context.close()
    return visits


def reading_problems(visit: Visit) -> list[str]:
    """What a reader would stumble on in one visit: sideways scrolling, content wider than
    the screen outside a keyboard-reachable scroll box, a table cut on a phone, a WCAG
    2.0/2.1 A or AA violation, an image that did not load, a console error."""
    where = f"{visit.name} @{visit.width}px"
    problems = []
    if visit.scroll[0] > visit.scroll[1]:
        problems.append(f"{where} scrolls sideways: {visit.scroll[0]} > {visit.scroll[1]}")
    if visit.wide:
        problems.append(f"{where} wider than the screen outside a scroll box: {visit.wide}")
    if visit.width <= PHONE:
        problems += [f"{where} table cut on a phone (first header {t!r})" for t in visit.tables_cut]
    problems += [
        f"{where} axe {violation['id']} ({len(violation['nodes'])}): "
        f"{violation['nodes'][0]['target']} {violation['help']}"
        for violation in visit.axe_violations
    ]
    problems += [f"{where} image not loaded: {src}" for src in visit.broken_images]
    problems += [f"{where} console error: {text}" for text in visit.console_errors]
    return problems


def pages_read_well(seen: list[Visit], out: Path) -> list[str]:
    """Every page of the report at one width, and what a reader would stumble on in each
    (``reading_problems``): the visits cover every HTML page of ``out``, both languages and
    each kind of page (index, codebook, sources, explorer)."""
    problems = []
    names = {visit.name for visit in seen}
    if not any(name.startswith("es/") for name in names):
        problems.append("no Spanish pages were built")
    kinds = {"index.html", "CODEBOOK.html", "SOURCES.html", "explorer.html"}
    if missing := kinds - {Path(name).name for name in names}:
        problems.append(f"a kind of page is missing: {sorted(missing)}")
    if len(seen) != len(report_pages(out)):
        problems.append(f"{len(seen)} pages visited of the report's {len(report_pages(out))}")
    return problems + [problem for visit in seen for problem in reading_problems(visit)]


# ------------------------------------------------------------------ chart text as readers see it
# Chart text as readers see it: every section page of both languages opened in headless
# Chromium at 1280 px and 390 px, every text of every chart shown measured in CSS pixels on the
# rendered page (font size × the SVG's scale on screen), and every text's box checked to lie
# inside its chart (a title is never cut).
#
# Bounds: 11 to 16 px on a desktop (never larger than the headings, never smaller than small
# print), at least 10 px on a phone. Measured, not computed: a stylesheet that scaled the charts
# to the column again would fail here. The pages are those the browser tests visit once per width
# (``visit_report``).

BOUNDS = {DESKTOP: (11.0, 16.0), PHONE: (10.0, float("inf"))}
SECTION_PAGE = re.compile(r"^[a-z]{2}/[0-9]{2}_[^/]+\.html$")


def chart_text_problems(seen: list[Visit], width: int) -> tuple[list[str], str]:
    """What is wrong with the chart text of the section pages visited at ``width`` (both
    languages' section pages, charts shown on at least 80% of them, each in the layout of
    that width, with alt text, real text, every text within the bounds and inside its
    chart), and a one-line summary of the sizes seen."""
    pages = [visit for visit in seen if SECTION_PAGE.match(visit.name)]
    problems = []
    if (languages := {visit.name.split("/")[0] for visit in pages}) != {"en", "es"}:
        problems.append(f"section pages visited in {sorted(languages)}, not en and es")
    charts = [{**chart, "page": visit.name} for visit in pages for chart in visit.charts]
    shown_on = {chart["page"] for chart in charts}
    if len(shown_on) < 0.8 * len(pages):
        problems.append(f"charts shown on only {sorted(shown_on)}")
    layout = "chart-desktop" if width == DESKTOP else "chart-phone"
    low, high = BOUNDS[width]
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
    summary = f"@{width}px: {len(charts)} charts"
    if sizes:
        summary += f", text {min(sizes):.1f} to {max(sizes):.1f} px"
    return problems, summary
