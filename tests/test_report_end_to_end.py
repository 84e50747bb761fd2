"""The real report, built end to end from the curated data into a temporary folder.

The whole build runs twice (in parallel, then sequentially): every section's page must exist,
show no code, reference images that exist, and state the numbers the package computes; the
two builds must give byte-identical figures and tables.
"""

from __future__ import annotations

import base64
import re

import nbformat
import pytest
from conftest import local_links, snapshot

from gealc_analysis import analysis, narrative, outputs, paths
from gealc_analysis.build import BuildResult, build_report
from gealc_analysis.data import load_plans, load_themes

SECTIONS = sorted(path.stem for path in paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
PLANS = load_plans()
THEMES = load_themes()
YEARS = sorted(int(year) for year in PLANS["plan_year"].unique())
# Source lines of the notebooks that must never reach a page.
CODE_MARKERS = ("open_section(", "section.figure(", "analysis.", "import ", "data_dir = ")


@pytest.fixture(scope="module")
def built(report_build: BuildResult) -> BuildResult:
    return report_build  # the session's build (conftest), shared with other modules


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The same report on a fresh kernel per notebook (the session build reuses warm ones)."""
    return build_report(tmp_path_factory.mktemp("e2e-again") / "report", jobs=1,
                        warm_kernels=False, progress=print)


def page(result: BuildResult, stem: str) -> str:
    return (result.out_dir / f"{stem}.html").read_text(encoding="utf-8")


def visible_text(html: str) -> str:
    """Page text without tags, styles or scripts, whitespace collapsed."""
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_there_are_seven_sections() -> None:
    assert SECTIONS == ["01_overview", "02_activities_by_area", "03_funding_dependence",
                        "04_theme_shifts", "05_semester_load", "06_what_carried_over",
                        "07_robustness"]


def test_every_section_has_a_page_linked_from_the_index(built: BuildResult) -> None:
    assert built.sections == SECTIONS
    index_links = local_links(built.out_dir / "index.html")
    for stem in SECTIONS:
        assert (built.out_dir / f"{stem}.html").is_file()
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
            found[tag] += [line.lstrip("# ") for line in cell.source.splitlines()
                           if line.startswith("#")]
    return found["lang-en"], found["lang-es"]


@pytest.mark.parametrize("stem", SECTIONS)
def test_every_image_of_a_page_exists(built: BuildResult, stem: str) -> None:
    html = page(built, stem)
    sources = re.findall(r'<img[^>]+src="([^"]+)"', html)
    assert sources, f"{stem}.html has no image"
    for source in sources:
        if source.startswith("data:image/png;base64,"):
            assert base64.b64decode(source.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
        else:
            assert (built.out_dir / source).is_file(), source


def test_every_index_image_exists(built: BuildResult) -> None:
    images = [link for link in local_links(built.out_dir / "index.html") if link.endswith(".png")]
    assert len(images) >= len(SECTIONS)
    for image in images:
        assert (built.out_dir / image).is_file(), image


def test_pages_load_nothing_from_the_network(built: BuildResult) -> None:
    for stem in SECTIONS:
        assert not re.search(r'(src|href)="https?://', page(built, stem)), stem


def test_idb_shares_in_the_funding_page_equal_the_package_results(built: BuildResult) -> None:
    text = visible_text(page(built, "03_funding_dependence"))
    funding = analysis.funding_dependence(PLANS)
    idb = funding[funding["source"] == "idb"]
    assert len(idb) == 3 * len(YEARS)
    for row in idb.itertuples():
        assert narrative.percent(row.share, "en") in text, (row.plan_year, row.measure)
    # the sentence itself, for the comparison year's sole-source share
    last = idb[(idb["plan_year"] == YEARS[-1]) & (idb["measure"] == "sole_source")].iloc[0]
    assert f"{narrative.percent(last.share, 'en')} depend on IDB alone" in text


def test_overview_page_states_the_activity_counts(built: BuildResult) -> None:
    text = visible_text(page(built, "01_overview"))
    for row in analysis.plan_overview(PLANS).itertuples():
        assert f"The {row.plan_year} plan lists {row.n_activities} activities" in text


def test_theme_page_states_the_agenda_diversity(built: BuildResult) -> None:
    text = visible_text(page(built, "04_theme_shifts"))
    for row in analysis.agenda_diversity(PLANS, THEMES).itertuples():
        assert f"Shannon H = {narrative.number(row.entropy, 'en', 2)}" in text
        assert narrative.number(row.effective_n_themes, "en", 1) in text


def test_semester_page_states_the_event_weighted_split(built: BuildResult) -> None:
    text = visible_text(page(built, "05_semester_load"))
    events = analysis.semester_event_load(PLANS)
    for row in events.itertuples():
        assert narrative.percent(row.share, "en") in text


def test_tables_are_the_package_results(built: BuildResult) -> None:
    expected = {
        "03_funding_dependence/tables/funding_dependence.csv": analysis.funding_dependence(PLANS),
        "03_funding_dependence/tables/idb_dependent_activities.csv":
            analysis.idb_dependent_activities(PLANS),
        "04_theme_shifts/tables/agenda_diversity.csv": analysis.agenda_diversity(PLANS, THEMES),
        "05_semester_load/tables/semester_load.csv": analysis.semester_load(PLANS),
    }
    for relative, frame in expected.items():
        written = (built.out_dir / relative).read_text(encoding="utf-8")
        assert written == outputs.table_csv_text(frame), relative


def test_warm_and_fresh_kernel_builds_give_byte_identical_pages_figures_and_tables(
    built: BuildResult, rebuilt: BuildResult
) -> None:
    def outputs_of(result: BuildResult) -> dict[str, bytes]:
        return {name: data for name, data in snapshot(result.out_dir).items()
                if name.endswith((".png", ".svg", ".csv", ".xlsx", ".html"))}

    first, second = outputs_of(built), outputs_of(rebuilt)
    assert len(first) >= 20
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, differing


def test_index_states_every_sections_key_findings(built: BuildResult) -> None:
    html = (built.out_dir / "index.html").read_text(encoding="utf-8")
    assert html.count('<div class="summary">') == len(SECTIONS)
    text = visible_text(html)
    funding = analysis.funding_dependence(PLANS)
    idb_sole = funding[(funding["source"] == "idb") & (funding["measure"] == "sole_source")]
    for row in idb_sole.itertuples():
        assert f"{narrative.percent(row.share, 'en')} depend on IDB alone" in text
    for row in analysis.plan_overview(PLANS).itertuples():
        assert f"The {row.plan_year} plan lists {row.n_activities} activities" in text


@pytest.fixture(scope="module")
def three_plans(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """A third plan (2025: the 2024 rows, every area continued) added as one CSV + crosswalk
    rows, built without any code change."""
    data_dir = tmp_path_factory.mktemp("three") / "curated"
    data_dir.mkdir()
    for name in ("plan_2020.csv", "plan_2024.csv", "themes.csv"):
        (data_dir / name).write_bytes((paths.CURATED_DIR / name).read_bytes())
    text = (paths.CURATED_DIR / "plan_2024.csv").read_text(encoding="utf-8")
    (data_dir / "plan_2025.csv").write_text(text.replace("\n2024,2024-", "\n2025,2025-"),
                                            encoding="utf-8")
    themes = (paths.CURATED_DIR / "themes.csv").read_text(encoding="utf-8").splitlines()
    header = themes[0].split(",")
    extra = []
    for line in themes[1:]:
        if line.startswith("2024,"):
            cells = line.split(",")[:header.index("relation")]
            extra.append(",".join(["2025", *cells[1:], "continued", "", ""]))
    (data_dir / "themes.csv").write_text("\n".join(themes + extra) + "\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("three-report") / "report"
    return build_report(out, data_dir=data_dir, only=["01", "04"], jobs=2, progress=print)


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
    assert "Merged: Annual and ministerial meetings and ExcelGOB awards" in text
    assert "Renamed: Communication and cross-cutting work" in text
    assert "Shannon H" in text and "2025" in text
