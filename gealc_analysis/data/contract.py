"""The data contract as files and names, read without the validators.

Where the schemas are and what they say (columns, enums, patterns), and which files a
curated folder holds, with only YAML to read them: the vocabularies, the side tables'
columns and a notebook given the build's validated bundle need no more, so they do not pay
for importing frictionless and pandera (about half a second a process, fourteen kernels a
build). :mod:`gealc_analysis.data.schema` builds the validators from the same files and
re-exports what is here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from gealc_analysis.core import paths

SCHEMAS_DIR: Path = paths.DATA_DIR / "schemas"
SCHEMA_SUFFIX = ".schema.yaml"
# Patterns shared by the schemas of a folder, each written once; a pattern names one as
# {{name}} (see the file's own header and data/CODEBOOK.md).
DEFINITIONS_FILE = "definitions.yaml"
_REFERENCE = re.compile(r"\{\{([a-z_]+)\}\}")

PLAN_FILE_GLOB = "plan_*.csv"
# [0-9], not \d: "plan_٢٠٢٤.csv" (Arabic-Indic digits) must not pass for plan_2024.csv.
PLAN_FILE_PATTERN = re.compile(r"plan_([0-9]{4})\.csv")
THEMES_FILE = "themes.csv"
FUNDING_CODES_FILE = "funding_codes.csv"


def schema_path(name: str, schemas_dir: Path | None = None) -> Path:
    """``data/schemas/<name>.schema.yaml``: where the contract of table ``name`` lives."""
    return (schemas_dir or SCHEMAS_DIR) / f"{name}{SCHEMA_SUFFIX}"


def schema_names(schemas_dir: Path | None = None) -> list[str]:
    """Every table that has a schema, by name (``plan``, ``themes`` …), sorted."""
    folder = schemas_dir or SCHEMAS_DIR
    return sorted(p.name.removesuffix(SCHEMA_SUFFIX) for p in folder.glob(f"*{SCHEMA_SUFFIX}"))


def schema_sources(path: Path) -> tuple[str, str | None]:
    """The texts a schema is made of: its file and the ``definitions.yaml`` beside it (None
    when there is none). Every cache of what a schema says is keyed on these, not on the
    path, so a schema edited in place (a test's copy of the data folder) is read again."""
    definitions_path = Path(path).parent / DEFINITIONS_FILE
    shared = definitions_path.read_text(encoding="utf-8") if definitions_path.is_file() else None
    return Path(path).read_text(encoding="utf-8"), shared


def schema_descriptor(path: Path) -> dict:
    """A schema file as a plain Table Schema descriptor, its ``{{name}}`` patterns resolved
    from the ``definitions.yaml`` beside it (what the validator and datapackage.json use)."""
    return descriptor_of(*schema_sources(path))


def descriptor_of(text: str, shared: str | None) -> dict:
    """The descriptor of a schema's text, patterns resolved from the definitions' text (a new
    dict each call: callers may change it)."""
    descriptor = yaml.safe_load(text)
    patterns = _definitions_of(shared)
    for field in descriptor.get("fields", []):
        constraints = field.get("constraints") or {}
        if "pattern" in constraints:
            constraints["pattern"] = resolve_pattern(str(constraints["pattern"]), patterns)
    return descriptor


def definitions(schemas_dir: Path = SCHEMAS_DIR) -> dict[str, str]:
    """The shared patterns of a schemas folder, each resolved (a definition may name the
    ones above it); empty when the folder has no ``definitions.yaml``."""
    path = Path(schemas_dir) / DEFINITIONS_FILE
    return dict(_definitions_of(path.read_text(encoding="utf-8") if path.is_file() else None))


@cache
def _definitions_of(shared: str | None) -> dict[str, str]:
    # Cached on the file's text; callers get a copy (definitions) or only read it.
    if shared is None:
        return {}
    resolved: dict[str, str] = {}
    for name, pattern in yaml.safe_load(shared)["patterns"].items():
        resolved[str(name)] = resolve_pattern(str(pattern), resolved)
    return resolved


def resolve_pattern(pattern: str, patterns: Mapping[str, str]) -> str:
    """``pattern`` with each ``{{name}}`` replaced by that shared pattern: as it is when it is
    the whole pattern, else as a non-capturing group. An unknown name is an error in the
    schemas (raised, not reported as a data problem)."""
    whole = _REFERENCE.fullmatch(pattern)

    def shared(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in patterns:
            raise KeyError(f"pattern {{{{{name}}}}} is not defined in {DEFINITIONS_FILE}")
        return patterns[name] if whole else f"(?:{patterns[name]})"

    return _REFERENCE.sub(shared, pattern)


def _resolved(name_or_path: str | Path) -> Path:
    path = Path(name_or_path) if isinstance(name_or_path, Path) else schema_path(name_or_path)
    return path.resolve()


def _fields(path: Path) -> tuple[tuple[str, dict[str, Any]], ...]:
    return _fields_of(*schema_sources(path))


@cache
def _fields_of(text: str, shared: str | None) -> tuple[tuple[str, dict[str, Any]], ...]:
    return tuple(
        (str(field["name"]), dict(field.get("constraints") or {}))
        for field in descriptor_of(text, shared).get("fields", [])
    )


def column_names(name_or_path: str | Path) -> list[str]:
    """The columns of a table's schema (by name or path to its YAML file), in file order."""
    return [name for name, _ in _fields(_resolved(name_or_path))]


def field_constraint(name_or_path: str | Path, field_name: str, constraint: str) -> object:
    """One constraint of one field of a table's schema (an enum, a resolved pattern)."""
    for name, constraints in _fields(_resolved(name_or_path)):
        if name == field_name:
            value = constraints[constraint]
            return list(value) if isinstance(value, list) else value
    raise KeyError(f"no field {field_name!r} in the schema of {name_or_path}")


def plan_files(data_dir: Path) -> dict[int, Path]:
    """Every ``plan_<year>.csv`` in the folder, by year — no hard-coded list of years."""
    found: dict[int, Path] = {}
    for path in sorted(data_dir.glob(PLAN_FILE_GLOB)):
        match = PLAN_FILE_PATTERN.fullmatch(path.name)
        if match:
            found[int(match.group(1))] = path
    return found


def available_years(data_dir: Path | str | None = None) -> list[int]:
    """The plan years that have a curated file, ascending."""
    return sorted(plan_files(Path(data_dir) if data_dir else paths.CURATED_DIR))
