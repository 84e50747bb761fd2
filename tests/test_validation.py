"""The validator turns each kind of bad curated file into one exact, actionable message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from bench_validation import many_bad_rows
from conftest import rewrite_cell

from gealc_analysis.core import paths
from gealc_analysis.data import PlanDataError, load_plans, load_themes, vocabulary, write_plan
from gealc_analysis.data.bundle import load_bundle

TYPES = ", ".join(vocabulary.ACTIVITY_TYPES)
FUNDING = ", ".join(vocabulary.FUNDING_SOURCES)


def problems_of(data_dir: Path, years: list[int] | None = None) -> list[str]:
    with pytest.raises(PlanDataError) as caught:
        load_plans(data_dir, years)
    lines = str(caught.value).splitlines()
    assert lines[0].endswith("in the curated data:"), lines[0]
    assert len(caught.value.problems) == len(lines) - 1
    return lines[1:]


@pytest.mark.parametrize(
    ("activity_id", "column", "bad_value", "expected"),
    [
        ("2020-3.1.1", "activity_type", "seminar", f"expected one of {TYPES}, found 'seminar'"),
        ("2020-3.1.1", "timing", "S3", "expected one of S1, S2, year_round, tbd, found 'S3'"),
        (
            "2020-3.1.1",
            "venue_mode",
            "online",
            "expected one of virtual, on_site, tbd, found 'online'",
        ),
        (
            "2020-3.2.3",
            "venue_country",
            "Costa Rica",
            (
                "expected an ISO 3166-1 alpha-2 country code (CR, PE, BR) or an empty cell, "
                "found 'Costa Rica'"
            ),
        ),
        (
            "2020-3.1.1",
            "frequency_per_year",
            "three",
            "expected a whole number of events per year, 1 or more, found 'three'",
        ),
        (
            "2020-3.1.1",
            "frequency_per_year",
            "0",
            "expected a whole number of events per year, 1 or more, found '0'",
        ),
        (
            "2020-3.1.1",
            "title_en",
            "",
            "expected non-empty text without leading or trailing spaces, found an empty cell",
        ),
        (
            "2020-3.1.1",
            "title_original",
            " Regional Workshop",
            "expected non-empty text without leading or trailing spaces,"
            " found ' Regional Workshop'",
        ),
        (
            "2020-3.1.1",
            "idb_instrument",
            "loan",
            "expected one of rpg, consultant, general or an empty cell, found 'loan'",
        ),
        (
            "2020-3.2.1",
            "idb_instrument",
            "rpg",
            "expected a value exactly when funding_sources includes idb, found 'rpg'",
        ),
        (
            "2020-3.1.1",
            "idb_instrument",
            "",
            "expected a value exactly when funding_sources includes idb, found an empty cell",
        ),
        (
            "2020-3.1.1",
            "source_ref",
            "3.1.x",
            "expected an activity number like 3.2.3 or 3.9ii.4, found '3.1.x'",
        ),
        (
            "2020-3.1.1",
            "area_code",
            "3.2",
            "expected a number inside its area_code (area_code + '.' + item), found '3.1.1'",
        ),
        (
            "2020-3.1.1",
            "venue_country",
            "PE",
            "expected an empty cell unless venue_mode is on_site, found 'PE'",
        ),
    ],
)
def test_bad_cell_is_reported_with_file_line_column_expected_and_found(
    curated_copy: Path, activity_id: str, column: str, bad_value: str, expected: str
) -> None:
    path = curated_copy / "plan_2020.csv"
    line = rewrite_cell(path, activity_id, column, bad_value)
    reported_column = "source_ref" if column == "area_code" else column
    wanted = f"{path}:{line}: {reported_column}: {expected}"
    assert wanted in problems_of(curated_copy)


def test_unknown_funding_code_names_the_allowed_codes(curated_copy: Path) -> None:
    path = curated_copy / "plan_2024.csv"
    line = rewrite_cell(path, "2024-3.8.1", "funding_sources", "bid")
    assert (
        f"{path}:{line}: funding_sources: expected ';'-separated codes of funding_codes.csv "
        f"({FUNDING}; add a new one there), found 'bid'"
    ) in problems_of(curated_copy)


def test_a_folder_without_its_funding_codes_is_a_located_problem(curated_copy: Path) -> None:
    (curated_copy / "funding_codes.csv").unlink()
    assert (
        f"{curated_copy}: folder: expected the funding codes funding_codes.csv, found 'none'"
    ) in problems_of(curated_copy)


def test_a_funding_code_added_to_the_data_file_is_accepted(curated_copy: Path) -> None:
    codes = curated_copy / "funding_codes.csv"
    codes.write_text(
        codes.read_text(encoding="utf-8")
        + "caf,cash,CAF,CAF,Development Bank of Latin America funds.\n",
        encoding="utf-8",
    )
    rewrite_cell(curated_copy / "plan_2024.csv", "2024-3.8.1", "funding_sources", "caf;idb")
    bundle = load_bundle(curated_copy)
    assert bundle.resource_kinds["caf"] == "cash"
    assert "caf;idb" in set(bundle.plans["funding_sources"])


def test_unsorted_funding_codes_are_rejected(curated_copy: Path) -> None:
    path = curated_copy / "plan_2024.csv"
    line = rewrite_cell(path, "2024-3.4.1", "funding_sources", "working_group;oas")
    assert problems_of(curated_copy) == [
        (
            f"{path}:{line}: funding_sources: expected the codes sorted alphabetically, each once, "
            "found 'working_group;oas'"
        )
    ]


def test_duplicate_activity_id_reports_both_rows(curated_copy: Path) -> None:
    path = curated_copy / "plan_2020.csv"
    line = rewrite_cell(path, "2020-3.1.2", "activity_id", "2020-3.1.1")
    problems = problems_of(curated_copy)
    assert (
        f"{path}:2: activity_id: expected a value unique within the file, found '2020-3.1.1'"
        in problems
    )
    assert (
        f"{path}:{line}: activity_id: expected a value unique within the file, "
        "found '2020-3.1.1'" in problems
    )


def test_activity_id_must_be_built_from_year_and_source_ref(curated_copy: Path) -> None:
    path = curated_copy / "plan_2020.csv"
    line = rewrite_cell(path, "2020-3.1.2", "activity_id", "2020-3.1.9")
    assert problems_of(curated_copy) == [
        (
            f"{path}:{line}: activity_id: expected the plan year and source_ref it is made of "
            "(<year>-<source_ref>), found '2020-3.1.9'"
        )
    ]


def test_plan_year_must_match_the_file_name(curated_copy: Path) -> None:
    path = curated_copy / "plan_2024.csv"
    line = rewrite_cell(path, "2024-3.1.1", "plan_year", "2023")
    problems = problems_of(curated_copy)
    assert (
        f"{path}:{line}: plan_year: expected 2024, the year in the file name, found '2023'"
        in problems
    )


def test_theme_not_matching_the_crosswalk_says_which_file_to_edit(curated_copy: Path) -> None:
    path = curated_copy / "plan_2024.csv"
    line = rewrite_cell(path, "2024-3.3.1", "theme", "ciber")
    assert problems_of(curated_copy) == [
        (
            f"{path}:{line}: theme: expected 'cybersecurity' as themes.csv gives for 2024 3.3 "
            "(fix the row or the crosswalk), found 'ciber'"
        )
    ]


def test_area_missing_from_the_crosswalk_is_reported(curated_copy: Path) -> None:
    path = curated_copy / "plan_2024.csv"
    line = rewrite_cell(path, "2024-3.3.1", "area_code", "3.10")
    rewrite_cell(path, "2024-3.3.1", "source_ref", "3.10.1")
    rewrite_cell(path, "2024-3.3.1", "activity_id", "2024-3.10.1")
    assert problems_of(curated_copy) == [
        (
            f"{path}:{line}: area_code: expected an area listed for 2024 in themes.csv "
            "(add it there or fix the row), found '3.10'"
        )
    ]


def test_missing_column_is_reported_on_the_header_line(curated_copy: Path) -> None:
    path = curated_copy / "plan_2020.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["notes"])
    frame.to_csv(path, index=False, lineterminator="\n")
    assert f"{path}:1: header: expected column(s) notes, found 'none such'" in problems_of(
        curated_copy
    )


def test_columns_out_of_order_are_reported(curated_copy: Path) -> None:
    path = curated_copy / "plan_2020.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    columns = list(frame.columns)
    columns[-1], columns[-2] = columns[-2], columns[-1]
    frame[columns].to_csv(path, index=False, lineterminator="\n")
    [problem] = problems_of(curated_copy)
    assert problem.startswith(f"{path}:1: header: expected columns in the order plan_year, ")


def test_row_with_missing_fields_is_reported(curated_copy: Path) -> None:
    path = curated_copy / "plan_2020.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].rsplit(",", 1)[0] + "\n"  # drop the last field of line 4
    path.write_text("".join(lines), encoding="utf-8")
    assert problems_of(curated_copy) == [
        f"{path}:4: row: expected 22 fields like the header, found '21 fields'"
    ]


def test_a_stray_comma_is_one_problem_not_a_cascade_of_shifted_cells(curated_copy: Path) -> None:
    path = curated_copy / "plan_2020.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(",Three horizontal", ",Three, horizontal", 1)
    path.write_text("".join(lines), encoding="utf-8")
    assert problems_of(curated_copy) == [
        f"{path}:4: row: expected 22 fields like the header, found '23 fields'"
    ]


def test_non_utf8_bytes_are_reported_with_their_line(curated_copy: Path) -> None:
    path = curated_copy / "plan_2024.csv"
    data = path.read_bytes().replace("Países".encode(), "Países".encode("latin-1"), 1)
    path.write_bytes(data)
    line = data[: data.index(b"Pa" + "í".encode("latin-1"))].count(b"\n") + 1
    assert f"{path}:{line}: file: expected UTF-8 text, found 'byte 0xed'" in problems_of(
        curated_copy
    )


def test_requesting_a_year_without_a_file_lists_the_years_available(curated_copy: Path) -> None:
    assert problems_of(curated_copy, [2023]) == [
        f"{curated_copy}: years: expected a plan_2023.csv (have 2020, 2024), found 'no such file'"
    ]


def test_badly_named_plan_file_is_reported(curated_copy: Path) -> None:
    shutil.copy(curated_copy / "plan_2020.csv", curated_copy / "plan_20.csv")
    assert problems_of(curated_copy) == [
        (
            f"{curated_copy / 'plan_20.csv'}: file name: expected plan_<four-digit year>.csv, "
            "found 'plan_20.csv'"
        )
    ]


def test_every_problem_in_every_file_is_listed_at_once(curated_copy: Path) -> None:
    first = rewrite_cell(curated_copy / "plan_2020.csv", "2020-3.1.1", "timing", "spring")
    second = rewrite_cell(curated_copy / "plan_2024.csv", "2024-3.2.1", "venue_mode", "hybrid")
    third = rewrite_cell(curated_copy / "plan_2024.csv", "2024-3.2.2", "title_es", "")
    problems = problems_of(curated_copy)
    assert [p.split(": expected")[0] for p in problems] == [
        f"{curated_copy / 'plan_2020.csv'}:{first}: timing",
        f"{curated_copy / 'plan_2024.csv'}:{second}: venue_mode",
        f"{curated_copy / 'plan_2024.csv'}:{third}: title_es",
    ]


def test_bad_crosswalk_relation_is_reported(curated_copy: Path) -> None:
    path = curated_copy / "themes.csv"
    text = path.read_text(encoding="utf-8").replace(
        ",new,,New area in 2024; it takes the number 3.3", ",novel,,New area", 1
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanDataError) as caught:
        load_themes(curated_copy)
    assert str(caught.value).splitlines()[1] == (
        f"{path}:13: relation: expected one of continued, renamed, merged, split, new, retired, "
        "found 'novel'"
    )


def test_load_write_load_is_lossless_and_byte_identical(tmp_path: Path) -> None:
    plans = load_plans()
    for year, plan in plans.groupby("plan_year"):
        write_plan(plan, tmp_path / f"plan_{year}.csv")
    for name in ("themes.csv", "funding_codes.csv"):
        shutil.copy(paths.CURATED_DIR / name, tmp_path / name)
    again = load_plans(tmp_path)
    pd.testing.assert_frame_equal(plans, again)
    for year in plans["plan_year"].unique():
        name = f"plan_{year}.csv"
        assert (tmp_path / name).read_bytes() == (paths.CURATED_DIR / name).read_bytes()


def test_loaded_columns_are_typed(curated_copy: Path) -> None:
    plans = load_plans(curated_copy)
    assert list(plans.columns) == list(vocabulary.PLAN_COLUMNS)
    assert plans["plan_year"].dtype == "int64"
    assert plans["frequency_per_year"].dtype == "int64"
    assert list(plans["timing"].cat.categories) == list(vocabulary.TIMINGS)
    assert plans["timing"].cat.ordered
    assert list(plans["activity_type"].cat.categories) == list(vocabulary.ACTIVITY_TYPES)
    assert list(plans["venue_mode"].cat.categories) == list(vocabulary.VENUE_MODES)
    assert list(plans["idb_instrument"].cat.categories) == list(vocabulary.IDB_INSTRUMENTS)
    assert plans["idb_instrument"].isna().sum() > 0
    assert list(plans["area_code"].cat.categories)[-3:] == ["3.9", "3.9i", "3.9ii"]
    assert plans["theme"].cat.categories[0] == "cross_border_services"


def test_a_third_plan_file_is_picked_up_without_code_changes(curated_copy: Path) -> None:
    text = (curated_copy / "plan_2024.csv").read_text(encoding="utf-8")
    (curated_copy / "plan_2025.csv").write_text(
        text.replace("\n2024,2024-", "\n2025,2025-"), encoding="utf-8"
    )
    themes = (curated_copy / "themes.csv").read_text(encoding="utf-8")
    extra = "".join(
        line.replace("2024,", "2025,", 1) + "\n"
        for line in themes.splitlines()
        if line.startswith("2024,")
    )
    (curated_copy / "themes.csv").write_text(themes + extra, encoding="utf-8")
    plans = load_plans(curated_copy)
    assert sorted(plans["plan_year"].unique()) == [2020, 2024, 2025]
    assert len(load_plans(curated_copy, [2025])) == 41


def test_a_missing_data_folder_says_how_to_point_at_one(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "nowhere") == [
        (
            f"{tmp_path / 'nowhere'}: folder: expected a folder of curated plan_<year>.csv files "
            "(give its path: DATA_DIR or --data-dir), found 'no such folder'"
        )
    ]


# ------------------------------------------------------------------ many bad rows


def test_the_detailed_scan_stops_at_its_cap_and_says_where(curated_copy: Path) -> None:
    from gealc_analysis.data import errors, schema

    path = many_bad_rows(curated_copy, 30_000)
    with pytest.raises(PlanDataError) as caught:
        load_plans(curated_copy)
    problems = caught.value.problems
    stops = [p for p in problems if p.column == errors.SCAN_STOPPED]
    assert len(stops) == 1
    (stop,) = stops
    assert stop.path.endswith("plan_2024.csv") and stop.found == errors.NOT_SCANNED
    # Every row before the stop was checked; none after it.
    scanned = {p.line for p in problems if p.path.endswith("plan_2024.csv") and p != stop}
    assert scanned == set(range(2, stop.line))
    assert schema.SCAN_CAP <= len(problems) - 1 < 3 * schema.FIRST_SCAN_ROWS
    message = str(caught.value).splitlines()
    assert message[-1] == str(stop), "the stop is always shown, after the count"
    assert message[-2] == f"… and {len(problems) - 1 - errors.SHOWN_PROBLEMS} more"
    assert str(path) in message[1]


def test_below_the_cap_every_row_is_checked_and_nothing_says_stopped(curated_copy: Path) -> None:
    from gealc_analysis.data import errors, schema

    many_bad_rows(curated_copy, schema.SCAN_CAP // 4)
    with pytest.raises(PlanDataError) as caught:
        load_plans(curated_copy)
    assert not [p for p in caught.value.problems if p.column == errors.SCAN_STOPPED]
    lines = {p.line for p in caught.value.problems if p.path.endswith("plan_2024.csv")}
    assert lines == set(range(2, 2 + schema.SCAN_CAP // 4))


def test_a_row_check_names_the_row_cells_of_the_failing_row(curated_copy: Path) -> None:
    """The vectorised failures fill each message from its own row (not a neighbour's)."""
    path = curated_copy / "plan_2024.csv"
    first = rewrite_cell(path, "2024-3.1.1", "theme", "open_data")
    second = rewrite_cell(path, "2024-3.2.1", "theme", "cross_border_services")
    with pytest.raises(PlanDataError) as caught:
        load_plans(curated_copy)
    assert {(p.line, p.found, p.expected) for p in caught.value.problems} == {
        (
            first,
            "open_data",
            "'cross_border_services' as themes.csv gives for 2024 3.1 "
            "(fix the row or the crosswalk)",
        ),
        (
            second,
            "cross_border_services",
            "'open_data' as themes.csv gives for 2024 3.2 (fix the row or the crosswalk)",
        ),
    }


# ------------------------------------------------------------------ what the speed-ups rely on


def test_a_cell_starting_with_an_ascii_letter_or_digit_is_never_formula_like() -> None:
    """The formula check answers these cells without normalising them (schema._PLAIN_STARTS):
    NFKC keeps such a first character, or composes it with the marks after it into a letter.
    Every such start, followed by every combining mark of Unicode, then a trigger."""
    import string
    import sys
    import unicodedata

    from gealc_analysis.core.outputs import is_formula_like
    from gealc_analysis.data import schema

    marks = [
        chr(code)
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in ("Mn", "Mc", "Me")
    ]
    assert schema._PLAIN_STARTS == set(string.ascii_letters + string.digits)
    for start in sorted(schema._PLAIN_STARTS):
        formula_like = [m for m in marks if is_formula_like(f"{start}{m}=1+1")]
        assert not formula_like, (start, formula_like[:5])
        assert unicodedata.normalize("NFKC", start) == start


def test_a_schema_edited_in_place_is_read_and_built_again(tmp_path: Path) -> None:
    """The validators are built once per content of a schema's files, not once per path:
    an edit to the same file (or to the definitions beside it) is seen by the next load."""
    from gealc_analysis.data import contract, load_table, table_schema

    schemas = tmp_path / "schemas"
    shutil.copytree(contract.SCHEMAS_DIR, schemas)
    schema_file = schemas / "funding_codes.schema.yaml"
    table = paths.CURATED_DIR / "funding_codes.csv"
    before = table_schema(schema_file)
    assert load_table(table, schema_file)["code"].tolist()
    assert table_schema(schema_file) is before, "an unchanged schema is not read again"
    text = schema_file.read_text(encoding="utf-8")
    edited = text.replace("enum: [cash, staff_time]", "enum: [money, staff_time]", 1)
    assert edited != text
    schema_file.write_text(edited, encoding="utf-8")
    assert table_schema(schema_file) is not before
    with pytest.raises(PlanDataError, match="kind: expected"):
        load_table(table, schema_file)
    schema_file.write_text(text, encoding="utf-8")
    assert table_schema(schema_file) is before
    assert contract.column_names(schema_file) == list(load_table(table, schema_file).columns)


def test_problems_alike_but_for_the_cell_found_are_listed_in_one_order() -> None:
    """Two unknown header names (same file, line, column and words) were listed in the order
    of a set, which changed from run to run; the cell found now breaks the tie."""
    from gealc_analysis.data import Problem

    alike = [
        Problem("plan_2024.csv", 1, "header", "only the columns of the codebook", name)
        for name in ("zeta", "alpha", "mid")
    ]
    messages = {str(PlanDataError(order)) for order in (alike, alike[::-1], alike[1:] + alike[:1])}
    assert len(messages) == 1
    assert [p.found for p in PlanDataError(alike).problems] == ["alpha", "mid", "zeta"]


def test_a_table_found_valid_is_checked_again_once_its_cells_change(curated_copy: Path) -> None:
    """Valid cells seen before are not checked twice (loading._VALID), but only valid ones,
    and only the same cells: a later edit of the same file is found, and its problem names
    that file, not the copy that was valid."""
    from gealc_analysis.data import loading

    load_themes(curated_copy)
    load_themes(paths.CURATED_DIR)
    assert any(key[0] == tuple(vocabulary.THEME_COLUMNS) for key in loading._VALID)
    path = curated_copy / "themes.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("2020,3.1,", "2020,x,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    for _ in range(2):  # a table with problems is not remembered: reported each time
        with pytest.raises(PlanDataError) as caught:
            load_themes(curated_copy)
        assert {(p.path, p.line, p.column) for p in caught.value.problems} == {
            (str(path), 2, "area_code")
        }
