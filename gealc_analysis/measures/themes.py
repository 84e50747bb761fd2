"""Theme attention and shifts: activities per harmonised theme, how themes changed between two
plans (new, retired, merged, split, renamed), which appeared or vanished by activities, and
the largest rise and fall.

Theme keys, their order and their names are data (``themes.csv``, the crosswalk): the
names travel with the keys so a chart needs no join; no label catalogue is used here.
"""

from __future__ import annotations

import pandas as pd

from gealc_analysis.data import crosswalk_in_order
from gealc_analysis.data.vocabulary import THEME_RELATIONS, area_sort_key
from gealc_analysis.measures.counts import compare_years
from gealc_analysis.measures.tally import as_str, event_tally, plan_years, require_years, tally

_CONTINUED, _RENAMED, _MERGED, _SPLIT, _NEW, _RETIRED = THEME_RELATIONS
THEME_NAME_COLUMNS: tuple[str, ...] = ("theme_label_en", "theme_label_es")


def theme_table(themes: pd.DataFrame) -> pd.DataFrame:
    """One row per theme key, in canonical order, with its current EN/ES names.

    Order = first appearance when the crosswalk is read year by year in natural area order,
    so themes follow the plans' own structure; names come from the latest year that has
    the theme, the most current wording.
    """
    rows = crosswalk_in_order(themes).assign(theme=lambda t: t["theme"].astype(str))
    order = list(dict.fromkeys(rows["theme"]))
    names = rows.drop_duplicates("theme", keep="last").set_index("theme")
    table = pd.DataFrame({"theme": order})
    for column in THEME_NAME_COLUMNS:
        table[column] = table["theme"].map(names[column].fillna("").astype(str)).astype(str)
    return table


def count_by_theme(plans: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """Activities, events (event-type rows only) and activity share per harmonised theme,
    every crosswalk theme in every year (a theme absent from a plan is a 0 row, which is the
    finding)."""
    table = theme_table(themes)
    vocabulary = list(table["theme"])
    years = plan_years(plans)
    activities = tally(plans, "theme", vocabulary, years)
    events = event_tally(plans, "theme", vocabulary, years)
    out = activities.merge(events[["plan_year", "theme", "n_events"]], on=["plan_year", "theme"])
    out = out.merge(table, on="theme", how="left")
    out["n_events"] = out["n_events"].astype("int64")
    columns = ["plan_year", "theme", *THEME_NAME_COLUMNS, "n_activities", "n_events", "share"]
    return out[columns].reset_index(drop=True)


def theme_shifts(themes: pd.DataFrame, baseline_year: int, compare_year: int) -> pd.DataFrame:
    """How each theme changed between two plans, with the areas that carry it on each side.

    Derived from the structure of the crosswalk, so it holds for any pair of years, in
    either direction, adjacent or not: presence decides new/retired; several areas on one
    side and fewer on the other is merged (baseline has more) or split (compare has more);
    one-to-one is renamed when a crosswalk row between the two years (each row records its
    relation to the previous plan) says so, else continued. Themes absent from both years
    are left out.
    """
    require_years(themes["plan_year"], (baseline_year, compare_year), "themes")
    rows = pd.DataFrame(
        {
            "plan_year": themes["plan_year"].astype("int64"),
            "area_code": themes["area_code"].astype(str),
            "theme": themes["theme"].astype(str),
            "relation": as_str(themes["relation"]).fillna(""),
        }
    )
    table = theme_table(themes)

    def areas(year: int) -> pd.Series:
        year_rows = rows[rows["plan_year"] == year]
        return year_rows.groupby("theme")["area_code"].agg(
            lambda codes: ";".join(sorted(codes, key=area_sort_key))
        )

    low, high = sorted((baseline_year, compare_year))
    between = rows[(rows["plan_year"] > low) & (rows["plan_year"] <= high)]
    renamed = set(between.loc[between["relation"] == _RENAMED, "theme"])
    out = table.assign(
        baseline_areas=table["theme"].map(areas(baseline_year)).fillna("").astype(str),
        compare_areas=table["theme"].map(areas(compare_year)).fillna("").astype(str),
    )
    out = out[(out["baseline_areas"] != "") | (out["compare_areas"] != "")]
    out["relation"] = [
        _shift_relation(base, comp, theme in renamed)
        for theme, base, comp in zip(
            out["theme"], out["baseline_areas"], out["compare_areas"], strict=True
        )
    ]
    out["relation"] = out["relation"].astype(str)
    columns = ["theme", *THEME_NAME_COLUMNS, "relation", "baseline_areas", "compare_areas"]
    return out[columns].reset_index(drop=True)


def _shift_relation(baseline_areas: str, compare_areas: str, renamed: bool) -> str:
    """The relation a theme shows between two years (see ``theme_shifts``)."""
    if not baseline_areas:
        return _NEW
    if not compare_areas:
        return _RETIRED
    before, after = len(baseline_areas.split(";")), len(compare_areas.split(";"))
    if before > after:
        return _MERGED
    if before < after:
        return _SPLIT
    return _RENAMED if renamed else _CONTINUED


def related_years(themes: pd.DataFrame) -> dict[tuple[int, str], set[int]]:
    """(year, theme) → the years of the related areas its crosswalk rows record."""
    related: dict[tuple[int, str], set[int]] = {}
    for year, theme, cell in zip(
        themes["plan_year"], themes["theme"], themes["related_areas"], strict=True
    ):
        parts = str(cell).split(";") if isinstance(cell, str) else []
        related.setdefault((int(year), str(theme)), set()).update(
            int(part.split(":")[0]) for part in parts if part
        )
    return related


def theme_change(
    counts: pd.DataFrame, themes: pd.DataFrame, baseline_year: int, compare_year: int
) -> pd.DataFrame:
    """Activities per theme in two plans (``compare_years`` of ``count_by_theme``) over every
    crosswalk theme, in crosswalk order. Columns: theme, baseline_value, compare_value,
    change."""
    values = counts[["plan_year", "theme", "n_activities"]]
    change = compare_years(values, baseline_year, compare_year).set_index("theme")
    columns = ["baseline_value", "compare_value", "change"]
    order = theme_table(themes)["theme"]
    return change[columns].reindex(order, fill_value=0).astype("int64").reset_index()


def theme_appearances(
    change: pd.DataFrame, themes: pd.DataFrame, baseline_year: int, compare_year: int
) -> tuple[list[str], list[str]]:
    """(new, dropped) theme keys between two plans, by activities (``theme_change``).

    New: activities in the comparison plan, none in the baseline, and the crosswalk records
    no predecessor area in the baseline year (a theme that takes over an area's line of work
    is not new). Dropped: the mirror image. Crosswalk order.
    """
    related = related_years(themes)
    rows = list(
        zip(change["theme"], change["baseline_value"], change["compare_value"], strict=True)
    )
    new = [
        t
        for t, before, after in rows
        if after and not before and baseline_year not in related.get((compare_year, t), set())
    ]
    dropped = [
        t
        for t, before, after in rows
        if before and not after and compare_year not in related.get((baseline_year, t), set())
    ]
    return new, dropped


def largest_change(change: pd.DataFrame, sign: int) -> tuple[float, list[str]]:
    """The largest rise (``sign`` +1) or fall (−1) of activities per theme in a
    ``theme_change`` frame, and every theme that has it (ties all named, crosswalk order);
    (0, []) when nothing rises (falls)."""
    signed = [sign * int(c) for c in change["change"]]
    best = max(signed, default=0)
    if best <= 0:
        return 0.0, []
    named = [t for t, s in zip(change["theme"], signed, strict=True) if s == best]
    return float(sign * best), named
