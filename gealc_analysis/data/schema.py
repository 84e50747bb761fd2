"""Table Schema → pandera: the data contract stated once, in ``data/schemas/``, and enforced.

Each curated table has a Frictionless Table Schema (``data/schemas/<name>.schema.yaml``):
types, required cells, patterns, enums, bounds, keys, and — in each field's ``expected``
property — the words a person sees when a cell breaks them. pandera builds the validating
schema from that file (:func:`pandera.io.pandas_io.from_frictionless_schema`); rules that
span columns or files join it as named :class:`pandera.Check` objects whose ``error`` is
their message (``gealc_analysis.data.checks``). One lazy pass over the cells then yields
every failure, and :func:`check_cells` turns each into a :class:`Problem` located
``file:line: column``.

Cells reach pandera as they were typed: an empty cell is missing (so ``required`` catches
it and a pattern or enum never sees ""), and a number is parsed here from text matching
``[0-9]`` only, so "three", "٣" or a 30-digit number is a located problem, never a
traceback or a silently wrapped int64.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import frictionless
import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.io.pandas_io import from_frictionless_schema

from gealc_analysis.core.outputs import is_formula_like
from gealc_analysis.data.contract import descriptor_of, schema_path, schema_sources
from gealc_analysis.data.errors import NOT_SCANNED, SCAN_STOPPED, Problem

UNIQUE_EXPECTED = "a value unique within the file"

# Columns that locate a row (added to the frame pandera sees, never part of a table).
PATH, LINE, FIRST_LINE = "_path", "_line", "_first_line"
# Integers are parsed from canonical decimal text (no sign, no leading zero) of at most 18
# digits, which int64 always holds; a longer one is beyond any bound a schema sets.
_INTEGER_TEXT = r"0|[1-9][0-9]{0,17}"
_LONG_INTEGER_TEXT = r"[1-9][0-9]{18,}"
# The capped detailed scan (see check_cells): rows of the first pass, problems that stop it.
FIRST_SCAN_ROWS = 2_000
SCAN_CAP = 1_000
_TRUE, _FALSE = ("true", "True", "TRUE", "1"), ("false", "False", "FALSE", "0")


def table_schema(name_or_path: str | Path) -> frictionless.Schema:
    """The Frictionless Table Schema of a table, by name or by path to its YAML file.

    One object per content of the schema's files (:func:`schema_sources`), built once: the
    loaders key their built validators on it, so an edited schema is read and built again
    and an unchanged one never is. Shared: read it, never change it.
    """
    path = Path(name_or_path) if isinstance(name_or_path, Path) else schema_path(name_or_path)
    return _read_schema(*schema_sources(path.resolve()))


@cache
def _read_schema(text: str, shared: str | None) -> frictionless.Schema:
    return frictionless.Schema.from_descriptor(descriptor_of(text, shared))


def field_names(schema: frictionless.Schema) -> list[str]:
    """The table's columns in file order."""
    return [field.name for field in schema.fields]


def expected(field: frictionless.Field, constraint: str | None = None) -> str:
    """What a person should put in this field, as the validator says it.

    The field's ``expected`` property; for a broken maximum its ``expectedMaximum`` when
    given; for an enum without words of its own, "one of a, b, c" (", or an empty cell" when
    the cell is optional), so the list shown is always the schema's.
    """
    custom = field.custom
    if constraint == "maximum" and "expectedMaximum" in custom:
        return str(custom["expectedMaximum"])
    if "expected" in custom:
        return str(custom["expected"])
    constraints = field.constraints or {}
    if "enum" in constraints:
        optional = "" if constraints.get("required") else " or an empty cell"
        return f"one of {', '.join(map(str, constraints['enum']))}{optional}"
    return f"a value of type {field.type}"


