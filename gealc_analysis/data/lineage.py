"""Activity lineage between consecutive plans (``lineage.csv``): read and checked.

``lineage.csv`` links each activity of a plan to its successor(s) in the next plan (or marks
it dropped) and each activity of the next plan to its predecessor(s) (or marks it new),
curated by reading both plans. Lineage is between *consecutive* plans, so any number of plans
works; a plan year added without lineage yet is reported as not linked (a warning), never an
error, so adding a year's CSV still just works. What carried over is measured in
``gealc_analysis.measures.lineage``.
"""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path

import pandas as pd

from gealc_analysis.core import paths
from gealc_analysis.data.contract import THEMES_FILE, column_names, field_constraint
from gealc_analysis.data.errors import PlanDataError, Problem
from gealc_analysis.data.reading import display_path, read_raw_table
from gealc_analysis.data.side_tables import SCHEMAS_DIR_NAME, load_curated_table

LINEAGE_FILE = "lineage.csv"
SCHEMA_FILE = paths.DATA_DIR / SCHEMAS_DIR_NAME / "lineage.schema.yaml"
# The relations, defined once: in the Table Schema's enum.
RELATIONS: tuple[str, ...] = tuple(field_constraint(SCHEMA_FILE, "relation", "enum"))  # type: ignore[arg-type]
CONTINUED, MODIFIED, SPLIT, MERGED, DROPPED, NEW = RELATIONS
# Which side of a link is empty for each relation (None: both sides are filled).
_EMPTY_SIDE = {DROPPED: "to_activity_id", NEW: "from_activity_id"}
# The relations by which an activity carries over into the next plan.
CARRIED: tuple[str, ...] = (CONTINUED, MODIFIED, SPLIT, MERGED)
# The crosswalk's relations (themes.csv) that name a counterpart area in the other plan, and
# the two that say there is none: retired (in the next plan) and new (in the previous one).
AREA_RELATING: tuple[str, ...] = ("continued", "renamed", "merged", "split")
AREA_RETIRED, AREA_NEW = "retired", "new"


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
            "note_es": pd.Series(dtype=object),
        }
    )


def load_lineage(
    plans: pd.DataFrame,
    data_dir: Path | str | None = None,
    *,
    themes: pd.DataFrame | None = None,
    warn: bool = True,
) -> pd.DataFrame:
    """The lineage links between the loaded plans, checked; raises ``PlanDataError``.

    Links about plan years that are not loaded are left out. A pair of consecutive loaded
    plans without any link gives an ``UnlinkedPlanWarning`` (see ``unlinked_pairs``) unless
    ``warn`` is False (a report section says it in words instead). Given the crosswalk of the
    same folder (``themes``), its area-level calls are checked against the links
    (:func:`check_crosswalk_agrees`), each disagreement located in ``themes.csv``.
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
                "note_es": object,
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
        if themes is not None:
            problems = check_crosswalk_agrees(frame, plans, themes, _themes_lines(path.parent))
            if problems:
                raise PlanDataError(problems)
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


# --------------------------------------------------------------------------- crosswalk


def _themes_lines(data_dir: Path) -> tuple[str, list[int]]:
    """``themes.csv`` as shown in messages and the file line of each of its records."""
    path = data_dir / THEMES_FILE
    raw, _ = read_raw_table(path, column_names("themes"))
    return display_path(path), list(raw.lines)


def _area(year: int, area: str) -> str:
    return f"{year}:{area}"


def check_crosswalk_agrees(
    lineage: pd.DataFrame,
    plans: pd.DataFrame,
    themes: pd.DataFrame,
    located: tuple[str, list[int]],
) -> list[Problem]:
    """The crosswalk's area-level calls that the activity lineage contradicts.

    For each pair of consecutive plans with lineage rows: an area the crosswalk relates to an
    area of the other plan (continued, renamed, merged or split, through ``related_areas``)
    must have an activity carried (continued, modified, merged or split) into that area; a
    retired area must have none carried into the next plan, a new area none carried from the
    previous one. ``lineage`` keeps its file lines as index; ``located`` is ``themes.csv`` as
    shown and the line of each of its rows (``themes`` in file order). Each problem is at the
    crosswalk row that makes the call, column ``relation``.
    """
    shown, lines = located
    area_of = dict(
        zip(plans["activity_id"].astype(str), plans["area_code"].astype(str), strict=True)
    )
    linked = set(zip(lineage["from_year"].astype(int), lineage["to_year"].astype(int), strict=True))
    carried = lineage[lineage["relation"].isin(CARRIED)]
    # (earlier area, later area) -> the carried links between them, as "a → b relation (line)".
    between: dict[tuple[str, str], list[str]] = {}
    for line, row in carried.iterrows():
        earlier = _area(int(row["from_year"]), area_of.get(row["from_activity_id"], ""))
        later = _area(int(row["to_year"]), area_of.get(row["to_activity_id"], ""))
        between.setdefault((earlier, later), []).append(
            f"{row['from_activity_id']} → {row['to_activity_id']} {row['relation']} "
            f"(lineage.csv line {line})"
        )
    fates: dict[str, list[str]] = {}
    for _, row in lineage.iterrows():
        for side, year in (("from_activity_id", "from_year"), ("to_activity_id", "to_year")):
            if row[side]:
                key = _area(int(row[year]), area_of.get(row[side], ""))
                fates.setdefault(key, []).append(f"{row[side]} {row['relation']}")
    years = sorted(int(y) for y in plans["plan_year"].unique())
    previous = dict(zip(years[1:], years[:-1], strict=True))
    following = dict(zip(years[:-1], years[1:], strict=True))
    problems: list[Problem] = []
    for position, (_, row) in enumerate(themes.iterrows()):
        year, area, relation = int(row["plan_year"]), str(row["area_code"]), str(row["relation"])
        here = _area(year, area)
        line = lines[position] if position < len(lines) else 0
        if relation in AREA_RELATING:
            related = [r for r in str(row["related_areas"] or "").split(";") if r]
            for other in related:
                other_year = int(other.split(":", 1)[0])
                if other_year not in (previous.get(year), following.get(year)):
                    continue
                pair = (min(year, other_year), max(year, other_year))
                if pair not in linked:
                    continue
                earlier, later = (here, other) if year < other_year else (other, here)
                if between.get((earlier, later)):
                    continue
                problems.append(
                    Problem(
                        shown,
                        line,
                        "relation",
                        f"an activity of {earlier} carried (continued, modified, merged or "
                        f"split) into {later}, as '{relation}' with {other} says (else code the "
                        "area retired or new, or link the activity in lineage.csv)",
                        "none in lineage.csv: "
                        + (", ".join(sorted(set(fates.get(earlier, [])))) or "no activities"),
                    )
                )
        elif relation in (AREA_RETIRED, AREA_NEW):
            other_year = (following if relation == AREA_RETIRED else previous).get(year)
            if other_year is None or (min(year, other_year), max(year, other_year)) not in linked:
                continue
            found = sorted(
                link
                for (earlier, later), links in between.items()
                if (earlier if relation == AREA_RETIRED else later) == here
                for link in links
            )
            if found:
                direction = "into" if relation == AREA_RETIRED else "from"
                problems.append(
                    Problem(
                        shown,
                        line,
                        "relation",
                        f"no activity of {here} carried {direction} the {other_year} plan, as "
                        f"'{relation}' says (else relate the area to where its activities go)",
                        "; ".join(found),
                    )
                )
    return problems
