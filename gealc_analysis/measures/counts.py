"""Activity counts: per plan, per printed area, per type and venue, events, and the
comparison of any count between two plans."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gealc_analysis.data.vocabulary import ACTIVITY_TYPES, VENUE_MODES, area_sort_key
from gealc_analysis.measures.tally import (
    as_str,
    event_weights,
    funding_lists,
    items_per_year,
    natural_rank,
    plan_years,
    require_years,
    share,
    tally,
)

# Below this many activities in the baseline, a percent change is not shown: "+150 %" on a
# base of 2 says less than "2 → 5". Counts are always shown.
MIN_BASE_FOR_PERCENT = 5


def plan_overview(plans: pd.DataFrame) -> pd.DataFrame:
    """One headline row per plan: size, events, structure and funding breadth.

    n_activities counts items (rows, or one per ``listing_group`` when an alternative coding
    groups repeated rows); n_events sums the events of event-type rows only
    (``tally.EVENT_TYPES``): documents, website items, award steps and governance items are
    not events.
    """
    frame = pd.DataFrame(
        {
            "plan_year": plans["plan_year"].astype("int64"),
            "area_code": plans["area_code"].astype(str),
            "theme": plans["theme"].astype(str),
            "frequency_per_year": event_weights(plans),
            "n_sources": funding_lists(plans).map(len).astype("int64"),
        }
    )
    out = (
        frame.groupby("plan_year", sort=True)
        .agg(
            n_activities=("area_code", "size"),
            n_events=("frequency_per_year", "sum"),
            n_areas=("area_code", "nunique"),
            n_themes=("theme", "nunique"),
            n_funding_sources_mean=("n_sources", "mean"),
        )
        .reset_index()
    )
    out["n_activities"] = out["plan_year"].map(items_per_year(plans))
    return out.astype(
        {
            "plan_year": "int64",
            "n_activities": "int64",
            "n_events": "int64",
            "n_areas": "int64",
            "n_themes": "int64",
            "n_funding_sources_mean": float,
        }
    )


def items_by_type(plans: pd.DataFrame) -> dict[str, int]:
    """Items a plan lists per activity type (one plan's rows; rows an alternative coding
    groups with ``listing_group`` count once): how documents, website items, award steps and
    governance items are counted apart from events."""
    types = as_str(plans["activity_type"])
    return {
        str(code): int(items_per_year(plans, types == code).sum())
        for code in ACTIVITY_TYPES
        if bool((types == code).any())
    }


def count_by_area(plans: pd.DataFrame) -> pd.DataFrame:
    """Activities and events per printed area of each plan.

    Not zero-filled across years: an area code names a different area in each plan, so
    only the areas a plan prints are rows (the theme column links them across years).
    ``area_name`` is the name the plan prints (data, not a label).
    """
    frame = pd.DataFrame(
        {
            "plan_year": plans["plan_year"].astype("int64"),
            "area_code": plans["area_code"].astype(str),
            "area_name": plans["area_name"].fillna("").astype(str),
            "theme": plans["theme"].astype(str),
            "frequency_per_year": event_weights(plans),
        }
    )
    out = (
        frame.groupby(["plan_year", "area_code"], sort=False)
        .agg(
            area_name=("area_name", "first"),
            theme=("theme", "first"),
            n_activities=("area_code", "size"),
            n_events=("frequency_per_year", "sum"),
        )
        .reset_index()
    )
    out = out.sort_values(
        ["plan_year", "area_code"],
        key=lambda col: natural_rank(col) if col.name == "area_code" else col,
    ).reset_index(drop=True)
    return out.astype({"n_activities": "int64", "n_events": "int64"})


def activity_type_mix(plans: pd.DataFrame) -> pd.DataFrame:
    """Activities per type (workshop, webinar …) and their share of the year."""
    return tally(plans, "activity_type", ACTIVITY_TYPES, plan_years(plans))


def venue_mix(plans: pd.DataFrame) -> pd.DataFrame:
    """Activities per venue mode (virtual, on site, tbd) and their share of the year."""
    return tally(plans, "venue_mode", VENUE_MODES, plan_years(plans))


def event_totals(plans: pd.DataFrame) -> pd.DataFrame:
    """Events a year per plan (event-type rows only) and how many come from working groups'
    regular meetings.

    An events total is only as good as the cadence words behind it ("Semimonthly", "4 al
    año"): most events are meeting rows, so the total is shown with that share as its caveat.
    Columns: plan_year, n_activities, n_events, n_meeting_rows, events_from_meetings,
    share_from_meetings.
    """
    meetings = as_str(plans["activity_type"]) == "working_group_meeting"
    frame = pd.DataFrame(
        {
            "plan_year": plans["plan_year"].astype("int64"),
            "events": event_weights(plans),
            "meeting": meetings.astype(bool),
        }
    )
    frame["meeting_events"] = frame["events"].where(frame["meeting"], 0)
    out = (
        frame.groupby("plan_year", sort=True)
        .agg(
            n_activities=("events", "size"),
            n_events=("events", "sum"),
            n_meeting_rows=("meeting", "sum"),
            events_from_meetings=("meeting_events", "sum"),
        )
        .reset_index()
    )
    out["share_from_meetings"] = share(out["events_from_meetings"], out["n_events"])
    return out.astype(
        {
            "n_activities": "int64",
            "n_events": "int64",
            "n_meeting_rows": "int64",
            "events_from_meetings": "int64",
        }
    )


def compare_years(
    counts: pd.DataFrame,
    baseline_year: int,
    compare_year: int,
    by: str = "theme",
    value: str = "n_activities",
) -> pd.DataFrame:
    """Side-by-side value of two years per key, with absolute and relative change.

    Keys missing in one year count as 0 (an area a plan does not print has no activities).
    ``pct_change`` is a fraction (0.5 = +50 %), NaN when the baseline is 0 because growth
    from nothing has no meaningful ratio. Text columns that are constant per key (the
    data's names: theme labels from the crosswalk, area names) are carried so the result can
    be charted without a join.
    """
    require_years(counts["plan_year"], (baseline_year, compare_year), "counts")
    missing = [column for column in (by, value) if column not in counts.columns]
    if missing:
        raise ValueError(f"counts has no column(s) {missing}")
    years = counts["plan_year"].astype("int64")
    subset = counts[years.isin([baseline_year, compare_year])].copy()
    subset[by] = subset[by].astype(str)
    if subset.duplicated(["plan_year", by]).any():
        raise ValueError(f"counts has several rows per (plan_year, {by}); aggregate first")

    keys = list(dict.fromkeys(subset[by]))
    if by == "area_code":
        keys = sorted(keys, key=area_sort_key)

    def values_of(year: int) -> pd.Series:
        rows = subset[subset["plan_year"].astype("int64") == year]
        return rows.set_index(by)[value].reindex(keys, fill_value=0)

    baseline = values_of(baseline_year)
    compare = values_of(compare_year)
    out = pd.DataFrame({by: pd.Series(keys, dtype=str)})
    text_columns = [
        column
        for column in subset.columns
        if column not in {"plan_year", by, value}
        and not pd.api.types.is_numeric_dtype(subset[column])
        and bool((subset.groupby(by)[column].nunique(dropna=False) <= 1).all())
    ]
    for column in text_columns:
        names = subset.drop_duplicates(by).set_index(by)[column]
        out[column] = out[by].map(names).astype(str)
    out["baseline_year"] = np.int64(baseline_year)
    out["compare_year"] = np.int64(compare_year)
    out["baseline_value"] = baseline.to_numpy()
    out["compare_value"] = compare.to_numpy()
    out["change"] = out["compare_value"] - out["baseline_value"]
    base = out["baseline_value"].astype(float)
    out["pct_change"] = out["change"].astype(float) / base.where(base != 0)
    return out.astype({"baseline_year": "int64", "compare_year": "int64"})


def compare_years_with_small_bases(
    counts: pd.DataFrame,
    baseline_year: int,
    compare_year: int,
    by: str = "theme",
    value: str = "n_activities",
    min_base: int = MIN_BASE_FOR_PERCENT,
) -> pd.DataFrame:
    """``compare_years`` with the percent change blanked (NaN) where the baseline is below
    ``min_base`` and a ``pct_suppressed`` flag; counts and changes are always kept."""
    out = compare_years(counts, baseline_year, compare_year, by=by, value=value)
    small = out["baseline_value"].astype(float) < min_base
    out["pct_suppressed"] = small.astype(bool)
    out["pct_change"] = out["pct_change"].where(~small)
    return out