@dataclass(frozen=True)
class Checker:
    """What checks a table's cells: its pandera schema with no dtypes, and each column's
    pandera dtype, which :func:`check_cells` applies once before pandera runs.

    Told to coerce, pandera coerces every column twice per validation (the frame, then each
    column, deep-copying the column's schema each time), then checks each column's dtype,
    formatting an empty frame of failures for every string column that passes: about a
    quarter of a small table's check. Coercing here with pandera's own dtype objects
    (``try_coerce``, what its coercion calls) gives its checks the same cells. Nothing is
    lost: the cells come typed from :func:`cells_for_checking` (Int64, boolean, float64,
    text), so no coercion can fail, and a coerced column has its dtype, so no dtype check
    could fail.
    """

    schema: pa.DataFrameSchema
    dtypes: Mapping[str, Any]

    def coerced(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with each of the schema's columns it has in the schema's dtype."""
        coerced = frame.copy(deep=False)
        for name, dtype in self.dtypes.items():
            if name in coerced.columns:
                coerced[name] = dtype.try_coerce(coerced[name])
        return coerced


def pandera_schema(
    schema: frictionless.Schema,
    checks: Sequence[pa.Check] = (),
    column_checks: Mapping[str, Sequence[pa.Check]] | None = None,
) -> Checker:
    """The pandera schema of a table: its Table Schema, plus the checks code has to state.

    From the Table Schema via pandera's own reader, with three adjustments: a minimum and a
    maximum become two checks (each broken bound gets its own words); integers are the
    nullable ``Int64`` (an empty cell is missing, and reported as such if required); a
    primary key of several fields becomes a named check that points at the first row with
    the same key. Extra columns (``_path``, ``_line``, context for the checks) are allowed.
    The dtypes are kept beside the schema (see :class:`Checker`).
    """
    built = from_frictionless_schema(schema)
    updates: dict[str, dict] = {}
    for field in schema.fields:
        column = built.columns[field.name]
        own = [check for part in column.checks for check in _split_range(part)]
        own += list((column_checks or {}).get(field.name, ()))
        constraints = field.constraints or {}
        if field.type == "string" and "enum" not in constraints:
            own.append(_not_a_formula(constraints.get("pattern")))
        update: dict = {"checks": own}
        if field.type == "integer":
            update["dtype"] = "Int64"
        elif field.type == "boolean":
            update["dtype"] = "boolean"
        updates[field.name] = update
    columns = built.update_columns(updates).columns
    dtypes = {name: column.dtype for name, column in columns.items()}
    untyped = built.update_columns(
        {name: {**update, "dtype": None, "coerce": False} for name, update in updates.items()}
    ).columns
    key_checks = [primary_key_check(schema.primary_key)] if len(schema.primary_key) > 1 else []
    return Checker(
        pa.DataFrameSchema(
            columns=untyped,
            checks=[*key_checks, *checks],
            coerce=False,
            strict=False,
            unique=None,
            report_duplicates="all",
        ),
        dtypes,
    )


# Free text must not read as a spreadsheet formula: the report publishes the curated CSVs
# as they are (reports/data/), and a cell like "=HYPERLINK(…)" or "＝1+1" would run when a
# reader opens one (OWASP "CSV Injection"). Refused here rather than altered in the copy,
# so the published file is byte for byte the curated one (see data/CODEBOOK.md).
NOT_A_FORMULA_EXPECTED = (
    "text that does not start like a spreadsheet formula (=, +, - or @, also after "
    "spaces, invisible characters or full-width look-alikes): start it with a word"
)


# A cell starting with an ASCII letter or digit is never formula-like (NFKC keeps that
# character or composes it with the marks after it into a letter, which is no trigger, no
# space and no format character): most cells, answered without normalising them. A test
# checks every such start followed by every combining mark.
_PLAIN_STARTS = frozenset(string.ascii_letters + string.digits)


def _not_a_formula(pattern: str | None) -> pa.Check:
    """The check of one free-text field; a cell breaking the field's pattern passes it (the
    pattern reports that cell: one mistake, one problem)."""
    shape = re.compile(pattern.removeprefix("^").removesuffix("$")) if pattern else None

    def test(cells: pd.Series) -> pd.Series:
        passes = pd.Series(
            [c[:1] in _PLAIN_STARTS or not is_formula_like(c) for c in cells.to_numpy(object)],
            index=cells.index,
            dtype=bool,
        )
        if shape is not None:
            passes |= ~cells.str.fullmatch(shape).fillna(False).astype(bool)
        return passes

    return pa.Check(
        test,
        ignore_na=True,
        name="not_formula_like",
        error=NOT_A_FORMULA_EXPECTED,
        title="not_formula_like",
    )


def _split_range(check: pa.Check) -> list[pa.Check]:
    """One check per bound; a pattern matched against the whole cell.

    pandera anchors a Table Schema pattern as ``^…$``, and ``$`` also matches before a final
    newline, so "Taller\n" would pass a no-trailing-space pattern: full matching is what the
    Table Schema means by an (implicitly anchored) pattern.
    """
    stats = check.statistics or {}
    if check.name == "in_range":
        return [pa.Check.ge(stats["min_value"]), pa.Check.le(stats["max_value"])]
    if check.name == "str_matches":
        pattern = re.compile(stats["pattern"].removeprefix("^").removesuffix("$"))
        return [
            pa.Check(
                lambda cells: cells.str.fullmatch(pattern).fillna(False).astype(bool),
                ignore_na=True,
                name="str_matches",
                error=check.error,
            )
        ]
    return [check]


def reported_on(column: str, message: str, test, name: str) -> pa.Check:
    """A check across columns (or files), reported on the cell a person should fix.

    ``message`` is what that person should see after "expected"; it may name other cells
    of the row (``{plan_year}``) or context columns the loader adds (``{_file_year}``).
    The column reported is kept as the check's title.
    """
    return pa.Check(test, name=name, error=message, title=column)


def primary_key_check(key: Sequence[str]) -> pa.Check:
    """Each row's key unique; a repeat is reported on its last field, pointing at the first."""
    fields = list(key)

    def first_of_its_key(frame: pd.DataFrame) -> pd.Series:
        return ~frame.duplicated(fields, keep="first") | frame[fields].isna().any(axis=1)

    return reported_on(
        fields[-1],
        f"one row per ({', '.join(fields)}); first at line {{%s}}" % FIRST_LINE,
        first_of_its_key,
        name="primary_key",
    )


