"""Load curated tables: find the files, check every cell against the schema, type the frame.

``load_plans`` reads every ``plan_<year>.csv`` (adding a year is adding a file), checks all
of them in one pandera pass against ``data/schemas/plan.schema.yaml`` and the themes
crosswalk (joined once per load, not once per plan), and raises :class:`PlanDataError`
listing every problem in every file — it never returns a partial frame. ``load_table``
does the same for any curated table that has a schema.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import frictionless
import pandas as pd
import pandera.pandas as pa

from gealc_analysis.core import paths
from gealc_analysis.core.links import is_symlink_loop
from gealc_analysis.data import checks, contract, vocabulary
from gealc_analysis.data.errors import PlanDataError, Problem
from gealc_analysis.data.files import LOOP, folder_problems
from gealc_analysis.data.reading import RawTable, display_path, read_raw_table
from gealc_analysis.data.schema import (
    LINE,
    PATH,
    Checker,
    check_cells,
    field_names,
    pandera_schema,
    table_schema,
)

# Only names ending in ".csv" are read: "plan_2024.CSV" would be skipped without a word.
CSV_SUFFIX_WORDS = "a name ending in .csv, in lower case (other spellings are not read)"
THEMES_FILE = checks.THEMES_FILE
FUNDING_CODES_FILE = checks.FUNDING_CODES_FILE
PLAN_SCHEMA, THEMES_SCHEMA, FUNDING_SCHEMA = "plan", "themes", "funding_codes"

Context = Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame]


# --------------------------------------------------------------------------- files


def _file_set_problems(data_dir: Path, years: Sequence[int] | None) -> list[Problem]:
    shown = display_path(data_dir)
    if is_symlink_loop(data_dir):
        return [Problem(shown, 0, "folder", "a folder of curated plan_<year>.csv files", LOOP)]
    if not data_dir.is_dir():
        return [
            Problem(
                shown,
                0,
                "folder",
                "a folder of curated plan_<year>.csv files (give its path: DATA_DIR or --data-dir)",
                "no such folder",
            )
        ]
    # Every entry, read or not: a symlink leaving the folder, a loop or a FIFO is refused
    # (the report copies every file of the folder).
    _, problems = folder_problems(data_dir, recursive=False)
    problems += [
        Problem(display_path(path), 0, "file name", "plan_<four-digit year>.csv", path.name)
        for path in sorted(data_dir.glob(contract.PLAN_FILE_GLOB))
        if not contract.PLAN_FILE_PATTERN.fullmatch(path.name)
    ]
    problems += [
        Problem(display_path(path), 0, "file name", CSV_SUFFIX_WORDS, path.name)
        for path in sorted(data_dir.iterdir())
        if path.suffix.lower() == ".csv" and path.suffix != ".csv"
    ]
    files = contract.plan_files(data_dir)
    if not files:
        problems.append(Problem(shown, 0, "folder", "at least one plan_<year>.csv", "none"))
    for year in years or []:
        if year not in files:
            have = ", ".join(str(y) for y in sorted(files)) or "none"
            problems.append(
                Problem(shown, 0, "years", f"a plan_{year}.csv (have {have})", "no such file")
            )
    if not (data_dir / THEMES_FILE).is_file():
        problems.append(Problem(shown, 0, "folder", f"the crosswalk {THEMES_FILE}", "none"))
    if not (data_dir / FUNDING_CODES_FILE).is_file():
        problems.append(
            Problem(shown, 0, "folder", f"the funding codes {FUNDING_CODES_FILE}", "none")
        )
    return problems


# --------------------------------------------------------------------------- checking


def _checkable(raw: RawTable) -> bool:
    """Cells are checked unless the header repeats a column (which cell is which?)."""
    return bool(raw.header) and bool(raw.rows) and len(set(raw.header)) == len(raw.header)


def _combined(
    raws: Sequence[RawTable], columns: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One frame of text cells from several files (the columns all of them have, in the
    schema's order), and where each row came from: built once, not a frame per file."""
    present = [c for c in columns if all(c in raw.header for raw in raws)]
    rows: list[list[str]] = []
    for raw in raws:
        if raw.header == present:
            rows.extend(raw.rows)
        else:
            picked = [raw.header.index(c) for c in present]
            rows.extend([row[i] for i in picked] for row in raw.rows)
    text = (
        pd.DataFrame(rows, columns=present, dtype="str")
        if rows
        else pd.DataFrame({c: pd.Series(dtype="str") for c in present})
    )
    located = pd.DataFrame(
        {
            PATH: pd.Series(
                [shown for raw in raws for shown in [display_path(raw.path)] * len(raw.lines)],
                dtype="str",
            ),
            LINE: pd.Series([line for raw in raws for line in raw.lines], dtype="int64"),
        }
    )
    return text, located


