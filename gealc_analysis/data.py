"""Load and validate the curated work-plan data: ``load → check → type``.

The curated CSVs are the data contract of the whole report (``data/CODEBOOK.md``).
Everything here exists so that a bad cell is caught before any figure is drawn and
reported as ``file:line: column: expected …, found …`` — every problem at once, never
a bare traceback and never a half-loaded DataFrame.

Cell-level and row-level rules run through one pandera schema on the raw text (so a
malformed number is reported, not crashed on); rules that need another file (the themes
crosswalk) or the file name (the plan year) are checked beside it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pycountry

from gealc_analysis import paths, vocabulary

PLAN_FILE_GLOB = "plan_*.csv"
PLAN_FILE_PATTERN = re.compile(r"^plan_(\d{4})\.csv$")
THEMES_FILE = "themes.csv"
THEME_KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
RELATED_AREAS_PATTERN = r"^(\d{4}:3\.\d+(i{1,3})?)(;\d{4}:3\.\d+(i{1,3})?)*$"
HEADER_LINE = 1


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True, order=True)
class Problem:
    """One violation of the data contract, located precisely enough to fix by hand."""

    path: str
    line: int
    column: str
    expected: str
    found: str

    def __str__(self) -> str:
        found = f"'{self.found}'" if self.found != "" else "an empty cell"
        where = f"{self.path}:{self.line}" if self.line else self.path  # 0: the file or folder
        return f"{where}: {self.column}: expected {self.expected}, found {found}"


class PlanDataError(ValueError):
    """Raised when curated data breaks the contract; ``problems`` lists every violation."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: list[Problem] = sorted(set(problems), key=_problem_sort_key)
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} in the curated data:"
        super().__init__("\n".join([header, *(str(p) for p in self.problems)]))


def _problem_sort_key(problem: Problem) -> tuple[str, int, int, str, str]:
    columns = {name: i for i, name in enumerate(vocabulary.PLAN_COLUMNS + vocabulary.THEME_COLUMNS)}
    return (problem.path, problem.line, columns.get(problem.column, 99), problem.column,
            problem.expected)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class RawTable:
    """A CSV read as text, with the source line where each record starts."""

    path: Path
    header: list[str]
    frame: pd.DataFrame  # str cells; index = 0..n-1
    lines: list[int]  # lines[i] = line number of record i in the file


def display_path(path: Path) -> str:
    """Show project files relative to the project root (what a person types to open them)."""
    try:
        return str(path.resolve().relative_to(paths.PROJECT_ROOT))
    except ValueError:
        return str(path)


def read_raw_table(path: Path, expected_columns: Sequence[str]) -> tuple[RawTable, list[Problem]]:
    """Read a CSV as text cells, reporting encoding, header and field-count problems."""
    shown = display_path(path)
    problems: list[Problem] = []
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        bad = data[error.start : error.start + 1].hex()
        problems.append(Problem(shown, line, "file", "UTF-8 text", f"byte 0x{bad}"))
        text = data.decode("utf-8", errors="replace")
    text = text.removeprefix("\ufeff")

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    lines: list[int] = []
    header: list[str] = []
    previous_end = 0
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not header:
                header = record
                continue
            if not any(cell.strip() for cell in record):
                continue  # blank line: ignored, like csv readers everywhere
            records.append(record)
            lines.append(start)
    except csv.Error as error:
        problems.append(
            Problem(shown, reader.line_num, "file", "well-formed CSV", f"{error}")
        )

    if not header:
        problems.append(Problem(shown, HEADER_LINE, "header", "a header row", ""))
    else:
        problems.extend(_header_problems(shown, header, expected_columns))

    # A row with the wrong number of fields (a stray quote or comma) is reported once and
    # left out of the cell checks: its cells are shifted, and checking them would bury the
    # one real problem under a cascade of misleading ones.
    width = len(header)
    rows: list[list[str]] = []
    kept_lines: list[int] = []
    for record, line in zip(records, lines, strict=True):
        if len(record) != width:
            problems.append(
                Problem(shown, line, "row", f"{width} fields like the header",
                        f"{len(record)} fields")
            )
            continue
        rows.append(record)
        kept_lines.append(line)
    frame = pd.DataFrame(rows, columns=header, dtype="str") if header else pd.DataFrame()
    return RawTable(path, header, frame, kept_lines), problems