def first_lines(frame: pd.DataFrame, key: Sequence[str]) -> pd.Series:
    """Line of the first row sharing each row's key (context for :func:`primary_key_check`)."""
    return frame.groupby(list(key), dropna=False, sort=False)[LINE].transform("first")


def cells_for_checking(
    text: pd.DataFrame,
    schema: frictionless.Schema,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Text cells → the values pandera checks, and where a typed cell could not be read.

    Empty cells become missing; integer, number and boolean cells are parsed from their
    canonical text. Returns the frame and a same-shaped mask of non-empty cells that are
    not of their field's type (each becomes a problem with the field's words).
    """
    cells = text.mask(text.eq(""))
    unreadable = pd.DataFrame(False, index=text.index, columns=text.columns)
    for field in schema.fields:
        if field.name not in text.columns:
            continue
        column = cells[field.name]
        if field.type == "integer":
            parsed = _integers(column, (field.constraints or {}).get("maximum"))
        elif field.type == "number":
            parsed = pd.to_numeric(column, errors="coerce").astype("float64")
        elif field.type == "boolean":
            parsed = column.map(
                lambda c: True if c in _TRUE else False if c in _FALSE else None, na_action="ignore"
            ).astype("boolean")
        else:
            continue
        cells[field.name] = parsed
        unreadable[field.name] = column.notna() & parsed.isna()
    return cells, unreadable


def _integers(column: pd.Series, maximum: int | None) -> pd.Series:
    """Int64 from canonical digits; a number too long for int64 is kept just above the
    field's maximum (so the bound reports it) or, with no maximum, left unread."""
    readable = column.str.fullmatch(_INTEGER_TEXT).fillna(False).astype(bool)
    values = column.where(readable).astype("Int64")
    if maximum is not None and (values.isna() & column.notna()).any():
        too_long = column.str.fullmatch(_LONG_INTEGER_TEXT).fillna(False).astype(bool)
        values = values.mask(too_long, int(maximum) + 1)
    return values


