"""Tiny builders for hand-made plans/themes frames, so each test states only what it pins.

Unused columns get neutral defaults; categorical columns get the codebook's categories,
as ``gealc_analysis.data.load_plans`` returns them (pass ``categorical=False`` for plain str).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from gealc_analysis.data.vocabulary import (
    ACTIVITY_TYPES,
    IDB_INSTRUMENTS,
    PLAN_COLUMNS,
    THEME_COLUMNS,
    THEME_RELATIONS,
    TIMINGS,
    VENUE_MODES,
)

PLAN_DEFAULTS: dict[str, Any] = {
    "plan_year": 2020,
    "area_code": "3.1",
    "area_name": "Area",
    "theme": "t1",
    "activity_type": "workshop",
    "timing": "S1",
    "frequency_per_year": 1,
    "venue_mode": "virtual",
    "venue_country": None,
    "funding_sources": "oas",
    "idb_instrument": None,
}

PLAN_CATEGORIES: dict[str, tuple[str, ...]] = {
    "activity_type": ACTIVITY_TYPES,
    "timing": TIMINGS,
    "venue_mode": VENUE_MODES,
    "idb_instrument": IDB_INSTRUMENTS,
}


def make_plans(rows: list[dict[str, Any]], *, categorical: bool = True) -> pd.DataFrame:
    """A plans frame with every PLAN_COLUMNS column; rows override the defaults."""
    records = []
    for number, row in enumerate(rows, start=1):
        record = {**PLAN_DEFAULTS, **row}
        area = record["area_code"]
        record.setdefault("source_ref", f"{area}.{number}")
        record.setdefault("activity_id", f"{record['plan_year']}-{record['source_ref']}")
        records.append(record)
    frame = pd.DataFrame(records)
    for column in PLAN_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    frame = frame[list(PLAN_COLUMNS)]
    frame = frame.astype({"plan_year": "int64", "frequency_per_year": "int64"})
    if categorical:
        for column, categories in PLAN_CATEGORIES.items():
            frame[column] = pd.Categorical(
                frame[column], categories=list(categories), ordered=column == "timing"
            )
    return frame


THEME_DEFAULTS: dict[str, Any] = {"relation": "continued", "related_areas": "", "notes": ""}


def make_themes(rows: list[dict[str, Any]], *, categorical: bool = True) -> pd.DataFrame:
    """A themes crosswalk; labels default to the key in upper case (EN) and title case (ES)."""
    records = []
    for row in rows:
        record = {**THEME_DEFAULTS, **row}
        record.setdefault("area_name", f"Area {record['area_code']}")
        record.setdefault("area_name_en", record["area_name"])
        record.setdefault("area_name_es", f"Área {record['area_code']}")
        record.setdefault("theme_label_en", record["theme"].upper())
        record.setdefault("theme_label_es", record["theme"].title())
        records.append(record)
    frame = pd.DataFrame(records)[list(THEME_COLUMNS)].astype({"plan_year": "int64"})
    if categorical:
        frame["relation"] = pd.Categorical(frame["relation"], categories=list(THEME_RELATIONS))
    return frame
