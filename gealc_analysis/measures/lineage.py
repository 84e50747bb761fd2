"""What carried over from one plan to the next: activity lineage (``lineage.csv``).

Theme counts say how much attention moved; they cannot say whether the 2020 GobCamp is still
there in 2024. ``lineage.csv`` links each activity of a plan to its successor(s) in the next
plan (or marks it dropped) and each activity of the next plan to its predecessor(s) (or marks
it new), curated by reading both plans. Lineage is between *consecutive* plans, so any number
of plans works; a plan year added without lineage yet is reported as not linked (a warning),
never an error, so adding a year's CSV still just works.
"""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path

import pandas as pd

from gealc_analysis.core import paths
from gealc_analysis.data import PlanDataError, Problem, display_path
from gealc_analysis.data.side_tables import SCHEMAS_DIR_NAME, load_curated_table, read_schema
from gealc_analysis.measures.themes import theme_table

LINEAGE_FILE = "lineage.csv"
SCHEMA_FILE = paths.DATA_DIR / SCHEMAS_DIR_NAME / "lineage.schema.yaml"
_RELATION_FIELD = next(f for f in read_schema(SCHEMA_FILE)["fields"] if f["name"] == "relation")
# The relations, defined once: in the Table Schema's enum.
RELATIONS: tuple[str, ...] = tuple(_RELATION_FIELD["constraints"]["enum"])
CONTINUED, MODIFIED, SPLIT, MERGED, DROPPED, NEW = RELATIONS
# Which side of a link is empty for each relation (None: both sides are filled).
_EMPTY_SIDE = {DROPPED: "to_activity_id", NEW: "from_activity_id"}
EARLIER, LATER = "earlier", "later"


class UnlinkedPlanWarning(UserWarning):
    """Two consecutive plans have no lineage rows yet (curate them in lineage.csv)."""


def lineage_path(data_dir: Path | str | None = None) -> Path:
    return (Path(data_dir) if data_dir is not None else paths.CURATED_DIR) / LINEAGE_FILE


def consecutive_pairs(plans: pd.DataFrame) -> list[tuple[int, int]]:
    """(earlier, later) for each pair of consecutive plan years loaded."""
    years = sorted(int(y) for y in plans["plan_year"].unique())
    return list(zip(years[:-1], years[1:], strict=True))


def empty_lineage() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "from_year": pd.Series(dtype="int64"),
            "from_activity_id": pd.Series(dtype=object),
            "to_year": pd.Series(dtype="int64"),
            "to_activity_id": pd.Series(dtype=object),
            "relation": pd.Series(dtype=object),
            "note": pd.Series(dtype=object),
        }
    )


def load_lineage(
    plans: pd.DataFrame, data_dir: Path | str | None = None, *, warn: bool = True
) -> pd.DataFrame:
    """The lineage links between the loaded plans, checked; raises ``PlanDataError``.

    Links about plan years that are not loaded are left out. A pair of consecutive loaded
    plans without any link gives an ``UnlinkedPlanWarning`` (see ``unlinked_pairs``) unless
    ``warn`` is False (a report section says it in words instead).
    """
    path = lineage_path(data_dir)
    if path.is_file():
        frame, problems = load_curated_table(path, SCHEMA_FILE)
        if frame is None:
            raise PlanDataError(problems)
        frame = frame.astype(
            {
                "from_year": "int64",
                "to_year": "int64",
                "relation": object,
                "note": object,
                "from_activity_id": object,
                "to_activity_id": object,
            }
        )
        for column in ("from_activity_id", "to_activity_id"):
            frame[column] = frame[column].where(frame[column].notna(), "")
        problems = check_lineage(frame, plans, display_path(path))
        if problems:
            raise PlanDataError(problems)
        years = {int(y) for y in plans["plan_year"].unique()}
        frame = frame[frame["from_year"].isin(years) & frame["to_year"].isin(years)]
        pairs = set(consecutive_pairs(plans))
        consecutive = pd.Series(
            [pair in pairs for pair in zip(frame["from_year"], frame["to_year"], strict=True)],
            index=frame.index,
            dtype=bool,
        )
        frame = frame[consecutive]
        frame = frame.reset_index(drop=True)
    else:
        frame = empty_lineage()
    for earlier, later in unlinked_pairs(frame, plans) if warn else []:
        warnings.warn(
            f"plans {earlier} and {later} are not linked yet: add their rows to "
            f"{display_path(path)}",
            UnlinkedPlanWarning,
            stacklevel=2,
        )
    return frame


