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

from gealc_analysis.data import crosswalk_in_order
from gealc_analysis.data.lineage import (
    CONTINUED,
    DROPPED,
    MERGED,
    MODIFIED,
    NEW,
    RELATIONS,
    SPLIT,
    consecutive_pairs,
    unlinked_pairs,
)
from gealc_analysis.words import i18n

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
    order = crosswalk_in_order(themes)
    labels = order.drop_duplicates("theme", keep="last").set_index("theme")
    theme_order = list(dict.fromkeys(order["theme"].astype(str)))
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


def lineage_list(lineage: pd.DataFrame, plans: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The links as a reader's list: relation, the two activities with their titles, the note.

    Titles in ``lang``; rows by pair, then relation (continued … new), then activity number.
    """
    title = f"title_{i18n.check_lang(lang)}"
    titles = dict(zip(plans["activity_id"].astype(str), plans[title].astype(str), strict=True))
    out = lineage.assign(
        from_title=[titles.get(a, "") for a in lineage["from_activity_id"]],
        to_title=[titles.get(a, "") for a in lineage["to_activity_id"]],
        _rank=lineage["relation"].map({r: i for i, r in enumerate(RELATIONS)}),
    )
    out = out.sort_values(
        ["from_year", "to_year", "_rank", "from_activity_id", "to_activity_id"], kind="stable"
    )
    return out[
        [
            "from_year",
            "to_year",
            "relation",
            "from_activity_id",
            "from_title",
            "to_activity_id",
            "to_title",
            "note",
        ]
    ].reset_index(drop=True)


def theme_totals(plans: pd.DataFrame) -> dict[tuple[int, str], int]:
    """(plan_year, theme) → activities: the totals the flow chart prints beside each theme."""
    sizes = plans.groupby(
        [plans["plan_year"].astype(int), plans["theme"].astype(str)], observed=True
    ).size()
    return {(int(year), str(theme)): int(n) for (year, theme), n in sizes.items()}


def carry_over_summary(lineage: pd.DataFrame, plans: pd.DataFrame, lang: str) -> str:
    """One sentence per pair of consecutive plans (what continued, changed, merged, split,
    was dropped or is new), and a line for each pair not linked yet."""
    counts = lineage_counts(lineage, plans)
    lines = []
    for (earlier, later), group in counts.groupby(["from_year", "to_year"], sort=True):
        by = group.set_index("relation")
        lines.append(
            i18n.label(
                "lineage.summary",
                lang,
                from_year=earlier,
                to_year=later,
                n_earlier=int(by["n_earlier"].sum()),
                n_later=int(by["n_later"].sum()),
                **{r: int(by.at[r, "n_later" if r == NEW else "n_earlier"]) for r in RELATIONS},
            )
        )
    lines += [
        i18n.label("lineage.not_linked", lang, from_year=a, to_year=b)
        for a, b in unlinked_pairs(lineage, plans)
    ]
    if not consecutive_pairs(plans):
        lines.append(
            i18n.label("lineage.single_plan", lang, year=int(plans["plan_year"].astype(int).min()))
        )
    return "\n\n".join(lines)


def pair_ending_at(plans: pd.DataFrame, year: int) -> tuple[int, int]:
    """The consecutive pair of plans that ends at ``year`` (the first pair for the first
    plan; ``(year, year)`` when only one plan is loaded, which charts as nothing to link), so
    a section can chart the step into the comparison plan."""
    pairs = consecutive_pairs(plans)
    if not pairs:
        return int(year), int(year)
    return next((pair for pair in pairs if pair[1] == int(year)), pairs[0])
