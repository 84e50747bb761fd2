"""data/datapackage.json describes every curated file, is current, and validates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import rewrite_cell
from frictionless import Package

from gealc_analysis import paths, vocabulary
from gealc_analysis.datapackage import descriptor_text, sha256

DESCRIPTOR = paths.DATA_DIR / "datapackage.json"


def test_committed_descriptor_is_up_to_date() -> None:
    assert DESCRIPTOR.read_text(encoding="utf-8") == descriptor_text(), (
        "data/datapackage.json is stale: run `gealc-report datapackage` and commit it")


def test_descriptor_lists_every_curated_csv() -> None:
    descriptor = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))
    described = {resource["path"] for resource in descriptor["resources"]}
    on_disk = {f"curated/{p.name}" for p in paths.CURATED_DIR.glob("*.csv")}
    assert described == on_disk


def test_enums_are_those_of_the_codebook_vocabularies() -> None:
    descriptor = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))
    plan = next(r for r in descriptor["resources"] if r["name"] == "plan_2024")
    fields = {field["name"]: field for field in plan["schema"]["fields"]}
    assert [f["name"] for f in plan["schema"]["fields"]] == list(vocabulary.PLAN_COLUMNS)
    assert fields["activity_type"]["constraints"]["enum"] == list(vocabulary.ACTIVITY_TYPES)
    assert fields["timing"]["constraints"]["enum"] == list(vocabulary.TIMINGS)
    assert fields["venue_mode"]["constraints"]["enum"] == list(vocabulary.VENUE_MODES)
    assert fields["idb_instrument"]["constraints"]["enum"] == list(vocabulary.IDB_INSTRUMENTS)


def test_raw_source_checksums_match_the_files() -> None:
    descriptor = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        for source in resource.get("sources", []):
            assert sha256(paths.DATA_DIR / source["path"]) == source["sha256"], source["path"]


def test_sources_md_records_the_same_checksums() -> None:
    sources_md = (paths.RAW_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for raw in sorted(paths.RAW_DIR.glob("*.txt")):
        assert sha256(raw) in sources_md, f"SOURCES.md lacks the SHA-256 of {raw.name}"


def test_frictionless_validates_the_package() -> None:
    report = Package(str(DESCRIPTOR)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    return tmp_path / "data"


def test_frictionless_rejects_a_value_outside_an_enum(package_copy: Path) -> None:
    rewrite_cell(package_copy / "curated/plan_2020.csv", "2020-3.1.1", "timing", "S3")
    report = Package(str(package_copy / "datapackage.json")).validate()
    assert not report.valid
    assert ["constraint-error"] == sorted({e.type for e in report.tasks[1].errors})


def test_frictionless_rejects_an_area_missing_from_the_crosswalk(package_copy: Path) -> None:
    rewrite_cell(package_copy / "curated/plan_2024.csv", "2024-3.3.1", "area_code", "3.10")
    report = Package(str(package_copy / "datapackage.json")).validate()
    assert "foreign-key" in {e.type for task in report.tasks for e in task.errors}
