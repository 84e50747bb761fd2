"""Activity lineage: every activity of consecutive plans covered, ids that exist, relations
consistent with the empty side; an unlinked new plan is a warning, not an error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from frames import make_plans, make_themes

from gealc_analysis.core import paths
from gealc_analysis.data import PlanDataError, load_plans
from gealc_analysis.data import lineage as data_lineage
from gealc_analysis.measures import lineage
from gealc_analysis.words import lineage as lineage_words
from gealc_analysis.words import robustness as robustness_words

HEADER = "from_year,from_activity_id,to_year,to_activity_id,relation,note\n"


@pytest.fixture
def plans() -> pd.DataFrame:
    """2020: a, b, c (theme t1, t1, t2); 2024: x, y (t1, t3)."""
    return make_plans(
        [
            {"plan_year": 2020, "activity_id": "2020-3.1.1", "source_ref": "3.1.1"},
            {"plan_year": 2020, "activity_id": "2020-3.1.2", "source_ref": "3.1.2"},
            {
                "plan_year": 2020,
                "activity_id": "2020-3.2.1",
                "source_ref": "3.2.1",
                "theme": "t2",
                "area_code": "3.2",
            },
            {"plan_year": 2024, "activity_id": "2024-3.1.1", "source_ref": "3.1.1"},
            {
                "plan_year": 2024,
                "activity_id": "2024-3.2.1",
                "source_ref": "3.2.1",
                "theme": "t3",
                "area_code": "3.2",
            },
        ]
    )


GOOD = (
    "2020,2020-3.1.1,2024,2024-3.1.1,merged,a and b became one\n"
    "2020,2020-3.1.2,2024,2024-3.1.1,merged,a and b became one\n"
    "2020,2020-3.2.1,2024,,dropped,gone\n"
    "2020,,2024,2024-3.2.1,new,new theme\n"
)


def write(folder: Path, body: str) -> Path:
    (folder / data_lineage.LINEAGE_FILE).write_text(HEADER + body, encoding="utf-8")
    return folder


def problems_of(folder: Path, plans: pd.DataFrame) -> list[str]:
    with pytest.raises(PlanDataError) as error:
        data_lineage.load_lineage(plans, folder)
    return [str(problem) for problem in error.value.problems]


def test_counts_per_relation_count_each_side_once(tmp_path, plans):
    links = data_lineage.load_lineage(plans, write(tmp_path, GOOD))
    counts = lineage.lineage_counts(links, plans).set_index("relation")
    assert counts.loc["merged", ["n_earlier", "n_later"]].tolist() == [2, 1]
    assert counts.loc["dropped", "n_earlier"] == 1 and counts.loc["new", "n_later"] == 1
    assert counts.loc["continued", "n_earlier"] == 0, "every relation is a row"


def test_carry_over_by_theme_splits_what_became_of_each_theme(tmp_path, plans):
    themes = make_themes(
        [
            {"plan_year": 2020, "area_code": "3.1", "theme": "t1"},
            {"plan_year": 2020, "area_code": "3.2", "theme": "t2"},
            {"plan_year": 2024, "area_code": "3.1", "theme": "t1"},
            {"plan_year": 2024, "area_code": "3.2", "theme": "t3"},
        ]
    )
    links = data_lineage.load_lineage(plans, write(tmp_path, GOOD))
    table = lineage.carry_over_by_theme(links, plans, themes).set_index("theme")
    assert table.loc["t1", ["n_earlier", "merged", "n_later", "new"]].tolist() == [2, 2, 1, 0]
    assert table.loc["t2", ["n_earlier", "dropped", "n_later"]].tolist() == [1, 1, 0]
    assert table.loc["t3", ["n_earlier", "n_later", "new"]].tolist() == [0, 1, 1]


def test_theme_flows_link_themes_at_activity_level(tmp_path, plans):
    links = data_lineage.load_lineage(plans, write(tmp_path, GOOD))
    flows = lineage.theme_flows(links, plans)
    assert set(zip(flows["from_theme"], flows["to_theme"], flows["n_links"], strict=True)) == {
        ("t1", "t1", 2),
        ("t2", "", 1),
        ("", "t3", 1),
    }


def test_an_activity_without_a_row_is_reported(tmp_path, plans):
    found = problems_of(
        write(tmp_path, GOOD.replace("2020,2020-3.2.1,2024,,dropped,gone\n", "")), plans
    )
    assert any(
        "from_activity_id: expected a row for every activity of plan_2020.csv, "
        "found 'none for 2020-3.2.1'" in p
        for p in found
    ), found


def test_an_id_that_is_not_in_the_plan_is_reported_at_its_line(tmp_path, plans):
    found = problems_of(write(tmp_path, GOOD + "2020,2020-3.9.9,2024,,dropped,x\n"), plans)
    assert any(
        ":6: from_activity_id: expected an activity_id of plan_2020.csv, found '2020-3.9.9'" in p
        for p in found
    ), found


def test_the_empty_side_must_match_the_relation(tmp_path, plans):
    body = GOOD.replace("2020,2020-3.2.1,2024,,dropped", "2020,2020-3.2.1,2024,2024-3.2.1,dropped")
    found = problems_of(write(tmp_path, body), plans)
    assert any(
        ":4: to_activity_id: expected an empty cell for relation dropped" in p for p in found
    ), found


def test_merged_needs_two_or_more_earlier_activities(tmp_path, plans):
    body = (
        "2020,2020-3.1.1,2024,2024-3.1.1,merged,x\n"
        "2020,2020-3.1.2,2024,,dropped,x\n2020,2020-3.2.1,2024,,dropped,x\n"
        "2020,,2024,2024-3.2.1,new,x\n"
    )
    found = problems_of(write(tmp_path, body), plans)
    assert any(
        "expected merged to link 2024-3.1.1 with two or more activities" in p for p in found
    ), found


def test_a_relation_outside_the_schema_is_an_error(tmp_path, plans):
    found = problems_of(write(tmp_path, GOOD.replace("dropped,gone", "vanished,gone")), plans)
    assert any(
        ":4: relation: expected one of continued, modified, split, merged, dropped, new, "
        "found 'vanished'" in p
        for p in found
    ), found


def test_a_new_plan_without_lineage_is_a_warning_not_an_error(tmp_path, plans):
    third = make_plans([{"plan_year": 2028, "activity_id": "2028-3.1.1", "source_ref": "3.1.1"}])
    all_plans = pd.concat([plans, third], ignore_index=True)
    with pytest.warns(data_lineage.UnlinkedPlanWarning, match="2024 and 2028 are not linked yet"):
        links = data_lineage.load_lineage(all_plans, write(tmp_path, GOOD))
    assert data_lineage.unlinked_pairs(links, all_plans) == [(2024, 2028)]
    assert lineage.lineage_counts(links, all_plans)["to_year"].unique().tolist() == [2024]


def test_a_data_folder_with_a_third_plan_still_loads(tmp_path):
    """Adding a year's CSV still just works: the real lineage plus an unlinked 2028 plan."""
    for name in (
        "themes.csv",
        "funding_codes.csv",
        "plan_2020.csv",
        "plan_2024.csv",
        "lineage.csv",
    ):
        shutil.copy(paths.CURATED_DIR / name, tmp_path / name)
    text = (paths.CURATED_DIR / "plan_2024.csv").read_text(encoding="utf-8")
    (tmp_path / "plan_2028.csv").write_text(text.replace("2024", "2028"), encoding="utf-8")
    themes_text = (paths.CURATED_DIR / "themes.csv").read_text(encoding="utf-8")
    extra = [
        line.replace("2024,", "2028,", 1)
        for line in themes_text.splitlines()
        if line.startswith("2024,")
    ]
    (tmp_path / "themes.csv").write_text(themes_text + "\n".join(extra) + "\n", encoding="utf-8")
    plans = load_plans(tmp_path)
    with pytest.warns(data_lineage.UnlinkedPlanWarning):
        links = data_lineage.load_lineage(plans, tmp_path)
    assert data_lineage.unlinked_pairs(links, plans) == [(2024, 2028)]


