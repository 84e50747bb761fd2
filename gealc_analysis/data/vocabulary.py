"""Controlled vocabularies of the curated data: the one place each code is defined.

Every other module (validation, datapackage, analysis, plots, labels) imports these
tuples instead of repeating the strings, so adding a code is a one-line change here
plus a rule in ``data/CODEBOOK.md``.
"""

from __future__ import annotations

import re

# Column order of every ``data/curated/plan_*.csv`` (the data contract, issue #3).
PLAN_COLUMNS: tuple[str, ...] = (
    "plan_year",
    "activity_id",
    "source_ref",
    "area_code",
    "area_name",
    "theme",
    "activity_type",
    "title_original",
    "title_en",
    "title_es",
    "timing",
    "timing_original",
    "frequency_per_year",
    "venue_mode",
    "venue_country",
    "venue_original",
    "funding_sources",
    "idb_instrument",
    "resources_original",
    "product",
    "participants",
    "notes",
)

# Column order of ``data/curated/themes.csv`` (the crosswalk between years).
THEME_COLUMNS: tuple[str, ...] = (
    "plan_year",
    "area_code",
    "area_name",
    "area_name_en",
    "area_name_es",
    "theme",
    "theme_label_en",
    "theme_label_es",
    "relation",
    "related_areas",
    "notes",
)

ACTIVITY_TYPES: tuple[str, ...] = (
    "workshop",
    "webinar",
    "meeting",
    "working_group_meeting",
    "study_or_document",
    "web_content",
    "event",
    "award",
    "exchange",
    "governance",
    "other",
)

# Order matters: S1 and S2 are the semesters, then the two classes without a semester.
TIMINGS: tuple[str, ...] = ("S1", "S2", "year_round", "tbd")
SEMESTERS: tuple[str, ...] = ("S1", "S2")

VENUE_MODES: tuple[str, ...] = ("virtual", "on_site", "tbd")

# Funding sources in their canonical (alphabetical) order; ``funding_sources`` cells
# list them sorted and joined by FUNDING_SEPARATOR.
FUNDING_SOURCES: tuple[str, ...] = (
    "executive_committee",
    "idb",
    "member_countries",
    "oas",
    "working_group",
)
FUNDING_SEPARATOR = ";"

# The plans name resources, never amounts, and mix money with people's time. The two kinds
# are kept apart everywhere a dependence is measured: only cash can be withdrawn by a funder.
CASH_SOURCES: tuple[str, ...] = ("idb", "oas")
STAFF_TIME_SOURCES: tuple[str, ...] = ("executive_committee", "member_countries", "working_group")
RESOURCE_KINDS: dict[str, str] = {
    **{code: "cash" for code in CASH_SOURCES},
    **{code: "staff_time" for code in STAFF_TIME_SOURCES},
}
assert set(RESOURCE_KINDS) == set(FUNDING_SOURCES), "every funding code is cash or staff time"

IDB_INSTRUMENTS: tuple[str, ...] = ("rpg", "consultant", "general")

# The three ways the report counts dependence on a funding source (analysis.funding_dependence):
# any activity naming it; 1/k of an activity with k sources; activities naming it alone.
FUNDING_MEASURES: tuple[str, ...] = ("any_touch", "fractional", "sole_source")

# How a year's area relates to the other years' areas in the themes crosswalk.
THEME_RELATIONS: tuple[str, ...] = (
    "continued",
    "renamed",
    "merged",
    "split",
    "new",
    "retired",
)

# Printed area codes look like 3.1 … 3.9, or 3.9i / 3.9ii when a plan splits an area.
AREA_CODE_PATTERN = r"^3\.\d+(i{1,3})?$"
# Printed activity numbers: area code, a dot, the item number (3.2.3, 3.9ii.4).
SOURCE_REF_PATTERN = r"^3\.\d+(i{1,3})?\.\d+$"
# activity_id = "<year>-<source_ref>", plus "-b", "-c" … when the plan prints a number twice.
ACTIVITY_ID_PATTERN = r"^\d{4}-3\.\d+(i{1,3})?\.\d+(-[b-z])?$"


def split_funding(cell: str) -> list[str]:
    """Split a ``funding_sources`` cell into its codes (empty cell → no codes)."""
    return [code for code in cell.split(FUNDING_SEPARATOR) if code] if cell else []


def join_funding(codes: list[str] | tuple[str, ...] | set[str]) -> str:
    """The canonical cell for a set of funding codes: unique, sorted, ``;``-joined."""
    return FUNDING_SEPARATOR.join(sorted(set(codes)))


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