def check_cells(
    text: pd.DataFrame,
    located: pd.DataFrame,
    schema: frictionless.Schema,
    checker: Checker,
    context: pd.DataFrame | None = None,
) -> list[Problem]:
    """Every way the cells break the contract, each located ``file:line: column``.

    ``text`` holds the cells as typed (index 0..n-1, any subset of the schema's columns);
    ``located`` its ``_path`` and ``_line``; ``context`` extra columns the named checks read.
    One lazy pandera pass over the whole frame, however many files it came from.

    The detailed scan stops at a cap: the first :data:`FIRST_SCAN_ROWS` rows are checked,
    then four times as many, and so on; once a pass finds :data:`SCAN_CAP` problems or more
    the rows after it are left for the next run, and a last problem says where the scan
    stopped (:data:`~gealc_analysis.data.errors.SCAN_STOPPED`). So a file of 200 000 bad rows
    is answered in seconds with bounded memory (only the first 50 problems are shown
    anyway), and every problem reported is exact for the rows scanned: checks across rows
    (keys, uniqueness) see the whole scanned prefix.
    """
    size = FIRST_SCAN_ROWS
    while size < len(text):
        part = slice(0, size)
        problems = _check_all_cells(
            text.iloc[part],
            located.iloc[part],
            schema,
            checker,
            context.iloc[part] if context is not None else None,
        )
        if len(problems) >= SCAN_CAP:
            return [*problems, _scan_stopped(located, size)]
        size *= 4
    return _check_all_cells(text, located, schema, checker, context)


def _scan_stopped(located: pd.DataFrame, size: int) -> Problem:
    """Where a capped scan stopped: the first row it did not check."""
    return Problem(
        str(located[PATH].iat[size]),
        int(located[LINE].iat[size]),
        SCAN_STOPPED,
        f"this row and the rest checked once the problems above are fixed (the check "
        f"stops after {SCAN_CAP} problems)",
        NOT_SCANNED,
    )


def _check_all_cells(
    text: pd.DataFrame,
    located: pd.DataFrame,
    schema: frictionless.Schema,
    typed_checker: Checker,
    context: pd.DataFrame | None = None,
) -> list[Problem]:
    cells, unreadable = cells_for_checking(text, schema)
    extra = [context] if context is not None else []
    if len(schema.primary_key) > 1 and set(schema.primary_key) <= set(cells.columns):
        keyed = pd.concat([cells[list(schema.primary_key)], located[LINE]], axis=1)
        extra.append(first_lines(keyed, schema.primary_key).rename(FIRST_LINE))
    frame = typed_checker.coerced(pd.concat([cells, located, *extra], axis=1))
    checker = typed_checker.schema
    fields = {field.name: field for field in schema.fields}
    problems: list[Problem] = []
    for column in unreadable.columns:
        rows = np.flatnonzero(unreadable[column].to_numpy())
        problems += _located_problems(located, text, rows, column, expected(fields[column]))
    missing = [name for name in fields if name not in text.columns]
    if missing:  # a header without some columns: check the rest (the header is reported)
        checker = checker.remove_columns(missing)
    try:
        checker.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        problems += _failure_problems(
            errors, checker, fields, frame, located, text, skip_unlocated=bool(missing)
        )
    return problems


