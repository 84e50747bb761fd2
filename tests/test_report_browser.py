"""The report in a real browser (headless Chromium driven by Playwright), as readers meet it.

Every page of both languages is opened at a desktop (1280 px) and a phone (390 px) width:
the page never scrolls sideways (wide tables scroll in their own box), every image loads,
every local link points at a file of the report, the console stays clean, and the language
switch lands on the same page in the other language. Screenshots are saved in the test's
temporary folder for a person to look at.

Skipped, with the reason, only where Chromium or Playwright cannot run here.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install playwright)"
    )
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        except Exception as error:  # e.g. missing shared libraries in a container
            pytest.skip(f"Chromium at {CHROMIUM} cannot start: {error}")
        yield browser
        browser.close()


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


def check_page(browser, out: Path, page_path: Path, width: int, shots: Path) -> list[str]:
    """Open one page at one width; return what a reader would stumble on."""
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
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
            .filter(el => !el.closest('.output_html, .table-box, pre'))
            .slice(0, 3).map(el => el.tagName + '.' + el.className)""")
        problems.append(
            f"{name} @{width}px scrolls sideways: {overflow[0]} > {overflow[1]} (widest: {wide})"
        )
    broken = page.evaluate("""() => [...document.images]
        .filter(img => !(img.complete && img.naturalWidth > 0)).map(img => img.src)""")
    problems += [f"{name} @{width}px image not loaded: {src}" for src in broken]
    problems += [f"{name} @{width}px console error: {text}" for text in console_errors]
    page.screenshot(path=str(shots / f"{name.replace('/', '__')}-{width}.png"), full_page=True)
    context.close()
    return problems


def test_every_page_reads_well_at_desktop_and_phone_widths(
    browser, report_build, tmp_path: Path
) -> None:
    out = report_build.out_dir
    pages = report_pages(out)
    assert any(path.parent.name == "es" for path in pages), "no Spanish pages were built"
    problems: list[str] = []
    for page_path in pages:
        for width in WIDTHS.values():
            problems += check_page(browser, out, page_path, width, tmp_path)
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
