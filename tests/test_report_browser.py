"""The report in a real browser (headless Chromium driven by Playwright), as readers meet it.

Every page of both languages is opened at a desktop (1280 px) and a phone (390 px) width:
the page never scrolls sideways and nothing is wider than the screen except inside a scroll
box the keyboard can reach; on a phone every reader table fits (or reads as a list per row);
axe-core (the copy shipped in the axe-playwright-python package: nothing is downloaded)
finds no WCAG 2.0/2.1 A or AA violation; every image loads, every local link points at a
file of the report, the console stays clean, and the language switch lands on the same page
in the other language. Each index opens with its large numbers, one chart, at most five
short findings with their robustness linked to section 07, the Committee's questions and
the IDB list one click away. Screenshots are saved in the test's temporary folder for a
person to look at.

Skipped, with the reason, only where Chromium or Playwright cannot run here.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

WIDTHS = {"desktop": 1280, "phone": 390}
PHONE = WIDTHS["phone"]
# The WCAG levels the report meets, as axe-core tags its rules.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The front page's budget (issue 17): 3–5 numbers, at most 5 findings of at most 35 words.
FRONT_NUMBERS = range(3, 6)
MAX_FINDINGS = 5
MAX_FINDING_WORDS = 35
# Elements wider than the screen: only inside a box that scrolls and takes keyboard focus.
WIDE_ELEMENTS = """() => {
    const scrollBox = el => {
        for (let box = el.parentElement; box; box = box.parentElement) {
            const style = getComputedStyle(box);
            if (box.tabIndex >= 0 && /auto|scroll/.test(style.overflowX)) return true;
        }
        return false;
    };
    return [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().width > 0)
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
        .filter(el => !scrollBox(el))
        .slice(0, 3).map(el => el.tagName + '.' + el.className);
}"""
# Reader tables wider than their box (a phone must show them whole, or as a list per row).
TABLES_CUT = """() => [...document.querySelectorAll('.table-box > table.gealc-table')]
    .filter(table => table.parentElement.scrollWidth > table.parentElement.clientWidth + 1)
    .map(table => table.querySelector('th, td') ? table.querySelector('th, td').textContent
                                                 : table.className)"""


@pytest.fixture(scope="module")
def axe():
    """axe-core as shipped in the axe-playwright-python package (its axe.min.js)."""
    axe_module = pytest.importorskip(
        "axe_playwright_python.sync_playwright",
        reason="axe-playwright-python is not installed (pip install -e .[test])",
    )
    return axe_module.Axe()


def report_pages(out: Path) -> list[Path]:
    """Every HTML page of the report: landing page, and each language's pages."""
    return sorted(out.rglob("*.html"))


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


def check_page(browser, out: Path, page_path: Path, width: int, shots: Path, axe=None) -> list[str]:
    """Open one page at one width; return what a reader would stumble on (with ``axe``, the
    WCAG 2.0/2.1 A and AA violations axe-core finds as well)."""
    problems: list[str] = []
    name = str(page_path.relative_to(out))
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    console_errors: list[str] = []
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.goto(page_path.as_uri(), wait_until="load")
    # Lazy images only load when scrolled to: make them eager, then wait for every one.
    page.evaluate("""() => Promise.all([...document.images].map(img => {
        img.loading = 'eager';
        if (img.complete) return null;
        return new Promise(done => { img.onload = img.onerror = done; });
    }))""")
    overflow = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    if overflow[0] > overflow[1]:
        problems.append(f"{name} @{width}px scrolls sideways: {overflow[0]} > {overflow[1]}")
    wide = page.evaluate(WIDE_ELEMENTS)
    if wide:
        problems.append(f"{name} @{width}px wider than the screen outside a scroll box: {wide}")
    if width <= PHONE:
        problems += [
            f"{name} @{width}px table cut on a phone (first header {first!r})"
            for first in page.evaluate(TABLES_CUT)
        ]
    if axe is not None:
        # preload off: axe would fetch the stylesheets again, which file:// pages refuse
        options = {
            "runOnly": {"type": "tag", "values": AXE_TAGS},
            "preload": False,
            "resultTypes": ["violations"],  # only what fails is detailed: 3x faster
        }
        result = axe.run(page, options=options)
        problems += [
            f"{name} @{width}px axe {violation['id']} ({len(violation['nodes'])}): "
            f"{violation['nodes'][0]['target']} {violation['help']}"
            for violation in result.response["violations"]
        ]
    broken = page.evaluate("""() => [...document.images]
        .filter(img => !(img.complete && img.naturalWidth > 0)).map(img => img.src)""")
    problems += [f"{name} @{width}px image not loaded: {src}" for src in broken]
    problems += [f"{name} @{width}px console error: {text}" for text in console_errors]
    page.screenshot(path=str(shots / f"{name.replace('/', '__')}-{width}.png"), full_page=True)
    context.close()
    return problems


def test_every_page_reads_well_at_desktop_and_phone_widths(
    browser, axe, report_build, tmp_path: Path
) -> None:
    out = report_build.out_dir
    pages = report_pages(out)
    assert any(path.parent.name == "es" for path in pages), "no Spanish pages were built"
    kinds = {"index.html", "CODEBOOK.html", "SOURCES.html", "explorer.html"}
    assert kinds <= {path.name for path in pages}, "a kind of page is missing from the check"
    problems: list[str] = []
    for page_path in pages:
        for width in WIDTHS.values():
            problems += check_page(browser, out, page_path, width, tmp_path, axe)
    print(f"screenshots of {len(pages)} pages in {tmp_path}")
    assert not problems, "\n".join(problems)


