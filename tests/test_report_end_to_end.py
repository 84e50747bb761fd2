"""The real report, built end to end from the curated data into a temporary folder.

The whole build runs once per test session (``report_build`` in conftest.py, two notebooks at
a time), shared with every test that reads a report: every section's page must exist in both
languages, show no code, reference images that exist, and state the numbers the package
computes. One section is then run again on a fresh kernel, alone, over a copy of that report:
the whole report must stay byte for byte the same. A third plan is built by running the real
notebooks in this process (``fakes.run_in_process``): what is tested there is what the
notebooks show, not the kernels.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from html import unescape

import nbformat
import pandas as pd
import pytest
from conftest import local_links, snapshot
from fakes import memoize_pure_steps, run_in_process

from gealc_analysis.build import BuildResult, build_report
from gealc_analysis.core import outputs, paths, provenance
from gealc_analysis.data.bundle import load_bundle
from gealc_analysis.measures import counts as count_measures
from gealc_analysis.measures import diversity, funding, timing
from gealc_analysis.words import findings, i18n, narrative, tables
from gealc_analysis.words.provenance import provenance_line

SECTIONS = sorted(path.stem for path in paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
# Source lines of the notebooks that must never reach a page.
CODE_MARKERS = ("open_section(", "section.figure(", "analysis.", "import ", "data_dir = ")


@pytest.fixture(scope="module")
def built(report_build: BuildResult) -> BuildResult:
    return report_build  # the session's build (conftest), shared with other modules


# The section run again on a fresh kernel over a copy of the session's report: one with
# figures in two layouts, tables, a headline for the index and the brief's measures.
RERUN_SECTION = "04_theme_shifts"


@pytest.fixture(scope="module")
def rebuilt(
    tmp_path_factory: pytest.TempPathFactory, report_build: BuildResult
) -> tuple[BuildResult, dict[str, bytes]]:
    """A copy of the session's report with one section run again (alone, on a fresh kernel,
    English only, ``force``: not kept by the cache); the result and the copy's bytes before."""
    out = tmp_path_factory.mktemp("e2e-again") / "report"
    shutil.copytree(report_build.out_dir, out)
    before = snapshot(out)
    with pytest.MonkeyPatch.context() as patch:
        memoize_pure_steps(patch)
        result = build_report(
            out, only=[RERUN_SECTION], lang="en", force=True, jobs=1, progress=print
        )
    return result, before


@pytest.fixture
def real_years(real_plans: pd.DataFrame) -> list[int]:
    """The plan years of the curated data, in order."""
    return sorted(int(year) for year in real_plans["plan_year"].unique())


def page(result: BuildResult, stem: str, lang: str = "en") -> str:
    return (result.out_dir / lang / f"{stem}.html").read_text(encoding="utf-8")


def visible_text(html: str) -> str:
    """Page text without tags, styles or scripts, whitespace collapsed."""
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_there_are_seven_sections() -> None:
    assert SECTIONS == [
        "01_overview",
        "02_activities_by_area",
        "03_funding_dependence",
        "04_theme_shifts",
        "05_semester_load",
        "06_what_carried_over",
        "07_robustness",
    ]


@pytest.mark.parametrize("lang", i18n.SUPPORTED_LANGS)
def test_every_section_has_a_page_linked_from_the_index(built: BuildResult, lang: str) -> None:
    assert built.sections == SECTIONS
    index_links = local_links(built.out_dir / lang / "index.html")
    for stem in SECTIONS:
        assert (built.out_dir / lang / f"{stem}.html").is_file()
        assert (built.out_dir / lang / "notebooks" / f"{stem}.html").is_file()
        assert f"{stem}.html" in index_links


@pytest.mark.parametrize("stem", SECTIONS)
def test_pages_show_no_code_and_state_the_parameters(built: BuildResult, stem: str) -> None:
    text = visible_text(page(built, stem))
    for marker in CODE_MARKERS:
        assert marker not in text, f"{stem}.html shows code: {marker!r}"
    assert "Parameters: years 2020, 2024 · baseline 2020 · compare 2024 · language en" in text
    english, spanish = headings_by_language(stem)
    assert english and spanish, f"{stem} needs prose in both languages"
    assert all(heading in text for heading in english)
    assert not any(heading in text for heading in spanish), f"{stem}.html shows Spanish prose"


