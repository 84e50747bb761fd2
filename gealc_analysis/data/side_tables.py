"""Read a curated table described by a Frictionless Table Schema, keeping each row's line.

The schema-level checks (types, required cells, patterns, enums, keys, each field's
``expected`` words) are the data package's generic loader, ``gealc_analysis.data.load_table``;
this adds the line of each record as the frame's index, so rules checked later against other
tables (ids that must exist in a plan) can still say ``file:line``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from gealc_analysis.data.contract import SCHEMAS_DIR
from gealc_analysis.data.errors import PlanDataError, Problem

SCHEMAS_DIR_NAME = SCHEMAS_DIR.name


def load_curated_table(path: Path, schema_path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The table typed by its schema with each record's line as the index, or None and every
    problem found, located by line."""
    from gealc_analysis.data.loading import load_table_and_lines  # the validators: only to load

    try:
        typed, lines = load_table_and_lines(path, schema_path)
    except PlanDataError as error:
        return None, list(error.problems)
    typed.index = pd.Index(lines, name="line")
    return typed, []
