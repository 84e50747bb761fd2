"""data/datapackage.json is made from the schemas and raw-source records, is current, and
validates; the codebook, the vocabularies and SOURCES.md say what those files say."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import rewrite_cell, snapshot
from frictionless import Package

from gealc_analysis.core import paths
from gealc_analysis.data import (
    SCHEMAS_DIR,
    PlanDataError,
    load_funding_codes,
    schema_names,
    table_schema,
    vocabulary,
)
from gealc_analysis.data.contract import definitions, field_constraint
from gealc_analysis.data.datapackage import descriptor_text, raw_sources, sha256, write_descriptor

DESCRIPTOR = paths.DATA_DIR / "datapackage.json"
CODEBOOK = paths.DATA_DIR / "CODEBOOK.md"


@pytest.fixture(scope="module")
def descriptor() -> dict:
    return json.loads(DESCRIPTOR.read_text(encoding="utf-8"))


def enum(table: str, field: str) -> list[str]:
    return next(f.constraints["enum"] for f in table_schema(table).fields if f.name == field)


def test_committed_descriptor_is_up_to_date() -> None:
    assert DESCRIPTOR.read_text(encoding="utf-8") == descriptor_text(), (
        "data/datapackage.json is stale: run `gealc-report datapackage` and commit it"
    )


def test_the_descriptor_is_byte_stable() -> None:
    assert descriptor_text() == descriptor_text()


def test_descriptor_lists_every_curated_csv(descriptor: dict) -> None:
    described = {resource["path"] for resource in descriptor["resources"]}
    on_disk = {f"curated/{p.name}" for p in paths.CURATED_DIR.glob("*.csv")}
    assert described == on_disk


def test_every_plan_resource_carries_the_plan_schema_with_its_enums(descriptor: dict) -> None:
    plan = next(r for r in descriptor["resources"] if r["name"] == "plan_2024")
    fields = {field["name"]: field for field in plan["schema"]["fields"]}
    assert [f["name"] for f in plan["schema"]["fields"]] == list(vocabulary.PLAN_COLUMNS)
    assert fields["activity_type"]["constraints"]["enum"] == list(vocabulary.ACTIVITY_TYPES)
    assert fields["timing"]["constraints"]["enum"] == list(vocabulary.TIMINGS)
    assert fields["venue_mode"]["constraints"]["enum"] == list(vocabulary.VENUE_MODES)
    assert fields["idb_instrument"]["constraints"]["enum"] == list(vocabulary.IDB_INSTRUMENTS)
    assert fields["frequency_per_year"]["constraints"]["maximum"] == 366


def test_the_schemas_hold_the_vocabularies_of_the_code() -> None:
    assert [f.name for f in table_schema("plan").fields] == list(vocabulary.PLAN_COLUMNS)
    assert [f.name for f in table_schema("themes").fields] == list(vocabulary.THEME_COLUMNS)
    assert enum("plan", "activity_type") == list(vocabulary.ACTIVITY_TYPES)
    assert enum("plan", "timing") == list(vocabulary.TIMINGS)
    assert enum("plan", "venue_mode") == list(vocabulary.VENUE_MODES)
    assert enum("plan", "idb_instrument") == list(vocabulary.IDB_INSTRUMENTS)
    assert enum("themes", "relation") == list(vocabulary.THEME_RELATIONS)
    codes = load_funding_codes()
    assert list(codes["code"]) == list(vocabulary.FUNDING_SOURCES)  # once, in the data
    assert dict(zip(codes["code"], codes["kind"].astype(str), strict=True)) == (
        vocabulary.RESOURCE_KINDS
    )
    assert enum("funding_codes", "kind") == ["cash", "staff_time"]


def test_each_shared_pattern_is_written_once_in_the_definitions() -> None:
    text = "".join(path.read_text(encoding="utf-8") for path in SCHEMAS_DIR.glob("*.schema.yaml"))
    for written in ("3\\.[0-9]+", "[a-z][a-z0-9_]*", "executive_committee"):
        assert written not in text, written
    activity_id = definitions()["activity_id"]
    for table, field in (
        ("plan", "activity_id"),
        ("lineage", "from_activity_id"),
        ("lineage", "to_activity_id"),
    ):
        assert field_constraint(table, field, "pattern") == activity_id
    assert re.fullmatch(field_constraint("alternative_codings", "row_id", "pattern"), "2024:3.9ii")
    assert re.fullmatch(activity_id, "2024-3.9ii.4-b")
    assert not re.fullmatch(activity_id, "2024-3.٢.1")  # an Arabic-Indic digit


def test_no_pattern_uses_backslash_d_which_matches_any_scripts_digits() -> None:
    for name in schema_names():
        for field in table_schema(name).fields:
            assert "\\d" not in (field.constraints or {}).get("pattern", ""), field.name


def codebook_codes(heading: str, first_column_only: bool = True) -> list[str]:
    """Backticked codes in the first column of the table under a codebook heading."""
    text = CODEBOOK.read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    table = section[section.index("\n|") :].split("\n\n", 1)[0]
    rows = [line for line in table.splitlines()[2:] if line.startswith("|")]
    cells = [row.split("|")[1] if first_column_only else row for row in rows]
    return [code for cell in cells for code in re.findall(r"`([a-z_0-9]+)`", cell)]


def codebook_column_row(column: str) -> list[str]:
    """Codes the Columns table lists for one column (the second cell of its row)."""
    text = CODEBOOK.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith(f"| `{column}` |"))
    return re.findall(r"`([A-Za-z_0-9]+)`", row.split("|")[2])


def test_the_codebook_lists_the_schemas_enums() -> None:
    assert codebook_codes("### activity_type") == enum("plan", "activity_type")
    assert codebook_column_row("timing") == enum("plan", "timing")
    assert codebook_column_row("venue_mode") == enum("plan", "venue_mode")
    assert codebook_column_row("idb_instrument") == enum("plan", "idb_instrument")
    funding_rows = codebook_codes("### funding_sources and idb_instrument", first_column_only=False)
    assert set(vocabulary.FUNDING_SOURCES) <= set(funding_rows)


def test_the_codebook_relation_table_is_the_schemas_enum() -> None:
    text = CODEBOOK.read_text(encoding="utf-8")
    table = text[text.index("| relation | meaning") :].split("\n\n", 1)[0]
    codes = [re.findall(r"`([a-z_]+)`", row.split("|")[1])[0] for row in table.splitlines()[2:]]
    assert codes == enum("themes", "relation")


def test_raw_sources_yaml_checksums_match_the_files() -> None:
    for year, source in raw_sources().items():
        assert sha256(paths.RAW_DIR / source["path"]) == source["sha256"], year


def test_sources_md_records_the_checksums_of_sources_yaml() -> None:
    sources_md = (paths.RAW_DIR / "SOURCES.md").read_text(encoding="utf-8")
    in_prose = dict(
        re.findall(r"^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$", sources_md, flags=re.MULTILINE)
    )
    in_data = {s["path"]: s["sha256"] for s in raw_sources().values()}
    assert in_prose == in_data


def test_every_raw_text_has_a_source_entry() -> None:
    recorded = {s["path"] for s in raw_sources().values()}
    assert {p.name for p in paths.RAW_DIR.glob("*.txt")} == recorded


def test_plan_resources_carry_their_raw_source_and_language(descriptor: dict) -> None:
    plans = {r["name"]: r for r in descriptor["resources"] if r["name"].startswith("plan_")}
    assert plans["plan_2020"]["languages"] == ["en"]
    assert plans["plan_2024"]["languages"] == ["es"]
    for resource in plans.values():
        [source] = resource["sources"]
        assert sha256(paths.DATA_DIR / source["path"]) == source["sha256"]


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
    plan_2020 = next(task for task in report.tasks if task.name == "plan_2020")
    assert ["constraint-error"] == sorted({e.type for e in plan_2020.errors})


def test_frictionless_rejects_an_area_missing_from_the_crosswalk(package_copy: Path) -> None:
    rewrite_cell(package_copy / "curated/plan_2024.csv", "2024-3.3.1", "area_code", "3.10")
    report = Package(str(package_copy / "datapackage.json")).validate()
    assert "foreign-key" in {e.type for task in report.tasks for e in task.errors}


def test_a_table_with_a_schema_becomes_a_resource_without_code_changes(package_copy: Path) -> None:
    (package_copy / "schemas" / "example_links.schema.yaml").write_text(
        yaml.safe_dump(
            {
                "title": "Lineage",
                "fields": [
                    {"name": "from_id", "type": "string", "constraints": {"required": True}}
                ],
            }
        ),
        encoding="utf-8",
    )
    (package_copy / "curated" / "example_links.csv").write_text(
        "from_id\n2020-3.1.1\n", encoding="utf-8"
    )
    write_descriptor(package_copy)
    written = json.loads((package_copy / "datapackage.json").read_text(encoding="utf-8"))
    assert "curated/example_links.csv" in {r["path"] for r in written["resources"]}


def add_plan_2025(data: Path) -> None:
    """A valid 2025 plan (the 2024 rows under a new year) with its crosswalk rows."""
    curated = data / "curated"
    plan = (curated / "plan_2024.csv").read_text(encoding="utf-8")
    (curated / "plan_2025.csv").write_text(
        plan.replace("\n2024,2024-", "\n2025,2025-"), encoding="utf-8"
    )
    themes = (curated / "themes.csv").read_text(encoding="utf-8")
    (curated / "themes.csv").write_text(
        themes
        + "".join(
            line.replace("2024,", "2025,", 1) + "\n"
            for line in themes.splitlines()
            if line.startswith("2024,")
        ),
        encoding="utf-8",
    )


def test_a_schema_without_its_table_is_refused(package_copy: Path) -> None:
    (package_copy / "schemas" / "example_links.schema.yaml").write_text(
        yaml.safe_dump({"fields": [{"name": "from_id", "type": "string"}]}), encoding="utf-8"
    )
    with pytest.raises(PlanDataError) as caught:
        write_descriptor(package_copy)
    assert str(caught.value).splitlines()[1] == (
        f"{package_copy / 'curated' / 'example_links.csv'}: file: expected the table "
        "schemas/example_links.schema.yaml describes, found 'no such file'"
    )


def test_a_schemad_table_breaking_its_schema_is_refused_in_located_words(
    package_copy: Path,
) -> None:
    (package_copy / "schemas" / "example_links.schema.yaml").write_text(
        yaml.safe_dump(
            {
                "fields": [
                    {
                        "name": "from_id",
                        "type": "string",
                        "expected": "an activity id",
                        "constraints": {"required": True},
                    },
                    {"name": "to_id", "type": "string"},
                ]
            }
        ),
        encoding="utf-8",
    )
    (package_copy / "curated" / "example_links.csv").write_text(
        "from_id,to_id\n,2024-3.1.1\n", encoding="utf-8"
    )
    with pytest.raises(PlanDataError) as caught:
        write_descriptor(package_copy)
    assert str(caught.value).splitlines()[1] == (
        f"{package_copy / 'curated' / 'example_links.csv'}:2: from_id: expected an activity id, "
        "found an empty cell"
    )


def test_a_third_plan_is_described_from_its_csv_and_source_entry(package_copy: Path) -> None:
    add_plan_2025(package_copy)
    sources = yaml.safe_load((package_copy / "raw/sources.yaml").read_text(encoding="utf-8"))
    sources.append({**sources[-1], "year": 2025})
    (package_copy / "raw/sources.yaml").write_text(yaml.safe_dump(sources), encoding="utf-8")
    write_descriptor(package_copy)
    written = json.loads((package_copy / "datapackage.json").read_text(encoding="utf-8"))
    assert "plan_2025" in {r["name"] for r in written["resources"]}


def test_an_edited_raw_source_is_refused_and_nothing_is_written(package_copy: Path) -> None:
    raw = package_copy / "raw" / "red-gealc-work-plan-2020.en.txt"
    raw.write_text(raw.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    before = snapshot(package_copy)
    with pytest.raises(PlanDataError) as caught:
        write_descriptor(package_copy)
    assert "the SHA-256 of raw/red-gealc-work-plan-2020.en.txt" in str(caught.value)
    assert snapshot(package_copy) == before


def test_a_plan_without_a_source_entry_is_refused(package_copy: Path) -> None:
    add_plan_2025(package_copy)
    with pytest.raises(PlanDataError) as caught:
        write_descriptor(package_copy)
    assert "year: expected an entry for 2025 (the source of plan_2025.csv)" in str(caught.value)


# --------------------------------------------------------------------------- Spanish codebook

CODEBOOK_ES = paths.DATA_DIR / "CODEBOOK.es.md"


def test_every_in_page_link_of_the_spanish_codebook_reaches_a_heading() -> None:
    from urllib.parse import unquote

    from gealc_analysis.words import markup

    html = str(markup.markdown_html(CODEBOOK_ES.read_text(encoding="utf-8")))
    # A browser percent-decodes a fragment before matching it to an id ("análisis").
    links = {unquote(link) for link in re.findall(r'href="#([^"]*)"', html)}
    headings = set(re.findall(r'id="([^"]*)"', html))
    assert links and links <= headings, links - headings


def test_the_spanish_codebook_names_the_lineage_relations_as_the_pages_do() -> None:
    """The lineage table of CODEBOOK.es.md lists every relation, in the schema's order, with the
    Spanish word the report's pages use for it."""
    from gealc_analysis.words import i18n

    text = CODEBOOK_ES.read_text(encoding="utf-8")
    table = text[
        text.index("| relación | significado |\n|---|---|\n| continúa | la misma actividad") :
    ]
    rows = table.split("\n\n", 1)[0].splitlines()[2:]
    words = [row.split("|")[1].strip() for row in rows]
    expected = [
        i18n.label(f"lineage.relation.{r}", "es").lower() for r in enum("lineage", "relation")
    ]
    assert words == expected


def test_the_spanish_codebook_is_shipped_and_rendered_as_a_spanish_page(tmp_path) -> None:
    from gealc_analysis.build import site

    copied = site.copy_data(paths.CURATED_DIR, tmp_path)
    assert "data/CODEBOOK.es.md" in copied and "data/CODEBOOK.es.html" in copied
    page = (tmp_path / "data" / "CODEBOOK.es.html").read_text(encoding="utf-8")
    assert 'lang="es"' in page and "La regla del linaje" in page
    english = (tmp_path / "data" / "CODEBOOK.html").read_text(encoding="utf-8")
    assert 'lang="en"' in english