# --------------------------------------------------------------------------- the real file


def test_the_curated_lineage_covers_both_plans_with_the_counts_of_the_report(real_plans):
    links = data_lineage.load_lineage(real_plans)
    counts = lineage.lineage_counts(links, real_plans).set_index("relation")
    assert counts["n_earlier"].to_dict() == {
        "continued": 7,
        "modified": 7,
        "split": 0,
        "merged": 4,
        "dropped": 10,
        "new": 0,
    }
    assert counts["n_later"].to_dict() == {
        "continued": 7,
        "modified": 7,
        "split": 0,
        "merged": 1,
        "dropped": 0,
        "new": 26,
    }


def test_every_awards_step_of_2020_merges_into_the_2024_call(real_plans):
    links = data_lineage.load_lineage(real_plans)
    merged = links[links["relation"] == "merged"]
    assert sorted(merged["from_activity_id"]) == [f"2020-3.3.{i}" for i in range(1, 5)]
    assert set(merged["to_activity_id"]) == {"2024-3.9ii.3"}


def test_lineage_lists_carry_titles_in_the_page_language(real_plans):
    links = data_lineage.load_lineage(real_plans)
    listed = lineage_words.lineage_list(links, real_plans, "es")
    row = listed[listed["from_activity_id"] == "2020-3.8.1"].iloc[0]
    assert row["to_title"] == "Actualización de contenidos en web y redes sociales de Red Gealc."
    assert listed["relation"].iloc[0] == "continued" and listed["relation"].iloc[-1] == "new"


def test_real_themes_feed_the_flow_chart_without_error(real_plans, real_themes):
    from gealc_analysis.charts import lineage_flows as plots_lineage
    from gealc_analysis.data.alternatives import empty_alternatives

    links = data_lineage.load_lineage(real_plans)
    names = robustness_words.theme_labels(real_themes, empty_alternatives(), "es")
    fig = plots_lineage.plot_theme_flow(
        lineage.theme_flows(links, real_plans),
        lineage.lineage_counts(links, real_plans),
        names,
        lineage.theme_totals(real_plans),
        from_year=2020,
        to_year=2024,
        lang="es",
    )
    title = plots_lineage.style.figure_text(fig, plots_lineage.style.TITLE_GID)
    assert title.startswith("18 de 28 actividades de 2020 continúan")


def test_a_single_plan_says_there_is_nothing_to_link(tmp_path, plans):
    only = plans[plans["plan_year"] == 2024]
    links = data_lineage.load_lineage(only, write(tmp_path, GOOD))
    assert links.empty and lineage.pair_ending_at(only, 2024) == (2024, 2024)
    assert lineage_words.carry_over_summary(links, only, "en") == (
        "Only one plan (2024) is loaded: there is nothing to link."
    )


def test_a_section_can_say_unlinked_in_words_instead_of_a_warning(tmp_path, plans):
    third = make_plans([{"plan_year": 2028, "activity_id": "2028-3.1.1", "source_ref": "3.1.1"}])
    all_plans = pd.concat([plans, third], ignore_index=True)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        links = data_lineage.load_lineage(all_plans, write(tmp_path, GOOD), warn=False)
    assert lineage_words.carry_over_summary(links, all_plans, "en").endswith(
        "Plans 2024 and 2028 are not linked yet: their activities have no lineage in `lineage.csv`."
    )
