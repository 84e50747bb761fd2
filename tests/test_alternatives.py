"""Alternative codings as data: the file is checked against the plans, and applying no
alternative reproduces the curated data exactly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from frames import make_plans, make_themes

from gealc_analysis.data import PlanDataError, alternatives, plans_to_text
from gealc_analysis.measures import robustness

HEADER = "decision,alternative,primary,table,row_id,column,value,note\n"


@pytest.fixture
def plans() -> pd.DataFrame:
    return make_plans(
        [
            {
                "plan_year": 2020,
                "activity_id": "2020-3.1.1",
                "source_ref": "3.1.1",
                "frequency_per_year": 24,
                "timing": "year_round",
            },
            {
                "plan_year": 2024,
                "activity_id": "2024-3.1.1",
                "source_ref": "3.1.1",
                "timing": "tbd",
                "frequency_per_year": 4,
            },
        ]
    )


@pytest.fixture
def themes() -> pd.DataFrame:
    return make_themes(
        [
            {"plan_year": 2020, "area_code": "3.1", "theme": "t1"},
            {"plan_year": 2024, "area_code": "3.1", "theme": "t1"},
        ]
    )


def write(folder: Path, body: str) -> Path:
    path = folder / alternatives.ALTERNATIVES_FILE
    path.write_text(HEADER + body, encoding="utf-8")
    return folder


def problems_of(folder: Path, plans: pd.DataFrame, themes: pd.DataFrame) -> list[str]:
    with pytest.raises(PlanDataError) as error:
        alternatives.load_alternatives(plans, themes, folder)
    return [str(problem) for problem in error.value.problems]


GOOD = (
    "cadence,twice,true,plan,2020-3.1.1,frequency_per_year,24,as coded\n"
    "cadence,every_two,false,plan,2020-3.1.1,frequency_per_year,6,bimensual\n"
)


def test_a_valid_file_loads_with_the_primary_alternative_first(tmp_path, plans, themes):
    loaded = alternatives.load_alternatives(plans, themes, write(tmp_path, GOOD))
    assert alternatives.decisions(loaded) == {"cadence": ["twice", "every_two"]}
    assert list(loaded["line"]) == [2, 3], "each row keeps its line in the file"


def test_a_missing_file_means_no_contested_decisions(tmp_path, plans, themes):
    assert alternatives.load_alternatives(plans, themes, tmp_path).empty


def test_an_activity_id_not_in_the_plan_is_reported_at_its_line(tmp_path, plans, themes):
    body = GOOD + (
        "cadence,twice,true,plan,2020-3.1.9,frequency_per_year,24,x\n"
        "cadence,every_two,false,plan,2020-3.1.9,frequency_per_year,6,x\n"
    )
    found = problems_of(write(tmp_path, body), plans, themes)
    assert any(
        ":4: row_id: expected a row of plan_2020.csv, found '2020-3.1.9'" in p for p in found
    ), found


def test_a_value_outside_the_columns_vocabulary_is_an_error(tmp_path, plans, themes):
    body = (
        "when,tbd,true,plan,2024-3.1.1,timing,tbd,x\n"
        "when,spread,false,plan,2024-3.1.1,timing,all_year,x\n"
    )
    found = problems_of(write(tmp_path, body), plans, themes)
    assert any(
        ":3: value: expected one of S1, S2, year_round, tbd (column timing), found 'all_year'" in p
        for p in found
    ), found


def test_a_decision_needs_exactly_one_primary_alternative(tmp_path, plans, themes):
    body = GOOD.replace("every_two,false", "every_two,true")
    found = problems_of(write(tmp_path, body), plans, themes)
    assert any(
        "expected exactly one primary alternative for decision cadence, "
        "found 'every_two, twice'" in p
        for p in found
    ), found


def test_the_primary_alternative_must_hold_todays_value(tmp_path, plans, themes):
    body = GOOD.replace("frequency_per_year,24,as coded", "frequency_per_year,12,as coded")
    found = problems_of(write(tmp_path, body), plans, themes)
    assert any("expected '24' as plan_2020.csv holds" in p for p in found), found


def test_every_alternative_must_set_the_same_cells(tmp_path, plans, themes):
    body = GOOD + "cadence,twice,true,plan,2024-3.1.1,frequency_per_year,4,x\n"
    found = problems_of(write(tmp_path, body), plans, themes)
    assert any("missing plan:2024-3.1.1:frequency_per_year" in p for p in found), found


def test_schema_errors_are_located_and_all_reported_at_once(tmp_path, plans, themes):
    body = (
        "Bad Key,x,maybe,plan,2020-3.1.1,frequency_per_year,24,x\n"
        "ok,x,true,sheet,2020-3.1.1,frequency_per_year,24,x\n"
    )
    found = problems_of(write(tmp_path, body), plans, themes)
    assert any(":2: primary: expected true or false, found 'maybe'" in p for p in found), found
    write(tmp_path, "Bad Key,x,true,sheet,2020-3.1.1,frequency_per_year,24,\n")
    found = problems_of(tmp_path, plans, themes)
    assert any(
        ":2: decision: expected a decision key in snake_case, found 'Bad Key'" in p for p in found
    ), found
    assert any(
        ":2: table: expected one of plan, themes, funding_codes, lineage, found 'sheet'" in p
        for p in found
    ), found
    assert any(
        ":2: note: expected a note saying why the alternative is defensible, "
        "found an empty cell" in p
        for p in found
    ), found


def test_rows_about_a_plan_year_not_loaded_are_left_out(tmp_path, plans, themes):
    only_2024 = plans[plans["plan_year"] == 2024]
    loaded = alternatives.load_alternatives(only_2024, themes, write(tmp_path, GOOD))
    assert loaded.empty


# --------------------------------------------------------------------------- the real file


@pytest.fixture
def real_alternatives(real_plans, real_themes) -> pd.DataFrame:
    return alternatives.load_alternatives(real_plans, real_themes)


def test_the_real_file_lists_every_decision_the_review_asked_for(real_alternatives):
    assert alternatives.decisions(real_alternatives) == {
        "semimonthly_meetings": ["twice_a_month", "monthly", "every_two_months"],
        "tbd_with_count": ["tbd", "year_round"],
        "knowledge_management": ["merged", "retired", "split"],
        "digital_government_measurement": ["retired", "merged"],
        "joint_meetings_2024": ["counted_twice", "counted_once"],
        "oas_in_2024_3_8_3": ["not_named", "named"],
        "unclear_staff_time": ["member_countries", "working_group"],
        "idb_consultant": ["cash", "in_kind_staff_time"],
        "oas_support": ["cash", "staff_time"],
        "unit_of_counting": ["each_row", "repeated_items_once"],
        "interoperability_workshops": ["merged_into_group", "by_format"],
        "blockchain_seminar": ["dropped", "modified"],
        "awards_catalogue_and_vote": ["call_takes_two", "all_four_merged"],
    }


def test_applying_the_primary_coding_reproduces_the_curated_data_exactly(
    real_plans, real_themes, real_alternatives
):
    coded_plans, coded_themes = robustness.apply_alternatives(
        real_plans, real_themes, real_alternatives
    )
    assert plans_to_text(coded_plans).equals(plans_to_text(real_plans))
    original = real_themes.astype(str)
    assert coded_themes.astype(str).equals(original)


def test_every_two_months_gives_the_reviews_52_events_for_2020(
    real_plans, real_themes, real_alternatives
):
    coded, _ = robustness.apply_alternatives(
        real_plans, real_themes, real_alternatives, {"semimonthly_meetings": "every_two_months"}
    )
    assert coded.loc[coded["plan_year"] == 2020, "frequency_per_year"].sum() == 52
    assert real_plans.loc[real_plans["plan_year"] == 2020, "frequency_per_year"].sum() == 124, (
        "applying an alternative must not change the frame it was given"
    )


# --------------------------------------------------------------------------- other tables


def test_a_funding_code_row_and_a_virtual_column_are_checked(tmp_path, plans, themes):
    """funding_codes rows are named by code; a virtual column (in_kind_instruments, not in
    funding_codes.csv; listing_group, not in the plans) is empty in the curated data, so a
    primary alternative must leave it empty."""
    body = (
        "kinds,cash,true,funding_codes,idb,in_kind_instruments,,x\n"
        "kinds,time,false,funding_codes,idb,in_kind_instruments,consultant,x\n"
        "rows,each,true,plan,2020-3.1.1,listing_group,grouped,x\n"
        "rows,each,false,funding_codes,nope,kind,money,x\n"
    )
    found = problems_of(write(tmp_path, body), plans, themes)
    assert any(
        ":4: value: expected '' as plan_2020.csv holds (a primary alternative is today's coding)"
        in p
        for p in found
    ), found
    assert any(":5: row_id: expected a row of funding_codes.csv, found 'nope'" in p for p in found)
    assert any(":5: value: expected one of cash, staff_time (column kind)" in p for p in found)
    assert not [p for p in found if ":2:" in p or ":3:" in p], found


def test_a_lineage_row_is_named_from_and_to_and_checked_when_the_lineage_is_given(
    tmp_path, plans, themes
):
    lineage = pd.DataFrame(
        {
            "from_year": [2020],
            "from_activity_id": ["2020-3.1.1"],
            "to_year": [2024],
            "to_activity_id": [""],
            "relation": ["dropped"],
            "note": ["x"],
        }
    )
    body = (
        "link,dropped,true,lineage,2020-3.1.1|,relation,dropped,x\n"
        "link,modified,false,lineage,2020-3.1.1|,relation,modified,x\n"
        "other,a,true,lineage,2020-3.1.9|,relation,renamed,x\n"
    )
    path = write(tmp_path, body)
    frame, _ = alternatives.load_curated_table(
        alternatives.alternatives_path(path), alternatives.SCHEMA_FILE
    )
    frame = frame.astype(object)
    frame["value"] = frame["value"].where(frame["value"].notna(), "")
    found = [
        str(p) for p in alternatives.check_alternatives(frame, plans, themes, "f", lineage=lineage)
    ]
    assert any(":4: row_id: expected a row of lineage.csv, found '2020-3.1.9|'" in p for p in found)
    assert any(":4: value: expected one of continued" in p for p in found), found
    assert not [p for p in found if ":2:" in p or ":3:" in p], found
