"""The report in a real browser (headless Chromium driven by Playwright), as readers meet it.

Every page of both languages is opened at a desktop (1280 px) and a phone (390 px) width:
the page never scrolls sideways and nothing is wider than the screen except inside a scroll
box the keyboard can reach; on a phone every reader table fits (or reads as a list per row);
axe-core (the copy shipped in the axe-playwright-python package: nothing is downloaded)
finds no WCAG 2.0/2.1 A or AA violation; every image loads, every local link points at a
file of the report, the console stays clean, and the language switch lands on the same page
in the other language. With ``GEALC_SCREENSHOTS=1`` (first screens) or ``=full`` (whole
pages) a screenshot of each page at each width is saved in the test's temporary folder for a
person to look at; no check reads them, so none is taken otherwise.

Each page is opened once per width (``browsing.visit_report``, the ``visits`` fixture of
conftest.py, chart-text test included); the tests judge what those visits saw, with the
judging in ``browsing`` where both widths share it. This module holds the desktop width's
tests and those that need no width; the phone width's (and each index's front page as a
phone shows it) are in ``test_report_browser_phone.py``: two modules, so that pytest-xdist
(``--dist loadfile``) can visit the two widths on two workers at once.

Skipped, with the reason, only where Chromium or Playwright cannot run here.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from browsing import (
    AXE_COLOUR_CACHE,
    DESKTOP,
    Visit,
    chart_text_problems,
    pages_read_well,
)


def test_every_page_reads_well_at_the_desktop_width(visits, report_build) -> None:
    problems = pages_read_well(visits(DESKTOP), report_build.out_dir)
    assert not problems, "\n".join(problems)


def test_every_local_link_resolves_to_a_file_of_the_report(visits, report_build) -> None:
    out = report_build.out_dir
    problems = []
    for visit in visits(DESKTOP):
        for link in visit.links:
            parts = urlsplit(link)
            if parts.scheme != "file":
                assert parts.scheme in ("http", "https", "mailto"), (visit.name, link)
                continue
            target = Path(unquote(parts.path))
            if not target.is_file():
                problems.append(f"{visit.name} → {link}")
            elif out.resolve() not in target.resolve().parents:
                problems.append(f"{visit.name} leaves the report: {link}")
    assert not problems, "links to missing files:\n" + "\n".join(problems)


def test_the_language_switch_leads_to_the_twin_page(visits, report_build) -> None:
    """Each page the report's templates render (index, sections, executed notebooks) links
    its twin in the other language, a page that declares that language."""
    out = report_build.out_dir
    seen: dict[Path, Visit] = {visit.path: visit for visit in visits(DESKTOP)}
    twins = {"en": "es", "es": "en"}
    checked = 0
    for lang, other in twins.items():
        for page_path in report_pages_of_language(out / lang):
            visit = seen[page_path]
            assert visit.language_switch, f"{visit.name} has no language switch"
            landed = Path(unquote(urlsplit(visit.language_switch).path))
            expected = out / other / page_path.relative_to(out / lang)
            assert landed == expected, f"{visit.name} switches to {landed}"
            assert seen[landed].lang == other, f"{landed} does not declare lang={other}"
            checked += 1
    assert checked >= 2 * 6  # index + five sections per language, at least


def report_pages_of_language(folder: Path) -> list[Path]:
    """The pages the report's own templates render for one language: index, sections and
    executed notebooks (the brief and explorer carry their own language links)."""
    return sorted(
        [
            folder / "index.html",
            *folder.glob("[0-9][0-9]_*.html"),
            *folder.glob("notebooks/[0-9][0-9]_*.html"),
        ]
    )


def test_every_chart_has_alt_text(visits) -> None:
    missing = [
        f"{visit.name}: {src}" for visit in visits(DESKTOP) for src in visit.images_without_alt
    ]
    assert not missing, "images without alt text:\n" + "\n".join(missing)


def test_the_landing_page_puts_spanish_first_and_marks_each_part_language(
    browser, report_build
) -> None:
    out = report_build.out_dir
    context = browser.new_context()
    page = context.new_page()
    page.goto((out / "index.html").as_uri())
    assert page.evaluate("() => document.documentElement.lang") == "es"
    choices = page.evaluate(
        "() => [...document.querySelectorAll('.language-choice > li')].map(li => li.lang)"
    )
    assert choices == ["es", "en"]
    english = page.evaluate(
        "() => [...document.querySelectorAll('[lang=en]')].map(el => el.textContent.trim())"
    )
    assert any("Read the report in English" in text for text in english)
    footer = page.evaluate(
        "() => [...document.querySelectorAll('footer a[hreflang=en]')].map(a => a.textContent)"
    )
    assert footer and all("(en inglés)" in text for text in footer), footer
    context.close()


# ------------------------------------------------------------------ axe-core's colour cache
# Every colour syntax a stylesheet can use (computed styles come back as rgb(), rgba(),
# color(), lab(), oklch()...), on text, backgrounds, layers, shadows, pseudo-elements and SVG;
# some pairs fail, some pass, some cannot be told (a gradient).
COLOURS = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Colours</title>
<style>
  .a { color: #777; background: #fff; } .b { color: #7778; background: #eee; }
  .c { color: rgb(10 20 30 / 60%); background: hsl(210deg 30% 90%); }
  .d { color: hsl(0.5turn 80% 40%); background: hsl(1rad 50% 95%); }
  .e { color: hwb(120 40% 30%); background: lab(95% 2 -3); }
  .f { color: lch(45% 40 250); background: oklch(0.98 0.01 90); }
  .g { color: oklab(0.6 0.05 -0.1); background: color(display-p3 0.9 0.92 0.95); }
  .h { color: color-mix(in srgb, navy 40%, white); background: transparent; }
  .i { color: rebeccapurple; background: linear-gradient(#000, #fff); }
  .j { color: #aaa; text-shadow: 0 0 2px #000; } .k { color: currentColor; opacity: 0.5; }
  .l::before { content: "label "; color: #bbb; } .m { color: #59636e; font-size: 24px; }
  .n { background: rgba(0, 0, 0, 0.3); } .n span { color: #555; }
</style></head><body><main><h1>Colours</h1>
<p class="a">grey on white</p><p class="b">translucent grey</p><p class="c">space syntax</p>
<p class="d">angles in turns and radians</p><p class="e">hwb on lab</p><p class="f">lch</p>
<p class="g">oklab on display-p3</p><p class="h">a mix</p><p class="i">on a gradient</p>
<p class="j">shadowed</p><p class="k">half opaque</p><p class="l">after a label</p>
<p class="m">large text</p><div class="n"><span>on a translucent layer</span></div>
<svg role="img" aria-label="a chart" width="200" height="40"><rect width="200" height="40"
 fill="#333"/><text x="5" y="25" fill="#444">dark on dark</text></svg>
</main></body></html>"""


