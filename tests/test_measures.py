"""Measures a researcher accepts (cash apart from staff time, dated semesters, evenness,
small bases), on hand-made frames."""

from __future__ import annotations

import math
import warnings

import pandas as pd
import pytest
from frames import make_plans, make_themes

from gealc_analysis.data import PlanDataError, load_themes, theme_kinds
from gealc_analysis.measures import counts as count_measures
from gealc_analysis.measures import diversity, funding, timing


@pytest.fixture
def plans() -> pd.DataFrame:
    return make_plans(
        [
            {"plan_year": 2020, "funding_sources": "idb", "idb_instrument": "rpg", "timing": "S1"},
            {
                "plan_year": 2020,
                "funding_sources": "idb;oas",
                "idb_instrument": "rpg",
                "timing": "S2",
            },
            {
                "plan_year": 2020,
                "funding_sources": "idb;member_countries",
                "idb_instrument": "general",
                "timing": "S2",
            },
            {
                "plan_year": 2020,
                "funding_sources": "working_group",
                "timing": "year_round",
                "frequency_per_year": 24,
                "activity_type": "working_group_meeting",
                "theme": "t2",
            },
            {
                "plan_year": 2024,
                "funding_sources": "working_group",
                "timing": "tbd",
                "frequency_per_year": 4,
                "activity_type": "working_group_meeting",
            },
        ]
    )


def test_cash_dependence_keeps_staff_time_out_of_only_cash(plans):
    out = funding.cash_dependence(plans).set_index(["plan_year", "source"])
    idb = out.loc[(2020, "idb")]
    assert (idb["named"], idb["only_cash"], idb["only_resource"]) == (3, 2, 1)
    assert idb["only_cash_share"] == pytest.approx(2 / 4)
    assert out.loc[(2020, "oas"), "only_cash"] == 0, "the OAS never funds alone here"
    assert out.loc[(2024, "idb"), "named"] == 0, "every cash source is a row in every year"


def test_resource_mix_splits_cash_from_staff_time(plans):
    out = funding.resource_mix(plans).set_index(["plan_year", "resources"])["n_activities"]
    assert out[(2020, "cash_only")] == 2 and out[(2020, "cash_and_staff_time")] == 1
    assert out[(2020, "staff_time_only")] == 1 and out[(2024, "staff_time_only")] == 1


def test_semester_split_is_over_dated_activities_with_the_rest_apart(plans):
    out = timing.semester_split_dated(plans).set_index(["plan_year", "timing"])
    assert out.loc[(2020, "S1"), "share_of_dated"] == pytest.approx(1 / 3)
    assert out.loc[(2020, "S2"), "share_of_dated"] == pytest.approx(2 / 3)
    assert math.isnan(out.loc[(2020, "year_round"), "share_of_dated"])
    assert out.loc[(2020, "year_round"), "n_events"] == 24, "year-round is never halved"
    assert out.loc[(2024, "tbd"), "n_events"] == 4
    assert math.isnan(out.loc[(2024, "S1"), "share_of_dated"]), "no dated activity, no share"


def test_evenness_over_present_themes_does_not_penalise_themes_not_yet_created():
    plans = make_plans(
        [
            {"plan_year": 2020, "theme": "a"},
            {"plan_year": 2020, "theme": "b"},
            {"plan_year": 2024, "theme": "a"},
            {"plan_year": 2024, "theme": "b"},
            {"plan_year": 2024, "theme": "c", "area_code": "3.2"},
            {"plan_year": 2024, "theme": "d", "area_code": "3.3"},
        ]
    )
    themes = make_themes(
        [
            {"plan_year": 2020, "area_code": "3.1", "theme": "a"},
            {"plan_year": 2020, "area_code": "3.2", "theme": "b"},
            {"plan_year": 2024, "area_code": "3.1", "theme": "a"},
            {"plan_year": 2024, "area_code": "3.2", "theme": "c"},
            {"plan_year": 2024, "area_code": "3.3", "theme": "d"},
        ]
    )
    kinds = pd.DataFrame(
        {"theme": ["a", "b", "c", "d"], "kind": ["policy", "organisational", "policy", "policy"]}
    )
    out = diversity.agenda_evenness(plans, themes, kinds).set_index("plan_year")
    assert out.loc[2020, "evenness_present"] == pytest.approx(1.0), "two themes, even split"
    assert out.loc[2020, "evenness_crosswalk"] == pytest.approx(math.log(2) / math.log(4))
    assert out.loc[2020, "n_policy_activities"] == 1
    assert out.loc[2024, "effective_n_policy_themes"] == pytest.approx(3.0)


def test_percent_changes_are_blanked_below_the_base_and_counts_kept():
    counts = pd.DataFrame(
        {
            "plan_year": [2020, 2020, 2024, 2024],
            "theme": ["big", "small"] * 2,
            "n_activities": [10, 2, 15, 5],
        }
    )
    out = count_measures.compare_years_with_small_bases(counts, 2020, 2024)
    assert out["pct_change"].iloc[0] == 0.5 and math.isnan(out["pct_change"].iloc[1])
    assert out["pct_suppressed"].tolist() == [False, True]
    assert out["change"].tolist() == [5, 3]


def test_event_totals_show_how_much_comes_from_meeting_rows(plans):
    out = count_measures.event_totals(plans).set_index("plan_year")
    assert out.loc[2020, ["n_events", "n_meeting_rows", "events_from_meetings"]].tolist() == [
        27,
        1,
        24,
    ]
    assert out.loc[2020, "share_from_meetings"] == pytest.approx(24 / 27)


def test_three_themes_of_the_crosswalk_are_organisational():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kinds = theme_kinds.load_theme_kinds(load_themes())
    organisational = set(kinds.loc[kinds["kind"] == "organisational", "theme"])
    assert organisational == {
        "meetings_and_awards",
        "communication_and_cross_cutting",
        "new_working_groups",
        "knowledge_management",
    }


def test_a_theme_kind_for_an_unknown_theme_is_an_error(tmp_path):
    (tmp_path / "theme_kinds.csv").write_text("theme,kind,note\nghost,policy,x\n", encoding="utf-8")
    with pytest.raises(PlanDataError, match="theme_kinds.csv:2: theme: expected a theme key"):
        theme_kinds.load_theme_kinds(load_themes(), tmp_path)


def test_a_crosswalk_theme_without_a_kind_counts_as_policy_with_a_warning(tmp_path):
    with pytest.warns(theme_kinds.UnclassifiedThemeWarning, match="count as policy"):
        kinds = theme_kinds.load_theme_kinds(load_themes(), tmp_path)
    assert set(kinds["kind"]) == {"policy"}
