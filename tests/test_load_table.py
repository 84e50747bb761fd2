"""``load_table``: any curated table with a Table Schema is checked and typed the same way
as the plans — one schema file, no Python per table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from gealc_analysis.data import PlanDataError, load_table
from gealc_analysis.data.schema import reported_on

SCHEMA = {
    "fields": [
        {
            "name": "link_id",
            "type": "string",
            "constraints": {"required": True, "unique": True, "pattern": "L[0-9]+"},
            "expected": "an id like L1",
        },
        {
            "name": "weight",
            "type": "integer",
            "constraints": {"minimum": 0, "maximum": 10},
            "expected": "a whole number from 0 to 10 or an empty cell",
        },
        {
            "name": "kind",
            "type": "string",
            "constraints": {"required": True, "enum": ["same", "split"]},
        },
        {"name": "share", "type": "number", "expected": "a number"},
        {"name": "rank", "type": "integer"},
        {"name": "note", "type": "string"},
    ],
    "primaryKey": ["kind", "weight"],
}


@pytest.fixture
def schema_file(tmp_path: Path) -> Path:
    path = tmp_path / "links.schema.yaml"
    path.write_text(yaml.safe_dump(SCHEMA, sort_keys=False), encoding="utf-8")
    return path


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "links.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_table_comes_back_typed_as_its_schema_says(
    tmp_path: Path, schema_file: Path
) -> None:
    path = write(
        tmp_path, "link_id,weight,kind,share,rank,note\nL1,3,same,0.5,1,\nL2,3,split,,,x\n"
    )
    table = load_table(path, schema_file)
    assert list(table.columns) == ["link_id", "weight", "kind", "share", "rank", "note"]
    assert str(table["rank"].dtype) == "Int64"  # optional integer: missing stays missing
    assert table["rank"].tolist()[0] == 1 and pd.isna(table["rank"].tolist()[1])
    assert table["weight"].dtype == "int64"  # a key field is required
    assert list(table["kind"].cat.categories) == ["same", "split"]
    assert table["share"].dtype == "float64"
    assert table["note"].tolist() == ["", "x"]


def test_every_problem_is_located_in_the_schemas_own_words(
    tmp_path: Path, schema_file: Path
) -> None:
    path = write(
        tmp_path,
        "link_id,weight,kind,share,rank,note\n"
        "L1,3,same,half,,\n"
        "L1,11,merged,0.1,,\n"
        "X,3,same,0.2,,\n",
    )
    with pytest.raises(PlanDataError) as caught:
        load_table(path, schema_file)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:2: link_id: expected a value unique within the file, found 'L1'",
        f"{path}:2: share: expected a number, found 'half'",
        f"{path}:3: kind: expected one of same, split, found 'merged'",
        f"{path}:3: link_id: expected a value unique within the file, found 'L1'",
        f"{path}:3: weight: expected a whole number from 0 to 10 or an empty cell, found '11'",
        f"{path}:4: link_id: expected an id like L1, found 'X'",
        f"{path}:4: weight: expected one row per (kind, weight); first at line 2, found '3'",
    ]


def test_a_missing_table_file_is_a_located_problem(tmp_path: Path, schema_file: Path) -> None:
    with pytest.raises(PlanDataError) as caught:
        load_table(tmp_path / "nowhere.csv", schema_file)
    assert str(caught.value.problems[0]) == (
        f"{tmp_path / 'nowhere.csv'}: file: expected a curated CSV file, found 'no such file'"
    )


def test_a_rule_the_schema_cannot_state_joins_as_a_named_check(
    tmp_path: Path, schema_file: Path
) -> None:
    path = write(
        tmp_path, "link_id,weight,kind,share,rank,note\nL1,3,same,0.5,1,\nL2,4,split,0.5,,\n"
    )
    split_needs_a_note = reported_on(
        "note",
        "a note saying how a {kind} link was read",
        name="split_has_a_note",
        test=lambda frame: frame["kind"].ne("split") | frame["note"].notna(),
    )
    with pytest.raises(PlanDataError) as caught:
        load_table(path, schema_file, checks=[split_needs_a_note])
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:3: note: expected a note saying how a split link was read, found an empty cell"
    ]