def _header_problems(shown: str, header: list[str], expected: Sequence[str]) -> list[Problem]:
    problems = []
    missing = [c for c in expected if c not in header]
    unexpected = [c for c in header if c not in expected]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if missing:
        problems.append(Problem(shown, HEADER_LINE, "header",
                                f"column(s) {', '.join(missing)}", "none such"))
    for column in unexpected:
        problems.append(Problem(shown, HEADER_LINE, "header",
                                "only the columns of the codebook", column))
    for column in duplicated:
        problems.append(Problem(shown, HEADER_LINE, "header", "each column once", column))
    if not missing and not unexpected and not duplicated and list(header) != list(expected):
        problems.append(Problem(shown, HEADER_LINE, "header",
                                f"columns in the order {', '.join(expected)}", ", ".join(header)))
    return problems


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class CellRule:
    """One cell-level rule: the column, what a person should see, and the test."""

    column: str
    expected: str
    test: Callable[[pd.Series], pd.Series]


@dataclass(frozen=True)
class RowRule:
    """A rule across columns of one row; reported on ``column``."""

    column: str
    expected: str
    test: Callable[[pd.DataFrame], pd.Series]


def _matches(pattern: str) -> Callable[[pd.Series], pd.Series]:
    return lambda s: s.str.fullmatch(pattern).fillna(False).astype(bool)


def _one_of(values: Iterable[str], allow_empty: bool = False) -> Callable[[pd.Series], pd.Series]:
    allowed = set(values) | ({""} if allow_empty else set())
    return lambda s: s.isin(allowed)


def _non_empty(s: pd.Series) -> pd.Series:
    return s.str.strip().ne("")


def _trimmed(s: pd.Series) -> pd.Series:
    return s.eq(s.str.strip())