def _failure_problems(
    errors: pa.errors.SchemaErrors,
    checker: pa.DataFrameSchema,
    fields: Mapping[str, frictionless.Field],
    frame: pd.DataFrame,
    located: pd.DataFrame,
    text: pd.DataFrame,
    skip_unlocated: bool,
) -> list[Problem]:
    """pandera's failure cases → problems, one pass per check, not one lookup per failure.

    A check on the whole frame fails once per column of each failing row: it is one
    problem per row, on the column its title names. Time and memory grow with the number
    of failing rows, never with rows × lookups (200 000 bad rows stay seconds).
    """
    cases = errors.failure_cases[
        ["schema_context", "column", "check", "check_number", "failure_case", "index"]
    ]
    unlocated = cases[cases["index"].isna()]
    for context, column, check, number, failure in unlocated.iloc[:, :5].itertuples(
        index=False, name=None
    ):
        on_frame = context == "DataFrameSchema" and number is not None and not pd.isna(number)
        if skip_unlocated or not (on_frame or column in fields):
            continue  # a check that needs a column the header lacks, or a context column
        # Not a cell: a check that broke. That is a fault here, not in the data.
        raise RuntimeError(f"check {check!r} on {column!r} failed to run: {failure}")
    cases = cases[cases["index"].notna()]
    whole = cases["schema_context"].eq("DataFrameSchema") & cases["check_number"].notna()
    problems: list[Problem] = []
    named = cases[whole].drop_duplicates(["check_number", "index"])
    for number, group in named.groupby("check_number", sort=True):
        check = checker.checks[int(number)]
        rows = _positions(frame, group["index"])
        problems += _located_problems(located, text, rows, check.title, check.error, frame)
    own = cases[~whole & cases["column"].isin(list(fields))]
    own = own.drop_duplicates(["column", "check", "check_number", "index"])
    for (column, check, number), group in own.groupby(
        ["column", "check", "check_number"], sort=True, dropna=False
    ):
        message = _column_message(checker, fields[column], column, check, number)
        rows = _positions(frame, group["index"])
        problems += _located_problems(located, text, rows, column, message, frame)
    return problems


def _positions(frame: pd.DataFrame, index: pd.Series) -> np.ndarray:
    """Row positions of pandera's failure-case labels (-1 would silently pick the last row)."""
    rows = frame.index.get_indexer(index.astype("int64").to_numpy())
    if (rows < 0).any():
        raise RuntimeError("a failure case names a row the checked frame does not have")
    return rows


def _located_problems(
    located: pd.DataFrame,
    text: pd.DataFrame,
    rows: np.ndarray,
    column: str,
    message: str,
    frame: pd.DataFrame | None = None,
) -> list[Problem]:
    """One problem per row position in ``rows``: the cell of ``column`` as typed, located
    by the row's file and line; ``message`` filled from the row's cells when it names any."""
    if len(rows) == 0:
        return []
    paths = located[PATH].to_numpy()[rows]
    lines = located[LINE].to_numpy()[rows]
    found = text[column].to_numpy()[rows] if column in text.columns else np.full(len(rows), "")
    names = [name for _, name, _, _ in string.Formatter().parse(message) if name]
    if names and frame is not None:
        values = {name: [_shown(v) for v in frame[name].to_numpy()[rows]] for name in names}
        words = [
            message.format(**{name: values[name][i] for name in names}) for i in range(len(rows))
        ]
    else:
        words = [message.format()] * len(rows)
    return [
        Problem(str(path), int(line), str(column), word, str(cell))
        for path, line, word, cell in zip(paths, lines, words, found, strict=True)
    ]


def _column_message(
    checker: pa.DataFrameSchema, field: frictionless.Field, column: str, check: str, number: object
) -> str:
    if check in ("field_uniqueness",):
        return UNIQUE_EXPECTED
    if number is not None and not pd.isna(number):
        own = checker.columns[column].checks[int(number)]
        if own.title:  # one of ours (reported_on); pandera's built-ins have no title
            return own.error
        if own.name == "less_than_or_equal_to":
            return expected(field, "maximum")
    return expected(field)


def _shown(value: object) -> str:
    return "" if value is None or (not isinstance(value, list) and pd.isna(value)) else str(value)
