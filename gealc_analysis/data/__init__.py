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

from gealc_analysis.data.checks import THEMES_FILE, iso_alpha2_codes
from gealc_analysis.data.errors import PlanDataError, Problem
from gealc_analysis.data.loading import (
    PLAN_FILE_GLOB,
    PLAN_FILE_PATTERN,
    available_years,
    crosswalk_in_order,
    load_funding_codes,
    load_plans,
    load_table,
    load_themes,
    plan_files,
)
from gealc_analysis.data.reading import HEADER_LINE, RawTable, display_path, read_raw_table
from gealc_analysis.data.schema import SCHEMAS_DIR, schema_names, schema_path, table_schema
from gealc_analysis.data.writing import plans_to_text, write_plan

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