def headings_by_language(stem: str) -> tuple[list[str], list[str]]:
    """The markdown headings of a notebook's lang-en and lang-es cells."""
    notebook = nbformat.read(paths.NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4)
    found: dict[str, list[str]] = {"lang-en": [], "lang-es": []}
    for cell in notebook.cells:
        for tag in set(cell.metadata.get("tags", [])) & set(found):
            found[tag] += [
                line.lstrip("# ") for line in cell.source.splitlines() if line.startswith("#")
            ]
    return found["lang-en"], found["lang-es"]


@pytest.mark.parametrize("stem", SECTIONS)
def test_every_image_of_a_page_exists(built: BuildResult, stem: str) -> None:
    html = page(built, stem)
    sources = re.findall(r'<img[^>]+src="([^"]+)"', html)
    inline_charts = re.findall(r'<svg [^>]*role="img"', html)  # charts are inline SVG
    assert sources or inline_charts, f"{stem}.html has no image"
    for source in sources:
        if source.startswith("data:image/png;base64,"):
            assert base64.b64decode(source.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
        else:
            assert (built.out_dir / "en" / source).is_file(), source


def test_pages_load_nothing_from_the_network(built: BuildResult) -> None:
    for html_page in sorted(built.out_dir.rglob("*.html")):
        assert not re.search(r'(src|href)="https?://', html_page.read_text(encoding="utf-8")), (
            html_page
        )


def test_idb_shares_in_the_funding_page_equal_the_package_results(
    built: BuildResult,
    real_plans: pd.DataFrame,
    real_years: list[int],
) -> None:
    text = visible_text(page(built, "03_funding_dependence"))
    dependence = funding.funding_dependence(real_plans)
    idb = dependence[dependence["source"] == "idb"]
    assert len(idb) == 3 * len(real_years)
    for row in idb.itertuples():
        assert narrative.percent(row.share, "en") in text, (row.plan_year, row.measure)


def test_the_spanish_funding_page_states_the_idb_share_and_saves_its_chart(
    built: BuildResult, real_plans: pd.DataFrame
) -> None:
    """What the real funding notebook shows in Spanish (the CLI's Spanish-section test runs the
    command on the fake executor; this is the real notebook's part of it)."""
    html = page(built, "03_funding_dependence", "es")
    dependence = funding.funding_dependence(real_plans)
    idb_2024 = dependence[
        (dependence["source"] == "idb")
        & (dependence["plan_year"] == 2024)
        & (dependence["measure"] == "any_touch")
    ].iloc[0]
    assert f"({narrative.percent(idb_2024.share, 'es')}) nombran al BID como recurso" in html
    assert '<h1 id="Dependencia-del-financiamiento">' in html
    assert "Funding exposure" not in html
    section = built.out_dir / "es" / "03_funding_dependence"
    assert (section / "figures" / "funding_dependence.svg").is_file()


def test_overview_page_states_the_activity_counts(
    built: BuildResult,
    real_plans: pd.DataFrame,
) -> None:
    text = visible_text(page(built, "01_overview"))
    for row in count_measures.plan_overview(real_plans).itertuples():
        assert f"The {row.plan_year} plan lists {row.n_activities} activities" in text


def test_theme_page_states_the_agenda_diversity(
    built: BuildResult,
    real_plans: pd.DataFrame,
    real_themes: pd.DataFrame,
) -> None:
    text = visible_text(page(built, "04_theme_shifts"))
    for row in diversity.agenda_diversity(real_plans, real_themes).itertuples():
        assert f"Shannon H = {narrative.number(row.entropy, 'en', 2)}" in text
        assert narrative.number(row.effective_n_themes, "en", 1) in text


def test_semester_page_states_the_event_weighted_split(
    built: BuildResult,
    real_plans: pd.DataFrame,
) -> None:
    text = visible_text(page(built, "05_semester_load"))
    events = timing.semester_event_load(real_plans)
    for row in events.itertuples():
        assert narrative.percent(row.share, "en") in text


def test_tables_are_the_package_results(
    built: BuildResult,
    real_plans: pd.DataFrame,
    real_themes: pd.DataFrame,
) -> None:
    expected = {
        "03_funding_dependence/tables/funding_dependence.csv": funding.funding_dependence(
            real_plans
        ),
        "04_theme_shifts/tables/agenda_diversity.csv": diversity.agenda_diversity(
            real_plans, real_themes
        ),
        "05_semester_load/tables/semester_load.csv": timing.semester_load(real_plans),
    }
    for relative, frame in expected.items():
        written = (built.out_dir / "en" / relative).read_text(encoding="utf-8")
        # the export carries a label in the page's language beside each code
        labelled = tables.with_labels(frame, real_themes, "en")
        assert written == outputs.table_csv_text(labelled), relative


def test_a_section_run_again_gives_a_byte_identical_report(rebuilt) -> None:
    """Run again in another process, alone instead of two at a time, the section's figures,
    tables and pages (and its executed notebook's page), and the language's index, brief,
    explorer and provenance, are the same bytes as the session build's (the executed
    ``.ipynb`` records its own run's times and paths)."""
    result, before = rebuilt
    assert result.sections == [RERUN_SECTION] and result.kept == []
    kinds = (".png", ".svg", ".csv", ".xlsx", ".html", ".json", ".pdf")
    before = {name: data for name, data in before.items() if name.endswith(kinds)}
    after = {name: data for name, data in snapshot(result.out_dir).items() if name.endswith(kinds)}
    rerun = [name for name in after if name.startswith(f"en/{RERUN_SECTION}/")]
    assert any(name.endswith(".svg") for name in rerun) and any(
        name.endswith(".csv") for name in rerun
    ), rerun
    assert after.keys() == before.keys()
    differing = [name for name in after if after[name] != before[name]]
    assert not differing, differing


def test_index_states_the_key_findings_and_every_sections_own(
    built: BuildResult,
    real_plans: pd.DataFrame,
    real_themes: pd.DataFrame,
    real_years: list[int],
) -> None:
    for lang in i18n.SUPPORTED_LANGS:
        html = (built.out_dir / lang / "index.html").read_text(encoding="utf-8")
        sections_with_headline = [
            stem for stem in SECTIONS if (built.out_dir / lang / stem / "summary.md").is_file()
        ]
        assert html.count('<div class="summary">') == len(sections_with_headline)
        text = unescape(visible_text(html))
        for finding in findings.key_findings(load_bundle(), real_years[0], real_years[-1], lang):
            assert visible_text(finding.replace("**", "")) in text, (lang, finding)
        assert findings.caveat(lang) in text


@pytest.fixture(scope="module")
def three_plans(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """A third plan (2025: the 2024 rows, every area continued) added as one CSV + crosswalk
    rows, built without any code change (the real notebooks, run in this process)."""
    data_dir = tmp_path_factory.mktemp("three") / "curated"
    data_dir.mkdir()
    for name in ("plan_2020.csv", "plan_2024.csv", "themes.csv", "funding_codes.csv"):
        (data_dir / name).write_bytes((paths.CURATED_DIR / name).read_bytes())
    text = (paths.CURATED_DIR / "plan_2024.csv").read_text(encoding="utf-8")
    (data_dir / "plan_2025.csv").write_text(
        text.replace("\n2024,2024-", "\n2025,2025-"), encoding="utf-8"
    )
    themes = (paths.CURATED_DIR / "themes.csv").read_text(encoding="utf-8").splitlines()
    header = themes[0].split(",")
    extra = []
    for line in themes[1:]:
        if line.startswith("2024,"):
            cells = line.split(",")[: header.index("relation")]
            extra.append(",".join(["2025", *cells[1:], "continued", "", ""]))
    (data_dir / "themes.csv").write_text("\n".join(themes + extra) + "\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("three-report") / "report"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("gealc_analysis.build.execute.execute_notebook", run_in_process)
        memoize_pure_steps(patch)
        return build_report(out, data_dir=data_dir, only=["01", "04"], lang="en", progress=print)


def test_a_third_plan_file_flows_into_the_report(three_plans: BuildResult) -> None:
    overview = visible_text(page(three_plans, "01_overview"))
    assert "years 2020, 2024, 2025 · baseline 2020 · compare 2025" in overview
    for year, count in ((2020, 28), (2024, 41), (2025, 41)):
        assert f"The {year} plan lists {count} activities" in overview
    assert "From 2020 to 2025 the number of activities went from 28 to 41" in overview


def test_theme_shifts_across_a_plan_in_between_keep_merges_and_renames(
    three_plans: BuildResult,
) -> None:
    text = visible_text(page(three_plans, "04_theme_shifts")).replace(" :", ":")
    assert "Merged themes: Annual and ministerial meetings and ExcelGOB awards" in text
    renamed = re.search(r"Renamed themes: ([^.]*)", text)
    assert renamed and "Communication and cross-cutting work" in renamed.group(1), text
    assert "Shannon H" in text and "2025" in text


# --------------------------------------------------------------------------- pages for people


def test_the_landing_page_links_both_languages(built: BuildResult) -> None:
    links = local_links(built.out_dir / "index.html")
    assert {"en/index.html", "es/index.html"} <= set(links)
    text = visible_text((built.out_dir / "index.html").read_text(encoding="utf-8"))
    assert i18n.label("pages.landing.open", "en") in text
    assert i18n.label("pages.landing.open", "es") in text


@pytest.mark.parametrize("stem", SECTIONS)
def test_spanish_pages_are_in_spanish(built: BuildResult, stem: str) -> None:
    html = page(built, stem, "es")
    text = visible_text(html)
    assert '<html lang="es">' in html
    assert "Parámetros: años 2020, 2024 · año base 2020 · comparación 2024 · idioma es" in text
    english, spanish = headings_by_language(stem)
    assert all(heading in text for heading in spanish)
    assert not any(heading in text for heading in english if heading not in spanish)
    assert i18n.label("pages.footer.data", "es") in text


def test_every_page_links_its_twin_in_the_other_language(built: BuildResult) -> None:
    for lang, other in (("en", "es"), ("es", "en")):
        for html_page in sorted((built.out_dir / lang).rglob("*.html")):
            relative = html_page.relative_to(built.out_dir / lang)
            depth = len(relative.parent.parts) + 1
            twin = "../" * depth + f"{other}/{relative.as_posix()}"
            assert twin in local_links(html_page), f"{lang}/{relative} does not link {twin}"
            assert (built.out_dir / other / relative).is_file()


def test_every_page_links_one_shared_stylesheet_and_carries_no_notebook_css(
    built: BuildResult,
) -> None:
    sizes = {}
    # the explorer is one self-contained page by design; every other page is ours
    for html_page in sorted(
        path for path in built.out_dir.rglob("*.html") if path.name != "explorer.html"
    ):
        html = html_page.read_text(encoding="utf-8")
        assert "<style" not in html, f"{html_page} carries its own CSS"
        assert "data:image/png;base64," not in html or "notebooks" in html_page.parts, (
            f"{html_page} inlines a figure instead of linking the saved file"
        )
        stylesheet = [link for link in local_links(html_page) if link.endswith("report.css")]
        assert stylesheet, f"{html_page} links no stylesheet"
        assert (html_page.parent / stylesheet[0]).resolve() == (
            built.out_dir / "assets" / "report.css"
        ).resolve()
        sizes[html_page.relative_to(built.out_dir).as_posix()] = len(html.encode())
    # A reader's page stays light; an executed notebook (code, and every chart inline in
    # both layouts, for a researcher) may weigh more, within its own budget.
    for kind, budget in (("page", 160_000), ("notebook", 200_000)):
        mine = {p: n for p, n in sizes.items() if ("/notebooks/" in p) == (kind == "notebook")}
        largest = max(mine, key=mine.get)
        print(f"largest {kind}: {largest}, {mine[largest]} bytes")
        assert mine[largest] < budget, (largest, mine[largest])


@pytest.mark.parametrize("lang", i18n.SUPPORTED_LANGS)
def test_every_section_page_has_menu_previous_next_and_data_footer(
    built: BuildResult, lang: str
) -> None:
    for position, stem in enumerate(SECTIONS):
        html_page = built.out_dir / lang / f"{stem}.html"
        links = local_links(html_page)
        assert all(f"{other}.html" in links for other in SECTIONS), f"{stem}: incomplete menu"
        html = html_page.read_text(encoding="utf-8")
        assert ('rel="prev"' in html) == (position > 0), stem
        assert ('rel="next"' in html) == (position < len(SECTIONS) - 1), stem
        for name in ("plan_2020.csv", "plan_2024.csv", "themes.csv", "funding_codes.csv"):
            assert f"../data/curated/{name}" in links
        codebook = "../data/CODEBOOK.es.html" if lang == "es" else "../data/CODEBOOK.html"
        assert codebook in links and "../data/datapackage.json" in links
        assert "../data/raw/SOURCES.html" in links
        assert any(link.startswith("../data/raw/") for link in links)
        for link in links:
            if link.startswith("#"):
                continue  # an anchor within the page
            target = (html_page.parent / link.split("#")[0]).resolve()
            assert target.is_file(), f"{lang}/{stem}.html links a missing {link}"


def test_the_data_copied_into_the_report_is_the_curated_data(built: BuildResult) -> None:
    for path in paths.CURATED_DIR.glob("*.csv"):
        assert (built.out_dir / "data" / "curated" / path.name).read_bytes() == path.read_bytes()
    assert (built.out_dir / "data" / "CODEBOOK.md").is_file()
    package = json.loads((built.out_dir / "data" / "datapackage.json").read_text("utf-8"))
    for resource in package["resources"]:
        if isinstance(resource.get("path"), str):
            assert (built.out_dir / "data" / resource["path"]).is_file(), resource["path"]


def test_section_pages_list_their_tables_by_title_with_the_spreadsheet_beside(
    built: BuildResult,
) -> None:
    for lang in i18n.SUPPORTED_LANGS:
        for stem in SECTIONS:
            html = page(built, stem, lang)
            for csv_path in sorted((built.out_dir / lang / stem / "tables").glob("*.csv")):
                title = i18n.label(f"pages.table.{csv_path.stem}", lang)
                assert title in visible_text(html), (lang, stem, csv_path.name)
                assert f'href="{stem}/tables/{csv_path.name}"' in html
                xlsx = csv_path.with_suffix(".xlsx")
                if xlsx.is_file():
                    assert f'href="{stem}/tables/{xlsx.name}"' in html


@pytest.mark.parametrize("lang", i18n.SUPPORTED_LANGS)
def test_the_index_opens_with_key_findings_and_a_caveat(built: BuildResult, lang: str) -> None:
    html = (built.out_dir / lang / "index.html").read_text(encoding="utf-8")
    findings_at = html.index('class="key-findings"')
    assert findings_at < html.index('class="section-entry"')
    block = html[findings_at : html.index("</section>", findings_at)]
    assert 3 <= block.count("<li>") <= 6, block
    assert 'class="caveat"' in block


def test_provenance_is_written_beside_the_exports_and_shown_in_every_footer(
    built: BuildResult,
    real_years: list[int],
) -> None:
    fingerprint = provenance.data_fingerprint(paths.CURATED_DIR)
    for folder, lang in (
        (built.out_dir, None),
        (built.out_dir / "en", "en"),
        (built.out_dir / "es", "es"),
    ):
        record = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
        assert record["data_sha256"] == fingerprint
        assert record["parameters"]["years"] == real_years
        if lang:
            assert record["parameters"]["lang"] == lang
            line = provenance_line(record, lang)
            for html_page in sorted(folder.rglob("*.html")):
                assert line in html_page.read_text(encoding="utf-8"), html_page


@pytest.mark.parametrize("lang", i18n.SUPPORTED_LANGS)
def test_the_build_writes_and_links_the_brief_and_the_explorer(
    built: BuildResult, lang: str, real_plans
) -> None:
    from pypdf import PdfReader

    folder = built.out_dir / lang
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="brief.pdf"' in index and 'href="explorer.html"' in index
    reader = PdfReader(folder / "brief.pdf")
    assert 1 <= len(reader.pages) <= 2
    text = " ".join(page.extract_text() for page in reader.pages)
    idb_only_cash = "13 de 28" if lang == "es" else "13 of 28"
    assert idb_only_cash in text, text[:400]
    explorer_text = unescape((folder / "explorer.html").read_text(encoding="utf-8"))
    for column in ("title_en", "title_es"):  # every activity of every plan, both titles
        missing = [title for title in real_plans[column] if title not in explorer_text]
        assert not missing, f"{column} not in the {lang} explorer: {missing[:3]}"