@cache
def iso_alpha2_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, from pycountry (no hand-kept list to go stale)."""
    return frozenset(country.alpha_2 for country in pycountry.countries)


def _known_funding(s: pd.Series) -> pd.Series:
    return s.map(lambda cell: bool(vocabulary.split_funding(cell)) and all(
        code in vocabulary.FUNDING_SOURCES for code in vocabulary.split_funding(cell))).astype(bool)


def _canonical_funding(s: pd.Series) -> pd.Series:
    canonical = s.map(lambda cell: vocabulary.join_funding(vocabulary.split_funding(cell)))
    return s.eq(canonical).astype(bool)


def _funding_names_idb(df: pd.DataFrame) -> pd.Series:
    return df["funding_sources"].map(lambda cell: "idb" in vocabulary.split_funding(cell))


TEXT_EXPECTED = "non-empty text without leading or trailing spaces"
FUNDING_LIST = ", ".join(vocabulary.FUNDING_SOURCES)

PLAN_CELL_RULES: tuple[CellRule, ...] = (
    CellRule("plan_year", "a four-digit year", _matches(r"\d{4}")),
    CellRule("activity_id", "an id like 2020-3.2.3 or 2020-3.2.3-b",
             _matches(vocabulary.ACTIVITY_ID_PATTERN)),
    CellRule("source_ref", "an activity number like 3.2.3 or 3.9ii.4",
             _matches(vocabulary.SOURCE_REF_PATTERN)),
    CellRule("area_code", "an area code like 3.1 or 3.9ii", _matches(vocabulary.AREA_CODE_PATTERN)),
    *(CellRule(column, TEXT_EXPECTED, lambda s: _non_empty(s) & _trimmed(s))
      for column in ("area_name", "title_original", "title_en", "title_es", "timing_original",
                     "venue_original", "resources_original")),
    CellRule("theme", "a theme key in snake_case", _matches(THEME_KEY_PATTERN)),
    CellRule("activity_type", f"one of {', '.join(vocabulary.ACTIVITY_TYPES)}",
             _one_of(vocabulary.ACTIVITY_TYPES)),
    CellRule("timing", f"one of {', '.join(vocabulary.TIMINGS)}", _one_of(vocabulary.TIMINGS)),
    CellRule("frequency_per_year", "a whole number of events per year, 1 or more",
             _matches(r"[1-9]\d*")),
    CellRule("venue_mode", f"one of {', '.join(vocabulary.VENUE_MODES)}",
             _one_of(vocabulary.VENUE_MODES)),
    CellRule("venue_country", "an ISO 3166-1 alpha-2 country code (CR, PE, BR) or an empty cell",
             lambda s: s.isin(iso_alpha2_codes() | {""})),
    CellRule("funding_sources", f"';'-separated codes from {FUNDING_LIST}", _known_funding),
    CellRule("funding_sources", "the codes sorted alphabetically, each once", _canonical_funding),
    CellRule("idb_instrument", f"one of {', '.join(vocabulary.IDB_INSTRUMENTS)} or an empty cell",
             _one_of(vocabulary.IDB_INSTRUMENTS, allow_empty=True)),
)

PLAN_ROW_RULES: tuple[RowRule, ...] = (
    RowRule("activity_id", "the plan year and source_ref it is made of (<year>-<source_ref>)",
            lambda df: pd.Series(
                [aid.split("-")[0] == year and aid.split("-")[1:2] == [ref]
                 for aid, year, ref in zip(df["activity_id"], df["plan_year"], df["source_ref"],
                                            strict=True)], index=df.index)),
    RowRule("source_ref", "a number inside its area_code (area_code + '.' + item)",
            lambda df: pd.Series(
                [ref.rsplit(".", 1)[0] == area for ref, area in
                 zip(df["source_ref"], df["area_code"], strict=True)], index=df.index)),
    RowRule("idb_instrument", "a value exactly when funding_sources includes idb",
            lambda df: _funding_names_idb(df).eq(df["idb_instrument"].ne(""))),
    RowRule("venue_country", "an empty cell unless venue_mode is on_site",
            lambda df: df["venue_country"].eq("") | df["venue_mode"].eq("on_site")),
)

THEME_CELL_RULES: tuple[CellRule, ...] = (
    CellRule("plan_year", "a four-digit year", _matches(r"\d{4}")),
    CellRule("area_code", "an area code like 3.1 or 3.9ii", _matches(vocabulary.AREA_CODE_PATTERN)),
    CellRule("theme", "a theme key in snake_case", _matches(THEME_KEY_PATTERN)),
    *(CellRule(column, TEXT_EXPECTED, lambda s: _non_empty(s) & _trimmed(s))
      for column in ("area_name", "area_name_en", "area_name_es", "theme_label_en",
                     "theme_label_es")),
    CellRule("relation", f"one of {', '.join(vocabulary.THEME_RELATIONS)}",
             _one_of(vocabulary.THEME_RELATIONS)),
    CellRule("related_areas", "an empty cell or ';'-joined year:area like 2024:3.7",
             lambda s: s.eq("") | _matches(RELATED_AREAS_PATTERN)(s)),
)

EXPECTED_BY_CHECK_NAME: dict[str, tuple[str, str]] = {}


def _schema(columns: Sequence[str], cell_rules: Sequence[CellRule],
            row_rules: Sequence[RowRule], unique: Sequence[str]) -> pa.DataFrameSchema:
    """One pandera schema over text cells; each check is named after its rule."""
    present = set(columns)
    schema_columns = {}
    for column in columns:
        checks = [
            pa.Check(rule.test, name=_check_name(rule.column, rule.expected))
            for rule in cell_rules if rule.column == column
        ]
        schema_columns[column] = pa.Column(str, checks=checks, nullable=False)
    row_checks = [
        pa.Check(rule.test, name=_check_name(rule.column, rule.expected))
        for rule in row_rules
        if rule.column in present and _row_rule_inputs_present(rule, present)
    ]
    return pa.DataFrameSchema(
        schema_columns, checks=row_checks,
        unique=[c for c in unique if c in present] or None,
        report_duplicates="all",
    )


def _row_rule_inputs_present(rule: RowRule, present: set[str]) -> bool:
    needs = {
        "activity_id": {"activity_id", "plan_year", "source_ref"},
        "source_ref": {"source_ref", "area_code"},
        "idb_instrument": {"idb_instrument", "funding_sources"},
        "venue_country": {"venue_country", "venue_mode"},
    }
    return needs.get(rule.column, {rule.column}) <= present


def _check_name(column: str, expected: str) -> str:
    name = f"{column}: {expected}"
    EXPECTED_BY_CHECK_NAME[name] = (column, expected)
    return name


def _schema_problems(raw: RawTable, schema: pa.DataFrameSchema) -> list[Problem]:
    """Run the pandera schema lazily and turn each failure case into a Problem."""
    shown = display_path(raw.path)
    try:
        schema.validate(raw.frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return [_to_problem(shown, raw, case) for case in
                errors.failure_cases.to_dict("records")]
    return []


def _to_problem(shown: str, raw: RawTable, case: dict) -> Problem:
    index = case["index"]
    line = raw.lines[int(index)] if index is not None and not pd.isna(index) else HEADER_LINE
    check = str(case["check"])
    if check in EXPECTED_BY_CHECK_NAME:
        column, expected = EXPECTED_BY_CHECK_NAME[check]
    elif check == "multiple_fields_uniqueness" or check == "field_uniqueness":
        column = str(case["column"]) if case["column"] else "activity_id"
        expected = "a value unique within the file"
    else:  # a pandera built-in we did not name (should not happen): keep its words
        column, expected = str(case["column"]), check
    found = raw.frame.at[int(index), column] if line != HEADER_LINE else str(case["failure_case"])
    return Problem(shown, line, column, expected, str(found))


# --------------------------------------------------------------------------- loading


def plan_files(data_dir: Path) -> dict[int, Path]:
    """Every ``plan_<year>.csv`` in the folder, by year — no hard-coded list of years."""
    found: dict[int, Path] = {}
    for path in sorted(data_dir.glob(PLAN_FILE_GLOB)):
        match = PLAN_FILE_PATTERN.match(path.name)
        if match:
            found[int(match.group(1))] = path
    return found


def crosswalk_in_order(themes: pd.DataFrame) -> pd.DataFrame:
    """Crosswalk rows year by year, areas in natural order (3.9 < 3.9i < 3.9ii < 3.10).

    The canonical order of themes everywhere (loaded categories, tables, charts) is their
    first appearance in this order, so themes follow the plans' own structure.
    """
    ranked = themes.assign(_rank=themes["area_code"].astype(str).map(vocabulary.area_sort_key))
    return ranked.sort_values(["plan_year", "_rank"], kind="stable").drop(columns="_rank")


def available_years(data_dir: Path | str | None = None) -> list[int]:
    """The plan years that have a curated file, ascending."""
    return sorted(plan_files(Path(data_dir) if data_dir else paths.CURATED_DIR))


def _file_set_problems(data_dir: Path, years: Sequence[int] | None) -> list[Problem]:
    shown = display_path(data_dir)
    problems = []
    if not data_dir.is_dir():
        return [Problem(shown, 0, "folder", "a folder of curated plan_<year>.csv files "
                        "(give its path: DATA_DIR or --data-dir)", "no such folder")]
    for path in sorted(data_dir.glob(PLAN_FILE_GLOB)):
        if not PLAN_FILE_PATTERN.match(path.name):
            problems.append(Problem(display_path(path), 0, "file name",
                                    "plan_<four-digit year>.csv", path.name))
    files = plan_files(data_dir)
    if not files:
        problems.append(Problem(shown, 0, "folder", "at least one plan_<year>.csv", "none"))
    for year in years or []:
        if year not in files:
            have = ", ".join(str(y) for y in sorted(files)) or "none"
            problems.append(Problem(shown, 0, "years", f"a plan_{year}.csv (have {have})",
                                    "no such file"))
    if not (data_dir / THEMES_FILE).is_file():
        problems.append(Problem(shown, 0, "folder", f"the crosswalk {THEMES_FILE}", "none"))
    return problems


def _check_plan(raw: RawTable, year: int) -> list[Problem]:
    shown = display_path(raw.path)
    schema = _schema(raw.header, PLAN_CELL_RULES, PLAN_ROW_RULES, unique=["activity_id"])
    problems = _schema_problems(raw, schema)
    if "plan_year" in raw.frame:
        for index, value in raw.frame["plan_year"].items():
            if value != str(year):
                problems.append(Problem(shown, raw.lines[index], "plan_year",
                                        f"{year}, the year in the file name", value))
    if raw.frame.empty and raw.header:
        problems.append(Problem(shown, 2, "row", "at least one activity", "no rows"))
    return problems


def _check_against_themes(raw: RawTable, themes: pd.DataFrame | None) -> list[Problem]:
    """Each activity's area and theme must be those the crosswalk gives that area."""
    needed = {"plan_year", "area_code", "area_name", "theme"}
    if themes is None or not needed <= set(raw.frame.columns):
        return []
    shown = display_path(raw.path)
    crosswalk = {
        (str(row.plan_year), str(row.area_code)): row
        for row in themes.itertuples(index=False)
    }
    problems = []
    for index, row in raw.frame.iterrows():
        entry = crosswalk.get((row["plan_year"], row["area_code"]))
        line = raw.lines[index]
        if entry is None:
            problems.append(Problem(
                shown, line, "area_code",
                f"an area listed for {row['plan_year']} in {THEMES_FILE} "
                "(add it there or fix the row)", row["area_code"]))
            continue
        for column in ("theme", "area_name"):
            if row[column] != str(getattr(entry, column)):
                problems.append(Problem(
                    shown, line, column,
                    f"'{getattr(entry, column)}' as {THEMES_FILE} gives for "
                    f"{row['plan_year']} {row['area_code']} (fix the row or the crosswalk)",
                    row[column]))
    return problems