# Tables found valid, by their cells, with what checked them: the same cells checked again
# by the same checker and context need no second pass (the crosswalk and the funding codes
# each load reads, a copy of the curated folder, the side tables of every bundle loaded in a
# process). Only a table without problems is kept: whether a table is valid depends on its
# header and cells alone (the path and lines only locate problems, and the contexts kept are
# functions of the cells), while its problems would name the file.
_VALID: dict[tuple, tuple[frictionless.Schema, Checker, Context | None]] = {}
_VALID_KEPT = 64


def _valid_key(raw: RawTable) -> tuple:
    return (tuple(raw.header), tuple(map(tuple, raw.rows)))


def _problems_of(
    raws: Sequence[RawTable],
    schema: frictionless.Schema,
    checker: Checker,
    context: Context | None = None,
    *,
    remember_valid: bool = False,
) -> list[Problem]:
    """Check many files in one pass; a file lacking columns is checked on its own.

    ``remember_valid``: one table whose context depends on its cells alone (or none); if the
    same checker found the same cells valid before, they are not checked again.
    """
    key = _valid_key(raws[0]) if remember_valid and len(raws) == 1 else None
    if key is not None and key in _VALID:
        known_schema, known_checker, known_context = _VALID[key]
        if known_schema is schema and known_checker is checker and known_context is context:
            return []
    columns = field_names(schema)
    complete = [raw for raw in raws if _checkable(raw) and set(columns) <= set(raw.header)]
    partial = [raw for raw in raws if _checkable(raw) and not set(columns) <= set(raw.header)]
    problems: list[Problem] = []
    for group in ([complete] if complete else []) + [[raw] for raw in partial]:
        text, located = _combined(group, columns)
        extra = context(text, located) if context is not None else None
        problems += check_cells(text, located, schema, checker, extra)
    if key is not None and not problems:
        if len(_VALID) >= _VALID_KEPT:
            del _VALID[next(iter(_VALID))]
        _VALID[key] = (schema, checker, context)
    return problems


# Built pandera schemas, by the objects they are built from: the Table Schema (one object per
# content of its files, see schema.table_schema, so an edited schema is a new key) and the
# named checks. Building one costs more than checking a small table with it (pandera copies
# its columns several times); the references are kept so the ids stay theirs.
_CHECKERS: dict[tuple, tuple[tuple[object, ...], Checker]] = {}
_CHECKERS_KEPT = 64


def _checker(
    schema: frictionless.Schema,
    checks: Sequence[pa.Check] = (),
    column_checks: Mapping[str, Sequence[pa.Check]] | None = None,
) -> Checker:
    """:func:`pandera_schema` of these objects, built once while they live."""
    named = {column: tuple(found) for column, found in (column_checks or {}).items()}
    parts = (schema, *checks, *(check for found in named.values() for check in found))
    key = (
        id(schema),
        tuple(map(id, checks)),
        tuple((column, tuple(map(id, found))) for column, found in named.items()),
    )
    if key not in _CHECKERS:
        if len(_CHECKERS) >= _CHECKERS_KEPT:
            del _CHECKERS[next(iter(_CHECKERS))]
        _CHECKERS[key] = (parts, pandera_schema(schema, checks, column_checks))
    return _CHECKERS[key][1]


def _plan_checker(with_crosswalk: bool, with_funding_codes: bool) -> Checker:
    row_checks = (
        checks.PLAN_ROW_CHECKS
        + (checks.CROSSWALK_CHECKS if with_crosswalk else ())
        + (checks.FUNDING_CODE_CHECKS if with_funding_codes else ())
    )
    return _checker(table_schema(PLAN_SCHEMA), row_checks, checks.PLAN_COLUMN_CHECKS)


def _themes_checker() -> Checker:
    return _checker(table_schema(THEMES_SCHEMA), checks.THEME_ROW_CHECKS)


def _plan_context(
    raws: Sequence[RawTable],
    years: Sequence[int],
    themes: pd.DataFrame | None,
    funding_codes: pd.DataFrame | None,
) -> Context:
    """The year in each row's file name and, once per load, what the crosswalk and the
    funding codes give."""
    known = frozenset(funding_codes["code"]) if funding_codes is not None else None
    file_year = {display_path(raw.path): year for raw, year in zip(raws, years, strict=True)}
    crosswalk = None
    if themes is not None:
        crosswalk = pd.DataFrame(
            {
                "plan_year": themes["plan_year"].astype("str"),
                "area_code": themes["area_code"].astype("str"),
                checks.CROSSWALK_THEME: themes["theme"].astype("str"),
                checks.CROSSWALK_AREA_NAME: themes["area_name"].astype("str"),
            }
        )

    def context(text: pd.DataFrame, located: pd.DataFrame) -> pd.DataFrame:
        extra = pd.DataFrame(
            {checks.FILE_YEAR: located[PATH].map(file_year).astype("Int64")}, index=text.index
        )
        if crosswalk is not None and {"plan_year", "area_code"} <= set(text.columns):
            joined = text[["plan_year", "area_code"]].merge(
                crosswalk, how="left", on=["plan_year", "area_code"]
            )
            joined.index = text.index
            extra = extra.join(joined[[checks.CROSSWALK_THEME, checks.CROSSWALK_AREA_NAME]])
        if known is not None and "funding_sources" in text.columns:
            cells = text["funding_sources"].mask(text["funding_sources"].eq(""))
            extra[checks.UNKNOWN_FUNDING] = checks.unknown_funding(cells, known)
            extra[checks.KNOWN_FUNDING] = ", ".join(sorted(known))
        return extra

    return context


