"""Shared fixtures: a scratch copy of the curated data that a test may break on purpose."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from gealc_analysis import paths


@pytest.fixture
def curated_copy(tmp_path: Path) -> Path:
    """A private copy of data/curated, safe to corrupt."""
    target = tmp_path / "curated"
    shutil.copytree(paths.CURATED_DIR, target)
    return target


def rewrite_cell(path: Path, activity_id: str, column: str, value: str) -> int:
    """Set one cell of a curated CSV; return the file line of the edited row."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    for number, row in enumerate(rows[1:], start=2):
        if row[header.index("activity_id")] == activity_id:
            row[header.index(column)] = value
            with path.open("w", encoding="utf-8", newline="") as handle:
                csv.writer(handle, lineterminator="\n").writerows(rows)
            return number
    raise AssertionError(f"{activity_id} not in {path}")