def test_every_local_link_resolves_to_a_file_of_the_report(browser, report_build) -> None:
    out = report_build.out_dir
    context = browser.new_context()
    page = context.new_page()
    problems = []
    for page_path in report_pages(out):
        page.goto(page_path.as_uri())
        for link in page.evaluate(
            "() => [...document.querySelectorAll('a[href], img[src], link[href]')]"
            ".map(el => el.href || el.src)"
        ):
            parts = urlsplit(link)
            if parts.scheme != "file":
                assert parts.scheme in ("http", "https", "mailto"), (page_path, link)
                continue
            target = Path(unquote(parts.path))
            if not target.is_file():
                problems.append(f"{page_path.relative_to(out)} → {link}")
            elif out.resolve() not in target.resolve().parents:
                problems.append(f"{page_path.relative_to(out)} leaves the report: {link}")
    context.close()
    assert not problems, "links to missing files:\n" + "\n".join(problems)


def test_the_language_switch_lands_on_the_twin_page(browser, report_build) -> None:
    out = report_build.out_dir
    context = browser.new_context()
    page = context.new_page()
    twins = {"en": "es", "es": "en"}
    checked = 0
    for lang, other in twins.items():
        for page_path in report_pages_of_language(out / lang):
            page.goto(page_path.as_uri())
            page.click("a.language-switch")
            page.wait_for_load_state("load")
            landed = Path(unquote(urlsplit(page.url).path))
            expected = out / other / page_path.relative_to(out / lang)
            assert landed == expected, f"{page_path.relative_to(out)} switched to {landed}"
            assert page.evaluate("() => document.documentElement.lang") == other
            checked += 1
    context.close()
    assert checked >= 2 * 6  # index + five sections per language, at least


def test_every_chart_has_alt_text(browser, report_build) -> None:
    out = report_build.out_dir
    context = browser.new_context()
    page = context.new_page()
    missing = []
    for page_path in report_pages(out):
        page.goto(page_path.as_uri())
        missing += [
            f"{page_path.relative_to(out)}: {src}"
            for src in page.evaluate(
                """() => [...document.images]
            .filter(img => !img.alt || img.alt.startsWith('No description'))
            .map(img => img.getAttribute('src'))"""
            )
        ]
    context.close()
    assert not missing, "images without alt text:\n" + "\n".join(missing)


def test_each_index_opens_with_numbers_a_chart_short_findings_and_the_committee(
    browser, report_build
) -> None:
    out = report_build.out_dir
    context = browser.new_context(viewport={"width": PHONE, "height": 900})
    page = context.new_page()
    for lang in ("es", "en"):
        page.goto((out / lang / "index.html").as_uri())
        front = page.evaluate("""() => ({
            numbers: [...document.querySelectorAll('.key-numbers li')].map(li => [
                li.querySelector('.number').textContent, li.querySelector('.number-label')
                    .textContent]),
            chart: [...document.querySelectorAll('.front-chart svg.chart')]
                .filter(svg => svg.getBoundingClientRect().width > 0)
                .map(svg => (svg.getAttribute('aria-label') || '').length > 0),
            findings: [...document.querySelectorAll('.key-findings > ol > li')].map(li => {
                const line = li.querySelector('.robustness');
                const text = li.cloneNode(true);
                text.querySelector('.robustness')?.remove();
                return [text.textContent.trim(), line ? line.getAttribute('href') : null];
            }),
            questions: document.querySelectorAll('.committee li').length,
            idb: document.querySelector('a.idb-list')?.getAttribute('href'),
        })""")
        assert len(front["numbers"]) in FRONT_NUMBERS, (lang, front["numbers"])
        assert all(number.strip() and label.strip() for number, label in front["numbers"])
        assert front["chart"] == [True], (lang, "one chart, loaded, with alt text")
        assert 1 <= len(front["findings"]) <= MAX_FINDINGS, (lang, front["findings"])
        for sentence, robustness in front["findings"]:
            assert len(sentence.split()) <= MAX_FINDING_WORDS, (lang, sentence)
            assert robustness == "07_robustness.html", (lang, sentence)
        assert front["questions"] >= 1, lang
        page.click("a.idb-list")
        page.wait_for_load_state("load")
        assert page.url.endswith("03_funding_dependence.html#idb-list"), page.url
        heading = page.evaluate("""() => {
            const target = document.querySelector(':target');
            const after = [...document.querySelectorAll('h2')].filter(h2 => target &&
                target.compareDocumentPosition(h2) & Node.DOCUMENT_POSITION_FOLLOWING);
            return after.length ? after[0].getBoundingClientRect().top : null;
        }""")
        assert heading is not None, (lang, "the IDB list's anchor opens its section")
        assert 0 <= heading < 900, (lang, "the browser scrolled to the IDB list's heading")
        csv = page.evaluate("""() => [...document.querySelectorAll('a')]
            .map(a => a.getAttribute('href'))
            .filter(href => href && href.endsWith('tables/at_risk_activities.csv'))""")
        assert csv, (lang, "the IDB list's download is a link on its section")
    context.close()


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