def _read_themes(data_dir: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    path = data_dir / THEMES_FILE
    if not path.is_file():
        return None, []
    raw, problems = read_raw_table(path, vocabulary.THEME_COLUMNS)
    if problems:
        return None, problems
    schema = _schema(raw.header, THEME_CELL_RULES, (), unique=[])
    problems = _schema_problems(raw, schema)
    shown = display_path(path)
    seen: dict[tuple[str, str], int] = {}
    labels: dict[str, tuple[str, str]] = {}
    for index, row in raw.frame.iterrows():
        key = (row["plan_year"], row["area_code"])
        line = raw.lines[index]
        if key in seen:
            problems.append(Problem(shown, line, "area_code",
                                    f"one row per (plan_year, area_code); first at line "
                                    f"{seen[key]}", row["area_code"]))
        seen.setdefault(key, line)
        pair = (row["theme_label_en"], row["theme_label_es"])
        first = labels.setdefault(row["theme"], pair)
        if pair != first:
            problems.append(Problem(shown, line, "theme_label_en",
                                    f"the labels given to theme {row['theme']} elsewhere "
                                    f"({first[0]} / {first[1]})", " / ".join(pair)))
    return (None if problems else _type_themes(raw.frame)), problems


def _type_themes(frame: pd.DataFrame) -> pd.DataFrame:
    typed = frame.copy()
    typed["plan_year"] = typed["plan_year"].astype("int64")
    typed["relation"] = pd.Categorical(typed["relation"], categories=vocabulary.THEME_RELATIONS)
    return typed.reset_index(drop=True)


def _type_plans(frame: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """Typed columns: ints for counts, categoricals for codes.

    Fixed vocabularies come from ``codes``; areas and themes from the crosswalk, in its
    natural order (3.1 < … < 3.9 < 3.9i < 3.9ii; themes as first met year by year), so
    every year of a loaded frame shares the same categories.
    """
    typed = frame.copy()
    typed["area_code"] = pd.Categorical(
        typed["area_code"], sorted(set(themes["area_code"]), key=vocabulary.area_sort_key))
    typed["theme"] = pd.Categorical(
        typed["theme"], list(dict.fromkeys(crosswalk_in_order(themes)["theme"])))
    typed["plan_year"] = typed["plan_year"].astype("int64")
    typed["frequency_per_year"] = typed["frequency_per_year"].astype("int64")
    typed["activity_type"] = pd.Categorical(typed["activity_type"], vocabulary.ACTIVITY_TYPES)
    typed["timing"] = pd.Categorical(typed["timing"], vocabulary.TIMINGS, ordered=True)
    typed["venue_mode"] = pd.Categorical(typed["venue_mode"], vocabulary.VENUE_MODES)
    typed["idb_instrument"] = pd.Categorical(
        typed["idb_instrument"].replace("", None), vocabulary.IDB_INSTRUMENTS)
    countries = sorted(set(typed["venue_country"]) - {""})
    typed["venue_country"] = pd.Categorical(typed["venue_country"].replace("", None), countries)
    return typed.reset_index(drop=True)


def load_themes(data_dir: Path | str | None = None) -> pd.DataFrame:
    """The themes crosswalk (``themes.csv``), validated; raises PlanDataError."""
    folder = Path(data_dir) if data_dir is not None else paths.CURATED_DIR
    path = folder / THEMES_FILE
    if not path.is_file():
        raise PlanDataError([Problem(display_path(folder), 0, "folder",
                                     f"the crosswalk {THEMES_FILE}", "none")])
    themes, problems = _read_themes(folder)
    if problems or themes is None:
        raise PlanDataError(problems)
    return themes


def load_plans(data_dir: Path | str | None = None,
               years: Iterable[int] | None = None) -> pd.DataFrame:
    """Every curated plan in ``data_dir`` (or the requested years), validated and typed.

    Reads each ``plan_<year>.csv`` — adding a year is adding a file — and checks it against
    the codebook and the themes crosswalk. Raises :class:`PlanDataError` listing every
    problem in every file; never returns a partial frame.
    """
    folder = Path(data_dir) if data_dir is not None else paths.CURATED_DIR
    wanted = sorted(set(years)) if years is not None else None
    problems = _file_set_problems(folder, wanted)
    if not folder.is_dir():
        raise PlanDataError(problems)
    themes, theme_problems = _read_themes(folder)
    problems += theme_problems

    frames = []
    for year, path in sorted(plan_files(folder).items()):
        if wanted is not None and year not in wanted:
            continue
        raw, read_problems = read_raw_table(path, vocabulary.PLAN_COLUMNS)
        problems += read_problems
        problems += _check_plan(raw, year)
        problems += _check_against_themes(raw, themes)
        frames.append(raw.frame)
    if problems:
        raise PlanDataError(problems)
    plans = pd.concat(frames, ignore_index=True)[list(vocabulary.PLAN_COLUMNS)]
    return _type_plans(plans, themes)


def plans_to_text(plans: pd.DataFrame) -> pd.DataFrame:
    """The inverse of typing: every cell back to the text the CSV holds."""
    text = plans[list(vocabulary.PLAN_COLUMNS)].copy()
    for column in text.columns:
        text[column] = text[column].astype("object").where(text[column].notna(), "")
        text[column] = text[column].map(str)
    return text


def write_plan(plans: pd.DataFrame, path: Path | str) -> Path:
    """Write one year's activities in the canonical CSV form (UTF-8, ``\\n``, minimal quoting).

    The curated files are kept in exactly this form, so load → write reproduces them
    byte for byte and diffs in review show only real edits.
    """
    target = Path(path)
    text = plans_to_text(plans)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(vocabulary.PLAN_COLUMNS)
    writer.writerows(text.itertuples(index=False, name=None))
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    temporary.replace(target)
    return target
