"""Load and validate the curated work-plan data: ``read → check → type``.

The curated CSVs are the data contract of the whole report, stated once as Frictionless
Table Schemas in ``data/schemas/`` (explained in ``data/CODEBOOK.md``). Everything here
exists so that a bad cell is caught before any figure is drawn and reported as
``file:line: column: expected …, found …`` — every problem at once, never a bare
traceback and never a half-loaded DataFrame.

One job per module: ``errors`` (Problem, PlanDataError), ``reading`` (CSV → text cells
with their lines), ``schema`` (Table Schema → pandera, failures → problems), ``checks``
(the rules across columns and files), ``loading`` (find, check and type tables),
``writing`` (the canonical CSV form).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Each name of the package's API and the module it comes from, imported on first use
# (PEP 562): a module that needs only the vocabularies or the errors (a notebook's kernel
# given the build's validated bundle) does not import the validators (pandera, frictionless:
# about half a second a process).
_SOURCES: dict[str, str] = {
    "HEADER_LINE": "reading",
    "PLAN_FILE_GLOB": "contract",
    "PLAN_FILE_PATTERN": "contract",
    "SCHEMAS_DIR": "contract",
    "THEMES_FILE": "contract",
    "PlanDataError": "errors",
    "Problem": "errors",
    "RawTable": "reading",
    "available_years": "contract",
    "crosswalk_in_order": "vocabulary",
    "display_path": "reading",
    "iso_alpha2_codes": "checks",
    "load_funding_codes": "loading",
    "load_plans": "loading",
    "load_table": "loading",
    "load_themes": "loading",
    "plan_files": "contract",
    "plans_to_text": "writing",
    "read_raw_table": "reading",
    "schema_names": "contract",
    "schema_path": "contract",
    "table_schema": "schema",
    "write_plan": "writing",
}

if TYPE_CHECKING:
    from gealc_analysis.data.checks import iso_alpha2_codes
    from gealc_analysis.data.contract import (
        PLAN_FILE_GLOB,
        PLAN_FILE_PATTERN,
        SCHEMAS_DIR,
        THEMES_FILE,
        available_years,
        plan_files,
        schema_names,
        schema_path,
    )
    from gealc_analysis.data.errors import PlanDataError, Problem
    from gealc_analysis.data.loading import (
        load_funding_codes,
        load_plans,
        load_table,
        load_themes,
    )
    from gealc_analysis.data.reading import HEADER_LINE, RawTable, display_path, read_raw_table
    from gealc_analysis.data.schema import table_schema
    from gealc_analysis.data.vocabulary import crosswalk_in_order
    from gealc_analysis.data.writing import plans_to_text, write_plan


def __getattr__(name: str) -> Any:
    """A name of the package's API, from its module (imported now if it was not)."""
    if name not in _SOURCES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_SOURCES[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "HEADER_LINE",
    "PLAN_FILE_GLOB",
    "PLAN_FILE_PATTERN",
    "SCHEMAS_DIR",
    "THEMES_FILE",
    "PlanDataError",
    "Problem",
    "RawTable",
    "available_years",
    "crosswalk_in_order",
    "display_path",
    "iso_alpha2_codes",
    "load_funding_codes",
    "load_plans",
    "load_table",
    "load_themes",
    "plan_files",
    "plans_to_text",
    "read_raw_table",
    "schema_names",
    "schema_path",
    "table_schema",
    "write_plan",
]