def _themes_context(text: pd.DataFrame, located: pd.DataFrame) -> pd.DataFrame:
    if not {"theme", "theme_label_en", "theme_label_es"} <= set(text.columns):
        return pd.DataFrame(index=text.index)
    return checks.theme_label_context(text.mask(text.eq("")), located[LINE])


# --------------------------------------------------------------------------- typing


def _typed(text: pd.DataFrame, schema: frictionless.Schema) -> pd.DataFrame:
    """Checked text cells → typed columns, as the schema says: integers, numbers, booleans,
    enums as categoricals in the schema's order; text stays text ("" when empty)."""
    typed = text[field_names(schema)].copy()
    for field in schema.fields:
        constraints = field.constraints or {}
        column = typed[field.name]
        if field.type == "integer":
            required = constraints.get("required") or field.name in schema.primary_key
            dtype = "int64" if required else "Int64"
            typed[field.name] = column.replace("", None).astype(dtype)
        elif field.type == "number":
            typed[field.name] = pd.to_numeric(column.replace("", None)).astype("float64")
        elif field.type == "boolean":
            typed[field.name] = column.map(
                {
                    "true": True,
                    "True": True,
                    "TRUE": True,
                    "1": True,
                    "false": False,
                    "False": False,
                    "FALSE": False,
                    "0": False,
                }
            ).astype("boolean")
        elif "enum" in constraints:
            typed[field.name] = pd.Categorical(
                column.replace("", None),
                categories=list(constraints["enum"]),
                ordered=bool(field.custom.get("categoriesOrdered", False)),
            )
    return typed.reset_index(drop=True)