def unlinked_pairs(lineage: pd.DataFrame, plans: pd.DataFrame) -> list[tuple[int, int]]:
    """Consecutive loaded plans that have no lineage rows yet."""
    linked = set(zip(lineage["from_year"].astype(int), lineage["to_year"].astype(int), strict=True))
    return [pair for pair in consecutive_pairs(plans) if pair not in linked]


def check_lineage(frame: pd.DataFrame, plans: pd.DataFrame, shown: str) -> list[Problem]:
    """Every rule across tables, located at the file line (the frame's index).

    Years are consecutive plan years; ids exist in their year's plan; the empty side matches
    the relation; each activity has one relation; split has several successors and merged
    several predecessors; every activity of a linked pair is covered.
    """
    problems: list[Problem] = []
    ids = {
        int(y): set(group.astype(str))
        for y, group in plans.groupby(plans["plan_year"].astype(int))["activity_id"]
    }
    all_years = sorted(int(y) for y in plans["plan_year"].unique())
    nexts = dict(zip(all_years[:-1], all_years[1:], strict=True))
    for line, row in frame.iterrows():
        problems += _row_problems(int(line), row, ids, nexts, shown)
    if problems:
        return problems
    for (earlier, later), rows in frame.groupby(["from_year", "to_year"], sort=True):
        if earlier in ids and later in ids:
            problems += _pair_problems(rows, ids[int(earlier)], ids[int(later)], shown)
    return problems


def _row_problems(
    line: int, row: pd.Series, ids: dict[int, set[str]], nexts: dict[int, int], shown: str
) -> list[Problem]:
    problems = []
    relation = row["relation"]
    for side, year_column in (("from_activity_id", "from_year"), ("to_activity_id", "to_year")):
        value, year = row[side], int(row[year_column])
        must_be_empty = _EMPTY_SIDE.get(relation) == side
        if must_be_empty and value:
            problems.append(
                Problem(shown, line, side, f"an empty cell for relation {relation}", value)
            )
        elif not must_be_empty and not value:
            problems.append(
                Problem(
                    shown,
                    line,
                    side,
                    f"an activity_id of plan_{year}.csv for relation {relation}",
                    "",
                )
            )
        elif value and not value.startswith(f"{year}-"):
            problems.append(
                Problem(shown, line, side, f"an id of the {year} plan ({year_column})", value)
            )
        elif value and year in ids and value not in ids[year]:
            problems.append(Problem(shown, line, side, f"an activity_id of plan_{year}.csv", value))
    earlier, later = int(row["from_year"]), int(row["to_year"])
    if earlier in nexts and later in ids and nexts[earlier] != later:
        problems.append(
            Problem(
                shown,
                line,
                "to_year",
                f"the plan after {earlier}, {nexts[earlier]} (lineage links consecutive plans)",
                str(later),
            )
        )
    return problems


def _pair_problems(
    rows: pd.DataFrame, earlier_ids: set[str], later_ids: set[str], shown: str
) -> list[Problem]:
    problems = []
    first = int(rows.index.min())
    for side, all_ids, year in (
        ("from_activity_id", earlier_ids, rows["from_year"].iloc[0]),
        ("to_activity_id", later_ids, rows["to_year"].iloc[0]),
    ):
        linked = rows[rows[side] != ""]
        for activity, group in linked.groupby(side, sort=True):
            relations = sorted(set(group["relation"]))
            if len(relations) > 1:
                problems.append(
                    Problem(
                        shown,
                        int(group.index.min()),
                        "relation",
                        f"one relation for {activity}",
                        ", ".join(relations),
                    )
                )
        missing = sorted(all_ids - set(linked[side]))
        if missing:
            problems.append(
                Problem(
                    shown,
                    first,
                    side,
                    f"a row for every activity of plan_{year}.csv",
                    "none for " + ", ".join(missing),
                )
            )
    counts_from = Counter(rows.loc[rows["relation"] == SPLIT, "from_activity_id"])
    counts_to = Counter(rows.loc[rows["relation"] == MERGED, "to_activity_id"])
    for relation, counts, side in (
        (SPLIT, counts_from, "from_activity_id"),
        (MERGED, counts_to, "to_activity_id"),
    ):
        for activity, n in sorted(counts.items()):
            if n < 2:
                line = int(rows.index[rows[side] == activity].min())
                problems.append(
                    Problem(
                        shown,
                        line,
                        "relation",
                        f"{relation} to link {activity} with two or more "
                        "activities (else continued or modified)",
                        relation,
                    )
                )
    return problems


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
