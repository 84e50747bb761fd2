"""A catalogue of bad inputs a person editing the data by hand can produce, each with the
exact message ``gealc-report`` prints and its exit code (2: the user can fix it).

Each case breaks a private copy of the curated data (``curated_copy``) in one named way
and returns the problem lines it must produce, in order. The catalogue covers the folder
and its files, the CSV text (encoding, quoting, fields), the header, every kind of cell
rule (type, bound, pattern, enum, cross-column, cross-file), the crosswalk, and the
``datapackage`` command; what the folder may hold (symlinks leaving it, loops, FIFOs,
sockets, ``raw/`` beside it, extensions in upper case) and text that a spreadsheet would
run as a formula (with Unicode look-alikes).
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from conftest import rewrite_cell

from gealc_analysis import cli
from gealc_analysis.core import paths
from gealc_analysis.data import PlanDataError, load_plans
from gealc_analysis.data.errors import SHOWN_PROBLEMS

P2024, P2020, THEMES = "plan_2024.csv", "plan_2020.csv", "themes.csv"
OUTSIDE = (
    "file: expected a file or folder inside the data folder (a symlink may only point "
    "inside it), found 'a symlink to a path outside the data folder'"
)
LOOPED = (
    "file: expected a file or folder, not a symlink loop, found 'a symlink loop (a link "
    "that leads back to itself)'"
)
FORMULA = (
    "expected text that does not start like a spreadsheet formula (=, +, - or @, also "
    "after spaces, invisible characters or full-width look-alikes): start it with a word"
)
SECRET = "SECRET-FIRST-LINE,of,a,file,outside"
TEXT = "non-empty text without leading or trailing spaces"
FREQUENCY = "a whole number of events per year, 1 or more"
AT_MOST_366 = "at most 366 events per year (one a day)"


def set_cell(
    folder: Path, activity_id: str, column: str, value: str, file: str = P2024
) -> tuple[Path, int]:
    path = folder / file
    return path, rewrite_cell(path, activity_id, column, value)


def edit_line(path: Path, number: int, edit: Callable[[str], str]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[number - 1] = edit(lines[number - 1])
    path.write_text("".join(lines), encoding="utf-8")


# ------------------------------------------------------------------ the folder and its files


def missing_folder(folder: Path) -> list[str]:
    os.rename(folder, folder.with_name("elsewhere"))
    return [
        f"{folder}: folder: expected a folder of curated plan_<year>.csv files (give its "
        "path: DATA_DIR or --data-dir), found 'no such folder'"
    ]


def empty_folder(folder: Path) -> list[str]:
    for path in folder.iterdir():
        path.unlink()
    return [
        f"{folder}: folder: expected at least one plan_<year>.csv, found 'none'",
        f"{folder}: folder: expected the crosswalk themes.csv, found 'none'",
        f"{folder}: folder: expected the funding codes funding_codes.csv, found 'none'",
    ]


def missing_crosswalk(folder: Path) -> list[str]:
    (folder / THEMES).unlink()
    return [f"{folder}: folder: expected the crosswalk themes.csv, found 'none'"]


def badly_named_plan(folder: Path) -> list[str]:
    (folder / "plan_24.csv").write_bytes((folder / P2024).read_bytes())
    return [
        f"{folder / 'plan_24.csv'}: file name: expected plan_<four-digit year>.csv, "
        "found 'plan_24.csv'"
    ]


def arabic_indic_digits_in_a_file_name(folder: Path) -> list[str]:
    name = "plan_\u0662\u0660\u0662\u0664.csv"  # plan_٢٠٢٤.csv must not shadow plan_2024.csv
    (folder / name).write_text("garbage", encoding="utf-8")
    return [f"{folder / name}: file name: expected plan_<four-digit year>.csv, found '{name}'"]


def a_folder_where_a_plan_should_be(folder: Path) -> list[str]:
    (folder / "plan_2030.csv").mkdir()
    return [f"{folder / 'plan_2030.csv'}: file: expected a CSV file, found 'a folder'"]


def a_dangling_link_for_a_plan(folder: Path) -> list[str]:
    (folder / "plan_2030.csv").symlink_to(folder / "gone.csv")
    return [
        f"{folder / 'plan_2030.csv'}: file: expected a readable CSV file, "
        "found 'No such file or directory'"
    ]


def an_empty_plan_file(folder: Path) -> list[str]:
    (folder / P2024).write_bytes(b"")
    return [f"{folder / P2024}:1: header: expected a header row, found an empty cell"]


def a_plan_with_a_header_and_no_rows(folder: Path) -> list[str]:
    path = folder / P2024
    path.write_text(path.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
    return [f"{path}:2: row: expected at least one activity, found 'no rows'"]


# ------------------------------------------------------------------ the CSV text


def latin1_bytes(folder: Path) -> list[str]:
    path = folder / P2024
    path.write_bytes(
        path.read_bytes().replace(
            b"Servicios transfronterizos,cross",
            "Servicios transfronterizós,cross".encode("latin-1"),
            1,
        )
    )
    return [
        f"{path}:2: file: expected UTF-8 text, found 'byte 0xf3'",
        f"{path}:2: area_name: expected 'Servicios transfronterizos' as themes.csv gives "
        "for 2024 3.1 (fix the row or the crosswalk), found 'Servicios transfronteriz\ufffds'",
    ]


def a_utf16_file(folder: Path) -> list[str]:
    path = folder / P2024
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    return [
        f"{path}:1: file: expected UTF-8 text, found 'byte 0xff'",
        f"{path}:1: file: expected text without NUL characters, found 'byte 0x00'",
        f"{path}:1: header: expected column(s) plan_year, found 'none such'",
        f"{path}:1: header: expected only the columns of the codebook, found "
        "'\ufffd\ufffdplan_year'",
    ]


def an_unclosed_quote(folder: Path) -> list[str]:
    path = folder / P2024
    edit_line(path, 42, lambda line: line.rstrip("\n") + ',"unclosed\n')
    return [
        f"{path}:42: file: expected well-formed CSV, found 'a quote opened on this line "
        "and never closed (read to line 42)'"
    ]


def a_quote_that_closes_lines_later(folder: Path) -> list[str]:
    path = folder / P2024
    edit_line(
        path,
        4,
        lambda line: line.replace(",Actualización de la lista", ',"Actualización de la lista', 1),
    )
    return [
        f"{path}:4: file: expected well-formed CSV, found '',' expected after '\"' "
        "(in a quoted cell opened on this line, at line 5)'"
    ]


def a_bare_quote_inside_a_cell(folder: Path) -> list[str]:
    path = folder / P2024
    edit_line(path, 3, lambda line: line.replace("Taller regional", 'Taller "regional', 1))
    return [
        f"{path}:3: title_original: expected a quote only around a whole cell (a quote "
        'inside a cell is written ""), found \'Taller "regional autenticación '
        "transfronteriza.'"
    ]


def a_row_missing_its_last_field(folder: Path) -> list[str]:
    path = folder / P2024
    edit_line(path, 4, lambda line: line.rsplit(",", 1)[0] + "\n")
    return [f"{path}:4: row: expected 22 fields like the header, found '21 fields'"]


def a_stray_comma(folder: Path) -> list[str]:
    path = folder / P2024
    edit_line(path, 4, lambda line: line.replace("Update of the list", "Update, of the list", 1))
    return [f"{path}:4: row: expected 22 fields like the header, found '23 fields'"]


# ------------------------------------------------------------------ the header


def a_missing_column(folder: Path) -> list[str]:
    path = folder / P2024
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["notes"])
    frame.to_csv(path, index=False, lineterminator="\n")
    return [f"{path}:1: header: expected column(s) notes, found 'none such'"]


def an_unknown_column(folder: Path) -> list[str]:
    path = folder / P2024
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(
        "".join(
            [lines[0].rstrip("\n") + ",budget\n"]
            + [line.rstrip("\n") + ",\n" for line in lines[1:]]
        ),
        encoding="utf-8",
    )
    return [f"{path}:1: header: expected only the columns of the codebook, found 'budget'"]


def a_column_twice(folder: Path) -> list[str]:
    path = folder / P2024
    edit_line(path, 1, lambda line: line.replace(",notes", ",title_en"))
    return [
        f"{path}:1: header: expected column(s) notes, found 'none such'",
        f"{path}:1: header: expected each column once, found 'title_en'",
    ]


# ------------------------------------------------------------------ cells


def cell_case(
    activity_id: str,
    column: str,
    value: str,
    expected: str,
    reported: str | None = None,
    file: str = P2024,
    shown: str | None = None,
) -> Callable[[Path], list[str]]:
    def case(folder: Path) -> list[str]:
        path, line = set_cell(folder, activity_id, column, value, file)
        found = f"'{shown or value}'" if value else "an empty cell"
        return [f"{path}:{line}: {reported or column}: expected {expected}, found {found}"]

    return case


CELL_CASES = {
    "frequency_zero": cell_case("2024-3.1.1", "frequency_per_year", "0", FREQUENCY),
    "frequency_above_366": cell_case("2024-3.1.1", "frequency_per_year", "367", AT_MOST_366),
    "frequency_beyond_int64": cell_case("2024-3.1.1", "frequency_per_year", "9" * 30, AT_MOST_366),
    "frequency_negative": cell_case("2024-3.1.1", "frequency_per_year", "-3", FREQUENCY),
    "frequency_in_words": cell_case("2024-3.1.1", "frequency_per_year", "three", FREQUENCY),
    "frequency_in_arabic_indic_digits": cell_case(
        "2024-3.1.1", "frequency_per_year", "\u0663", FREQUENCY
    ),
    "frequency_with_decimals": cell_case("2024-3.1.1", "frequency_per_year", "3.0", FREQUENCY),
    "frequency_empty": cell_case("2024-3.1.1", "frequency_per_year", "", FREQUENCY),
    "unknown_activity_type": cell_case(
        "2024-3.1.1",
        "activity_type",
        "seminar",
        "one of workshop, webinar, meeting, working_group_meeting, study_or_document, "
        "web_content, event, award, exchange, governance, other",
    ),
    "empty_title": cell_case("2024-3.1.1", "title_en", "", TEXT),
    "title_with_a_trailing_space": cell_case("2024-3.1.1", "title_es", "Taller ", TEXT),
    "title_with_a_trailing_newline": cell_case(
        "2024-3.1.1", "title_en", "Workshop\n", TEXT, shown="Workshop\\n"
    ),
    "not_a_country_code": cell_case(
        "2024-3.9ii.4",
        "venue_country",
        "XX",
        "an ISO 3166-1 alpha-2 country code (CR, PE, BR) or an empty cell",
    ),
    "country_on_a_virtual_activity": cell_case(
        "2024-3.3.1", "venue_country", "PE", "an empty cell unless venue_mode is on_site"
    ),
    "unknown_funding_code": cell_case(
        "2024-3.2.1",
        "funding_sources",
        "bid",
        "';'-separated codes of funding_codes.csv (executive_committee, idb, member_countries, "
        "oas, working_group; add a new one there)",
    ),
    "unsorted_funding_codes": cell_case(
        "2024-3.2.1",
        "funding_sources",
        "member_countries;executive_committee",
        "the codes sorted alphabetically, each once",
    ),
    "idb_instrument_without_idb": cell_case(
        "2024-3.2.1", "idb_instrument", "rpg", "a value exactly when funding_sources includes idb"
    ),
    "activity_id_not_made_of_year_and_ref": cell_case(
        "2024-3.2.1",
        "activity_id",
        "2024-3.2.9",
        "the plan year and source_ref it is made of (<year>-<source_ref>)",
    ),
    "theme_not_the_crosswalks": cell_case(
        "2024-3.3.1",
        "theme",
        "ciber",
        "'cybersecurity' as themes.csv gives for 2024 3.3 (fix the row or the crosswalk)",
    ),
}


def plan_year_not_the_file_name(folder: Path) -> list[str]:
    path, line = set_cell(folder, "2024-3.1.1", "plan_year", "2023")
    return [
        f"{path}:{line}: plan_year: expected 2024, the year in the file name, found '2023'",
        f"{path}:{line}: activity_id: expected the plan year and source_ref it is made of "
        "(<year>-<source_ref>), found '2024-3.1.1'",
        f"{path}:{line}: area_code: expected an area listed for 2023 in themes.csv (add it "
        "there or fix the row), found '3.1'",
    ]


def plan_year_in_fullwidth_digits(folder: Path) -> list[str]:
    path, line = set_cell(folder, "2024-3.1.1", "plan_year", "２０２４")
    return [f"{path}:{line}: plan_year: expected a four-digit year, found '２０２４'"]


def a_duplicated_activity_id(folder: Path) -> list[str]:
    path, line = set_cell(folder, "2024-3.1.2", "activity_id", "2024-3.1.1")
    return [
        f"{path}:2: activity_id: expected a value unique within the file, found '2024-3.1.1'",
        f"{path}:{line}: activity_id: expected a value unique within the file, found '2024-3.1.1'",
        f"{path}:{line}: activity_id: expected the plan year and source_ref it is made of "
        "(<year>-<source_ref>), found '2024-3.1.1'",
    ]


def an_area_missing_from_the_crosswalk(folder: Path) -> list[str]:
    path, line = set_cell(folder, "2024-3.3.1", "area_code", "3.10")
    set_cell(folder, "2024-3.3.1", "source_ref", "3.10.1")
    set_cell(folder, "2024-3.3.1", "activity_id", "2024-3.10.1")
    return [
        f"{path}:{line}: area_code: expected an area listed for 2024 in themes.csv (add it "
        "there or fix the row), found '3.10'"
    ]


# ------------------------------------------------------------------ the crosswalk


def an_unknown_relation(folder: Path) -> list[str]:
    path = folder / THEMES
    edit_line(path, 13, lambda line: line.replace(",new,", ",novel,"))
    return [
        f"{path}:13: relation: expected one of continued, renamed, merged, split, new, "
        "retired, found 'novel'"
    ]


def an_area_listed_twice(folder: Path) -> list[str]:
    path = folder / THEMES
    text = path.read_text(encoding="utf-8")
    path.write_text(text + text.splitlines(keepends=True)[12], encoding="utf-8")
    return [
        f"{path}:21: area_code: expected one row per (plan_year, area_code); first at "
        "line 13, found '3.3'"
    ]


def a_theme_labelled_two_ways(folder: Path) -> list[str]:
    path = folder / THEMES
    edit_line(
        path,
        11,
        lambda line: line.replace(
            ",Cross-border services,Servicios transfronterizos,continued",
            ",Cross border,Servicios transfronterizos,continued",
        ),
    )
    return [
        f"{path}:11: theme_label_en: expected the label theme cross_border_services has at "
        "line 2 ('Cross-border services'), found 'Cross border'"
    ]


def a_crosswalk_year_that_is_not_a_year(folder: Path) -> list[str]:
    path = folder / THEMES
    edit_line(path, 2, lambda line: line.replace("2020,", "20x0,", 1))
    return [f"{path}:2: plan_year: expected a four-digit year, found '20x0'"]


# ------------------------------------------------------------------ what the folder may hold


def secret_file(folder: Path) -> Path:
    """A file outside ``folder`` (and outside its data root) whose first line must never
    reach a message."""
    secret = folder.parent.parent / f"{folder.parent.name}-outside" / "secret.csv"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text(SECRET + "\n", encoding="utf-8")
    return secret


def a_symlink_to_a_file_outside_the_folder(folder: Path) -> list[str]:
    (folder / "leak.csv").symlink_to(secret_file(folder))
    return [f"{folder / 'leak.csv'}: {OUTSIDE}"]


def a_plan_symlinked_outside_the_folder(folder: Path) -> list[str]:
    (folder / P2024).unlink()
    (folder / P2024).symlink_to(secret_file(folder))
    return [f"{folder / P2024}: {OUTSIDE}"]


def a_folder_symlinked_outside_the_folder(folder: Path) -> list[str]:
    (folder / "more").symlink_to(secret_file(folder).parent, target_is_directory=True)
    return [f"{folder / 'more'}: {OUTSIDE}"]


def a_symlink_loop_in_the_folder(folder: Path) -> list[str]:
    (folder / "plan_2030.csv").symlink_to(folder / "plan_2030.csv")
    return [f"{folder / 'plan_2030.csv'}: {LOOPED}"]


def a_symlink_loop_as_the_folder(folder: Path) -> list[str]:
    os.rename(folder, folder.with_name("elsewhere"))
    folder.symlink_to(folder)
    return [
        f"{folder}: folder: expected a folder of curated plan_<year>.csv files, found "
        "'a symlink loop (a link that leads back to itself)'"
    ]


def a_fifo_for_a_plan(folder: Path) -> list[str]:
    os.mkfifo(folder / "plan_2030.csv")  # reading it would wait forever
    return [
        f"{folder / 'plan_2030.csv'}: file: expected a regular file or folder, "
        "found 'a FIFO (named pipe)'"
    ]


def a_socket_in_the_folder(folder: Path) -> list[str]:
    here = Path.cwd()
    os.chdir(folder)  # a socket's path is limited to ~100 bytes: bind a short relative one
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind("s.sock")
    finally:
        os.chdir(here)
    return [f"{folder / 's.sock'}: file: expected a regular file or folder, found 'a socket'"]


def a_plan_with_an_upper_case_extension(folder: Path) -> list[str]:
    (folder / P2024).rename(folder / "plan_2024.CSV")
    return [
        f"{folder / 'plan_2024.CSV'}: file name: expected a name ending in .csv, in lower "
        "case (other spellings are not read), found 'plan_2024.CSV'"
    ]


def raw_beside(folder: Path) -> Path:
    """A copy of the project's raw/ beside the curated copy (its data root's raw/)."""
    raw = folder.parent / "raw"
    shutil.copytree(paths.DATA_DIR / "raw", raw)
    return raw


def a_raw_text_symlinked_outside_the_data_folder(folder: Path) -> list[str]:
    raw = raw_beside(folder)
    (raw / "leak.txt").symlink_to(secret_file(folder))
    return [f"{raw / 'leak.txt'}: {OUTSIDE}"]


def a_raw_folder_symlinked_outside_the_data_folder(folder: Path) -> list[str]:
    raw = folder.parent / "raw"
    raw.symlink_to(paths.DATA_DIR / "raw", target_is_directory=True)
    return [f"{raw}: {OUTSIDE}"]


def a_symlink_loop_inside_raw(folder: Path) -> list[str]:
    raw = raw_beside(folder)
    (raw / "a").symlink_to(raw / "b")
    (raw / "b").symlink_to(raw / "a")
    return [f"{raw / 'a'}: {LOOPED}", f"{raw / 'b'}: {LOOPED}"]


def a_folder_linked_into_itself_inside_raw(folder: Path) -> list[str]:
    raw = raw_beside(folder)
    (raw / "up").symlink_to(raw.parent, target_is_directory=True)  # copying it never ends
    return [f"{raw / 'up'}: {LOOPED}"]


# ------------------------------------------------------------------ formulas in text cells


def formula_case(
    value: str, column: str = "notes", shown: str | None = None
) -> Callable[[Path], list[str]]:
    """``value`` in a cell; the message shows it as ``shown`` (invisible characters named)."""
    shown = value if shown is None else shown

    def case(folder: Path) -> list[str]:
        path, line = set_cell(folder, "2024-3.1.1", column, value)
        return [f"{path}:{line}: {column}: {FORMULA}, found '{shown}'"]

    return case


FORMULA_CASES: dict[str, Callable[[Path], list[str]]] = {
    "a_hyperlink_formula_in_a_note": formula_case('=HYPERLINK("http://x.test/?q=1","ok")'),
    "a_formula_after_a_space": formula_case(" =1+1"),
    "a_formula_after_a_zero_width_space": formula_case("\u200b=1+1", shown="\\u200b=1+1"),
    "a_formula_after_a_no_break_space": formula_case("\u00a0@SUM(A1)", shown="\\u00a0@SUM(A1)"),
    "a_full_width_equals_sign_in_a_title": formula_case("＝SUM(1)", "title_en"),
    "a_small_plus_sign_in_a_title": formula_case("\ufe62cmd", "title_es"),
    "a_dash_opening_a_note": formula_case("-2+3"),
}


CASES: dict[str, Callable[[Path], list[str]]] = {
    "missing_folder": missing_folder,
    "empty_folder": empty_folder,
    "missing_crosswalk": missing_crosswalk,
    "badly_named_plan": badly_named_plan,
    "arabic_indic_digits_in_a_file_name": arabic_indic_digits_in_a_file_name,
    "a_folder_where_a_plan_should_be": a_folder_where_a_plan_should_be,
    "a_dangling_link_for_a_plan": a_dangling_link_for_a_plan,
    "an_empty_plan_file": an_empty_plan_file,
    "a_plan_with_a_header_and_no_rows": a_plan_with_a_header_and_no_rows,
    "latin1_bytes": latin1_bytes,
    "a_utf16_file": a_utf16_file,
    "an_unclosed_quote": an_unclosed_quote,
    "a_quote_that_closes_lines_later": a_quote_that_closes_lines_later,
    "a_bare_quote_inside_a_cell": a_bare_quote_inside_a_cell,
    "a_row_missing_its_last_field": a_row_missing_its_last_field,
    "a_stray_comma": a_stray_comma,
    "a_missing_column": a_missing_column,
    "an_unknown_column": an_unknown_column,
    "a_column_twice": a_column_twice,
    **CELL_CASES,
    "plan_year_not_the_file_name": plan_year_not_the_file_name,
    "plan_year_in_fullwidth_digits": plan_year_in_fullwidth_digits,
    "a_duplicated_activity_id": a_duplicated_activity_id,
    "an_area_missing_from_the_crosswalk": an_area_missing_from_the_crosswalk,
    "an_unknown_relation": an_unknown_relation,
    "an_area_listed_twice": an_area_listed_twice,
    "a_theme_labelled_two_ways": a_theme_labelled_two_ways,
    "a_crosswalk_year_that_is_not_a_year": a_crosswalk_year_that_is_not_a_year,
    "a_symlink_to_a_file_outside_the_folder": a_symlink_to_a_file_outside_the_folder,
    "a_plan_symlinked_outside_the_folder": a_plan_symlinked_outside_the_folder,
    "a_folder_symlinked_outside_the_folder": a_folder_symlinked_outside_the_folder,
    "a_symlink_loop_in_the_folder": a_symlink_loop_in_the_folder,
    "a_symlink_loop_as_the_folder": a_symlink_loop_as_the_folder,
    "a_fifo_for_a_plan": a_fifo_for_a_plan,
    "a_socket_in_the_folder": a_socket_in_the_folder,
    "a_plan_with_an_upper_case_extension": a_plan_with_an_upper_case_extension,
    "a_raw_text_symlinked_outside_the_data_folder": a_raw_text_symlinked_outside_the_data_folder,
    "a_raw_folder_symlinked_outside_the_data_folder": (
        a_raw_folder_symlinked_outside_the_data_folder
    ),
    "a_symlink_loop_inside_raw": a_symlink_loop_inside_raw,
    "a_folder_linked_into_itself_inside_raw": a_folder_linked_into_itself_inside_raw,
    **FORMULA_CASES,
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_bad_input_gets_its_exact_message_and_exit_code_2(
    name: str, curated_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = CASES[name](curated_copy)
    assert cli.main(["validate", str(curated_copy)]) == 2
    captured = capsys.readouterr()
    err = captured.err.splitlines()
    count = len(expected)
    assert err[0] == f"{count} problem{'s' if count != 1 else ''} in the curated data:"
    assert err[1:] == expected
    assert "SECRET" not in captured.err + captured.out  # what a refused file holds


def test_the_catalogue_holds_at_least_thirty_named_bad_inputs() -> None:
    assert len(CASES) >= 30


def test_a_flood_of_problems_is_capped_with_a_count_of_the_rest(curated_copy: Path) -> None:
    path = curated_copy / P2024
    header, first = path.read_text(encoding="utf-8").splitlines(keepends=True)[:2]
    path.write_text(header + first * 1000, encoding="utf-8")
    with pytest.raises(PlanDataError) as caught:
        load_plans(curated_copy)
    lines = str(caught.value).splitlines()
    assert lines[0] == "1000 problems in the curated data:"  # every row repeats line 2's id
    assert len(lines) == 1 + SHOWN_PROBLEMS + 1
    assert lines[-1] == f"… and {1000 - SHOWN_PROBLEMS} more"
    assert len(caught.value.problems) == 1000


# ------------------------------------------------------------------ gealc-report datapackage


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_datapackage_on_a_missing_folder_says_so_and_exits_2(
    data_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["datapackage", str(data_root)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[1] == (
        f"{data_root}: folder: expected a data folder holding curated/ and raw/, "
        "found 'no such folder'"
    )
    assert not data_root.exists()


def test_datapackage_on_an_empty_folder_writes_nothing_and_exits_2(
    data_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_root.mkdir()
    assert cli.main(["datapackage", str(data_root)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[1:3] == [
        f"{data_root}: folder: expected a data folder holding curated/ and raw/, "
        "found 'no curated/ folder'",
        "nothing written: fix the data, then run `gealc-report datapackage` again",
    ]
    assert list(data_root.iterdir()) == []


def test_datapackage_on_a_garbage_folder_writes_nothing_and_exits_2(
    data_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (data_root / "curated").mkdir(parents=True)
    (data_root / "curated" / "plan_2024.csv").write_bytes(b"\x00\xff garbage, not a plan")
    assert cli.main(["datapackage", str(data_root)]) == 2
    assert "nothing written" in capsys.readouterr().err
    assert not (data_root / "datapackage.json").exists()


# ------------------------------------------------------------------ the report's data copy


def test_a_symlink_that_stays_inside_the_folder_is_read(
    curated_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (curated_copy / "kept").mkdir()
    os.rename(curated_copy / THEMES, curated_copy / "kept" / THEMES)
    (curated_copy / THEMES).symlink_to(Path("kept") / THEMES)
    assert cli.main(["validate", str(curated_copy)]) == 0, capsys.readouterr().err


def test_the_reports_data_copy_refuses_what_the_loader_refuses(tmp_path: Path) -> None:
    from gealc_analysis.build import site
    from gealc_analysis.core import provenance
    from gealc_analysis.data.files import regular_data_files

    root = tmp_path / "data"
    shutil.copytree(paths.CURATED_DIR, root / "curated")
    shutil.copytree(paths.DATA_DIR / "raw", root / "raw")
    # One listing of the curated files: the copy's and the fingerprint's agree.
    assert regular_data_files(root / "curated", recursive=False) == provenance.curated_files(
        root / "curated"
    )
    secret = secret_file(root / "curated")
    (root / "raw" / "leak.txt").symlink_to(secret)
    with pytest.raises(PlanDataError) as caught:
        site.copy_data(root / "curated", tmp_path / "report")
    assert [str(p) for p in caught.value.problems] == [f"{root / 'raw' / 'leak.txt'}: {OUTSIDE}"]
    copied = [p for p in (tmp_path / "report").rglob("*") if p.is_file()]
    assert not any(SECRET in p.read_text(encoding="utf-8", errors="replace") for p in copied)
