"""Write ``data/datapackage.json``, the Frictionless description of every curated table.

Nothing in it is written here: the tables' contracts come from ``data/schemas/`` (the same
Table Schemas the validator enforces), the raw sources from ``data/raw/sources.yaml``, the
package's own metadata from ``data/schemas/datapackage.yaml``. The descriptor is assembled
with frictionless's API (:class:`frictionless.Package`, :class:`frictionless.Resource`),
validated — data included — before it is written, and serialised byte-stably, so a test
can fail while the committed copy is stale. Adding a year's plan is adding its CSV, its
themes rows and its raw source entry, then ``gealc-report datapackage``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from gealc_analysis.core import paths
from gealc_analysis.core.outputs import write_text_atomically
from gealc_analysis.data.contract import plan_files, schema_names, schema_path
from gealc_analysis.data.errors import PlanDataError, Problem
from gealc_analysis.data.files import folder_problems
from gealc_analysis.data.reading import display_path

if TYPE_CHECKING:  # imported where a package is built: the raw sources need none of it
    import frictionless

DESCRIPTOR_NAME = "datapackage.json"
PACKAGE_METADATA = "datapackage.yaml"  # in the schemas folder
SOURCES_FILE = "sources.yaml"  # in the raw folder
PLAN_SCHEMA = "plan"
SOURCE_KEYS = ("year", "path", "title", "assembly", "date", "language", "sha256")


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file (recorded for raw sources so a changed copy is noticed)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def raw_sources(data_root: Path | None = None) -> dict[int, dict[str, Any]]:
    """Each plan year's raw source as ``data/raw/sources.yaml`` records it.

    Raises PlanDataError when an entry lacks a key, or when a file is missing or no longer
    has the SHA-256 recorded for it (a raw source is never edited in place).
    """
    root = data_root or paths.DATA_DIR
    path = root / "raw" / SOURCES_FILE
    shown = display_path(path)
    _, unsafe = folder_problems(root / "raw", within=root)
    if unsafe:  # a link out of the data folder, a loop or a FIFO: read nothing
        raise PlanDataError(unsafe)
    if not path.is_file():
        raise PlanDataError([Problem(shown, 0, "file", "the list of raw sources", "none")])
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise PlanDataError([Problem(shown, 0, "file", "YAML text", str(error))]) from None
    if not isinstance(entries, list):
        raise PlanDataError(
            [Problem(shown, 0, "file", "a list of sources", type(entries).__name__)]
        )
    problems, sources = [], {}
    for number, entry in enumerate(entries, start=1):
        where = f"source {number}"
        if not isinstance(entry, dict) or not set(SOURCE_KEYS) <= set(entry):
            have = ", ".join(entry) if isinstance(entry, dict) else str(entry)
            problems.append(Problem(shown, 0, where, f"the keys {', '.join(SOURCE_KEYS)}", have))
            continue
        file = root / "raw" / str(entry["path"])
        if not file.resolve().is_relative_to((root / "raw").resolve()):
            problems.append(Problem(shown, 0, where, "a path inside raw/", str(entry["path"])))
        elif not file.is_file():
            problems.append(Problem(shown, 0, where, f"a file raw/{entry['path']}", "none"))
        elif sha256(file) != entry["sha256"]:
            problems.append(
                Problem(
                    shown,
                    0,
                    f"{where} sha256",
                    f"{sha256(file)}, the SHA-256 of raw/{entry['path']} (a raw "
                    "source is never edited: add a new copy under a new name)",
                    str(entry["sha256"]),
                )
            )
        sources[int(entry["year"])] = entry
    if problems:
        raise PlanDataError(problems)
    return sources


def _resource(
    name: str,
    path: str,
    schema: frictionless.Schema,
    title: str,
) -> frictionless.Resource:
    import frictionless

    return frictionless.Resource(
        name=name,
        path=path,
        title=title,
        description=schema.description,
        format="csv",
        mediatype="text/csv",
        encoding="utf-8",
        schema=schema,
    )


def build_package(data_root: Path | None = None) -> frictionless.Package:
    """The Data Package: one resource per curated table that has a schema.

    ``plan.schema.yaml`` describes every ``curated/plan_<year>.csv`` (with its raw source
    and language); any other ``<name>.schema.yaml`` describes ``curated/<name>.csv``.
    The curated data is loaded first, so a package is never described for bad data.
    """
    import frictionless

    from gealc_analysis.data.loading import load_plans, load_table
    from gealc_analysis.data.schema import table_schema

    root = data_root or paths.DATA_DIR
    curated = root / "curated"
    if not curated.is_dir():
        found = "no curated/ folder" if root.is_dir() else "no such folder"
        raise PlanDataError(
            [
                Problem(
                    display_path(root),
                    0,
                    "folder",
                    "a data folder holding curated/ and raw/",
                    found,
                )
            ]
        )
    load_plans(curated)
    sources = raw_sources(root)
    schemas_dir = root / "schemas"
    metadata = yaml.safe_load((schemas_dir / PACKAGE_METADATA).read_text(encoding="utf-8"))
    resources = []
    for name in schema_names(schemas_dir):
        if name == PLAN_SCHEMA:
            continue
        schema = table_schema(schema_path(name, schemas_dir))
        table = curated / f"{name}.csv"
        if not table.exists():
            raise PlanDataError(
                [
                    Problem(
                        display_path(table),
                        0,
                        "file",
                        f"the table schemas/{name}.schema.yaml describes",
                        "no such file",
                    )
                ]
            )
        load_table(table, schema)  # its own rules, in located words, before frictionless
        resources.append(_resource(name, f"curated/{name}.csv", schema, schema.title or name))
    for year, path in sorted(plan_files(curated).items()):
        schema = table_schema(schema_path(PLAN_SCHEMA, schemas_dir))
        resource = _resource(
            f"plan_{year}", f"curated/{path.name}", schema, f"{schema.title} ({year})"
        )
        if year not in sources:
            raise PlanDataError(
                [
                    Problem(
                        display_path(root / "raw" / SOURCES_FILE),
                        0,
                        "year",
                        f"an entry for {year} (the source of {path.name})",
                        "none",
                    )
                ]
            )
        source = sources[year]
        resource.sources = [
            {"title": source["title"], "path": f"raw/{source['path']}", "sha256": source["sha256"]}
        ]
        resource.custom["languages"] = [source["language"]]
        resources.append(resource)
    return frictionless.Package(**metadata, resources=resources, basepath=str(root))


def _validated(package: frictionless.Package, root: Path) -> frictionless.Package:
    report = package.validate()
    if not report.valid:
        problems = [
            Problem(
                display_path(root / (task.place or "")),
                int(error.row_number or 0) if hasattr(error, "row_number") else 0,
                str(getattr(error, "field_name", "") or error.type),
                "what the data package's schema says",
                error.note,
            )
            for task in report.tasks
            for error in task.errors
        ] + [
            Problem(display_path(root), 0, "datapackage", "a valid descriptor", error.message)
            for error in report.errors
        ]
        raise PlanDataError(problems)
    return package


def descriptor_text(data_root: Path | None = None) -> str:
    """The descriptor as the exact text committed (2-space JSON, final newline)."""
    root = data_root or paths.DATA_DIR
    package = _validated(build_package(root), root)
    return json.dumps(package.to_descriptor(), indent=2, ensure_ascii=False) + "\n"


def write_descriptor(data_root: Path | None = None) -> Path:
    """(Re)write ``data/datapackage.json``; nothing is written unless the package is valid."""
    root = data_root or paths.DATA_DIR
    text = descriptor_text(root)
    target = root / DESCRIPTOR_NAME
    return write_text_atomically(target, text)
