"""Write ``data/datapackage.json``, the Frictionless description of every curated file.

The descriptor is generated from ``codes`` (vocabularies) and the field descriptions
below, so the enums a Frictionless validator checks are the very ones pandera checks.
Adding a year's plan is adding its CSV and running ``gealc-report datapackage``; a test
fails while the committed descriptor is out of date.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from gealc_analysis import paths, vocabulary
from gealc_analysis.data import RELATED_AREAS_PATTERN, THEME_KEY_PATTERN, THEMES_FILE, plan_files

DESCRIPTOR_NAME = "datapackage.json"

# Where each year's curated rows were read from (paths relative to data/).
RAW_SOURCES: dict[int, dict[str, str]] = {
    2020: {
        "title": "Red GEALC 2020 Work Plan (English translation of the Spanish original), "
                 "approved at the XIII Annual Assembly, Buenos Aires, 30 September 2019",
        "path": "raw/red-gealc-work-plan-2020.en.txt",
        "language": "en",
    },
    2024: {
        "title": "Red GEALC Plan de Trabajo 2024, aprobado en la XVII Asamblea Anual, "
                 "22 de noviembre de 2023",
        "path": "raw/red-gealc-plan-de-trabajo-2024.es.txt",
        "language": "es",
    },
}


def _enum(values: tuple[str, ...]) -> dict[str, Any]:
    return {"enum": list(values)}


def _text(description: str, required: bool = True) -> dict[str, Any]:
    field: dict[str, Any] = {"type": "string", "description": description}
    if required:
        field["constraints"] = {"required": True}
    return field


_FUNDING_ALTERNATIVES = "|".join(vocabulary.FUNDING_SOURCES)
FUNDING_CELL_PATTERN = f"^({_FUNDING_ALTERNATIVES})(;({_FUNDING_ALTERNATIVES}))*$"

PLAN_FIELDS: dict[str, dict[str, Any]] = {
    "plan_year": {"type": "integer", "description": "Year the work plan covers.",
                  "constraints": {"required": True, "minimum": 2000}},
    "activity_id": {"type": "string",
                    "description": "Stable id <year>-<source_ref>, with -b, -c … when the plan "
                                   "prints a number twice.",
                    "constraints": {"required": True, "unique": True,
                                    "pattern": vocabulary.ACTIVITY_ID_PATTERN}},
    "source_ref": {"type": "string",
                   "description": "Activity number exactly as printed (duplicates kept).",
                   "constraints": {"required": True, "pattern": vocabulary.SOURCE_REF_PATTERN}},
    "area_code": {"type": "string", "description": "Area number as printed (3.1 … 3.9ii).",
                  "constraints": {"required": True, "pattern": vocabulary.AREA_CODE_PATTERN}},
    "area_name": _text("Area title in the plan's language, as printed."),
    "theme": {"type": "string",
              "description": "Harmonised theme key shared across years (themes.csv).",
              "constraints": {"required": True, "pattern": THEME_KEY_PATTERN}},
    "activity_type": {"type": "string", "description": "Kind of activity (CODEBOOK.md).",
                      "constraints": {"required": True, **_enum(vocabulary.ACTIVITY_TYPES)}},
    "title_original": _text("Activity text in the plan's language, verbatim."),
    "title_en": _text("Activity title in English (the plan's own text for 2020)."),
    "title_es": _text("Activity title in Spanish (the plan's own text for 2024)."),
    "timing": {"type": "string",
               "description": "S1, S2, year_round (annual or fixed cadence) or tbd.",
               "constraints": {"required": True, **_enum(vocabulary.TIMINGS)}},
    "timing_original": _text("Printed semester heading (2020) or Fecha text (2024), verbatim."),
    "frequency_per_year": {"type": "integer", "description": "Events per year the item announces.",
                           "constraints": {"required": True, "minimum": 1}},
    "venue_mode": {"type": "string", "description": "virtual, on_site or tbd.",
                   "constraints": {"required": True, **_enum(vocabulary.VENUE_MODES)}},
    "venue_country": {"type": "string",
                      "description": "ISO 3166-1 alpha-2 code of a named venue country.",
                      "constraints": {"pattern": "^[A-Z]{2}$"}},
    "venue_original": _text("Printed venue (Venue / Lugar) text, verbatim."),
    "funding_sources": {"type": "string",
                        "description": "';'-separated sorted funding codes: "
                                       + ", ".join(vocabulary.FUNDING_SOURCES) + ".",
                        "constraints": {"required": True, "pattern": FUNDING_CELL_PATTERN}},
    "idb_instrument": {"type": "string",
                       "description": "How IDB funds it (rpg, consultant, general); empty "
                                      "when IDB does not.",
                       "constraints": _enum(vocabulary.IDB_INSTRUMENTS)},
    "resources_original": _text("Printed resources (Resources / Recursos) text, verbatim."),
    "product": _text("Printed product, empty when absent.", required=False),
    "participants": _text("Printed participants, empty when absent.", required=False),
    "notes": _text("Curator's notes: ambiguities, footnotes, source errors.", required=False),
}

THEME_FIELDS: dict[str, dict[str, Any]] = {
    "plan_year": {"type": "integer", "description": "Year of the plan.",
                  "constraints": {"required": True}},
    "area_code": {"type": "string", "description": "Area number as printed.",
                  "constraints": {"required": True, "pattern": vocabulary.AREA_CODE_PATTERN}},
    "area_name": _text("Area title as printed."),
    "area_name_en": _text("Area title in English (the printed title for an English plan)."),
    "area_name_es": _text("Area title in Spanish (the printed title for a Spanish plan)."),
    "theme": {"type": "string", "description": "Harmonised theme key.",
              "constraints": {"required": True, "pattern": THEME_KEY_PATTERN}},
    "theme_label_en": _text("Theme label in English."),
    "theme_label_es": _text("Theme label in Spanish."),
    "relation": {"type": "string",
                 "description": "Relation of this area to the other years' areas.",
                 "constraints": {"required": True, **_enum(vocabulary.THEME_RELATIONS)}},
    "related_areas": {"type": "string",
                      "description": "Areas of other years it relates to, e.g. 2020:3.4;2020:3.7.",
                      "constraints": {"pattern": RELATED_AREAS_PATTERN}},
    "notes": _text("Curator's notes on the mapping.", required=False),
}

for _fields, _columns in ((PLAN_FIELDS, vocabulary.PLAN_COLUMNS),
                         (THEME_FIELDS, vocabulary.THEME_COLUMNS)):
    assert tuple(_fields) == _columns, "field descriptions must follow the column order"


def _schema(fields: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"fields": [{"name": name, **spec} for name, spec in fields.items()]}


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file (recorded for raw sources so a changed copy is noticed)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_descriptor(data_dir: Path | None = None) -> dict[str, Any]:
    """The Data Package descriptor for the curated files found in ``data_dir/curated``."""
    root = data_dir or paths.DATA_DIR
    curated = root / "curated"
    resources: list[dict[str, Any]] = [{
        "name": "themes",
        "path": f"curated/{THEMES_FILE}",
        "title": "Themes crosswalk between plan years",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "schema": {**_schema(THEME_FIELDS), "primaryKey": ["plan_year", "area_code"]},
    }]
    for year, path in sorted(plan_files(curated).items()):
        resource: dict[str, Any] = {
            "name": f"plan_{year}",
            "path": f"curated/{path.name}",
            "title": f"Red GEALC work plan {year}: one row per activity",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {
                **_schema(PLAN_FIELDS),
                "primaryKey": ["activity_id"],
                "foreignKeys": [{
                    "fields": ["plan_year", "area_code"],
                    "reference": {"resource": "themes", "fields": ["plan_year", "area_code"]},
                }],
            },
        }
        if year in RAW_SOURCES:
            source = RAW_SOURCES[year]
            resource["sources"] = [{
                "title": source["title"], "path": source["path"],
                "sha256": sha256(root / source["path"]),
            }]
            resource["languages"] = [source["language"]]
        resources.append(resource)
    resources += _schema_described_tables(root)
    return {
        "name": "red-gealc-work-plans",
        "title": "Red GEALC work plans, curated one row per activity",
        "description": "Activities of the Red GEALC annual work plans coded under "
                       "data/CODEBOOK.md: area, theme, type, timing, venue and funding, with "
                       "the printed wording beside every code.",
        "version": "1.0.0",
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": resources,
    }


def _schema_described_tables(root: Path) -> list[dict[str, Any]]:
    """A resource for every curated table with a Table Schema in ``data/schemas`` (lineage,
    alternative codings, theme kinds): the schema file is the one description of its columns.
    """
    resources = []
    for schema_path in sorted((root / "schemas").glob("*.schema.yaml")):
        name = schema_path.name.removesuffix(".schema.yaml")
        if not (root / "curated" / f"{name}.csv").is_file():
            continue
        schema = yaml.safe_load(schema_path.read_text(encoding="utf-8"))
        resources.append({
            "name": name, "path": f"curated/{name}.csv", "title": schema.get("title", name),
            "description": schema.get("description", ""),
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {key: schema[key] for key in ("fields", "primaryKey") if key in schema},
        })
    return resources


def descriptor_text(data_dir: Path | None = None) -> str:
    """The descriptor as the exact text committed (sorted-free, 2-space JSON, final newline)."""
    return json.dumps(build_descriptor(data_dir), indent=2, ensure_ascii=False) + "\n"


def write_descriptor(data_dir: Path | None = None) -> Path:
    """(Re)write ``data/datapackage.json``."""
    root = data_dir or paths.DATA_DIR
    target = root / DESCRIPTOR_NAME
    target.write_text(descriptor_text(root), encoding="utf-8")
    return target