def test_the_colour_cache_leaves_axe_results_unchanged(browser, axe_script, tmp_path) -> None:
    """``AXE_COLOUR_CACHE`` (parse each colour string once) is only a speed-up: every result
    of axe-core's colour rules (violations, passes, what it cannot tell, with each node's
    details) is the same with and without it."""
    page_file = tmp_path / "colours.html"
    page_file.write_text(COLOURS, encoding="utf-8")
    options = {
        "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
        "preload": False,
    }
    results, parsers = [], []
    for script in (axe_script, axe_script + "\n" + AXE_COLOUR_CACHE):
        context = browser.new_context()
        context.add_init_script(script=script)
        page = context.new_page()
        page.goto(page_file.as_uri())
        found = page.evaluate("options => axe.run(document, options)", options)
        parsers.append(page.evaluate("() => String(axe.commons.color.Color.prototype.parseString)"))
        context.close()
        results.append({key: found[key] for key in ("violations", "passes", "incomplete")})
    assert parsers[0] != parsers[1], "the cache is in place in the second run"
    without, with_cache = results
    assert with_cache == without
    nodes = {
        kind: {node["target"][0] for rule in without[kind] for node in rule["nodes"]}
        for kind in ("violations", "passes", "incomplete")
    }
    assert ".a" in nodes["violations"] and ".m" in nodes["passes"], nodes
    assert nodes["incomplete"], "the page exercises what axe cannot tell"


# ------------------------------------------------------------------ chart text as readers see it
# (browsing.chart_text_problems says what is checked; the phone width's twin is in
# test_report_browser_phone.py)


def test_chart_text_reads_at_a_fixed_size_on_every_section_page_at_the_desktop_width(
    visits,
) -> None:
    problems, summary = chart_text_problems(visits(DESKTOP), DESKTOP)
    print(summary)
    assert not problems, "\n".join(problems)
