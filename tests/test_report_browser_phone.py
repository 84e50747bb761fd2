"""The report in a real browser at a phone's width (390 px): the twin of
``test_report_browser.py``'s desktop tests, and the phone's own.

Every page of both languages, opened once at 390 px (``browsing.visit_report``, the
``visits`` fixture of conftest.py), reads well (``browsing.pages_read_well``: no sideways
scroll, nothing wider than the screen outside a keyboard-reachable scroll box, every reader
table fits or reads as a list per row, no WCAG 2.0/2.1 A or AA violation found by axe-core,
every image loaded, a clean console), and its charts show their phone layout with text of
at least 10 px, none cut (``browsing.chart_text_problems``). Each index, on a phone, opens
with its large numbers, one chart, at most five short findings with their robustness linked
to section 07, the Committee's questions and the IDB list one click away.

A module of its own so that pytest-xdist (``--dist loadfile``) can visit the phone width on
one worker while another visits the desktop width: the two visits share nothing but the
session's build.

Skipped, with the reason, only where Chromium or Playwright cannot run here.
"""

from __future__ import annotations

from browsing import HEIGHT, PHONE, chart_text_problems, pages_read_well

# The front page's budget (issue 17): 3–5 numbers, at most 5 findings of at most 35 words.
FRONT_NUMBERS = range(3, 6)
MAX_FINDINGS = 5
MAX_FINDING_WORDS = 35


def test_every_page_reads_well_at_the_phone_width(visits, report_build) -> None:
    problems = pages_read_well(visits(PHONE), report_build.out_dir)
    assert not problems, "\n".join(problems)


def test_chart_text_reads_at_a_fixed_size_on_every_section_page_at_the_phone_width(
    visits,
) -> None:
    problems, summary = chart_text_problems(visits(PHONE), PHONE)
    print(summary)
    assert not problems, "\n".join(problems)


def test_each_index_opens_with_numbers_a_chart_short_findings_and_the_committee(
    browser, report_build
) -> None:
    out = report_build.out_dir
    context = browser.new_context(viewport={"width": PHONE, "height": HEIGHT})
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
        assert 0 <= heading < HEIGHT, (lang, "the browser scrolled to the IDB list's heading")
        csv = page.evaluate("""() => [...document.querySelectorAll('a')]
            .map(a => a.getAttribute('href'))
            .filter(href => href && href.endsWith('tables/at_risk_activities.csv'))""")
        assert csv, (lang, "the IDB list's download is a link on its section")
    context.close()
