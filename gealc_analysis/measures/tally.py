"""The one counting operation every measure is built on, and the small helpers around it.

A measure counts activities (or sums a weight) per plan year and category, zero-filled over
the category's vocabulary so every year has the same rows (charts and year comparisons need
aligned rows). Years always come from the data, sorted ascending; categorical and plain
``str`` columns are accepted alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from gealc_analysis.data.vocabulary import ACTIVITY_TYPES, area_sort_key, split_funding

# The activity types whose rows are events (something held on a date, with people taking
# part): the codebook's workshops, webinars, meetings, working-group meetings, public events
# and exchanges. Documents, website items, award steps and governance items are counted apart
# (``NON_EVENT_TYPES``), never as events.
EVENT_TYPES: tuple[str, ...] = tuple(
    code
    for code in ACTIVITY_TYPES
    if code in {"workshop", "webinar", "meeting", "working_group_meeting", "event", "exchange"}
)
NON_EVENT_TYPES: tuple[str, ...] = tuple(code for code in ACTIVITY_TYPES if code not in EVENT_TYPES)
# The unit of counting (a contested decision, ``alternative_codings.csv``): rows of one plan
# that share a non-empty ``listing_group`` are one item when activities are counted (the
# 2024 per-area website line, the per-group meeting rows). The curated plans have no such
# column: every row is its own item unless an alternative coding sets it.
LISTING_GROUP = "listing_group"


def natural_rank(codes: pd.Series) -> pd.Series:
    """Integer rank of each code in natural order, usable as a ``sort_values`` key."""
    ordered = sorted(set(codes.astype(str)), key=area_sort_key)
    rank = {code: position for position, code in enumerate(ordered)}
    return codes.astype(str).map(rank)


def vocabulary_rank(values: pd.Series, vocabulary: Sequence[str]) -> pd.Series:
    """Position of each value in its vocabulary, so rows sort in the codebook's order."""
    rank = {code: position for position, code in enumerate(vocabulary)}
    return values.astype(str).map(rank)


def as_str(values: pd.Series) -> pd.Series:
    """Plain ``str`` values from a categorical or text column, keeping missing as NaN."""
    return values.astype(str).where(values.notna())


def plan_years(frame: pd.DataFrame) -> list[int]:
    """Plan years present in the data, ascending: never assume which or how many."""
    return sorted(int(year) for year in frame["plan_year"].unique())


def require_years(present: Iterable[int], wanted: Iterable[int], what: str) -> None:
    """Fail with the available years named, instead of returning an empty comparison."""
    available = sorted({int(year) for year in present})
    for year in wanted:
        if int(year) not in available:
            listed = ", ".join(str(y) for y in available) or "none"
            raise ValueError(f"year {year} is not in {what} (years present: {listed})")


def share(values: pd.Series, totals: pd.Series) -> pd.Series:
    """values / totals as floats, 0 where the total is 0 (an empty year has no shares)."""
    values = values.astype(float)
    totals = totals.astype(float)
    return (values / totals.where(totals != 0)).fillna(0.0)


def tally(
    frame: pd.DataFrame,
    key: str,
    vocabulary: Sequence[str],
    years: Sequence[int],
    *,
    weight: str | None = None,
    value_name: str = "n_activities",
    totals: pd.Series | None = None,
    share_name: str = "share",
) -> pd.DataFrame:
    """Count rows (or sum ``weight``) per (year, category), zero-filled over the vocabulary.

    Every mix/load table is this one operation; zero-filling makes every year carry the
    same rows so years line up. ``share`` divides by ``totals`` (indexed by year) when
    given, else by the year's total of the value. Unknown codes raise instead of being
    silently dropped from the denominators.
    """
    keys = as_str(frame[key])
    unknown = sorted(set(keys.dropna()) - set(vocabulary))
    if unknown:
        raise ValueError(f"{key} has values outside its vocabulary: {unknown}")
    grouping = pd.DataFrame(
        {
            "plan_year": frame["plan_year"].astype("int64").to_numpy(),
            key: keys.to_numpy(),
            "_value": frame[weight].to_numpy() if weight else np.ones(len(frame), "int64"),
        }
    ).dropna(subset=[key])
    summed = grouping.groupby(["plan_year", key])["_value"].sum()
    full = pd.MultiIndex.from_product([list(years), list(vocabulary)], names=["plan_year", key])
    out = summed.reindex(full, fill_value=0).rename(value_name).reset_index()
    out["plan_year"] = out["plan_year"].astype("int64")
    out[key] = out[key].astype(str)
    if weight is None:
        out[value_name] = out[value_name].astype("int64")
    year_totals = totals if totals is not None else out.groupby("plan_year")[value_name].sum()
    out[share_name] = share(out[value_name], out["plan_year"].map(year_totals).fillna(0))
    return out


def activities_per_year(plans: pd.DataFrame) -> pd.Series:
    """Number of activities per year: the denominator of every activity share."""
    return plans.groupby(plans["plan_year"].astype("int64")).size()


def funding_lists(plans: pd.DataFrame) -> pd.Series:
    """Each activity's distinct funding codes, sorted (a cell is never trusted to be
    deduplicated)."""
    return (
        plans["funding_sources"]
        .fillna("")
        .astype(str)
        .map(lambda cell: sorted(set(split_funding(cell))))
    )


def event_weights(plans: pd.DataFrame) -> pd.Series:
    """Events each row announces: ``frequency_per_year`` for an event-type row
    (``EVENT_TYPES``), 0 for a document, website item, award step or governance item."""
    is_event = as_str(plans["activity_type"]).isin(EVENT_TYPES)
    return plans["frequency_per_year"].astype("int64").where(is_event, 0).astype("int64")


def event_tally(
    plans: pd.DataFrame, key: str, vocabulary: Sequence[str], years: Sequence[int]
) -> pd.DataFrame:
    """Events a year per (year, category) of ``key``: ``tally`` weighted by
    ``event_weights`` (event-type rows only), in column ``n_events``."""
    return tally(
        plans.assign(_events=event_weights(plans)),
        key,
        vocabulary,
        years,
        weight="_events",
        value_name="n_events",
    )


def item_keys(plans: pd.DataFrame) -> pd.Series:
    """What one counted activity is, per row: its activity_id, or ``<year>|<listing_group>``
    for rows an alternative coding groups into one item (see ``LISTING_GROUP``)."""
    ids = plans["activity_id"].astype(str)
    if LISTING_GROUP not in plans.columns:
        return ids
    group = plans[LISTING_GROUP].fillna("").astype(str)
    grouped = plans["plan_year"].astype("int64").astype(str) + "|" + group
    return grouped.where(group != "", ids)


def items_per_year(plans: pd.DataFrame, rows: pd.Series | None = None) -> pd.Series:
    """Activities per year (distinct ``item_keys``), optionally of the rows where ``rows`` is
    True: the unit of counting every activity count honours."""
    return item_counter(plans)(rows)


def item_counter(plans: pd.DataFrame) -> Callable[[pd.Series | None], pd.Series]:
    """:func:`items_per_year` of ``plans`` for any ``rows``, with the items and years worked
    out once: for a measure that counts the same plans under many selections (the
    multiverse computes its funding headlines hundreds of times)."""
    keys = item_keys(plans)
    years = plans["plan_year"].astype("int64")

    def per_year(rows: pd.Series | None = None) -> pd.Series:
        mine, of_year = keys, years
        if rows is not None:
            keep = rows.to_numpy(dtype=bool)
            mine, of_year = keys[keep], years[keep]
        return mine.groupby(of_year.to_numpy()).nunique()

    return per_year
