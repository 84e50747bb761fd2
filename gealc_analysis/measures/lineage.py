"""What carried over from one plan to the next: activity lineage (``lineage.csv``).

Theme counts say how much attention moved; they cannot say whether the 2020 GobCamp is still
there in 2024. ``lineage.csv`` links each activity of a plan to its successor(s) in the next
plan (or marks it dropped) and each activity of the next plan to its predecessor(s) (or marks
it new), curated by reading both plans. Lineage is between *consecutive* plans, so any number
of plans works; a plan year added without lineage yet is reported as not linked (a warning),
never an error, so adding a year's CSV still just works.
"""

from __future__ import annotations

import pandas as pd

from gealc_analysis.data.lineage import (
    CONTINUED,
    DROPPED,
    MERGED,
    MODIFIED,
    NEW,
    RELATIONS,
    SPLIT,
    consecutive_pairs,
)
from gealc_analysis.measures.themes import theme_table

# The two sides of a link, as activity_relations names them.
EARLIER, LATER = "earlier", "later"

# --------------------------------------------------------------------------- analysis


def activity_relations(lineage: pd.DataFrame, plans: pd.DataFrame) -> pd.DataFrame:
    """One row per activity and pair of consecutive plans, with how it carried over.

    Columns: from_year, to_year, side ("earlier": an activity of from_year; "later": of
    to_year), plan_year, activity_id, theme, relation. Pairs without lineage are left out.
    """
    themes_of = dict(zip(plans["activity_id"].astype(str), plans["theme"].astype(str), strict=True))
    rows = []
    for (earlier, later), links in lineage.groupby(["from_year", "to_year"], sort=True):
        for side, column, year in (
            (EARLIER, "from_activity_id", earlier),
            (LATER, "to_activity_id", later),
        ):
            seen = links[links[column] != ""].drop_duplicates(column)
            for activity, relation in zip(seen[column], seen["relation"], strict=True):
                rows.append(
                    {
                        "from_year": int(earlier),
                        "to_year": int(later),
                        "side": side,
                        "plan_year": int(year),
                        "activity_id": str(activity),
                        "theme": themes_of.get(str(activity), ""),
                        "relation": relation,
                    }
                )
    return pd.DataFrame(
        rows,
        columns=["from_year", "to_year", "side", "plan_year", "activity_id", "theme", "relation"],
    )


def lineage_counts(lineage: pd.DataFrame, plans: pd.DataFrame) -> pd.DataFrame:
    """Activities per relation for each pair: n_earlier (of the earlier plan), n_later.

    Every relation is a row (zero-filled). Merged counts 4 earlier activities and 1 later one:
    the two sides differ by design, so both are shown.
    """
    activities = activity_relations(lineage, plans)
    rows = []
    for (earlier, later), group in activities.groupby(["from_year", "to_year"], sort=True):
        for relation in RELATIONS:
            of = group[group["relation"] == relation]
            rows.append(
                {
                    "from_year": int(earlier),
                    "to_year": int(later),
                    "relation": relation,
                    "n_earlier": int((of["side"] == EARLIER).sum()),
                    "n_later": int((of["side"] == LATER).sum()),
                }
            )
    return pd.DataFrame(rows, columns=["from_year", "to_year", "relation", "n_earlier", "n_later"])


def carry_over_by_theme(
    lineage: pd.DataFrame, plans: pd.DataFrame, themes: pd.DataFrame
) -> pd.DataFrame:
    """Per pair and theme: the earlier plan's activities by what became of them, and the later
    plan's activities with how many are new.

    Columns: from_year, to_year, theme, theme_label_en, theme_label_es, n_earlier, continued,
    modified, split, merged, dropped, n_later, new. Themes in crosswalk order; a theme with no
    activity in either plan is left out.
    """
    activities = activity_relations(lineage, plans)
    labels = theme_table(themes).set_index("theme")
    theme_order = list(labels.index)
    rows = []
    for (earlier, later), group in activities.groupby(["from_year", "to_year"], sort=True):
        for theme in theme_order:
            mine = group[group["theme"] == theme]
            before, after = mine[mine["side"] == EARLIER], mine[mine["side"] == LATER]
            if before.empty and after.empty:
                continue
            row = {
                "from_year": int(earlier),
                "to_year": int(later),
                "theme": theme,
                "theme_label_en": str(labels.at[theme, "theme_label_en"]),
                "theme_label_es": str(labels.at[theme, "theme_label_es"]),
                "n_earlier": len(before),
            }
            for relation in (CONTINUED, MODIFIED, SPLIT, MERGED, DROPPED):
                row[relation] = int((before["relation"] == relation).sum())
            row["n_later"] = len(after)
            row[NEW] = int((after["relation"] == NEW).sum())
            rows.append(row)
    columns = [
        "from_year",
        "to_year",
        "theme",
        "theme_label_en",
        "theme_label_es",
        "n_earlier",
        CONTINUED,
        MODIFIED,
        SPLIT,
        MERGED,
        DROPPED,
        "n_later",
        NEW,
    ]
    return pd.DataFrame(rows, columns=columns)


def theme_flows(lineage: pd.DataFrame, plans: pd.DataFrame) -> pd.DataFrame:
    """Links between themes at activity level: from_year, to_year, from_theme, to_theme,
    relation, n_links. A dropped activity flows to "" and a new one comes from ""."""
    themes_of = dict(zip(plans["activity_id"].astype(str), plans["theme"].astype(str), strict=True))
    frame = pd.DataFrame(
        {
            "from_year": lineage["from_year"].astype("int64"),
            "to_year": lineage["to_year"].astype("int64"),
            "from_theme": [themes_of.get(a, "") for a in lineage["from_activity_id"]],
            "to_theme": [themes_of.get(a, "") for a in lineage["to_activity_id"]],
            "relation": lineage["relation"].astype(str),
        }
    )
    out = frame.groupby(
        ["from_year", "to_year", "from_theme", "to_theme", "relation"], sort=True
    ).size()
    return out.rename("n_links").reset_index()


def theme_totals(plans: pd.DataFrame) -> dict[tuple[int, str], int]:
    """(plan_year, theme) → activities: the totals the flow chart prints beside each theme."""
    sizes = plans.groupby(
        [plans["plan_year"].astype(int), plans["theme"].astype(str)], observed=True
    ).size()
    return {(int(year), str(theme)): int(n) for (year, theme), n in sizes.items()}


def pair_ending_at(plans: pd.DataFrame, year: int) -> tuple[int, int]:
    """The consecutive pair of plans that ends at ``year`` (the first pair for the first
    plan; ``(year, year)`` when only one plan is loaded, which charts as nothing to link), so
    a section can chart the step into the comparison plan."""
    pairs = consecutive_pairs(plans)
    if not pairs:
        return int(year), int(year)
    return next((pair for pair in pairs if pair[1] == int(year)), pairs[0])
