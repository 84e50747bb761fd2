"""Controlled vocabularies of the curated data, derived from where they are stated once.

Columns, enums and their order come from the Table Schemas in ``data/schemas/`` (read by
:mod:`gealc_analysis.data.contract`, without the validators); the funding codes, their kind
of resource (cash or staff time) and their labels from ``data/curated/funding_codes.csv``.
Nothing is typed here, so a new code is a change to a data file only (``data/CODEBOOK.md``
says which). The tuples are the project's own data; a report run on another data folder
reads that folder's funding codes from its :class:`~gealc_analysis.data.bundle.DataBundle`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from gealc_analysis.core import paths
from gealc_analysis.data.contract import column_names, field_constraint

if TYPE_CHECKING:
    import pandas as pd

# Column order of every ``data/curated/plan_<year>.csv`` and of ``themes.csv``.
PLAN_COLUMNS: tuple[str, ...] = tuple(column_names("plan"))
THEME_COLUMNS: tuple[str, ...] = tuple(column_names("themes"))


def _enum(table: str, field: str) -> tuple[str, ...]:
    return tuple(str(code) for code in field_constraint(table, field, "enum"))  # type: ignore[union-attr]


ACTIVITY_TYPES: tuple[str, ...] = _enum("plan", "activity_type")
# In the schema's order: S1 and S2 are the semesters, then the two classes without one.
TIMINGS: tuple[str, ...] = _enum("plan", "timing")
SEMESTERS: tuple[str, ...] = TIMINGS[:2]
VENUE_MODES: tuple[str, ...] = _enum("plan", "venue_mode")
IDB_INSTRUMENTS: tuple[str, ...] = _enum("plan", "idb_instrument")
# How a year's area relates to the other years' areas in the themes crosswalk.
THEME_RELATIONS: tuple[str, ...] = _enum("themes", "relation")

# ``funding_sources`` cells list codes sorted and joined by FUNDING_SEPARATOR.
FUNDING_SEPARATOR = ";"
FUNDING_CODES_FILE = "funding_codes.csv"
RESOURCE_KIND_NAMES: tuple[str, ...] = _enum("funding_codes", "kind")
CASH, STAFF_TIME = RESOURCE_KIND_NAMES


def _funding_rows() -> list[dict[str, str]]:
    """The project's funding codes (validated with the plans by the loader)."""
    text = (paths.CURATED_DIR / FUNDING_CODES_FILE).read_text(encoding="utf-8")
    return sorted(csv.DictReader(text.splitlines()), key=lambda row: row["code"])


_FUNDING = _funding_rows()
# Funding sources in their canonical (alphabetical) order.
FUNDING_SOURCES: tuple[str, ...] = tuple(row["code"] for row in _FUNDING)
# The plans name resources, never amounts, and mix money with people's time. The two kinds
# are kept apart everywhere a dependence is measured: only cash can be withdrawn by a funder.
CASH_SOURCES: tuple[str, ...] = tuple(row["code"] for row in _FUNDING if row["kind"] == CASH)
STAFF_TIME_SOURCES: tuple[str, ...] = tuple(
    row["code"] for row in _FUNDING if row["kind"] == STAFF_TIME
)
RESOURCE_KINDS: dict[str, str] = {
    **{code: CASH for code in CASH_SOURCES},
    **{code: STAFF_TIME for code in STAFF_TIME_SOURCES},
}


def funding_labels(rows: Iterable[Mapping[str, object]]) -> dict[str, dict[str, str]]:
    """code → {lang: label} of funding-code rows (their ``label_<lang>`` cells): the project's
    file below, a data folder's table in the words layer."""
    return {
        str(row["code"]): {
            column.removeprefix("label_"): text if isinstance(text, str) else ""
            for column, text in row.items()
            if column.startswith("label_")
        }
        for row in rows
    }


# Each code's label by language, from the same file (the words layer labels the codes of the
# data in use, these by default).
FUNDING_LABELS: dict[str, dict[str, str]] = funding_labels(_FUNDING)

# The three ways the report counts dependence on a funding source (analysis.funding_dependence):
# any activity naming it; 1/k of an activity with k sources; activities naming it alone.
FUNDING_MEASURES: tuple[str, ...] = ("any_touch", "fractional", "sole_source")


def split_funding(cell: str) -> list[str]:
    """Split a ``funding_sources`` cell into its codes (empty cell → no codes)."""
    return [code for code in cell.split(FUNDING_SEPARATOR) if code] if cell else []


def join_funding(codes: list[str] | tuple[str, ...] | set[str]) -> str:
    """The canonical cell for a set of funding codes: unique, sorted, ``;``-joined."""
    return FUNDING_SEPARATOR.join(sorted(set(codes)))


# The letters after an activity_id's number for its 2nd, 3rd … occurrence (codebook: -b, -c …):
# one letter up to the 26th, then two (aa, ab …), so any count of repeats has a valid id.
REPEAT_SUFFIX = re.compile(r"-(?:[b-z]|[a-z]{2,})$")


def repeat_suffix(occurrence: int) -> str:
    """The activity_id suffix of a number's ``occurrence``-th printing: '' for the first,
    '-b' … '-z' for the 2nd to 26th, then '-aa', '-ab' … (bijective base 26, a = 1)."""
    if occurrence <= 1:
        return ""
    letters, rest = "", occurrence
    while rest:
        rest, digit = divmod(rest - 1, 26)
        letters = chr(ord("a") + digit) + letters
    return "-" + letters


_AREA_PART = re.compile(r"^(\d*)([a-z]*)$")
_ROMAN = {"i": 1, "v": 5, "x": 10}


def area_sort_key(code: str) -> tuple[tuple[int, int, str], ...]:
    """Natural key for printed codes, so 3.9 < 3.9i < 3.9ii < 3.10 (text sort gets it wrong)."""
    key: list[tuple[int, int, str]] = []
    for part in str(code).split("."):
        match = _AREA_PART.match(part)
        if match is None:
            key.append((-1, 0, part))
            continue
        digits, letters = match.groups()
        key.append((int(digits) if digits else 0, _roman_value(letters), letters))
    return tuple(key)


def _roman_value(letters: str) -> int:
    """Value of a lowercase roman suffix (i, ii, iv …); 0 for none or non-roman letters."""
    if not letters or any(ch not in _ROMAN for ch in letters):
        return 0
    total = 0
    for ch, nxt in zip(letters, [*letters[1:], ""], strict=True):
        value = _ROMAN[ch]
        total += -value if nxt and _ROMAN[nxt] > value else value
    return total


def crosswalk_in_order(themes: pd.DataFrame) -> pd.DataFrame:
    """Crosswalk rows year by year, areas in natural order (3.9 < 3.9i < 3.9ii < 3.10).

    The canonical order of themes everywhere (loaded categories, tables, charts) is their
    first appearance in this order, so themes follow the plans' own structure.
    """
    ranked = themes.assign(_rank=themes["area_code"].astype(str).map(area_sort_key))
    return ranked.sort_values(["plan_year", "_rank"], kind="stable").drop(columns="_rank")
