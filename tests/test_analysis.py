"""Behaviour of the measures (counts, funding, themes, diversity, timing) on small hand-made
frames with hand-computed answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from frames import make_plans, make_themes

from gealc_analysis.data.vocabulary import (
    ACTIVITY_TYPES,
    FUNDING_SOURCES,
    IDB_INSTRUMENTS,
    TIMINGS,
    area_sort_key,
)
from gealc_analysis.measures import counts as count_measures
from gealc_analysis.measures import diversity, funding, timing
from gealc_analysis.measures import themes as theme_measures


def frame(columns: dict[str, list]) -> pd.DataFrame:
    """An expected frame written literally (pandas infers str / int64 / float64)."""
    return pd.DataFrame(columns)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def two_theme_crosswalk() -> pd.DataFrame:
    """t1 in both years, t2 only in 2020, t3 only in 2024."""
    return make_themes(
        [
            {"plan_year": 2020, "area_code": "3.1", "theme": "t1"},
            {"plan_year": 2020, "area_code": "3.2", "theme": "t2", "relation": "retired"},
            {"plan_year": 2024, "area_code": "3.1", "theme": "t1"},
            {"plan_year": 2024, "area_code": "3.2", "theme": "t3", "relation": "new"},
        ]
    )


@pytest.fixture
def theme_plans() -> pd.DataFrame:
    return make_plans(
        [
            {"plan_year": 2020, "theme": "t1", "frequency_per_year": 1},
            {"plan_year": 2020, "theme": "t1", "frequency_per_year": 4},
            {"plan_year": 2020, "theme": "t2", "area_code": "3.2", "frequency_per_year": 2},
            {"plan_year": 2024, "theme": "t1", "frequency_per_year": 1},
            {"plan_year": 2024, "theme": "t3", "area_code": "3.2", "frequency_per_year": 2},
            {"plan_year": 2024, "theme": "t3", "area_code": "3.2", "frequency_per_year": 1},
        ]
    )


@pytest.fixture
def funding_plans() -> pd.DataFrame:
    return make_plans(
        [
            {"plan_year": 2020, "funding_sources": "idb;oas", "idb_instrument": "consultant"},
            {"plan_year": 2020, "funding_sources": "oas"},
            {
                "plan_year": 2020,
                "funding_sources": "idb;member_countries;oas",
                "idb_instrument": "rpg",
            },
            {"plan_year": 2024, "funding_sources": "idb", "idb_instrument": "rpg"},
            {"plan_year": 2024, "funding_sources": "oas"},
        ]
    )


# --------------------------------------------------------------------------- helpers


def test_area_sort_key_orders_split_areas_between_their_parent_and_the_next_number() -> None:
    codes = ["3.10", "3.9ii", "3.2", "3.9", "3.9i", "3.9iv", "3.9iii"]
    assert sorted(codes, key=area_sort_key) == [
        "3.2",
        "3.9",
        "3.9i",
        "3.9ii",
        "3.9iii",
        "3.9iv",
        "3.10",
    ]


# --------------------------------------------------------------------------- count_by_area


def test_count_by_area_counts_activities_and_events_per_printed_area() -> None:
    plans = make_plans(
        [
            {
                "plan_year": 2020,
                "area_code": "3.1",
                "area_name": "Open data",
                "theme": "t1",
                "frequency_per_year": 1,
            },
            {
                "plan_year": 2020,
                "area_code": "3.1",
                "area_name": "Open data",
                "theme": "t1",
                "frequency_per_year": 4,
            },
            {
                "plan_year": 2020,
                "area_code": "3.2",
                "area_name": "Cyber",
                "theme": "t2",
                "frequency_per_year": 2,
            },
            {
                "plan_year": 2024,
                "area_code": "3.1",
                "area_name": "Datos",
                "theme": "t1",
                "frequency_per_year": 1,
            },
        ]
    )
    expected = frame(
        {
            "plan_year": [2020, 2020, 2024],
            "area_code": ["3.1", "3.2", "3.1"],
            "area_name": ["Open data", "Cyber", "Datos"],
            "theme": ["t1", "t2", "t1"],
            "n_activities": [2, 1, 1],
            "n_events": [5, 2, 1],
        }
    )
    pd.testing.assert_frame_equal(count_measures.count_by_area(plans), expected)


def test_count_by_area_sorts_area_codes_naturally() -> None:
    plans = make_plans([{"area_code": code} for code in ["3.10", "3.9ii", "3.9", "3.9i", "3.2"]])
    result = count_measures.count_by_area(plans)
    assert list(result["area_code"]) == ["3.2", "3.9", "3.9i", "3.9ii", "3.10"]


# --------------------------------------------------------------------------- count_by_theme


def test_count_by_theme_zero_fills_every_crosswalk_theme_in_every_year(
    theme_plans: pd.DataFrame, two_theme_crosswalk: pd.DataFrame
) -> None:
    expected = frame(
        {
            "plan_year": [2020, 2020, 2020, 2024, 2024, 2024],
            "theme": ["t1", "t2", "t3", "t1", "t2", "t3"],
            "theme_label_en": ["T1", "T2", "T3", "T1", "T2", "T3"],
            "theme_label_es": ["T1", "T2", "T3", "T1", "T2", "T3"],
            "n_activities": [2, 1, 0, 1, 0, 2],
            "n_events": [5, 2, 0, 1, 0, 3],
            "share": [2 / 3, 1 / 3, 0.0, 1 / 3, 0.0, 2 / 3],
        }
    )
    result = theme_measures.count_by_theme(theme_plans, two_theme_crosswalk)
    pd.testing.assert_frame_equal(result, expected)


def test_count_by_theme_gives_the_same_answer_for_plain_str_columns(
    theme_plans: pd.DataFrame, two_theme_crosswalk: pd.DataFrame
) -> None:
    plain_plans = theme_plans.astype({"activity_type": str, "timing": str, "venue_mode": str})
    plain_themes = two_theme_crosswalk.astype({"relation": str})
    pd.testing.assert_frame_equal(
        theme_measures.count_by_theme(plain_plans, plain_themes),
        theme_measures.count_by_theme(theme_plans, two_theme_crosswalk),
    )


def test_count_by_theme_rejects_a_theme_missing_from_the_crosswalk(
    two_theme_crosswalk: pd.DataFrame,
) -> None:
    plans = make_plans([{"theme": "t1"}, {"theme": "unknown"}, {"theme": "t2"}])
    with pytest.raises(ValueError, match=r"theme has values outside its vocabulary: \['unknown'\]"):
        theme_measures.count_by_theme(plans, two_theme_crosswalk)


# --------------------------------------------------------------------------- compare_years


def test_compare_years_gives_change_and_relative_change_with_labels(
    theme_plans: pd.DataFrame, two_theme_crosswalk: pd.DataFrame
) -> None:
    counts = theme_measures.count_by_theme(theme_plans, two_theme_crosswalk)
    expected = frame(
        {
            "theme": ["t1", "t2", "t3"],
            "theme_label_en": ["T1", "T2", "T3"],
            "theme_label_es": ["T1", "T2", "T3"],
            "baseline_year": [2020, 2020, 2020],
            "compare_year": [2024, 2024, 2024],
            "baseline_value": [2, 1, 0],
            "compare_value": [1, 0, 2],
            "change": [-1, -1, 2],
            "pct_change": [-0.5, -1.0, np.nan],
        }
    )
    pd.testing.assert_frame_equal(count_measures.compare_years(counts, 2020, 2024), expected)


def test_compare_years_pct_change_is_nan_when_baseline_is_zero() -> None:
    counts = frame(
        {
            "plan_year": [2020, 2024, 2020, 2024],
            "theme": ["a", "a", "b", "b"],
            "n_activities": [0, 3, 2, 3],
        }
    )
    result = count_measures.compare_years(counts, 2020, 2024)
    assert math.isnan(result.loc[0, "pct_change"])
    assert result.loc[1, "pct_change"] == pytest.approx(0.5)


def test_compare_years_names_the_missing_year_and_the_years_present() -> None:
    counts = frame({"plan_year": [2020, 2024], "theme": ["a", "a"], "n_activities": [1, 2]})
    with pytest.raises(
        ValueError, match=r"year 2022 is not in counts \(years present: 2020, 2024\)"
    ):
        count_measures.compare_years(counts, 2020, 2022)


def test_compare_years_by_area_counts_an_unprinted_area_as_zero_and_drops_varying_names() -> None:
    plans = make_plans(
        [
            {"plan_year": 2020, "area_code": "3.1", "area_name": "Open data", "theme": "t1"},
            {"plan_year": 2020, "area_code": "3.1", "area_name": "Open data", "theme": "t1"},
            {"plan_year": 2024, "area_code": "3.1", "area_name": "Datos", "theme": "t1"},
            {"plan_year": 2024, "area_code": "3.10", "area_name": "Nueva", "theme": "t9"},
            {"plan_year": 2024, "area_code": "3.9i", "area_name": "Parte", "theme": "t8"},
        ]
    )
    by_area = count_measures.count_by_area(plans)
    expected = frame(
        {
            "area_code": ["3.1", "3.9i", "3.10"],
            "theme": ["t1", "t8", "t9"],
            "baseline_year": [2020, 2020, 2020],
            "compare_year": [2024, 2024, 2024],
            "baseline_value": [2, 0, 0],
            "compare_value": [1, 1, 1],
            "change": [-1, 1, 1],
            "pct_change": [-0.5, np.nan, np.nan],
        }
    )
    result = count_measures.compare_years(by_area, 2020, 2024, by="area_code")
    pd.testing.assert_frame_equal(result, expected)


def test_compare_years_picks_any_two_of_three_years() -> None:
    counts = frame(
        {
            "plan_year": [2020, 2024, 2028],
            "theme": ["a", "a", "a"],
            "share": [0.25, 0.5, 0.75],
        }
    )
    result = count_measures.compare_years(counts, 2020, 2028, value="share")
    assert result[["baseline_value", "compare_value", "change", "pct_change"]].iloc[0].tolist() == (
        pytest.approx([0.25, 0.75, 0.5, 2.0])
    )


# --------------------------------------------------------------------------- funding


def test_funding_dependence_has_every_source_measure_and_year(
    funding_plans: pd.DataFrame,
) -> None:
    result = funding.funding_dependence(funding_plans)
    assert len(result) == 2 * len(FUNDING_SOURCES) * 3
    assert list(result.columns) == ["plan_year", "source", "measure", "value", "share"]
    assert result.iloc[:3][["plan_year", "source", "measure"]].values.tolist() == [
        [2020, "executive_committee", "any_touch"],
        [2020, "executive_committee", "fractional"],
        [2020, "executive_committee", "sole_source"],
    ]
    assert result.loc[result["source"] == "working_group", "value"].tolist() == [0.0] * 6


def test_any_touch_counts_every_activity_naming_the_source(funding_plans: pd.DataFrame) -> None:
    result = funding.funding_dependence(funding_plans).set_index(["plan_year", "measure"])
    touch = result.loc[(2020, "any_touch")].set_index("source")
    assert touch.loc["idb", "value"] == 2.0
    assert touch.loc["idb", "share"] == pytest.approx(2 / 3)
    assert touch.loc["oas", "share"] == pytest.approx(1.0)
    assert touch.loc["member_countries", "share"] == pytest.approx(1 / 3)


def test_fractional_splits_an_activity_equally_over_its_sources(
    funding_plans: pd.DataFrame,
) -> None:
    result = funding.funding_dependence(funding_plans).set_index(["plan_year", "measure"])
    fractional = result.loc[(2020, "fractional")].set_index("source")
    # idb: 1/2 + 1/3; oas: 1/2 + 1 + 1/3; member_countries: 1/3 — over 3 activities.
    assert fractional.loc["idb", "value"] == pytest.approx(5 / 6)
    assert fractional.loc["oas", "value"] == pytest.approx(11 / 6)
    assert fractional.loc["member_countries", "value"] == pytest.approx(1 / 3)
    assert fractional.loc["idb", "share"] == pytest.approx(5 / 18)


def test_fractional_shares_sum_to_one_per_year(funding_plans: pd.DataFrame) -> None:
    result = funding.funding_dependence(funding_plans)
    sums = result[result["measure"] == "fractional"].groupby("plan_year")["share"].sum()
    assert sums.tolist() == pytest.approx([1.0, 1.0])


def test_sole_source_counts_only_single_funder_rows(funding_plans: pd.DataFrame) -> None:
    result = funding.funding_dependence(funding_plans).set_index(["plan_year", "measure"])
    sole_2020 = result.loc[(2020, "sole_source")].set_index("source")["value"]
    sole_2024 = result.loc[(2024, "sole_source")].set_index("source")["share"]
    assert sole_2020.to_dict() == {
        "executive_committee": 0.0,
        "idb": 0.0,
        "member_countries": 0.0,
        "oas": 1.0,
        "working_group": 0.0,
    }
    assert sole_2024.loc["idb"] == pytest.approx(0.5)


def test_idb_by_instrument_shares_are_over_idb_funded_activities() -> None:
    plans = make_plans(
        [
            {"plan_year": 2020, "funding_sources": "idb", "idb_instrument": "rpg"},
            {"plan_year": 2020, "funding_sources": "idb;oas", "idb_instrument": "consultant"},
            {"plan_year": 2020, "funding_sources": "idb", "idb_instrument": "rpg"},
            {"plan_year": 2020, "funding_sources": "oas"},
            {"plan_year": 2024, "funding_sources": "oas"},
        ]
    )
    expected = frame(
        {
            "plan_year": [2020, 2020, 2020, 2024, 2024, 2024],
            "instrument": list(IDB_INSTRUMENTS) * 2,
            "n_activities": [2, 1, 0, 0, 0, 0],
            "share_of_idb": [2 / 3, 1 / 3, 0.0, 0.0, 0.0, 0.0],
        }
    )
    pd.testing.assert_frame_equal(funding.idb_by_instrument(plans), expected)


# --------------------------------------------------------------------------- timing


def test_semester_load_counts_activities_per_timing_zero_filled() -> None:
    plans = make_plans(
        [
            {"plan_year": 2020, "timing": "S1"},
            {"plan_year": 2020, "timing": "S1"},
            {"plan_year": 2020, "timing": "year_round"},
            {"plan_year": 2024, "timing": "tbd"},
            {"plan_year": 2024, "timing": "S2"},
        ]
    )
    expected = frame(
        {
            "plan_year": [2020] * 4 + [2024] * 4,
            "timing": list(TIMINGS) * 2,
            "n_activities": [2, 0, 1, 0, 0, 1, 0, 1],
            "share": [2 / 3, 0.0, 1 / 3, 0.0, 0.0, 0.5, 0.0, 0.5],
        }
    )
    pd.testing.assert_frame_equal(timing.semester_load(plans), expected)


def test_year_round_quarterly_meeting_weighs_two_events_in_each_semester() -> None:
    plans = make_plans(
        [
            {
                "plan_year": 2020,
                "timing": "year_round",
                "frequency_per_year": 4,
                "activity_type": "meeting",
            }
        ]
    )
    expected = frame(
        {
            "plan_year": [2020, 2020, 2020],
            "timing": ["S1", "S2", "tbd"],
            "n_events": [2.0, 2.0, 0.0],
            "share": [0.5, 0.5, 0.0],
        }
    )
    pd.testing.assert_frame_equal(timing.semester_event_load(plans), expected)


def test_semester_event_load_keeps_unscheduled_events_in_tbd() -> None:
    plans = make_plans(
        [
            {"plan_year": 2020, "timing": "year_round", "frequency_per_year": 4},
            {"plan_year": 2020, "timing": "S1", "frequency_per_year": 1},
            {"plan_year": 2020, "timing": "tbd", "frequency_per_year": 3},
            {"plan_year": 2024, "timing": "S2", "frequency_per_year": 24},
        ]
    )
    expected = frame(
        {
            "plan_year": [2020, 2020, 2020, 2024, 2024, 2024],
            "timing": ["S1", "S2", "tbd"] * 2,
            "n_events": [3.0, 2.0, 3.0, 0.0, 24.0, 0.0],
            "share": [3 / 8, 2 / 8, 3 / 8, 0.0, 1.0, 0.0],
        }
    )
    pd.testing.assert_frame_equal(timing.semester_event_load(plans), expected)


# --------------------------------------------------------------------------- theme_shifts


def test_theme_shifts_marks_new_and_retired_by_presence() -> None:
    themes = make_themes(
        [
            {"plan_year": 2020, "area_code": "3.1", "theme": "kept"},
            {"plan_year": 2020, "area_code": "3.2", "theme": "gone", "relation": "retired"},
            {"plan_year": 2024, "area_code": "3.1", "theme": "kept"},
            {"plan_year": 2024, "area_code": "3.2", "theme": "fresh", "relation": "new"},
        ]
    )
    expected = frame(
        {
            "theme": ["kept", "gone", "fresh"],
            "theme_label_en": ["KEPT", "GONE", "FRESH"],
            "theme_label_es": ["Kept", "Gone", "Fresh"],
            "relation": ["continued", "retired", "new"],
            "baseline_areas": ["3.1", "3.2", ""],
            "compare_areas": ["3.1", "", "3.2"],
        }
    )
    pd.testing.assert_frame_equal(theme_measures.theme_shifts(themes, 2020, 2024), expected)


def test_theme_shifts_joins_the_areas_of_merged_and_split_themes() -> None:
    themes = make_themes(
        [
            {"plan_year": 2020, "area_code": "3.7", "theme": "m", "relation": "merged"},
            {"plan_year": 2020, "area_code": "3.4", "theme": "m", "relation": "merged"},
            {"plan_year": 2020, "area_code": "3.9", "theme": "s", "relation": "split"},
            {"plan_year": 2024, "area_code": "3.7", "theme": "m", "relation": "merged"},
            {"plan_year": 2024, "area_code": "3.9ii", "theme": "s", "relation": "split"},
            {"plan_year": 2024, "area_code": "3.9i", "theme": "s", "relation": "split"},
        ]
    )
    result = theme_measures.theme_shifts(themes, 2020, 2024)
    assert result[["theme", "relation", "baseline_areas", "compare_areas"]].values.tolist() == [
        ["m", "merged", "3.4;3.7", "3.7"],
        ["s", "split", "3.9", "3.9i;3.9ii"],
    ]


def three_plan_crosswalk() -> pd.DataFrame:
    """2020 → 2024 merges m (two areas into one) and renames r; 2028 continues both."""
    return make_themes(
        [
            {"plan_year": 2020, "area_code": "3.1", "theme": "r"},
            {"plan_year": 2020, "area_code": "3.4", "theme": "m"},
            {"plan_year": 2020, "area_code": "3.7", "theme": "m"},
            {"plan_year": 2024, "area_code": "3.1", "theme": "r", "relation": "renamed"},
            {"plan_year": 2024, "area_code": "3.7", "theme": "m", "relation": "merged"},
            {"plan_year": 2028, "area_code": "3.1", "theme": "r", "relation": "continued"},
            {"plan_year": 2028, "area_code": "3.7", "theme": "m", "relation": "continued"},
        ]
    )


@pytest.mark.parametrize(
    ("baseline", "compare", "expected"),
    [
        (2020, 2024, {"r": "renamed", "m": "merged"}),
        (2024, 2020, {"r": "renamed", "m": "split"}),  # a merge read backwards is a split
        (2020, 2028, {"r": "renamed", "m": "merged"}),  # across a plan in between
        (2024, 2028, {"r": "continued", "m": "continued"}),  # the rename was before 2024
    ],
)
def test_theme_shifts_holds_for_any_pair_of_years_in_either_direction(
    baseline: int, compare: int, expected: dict[str, str]
) -> None:
    result = theme_measures.theme_shifts(three_plan_crosswalk(), baseline, compare)
    assert dict(zip(result["theme"], result["relation"], strict=True)) == expected


def test_theme_shifts_compares_any_two_of_three_years_and_skips_themes_absent_from_both() -> None:
    themes = make_themes(
        [
            {"plan_year": 2020, "area_code": "3.1", "theme": "a"},
            {"plan_year": 2024, "area_code": "3.1", "theme": "a"},
            {"plan_year": 2024, "area_code": "3.2", "theme": "b", "relation": "new"},
            {"plan_year": 2028, "area_code": "3.1", "theme": "b", "relation": "renamed"},
            {"plan_year": 2028, "area_code": "3.2", "theme": "c", "relation": "new"},
        ]
    )
    first_last = theme_measures.theme_shifts(themes, 2020, 2028)
    assert first_last[["theme", "relation"]].values.tolist() == [
        ["a", "retired"],
        ["b", "new"],
        ["c", "new"],
    ]
    middle_last = theme_measures.theme_shifts(themes, 2024, 2028)
    assert middle_last[
        ["theme", "relation", "baseline_areas", "compare_areas"]
    ].values.tolist() == [
        ["a", "retired", "3.1", ""],
        ["b", "renamed", "3.2", "3.1"],
        ["c", "new", "", "3.2"],
    ]
    first_middle = theme_measures.theme_shifts(themes, 2020, 2024)
    assert first_middle["theme"].tolist() == ["a", "b"]


def test_theme_shifts_names_a_year_missing_from_the_crosswalk() -> None:
    themes = make_themes([{"plan_year": 2020, "area_code": "3.1", "theme": "a"}])
    with pytest.raises(ValueError, match=r"year 2024 is not in themes \(years present: 2020\)"):
        theme_measures.theme_shifts(themes, 2020, 2024)


# --------------------------------------------------------------------------- diversity


def test_two_equally_sized_themes_have_entropy_ln2_normalised_by_ln_n_categories() -> None:
    themes = make_themes(
        [
            {"plan_year": 2020, "area_code": "3.1", "theme": "t1"},
            {"plan_year": 2020, "area_code": "3.2", "theme": "t2"},
            {"plan_year": 2020, "area_code": "3.3", "theme": "t3"},
            {"plan_year": 2024, "area_code": "3.1", "theme": "t4", "relation": "new"},
        ]
    )
    plans = make_plans(
        [
            {"plan_year": 2020, "theme": "t1"},
            {"plan_year": 2020, "theme": "t1"},
            {"plan_year": 2020, "theme": "t2"},
            {"plan_year": 2020, "theme": "t2"},
            {"plan_year": 2024, "theme": "t4"},
            {"plan_year": 2024, "theme": "t4"},
            {"plan_year": 2024, "theme": "t4"},
        ]
    )
    expected = frame(
        {
            "plan_year": [2020, 2024],
            "n_activities": [4, 3],
            "n_themes_present": [2, 1],
            "n_categories": [4, 4],
            "entropy": [math.log(2), 0.0],
            "normalised_entropy": [math.log(2) / math.log(4), 0.0],
            "effective_n_themes": [2.0, 1.0],
        }
    )
    pd.testing.assert_frame_equal(diversity.agenda_diversity(plans, themes), expected)


# --------------------------------------------------------------------------- mixes


def test_activity_type_mix_zero_fills_every_type_in_codebook_order() -> None:
    plans = make_plans(
        [
            {"plan_year": 2020, "activity_type": "workshop"},
            {"plan_year": 2020, "activity_type": "webinar"},
            {"plan_year": 2020, "activity_type": "workshop"},
            {"plan_year": 2024, "activity_type": "meeting"},
        ]
    )
    result = count_measures.activity_type_mix(plans)
    assert len(result) == 2 * len(ACTIVITY_TYPES)
    assert result["activity_type"].tolist() == list(ACTIVITY_TYPES) * 2
    by_key = result.set_index(["plan_year", "activity_type"])
    assert by_key.loc[(2020, "workshop"), "n_activities"] == 2
    assert by_key.loc[(2020, "workshop"), "share"] == pytest.approx(2 / 3)
    assert by_key.loc[(2020, "webinar"), "share"] == pytest.approx(1 / 3)
    assert by_key.loc[(2024, "meeting"), "share"] == pytest.approx(1.0)
    assert by_key["n_activities"].sum() == 4


def test_activity_type_mix_covers_three_years_from_the_data() -> None:
    plans = make_plans(
        [
            {"plan_year": 2028, "activity_type": "award"},
            {"plan_year": 2020, "activity_type": "workshop"},
            {"plan_year": 2024, "activity_type": "award"},
            {"plan_year": 2024, "activity_type": "workshop"},
        ],
        categorical=False,
    )
    result = count_measures.activity_type_mix(plans)
    assert result["plan_year"].unique().tolist() == [2020, 2024, 2028]
    award = result[result["activity_type"] == "award"]["share"].tolist()
    assert award == pytest.approx([0.0, 0.5, 1.0])


def test_mix_outputs_have_plain_dtypes_and_a_fresh_index() -> None:
    plans = make_plans([{"activity_type": "award"}, {"activity_type": "event"}])
    result = count_measures.activity_type_mix(plans)
    assert result.dtypes.astype(str).tolist() == ["int64", "str", "int64", "float64"]
    assert isinstance(result.index, pd.RangeIndex)


def test_mix_rejects_a_code_outside_the_codebook() -> None:
    plans = make_plans(
        [{"activity_type": "seminar"}, {"activity_type": "workshop"}], categorical=False
    )
    with pytest.raises(ValueError, match=r"activity_type has values outside its vocabulary"):
        count_measures.activity_type_mix(plans)


def test_venue_mix_shares_activities_per_venue_mode() -> None:
    plans = make_plans(
        [
            {"plan_year": 2020, "venue_mode": "virtual"},
            {"plan_year": 2020, "venue_mode": "on_site"},
            {"plan_year": 2020, "venue_mode": "on_site"},
            {"plan_year": 2024, "venue_mode": "tbd"},
        ]
    )
    expected = frame(
        {
            "plan_year": [2020, 2020, 2020, 2024, 2024, 2024],
            "venue_mode": ["virtual", "on_site", "tbd"] * 2,
            "n_activities": [1, 2, 0, 0, 0, 1],
            "share": [1 / 3, 2 / 3, 0.0, 0.0, 0.0, 1.0],
        }
    )
    pd.testing.assert_frame_equal(count_measures.venue_mix(plans), expected)


# --------------------------------------------------------------------------- overview


def test_plan_overview_summarises_size_events_structure_and_funding_breadth(
    funding_plans: pd.DataFrame,
) -> None:
    plans = funding_plans.assign(
        area_code=["3.1", "3.1", "3.2", "3.1", "3.1"],
        theme=["t1", "t1", "t2", "t1", "t1"],
        frequency_per_year=[1, 4, 2, 1, 1],
    )
    expected = frame(
        {
            "plan_year": [2020, 2024],
            "n_activities": [3, 2],
            "n_events": [7, 2],
            "n_areas": [2, 1],
            "n_themes": [2, 1],
            "n_funding_sources_mean": [2.0, 1.0],
        }
    )
    pd.testing.assert_frame_equal(count_measures.plan_overview(plans), expected)