def _type_plans(text: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """Typed plan columns; areas and themes as categoricals from the crosswalk.

    Areas in natural order (3.1 < … < 3.9 < 3.9i < 3.9ii), themes as first met year by
    year, so every year of a loaded frame shares the same categories; venue countries are
    the ones present, sorted.
    """
    typed = _typed(text, table_schema(PLAN_SCHEMA))
    typed["area_code"] = pd.Categorical(
        typed["area_code"], sorted(set(themes["area_code"]), key=vocabulary.area_sort_key)
    )
    typed["theme"] = pd.Categorical(
        typed["theme"], list(dict.fromkeys(vocabulary.crosswalk_in_order(themes)["theme"]))
    )
    countries = sorted(set(typed["venue_country"]) - {""})
    typed["venue_country"] = pd.Categorical(typed["venue_country"].replace("", None), countries)
    return typed


# --------------------------------------------------------------------------- loading


def _read(
    path: Path,
    schema: frictionless.Schema,
    row: str = "row",
) -> tuple[RawTable, list[Problem]]:
    raw, problems = read_raw_table(path, field_names(schema))
    if raw.header and not raw.rows and not problems:
        problems.append(Problem(display_path(path), 2, "row", f"at least one {row}", "no rows"))
    return raw, problems


def load_table(
    path: Path | str,
    schema: str | Path | frictionless.Schema,
    *,
    checks: Sequence[pa.Check] = (),
    column_checks: Mapping[str, Sequence[pa.Check]] | None = None,
    context: Context | None = None,
) -> pd.DataFrame:
    """Any curated table with a Table Schema, checked and typed; raises PlanDataError.

    ``schema`` is a schema's name (``"lineage"`` → ``data/schemas/lineage.schema.yaml``),
    a path to its YAML file, or a loaded :class:`frictionless.Schema`. Every problem is
    reported at once as ``file:line: column: expected …, found …``, with the words of the
    field's ``expected`` property. Rules the schema cannot state join as named checks
    (:func:`gealc_analysis.data.schema.reported_on`), per row (``checks``) or per column
    (``column_checks``); ``context(text, located)`` may add columns they read (e.g. the
    plans' activity ids, joined once).
    """
    typed, _ = load_table_and_lines(
        path, schema, checks=checks, column_checks=column_checks, context=context
    )
    return typed


def load_table_and_lines(
    path: Path | str,
    schema: str | Path | frictionless.Schema,
    *,
    checks: Sequence[pa.Check] = (),
    column_checks: Mapping[str, Sequence[pa.Check]] | None = None,
    context: Context | None = None,
) -> tuple[pd.DataFrame, list[int]]:
    """:func:`load_table`, and the file line of each of its rows (the file is read once)."""
    source = Path(path)
    contract = schema if isinstance(schema, frictionless.Schema) else table_schema(schema)
    if not source.is_file() and not source.is_dir():
        raise PlanDataError(
            [Problem(display_path(source), 0, "file", "a curated CSV file", "no such file")]
        )
    raw, problems = _read(source, contract)
    checker = _checker(contract, checks, column_checks)
    problems += _problems_of([raw], contract, checker, context, remember_valid=context is None)
    if problems:
        raise PlanDataError(problems)
    return _typed(raw.frame, contract), list(raw.lines)


def _read_themes(data_dir: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    path = data_dir / THEMES_FILE
    if not path.exists():
        return None, []
    schema = table_schema(THEMES_SCHEMA)
    raw, problems = _read(path, schema)
    if problems:
        return None, problems
    problems = _problems_of([raw], schema, _themes_checker(), _themes_context, remember_valid=True)
    return (None if problems else _typed(raw.frame, schema)), problems


def _read_funding_codes(data_dir: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    path = data_dir / FUNDING_CODES_FILE
    if not path.exists():
        return None, []
    try:
        return load_table(path, FUNDING_SCHEMA), []
    except PlanDataError as error:
        return None, list(error.problems)


def load_funding_codes(data_dir: Path | str | None = None) -> pd.DataFrame:
    """The funding codes (``funding_codes.csv``: code, kind, label_en, label_es, note),
    validated; raises PlanDataError."""
    folder = Path(data_dir) if data_dir is not None else paths.CURATED_DIR
    if not (folder / FUNDING_CODES_FILE).exists():
        raise PlanDataError(
            [
                Problem(
                    display_path(folder),
                    0,
                    "folder",
                    f"the funding codes {FUNDING_CODES_FILE}",
                    "none",
                )
            ]
        )
    codes, problems = _read_funding_codes(folder)
    if problems or codes is None:
        raise PlanDataError(problems)
    return codes


def load_themes(data_dir: Path | str | None = None) -> pd.DataFrame:
    """The themes crosswalk (``themes.csv``), validated; raises PlanDataError."""
    folder = Path(data_dir) if data_dir is not None else paths.CURATED_DIR
    if not (folder / THEMES_FILE).exists():
        raise PlanDataError(
            [Problem(display_path(folder), 0, "folder", f"the crosswalk {THEMES_FILE}", "none")]
        )
    themes, problems = _read_themes(folder)
    if problems or themes is None:
        raise PlanDataError(problems)
    return themes


def load_plans(
    data_dir: Path | str | None = None, years: Iterable[int] | None = None
) -> pd.DataFrame:
    """Every curated plan in ``data_dir`` (or the requested years), validated and typed.

    Reads each ``plan_<year>.csv`` — adding a year is adding a file — and checks all of
    them at once against ``data/schemas/plan.schema.yaml`` and the themes crosswalk.
    Raises :class:`PlanDataError` listing every problem in every file; never returns a
    partial frame.
    """
    plans, _, _ = load_plans_with_themes_and_codes(data_dir, years)
    return plans


def load_plans_with_themes_and_codes(
    data_dir: Path | str | None = None, years: Iterable[int] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """:func:`load_plans`, with the crosswalk and the funding codes it checked the plans
    against: the frames :func:`load_themes` and :func:`load_funding_codes` give, each file
    read and checked once (the bundle's load needs all three)."""
    folder = Path(data_dir) if data_dir is not None else paths.CURATED_DIR
    wanted = sorted(set(years)) if years is not None else None
    problems = _file_set_problems(folder, wanted)
    if not folder.is_dir():
        raise PlanDataError(problems)
    themes, theme_problems = _read_themes(folder)
    funding_codes, funding_problems = _read_funding_codes(folder)
    problems += theme_problems + funding_problems

    schema = table_schema(PLAN_SCHEMA)
    raws: list[RawTable] = []
    years_read: list[int] = []
    for year, path in sorted(contract.plan_files(folder).items()):
        if wanted is not None and year not in wanted:
            continue
        raw, read_problems = _read(path, schema, row="activity")
        problems += read_problems
        raws.append(raw)
        years_read.append(year)
    context = _plan_context(raws, years_read, themes, funding_codes)
    checker = _plan_checker(themes is not None, funding_codes is not None)
    problems += _problems_of(raws, schema, checker, context)
    if problems or themes is None or funding_codes is None:
        raise PlanDataError(problems)
    text, _ = _combined(raws, field_names(schema))
    return _type_plans(text, themes), themes, funding_codes
