"""Read a curated table described by a Frictionless Table Schema, with located errors.

A stop-gap with the agreed approach (Table Schema YAML → pandera via
``from_frictionless_schema``, every problem as a ``data.Problem``) until the generic loader of
the data package lands; ``load_curated_table`` is the one function it replaces. Cross-table
rules (ids that must exist in another file) belong to the table's own module.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import yaml
from pandera.io.pandas_io import from_frictionless_schema

from gealc_analysis.data import Problem, display_path, read_raw_table

SCHEMAS_DIR_NAME = "schemas"
TRUE_VALUES = ("true", "True", "TRUE", "1")
FALSE_VALUES = ("false", "False", "FALSE", "0")


def read_schema(schema_path: Path) -> dict[str, Any]:
    """The Table Schema as a dict (YAML or JSON: YAML reads both)."""
    return yaml.safe_load(Path(schema_path).read_text(encoding="utf-8"))


def load_curated_table(path: Path, schema_path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The table typed by its schema, or None and every problem found, located by line.

    The frame's index is each record's line in the file, so a rule checked later (against
    another table) can still say ``file:line``.

    Empty cells reach pandera as missing (not ""), so patterns and enums judge only values;
    booleans are read with Frictionless' true/false words before pandera (its coercion would
    turn any non-empty text into True).
    """
    schema = read_schema(schema_path)
    fields = schema["fields"]
    names = [field["name"] for field in fields]
    raw, problems = read_raw_table(Path(path), names)
    if problems:
        return None, problems
    shown = display_path(Path(path))
    frame = raw.frame.replace("", None)
    for field in fields:
        if field.get("type") == "boolean":
            column = frame[field["name"]]
            for index, value in column.items():
                if value is not None and value not in TRUE_VALUES + FALSE_VALUES:
                    problems.append(Problem(shown, raw.lines[index], field["name"],
                                            "true or false", str(value)))
            frame[field["name"]] = column.map(
                lambda v: None if v is None else v in TRUE_VALUES).astype("object")
    if problems:
        return None, problems
    try:
        typed = from_frictionless_schema(schema).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return None, _problems_from(errors.failure_cases, shown, raw.lines, raw.frame, schema)
    typed.index = pd.Index(raw.lines, name="line")
    return typed, []


def _problems_from(cases: pd.DataFrame, shown: str, lines: list[int], text: pd.DataFrame,
                   schema: dict[str, Any]) -> list[Problem]:
    """One Problem per failing (row, column, rule), in words a curator can act on."""
    fields = {field["name"]: field for field in schema["fields"]}
    found: dict[tuple[int, str, str], Problem] = {}
    for case in cases.to_dict("records"):
        if case["index"] is None or pd.isna(case["index"]):
            continue  # a cascade of a type failure already reported on its row
        index, column = int(case["index"]), str(case["column"])
        expected = _expected(str(case["check"]), fields.get(column, {}), schema)
        key = (index, column, expected)
        found.setdefault(key, Problem(shown, lines[index], column, expected,
                                      str(text.at[index, column])))
    return sorted(found.values())


def _expected(check: str, field: dict[str, Any], schema: dict[str, Any]) -> str:
    """What the schema expects, phrased from the field's own constraints."""
    constraints = field.get("constraints", {})
    if check == "not_nullable":
        return "a value (the column is required)"
    if check.startswith("str_matches"):
        return f"text matching {constraints.get('pattern', check)}"
    if check.startswith("isin"):
        return "one of " + ", ".join(str(v) for v in constraints.get("enum", []))
    if check in ("multiple_fields_uniqueness", "field_uniqueness"):
        key = schema.get("primaryKey") or [field.get("name", "")]
        return "a combination of " + ", ".join(key) + " found only once in the file"
    if "dtype" in check:
        return f"a value of type {field.get('type', 'string')}"
    if check.startswith(("greater_than", "less_than", "in_range")):
        bounds = {k: v for k, v in constraints.items() if k in ("minimum", "maximum")}
        return "a number with " + ", ".join(f"{k} {v}" for k, v in bounds.items())
    return re.sub(r"\s+", " ", check)
