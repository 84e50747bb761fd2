"""Contested coding decisions and their alternatives, as data (``alternative_codings.csv``).

Several headlines rest on one reading of an ambiguous word ("Semimonthly") or one crosswalk
call (Knowledge Management merged into the awards). The file lists each such decision, its
alternatives and the cells each alternative sets; exactly one alternative per decision is
*primary*: the coding the curated files hold, so applying no alternative reproduces today's
data. This module reads and checks the file; ``robustness`` applies the alternatives.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

import pandas as pd

from gealc_analysis.core import paths
from gealc_analysis.data import PlanDataError, Problem, display_path, table_schema, vocabulary
from gealc_analysis.data.schema import field_constraint, field_names
from gealc_analysis.data.side_tables import SCHEMAS_DIR_NAME, load_curated_table

ALTERNATIVES_FILE = "alternative_codings.csv"
SCHEMA_FILE = paths.DATA_DIR / SCHEMAS_DIR_NAME / "alternative_codings.schema.yaml"
COLUMNS: tuple[str, ...] = tuple(field_names(table_schema(SCHEMA_FILE)))

# Which columns an alternative may set in each table.
EDITABLE: dict[str, tuple[str, ...]] = {
    "plan": (
        "theme",
        "activity_type",
        "timing",
        "frequency_per_year",
        "funding_sources",
        "idb_instrument",
    ),
    "themes": ("theme", "theme_label_en", "theme_label_es", "relation", "related_areas"),
}
_THEME_ROW_ID = re.compile(r"^(\d{4}):(.+)$")


# The patterns the crosswalk's and the plan's own schemas state (one source of truth).
THEME_KEY_PATTERN = str(field_constraint("themes", "theme", "pattern"))
RELATED_AREAS_PATTERN = str(field_constraint("themes", "related_areas", "pattern"))
_WHOLE_NUMBER = "[1-9][0-9]*"


def _value_rule(column: str, funding_codes: Collection[str]) -> tuple[str, object]:
    """(what a person should see, test) for a value of ``column``."""
    rules: dict[str, tuple[str, object]] = {
        "theme": ("a theme key in snake_case", lambda v: re.fullmatch(THEME_KEY_PATTERN, v)),
        "activity_type": (
            f"one of {', '.join(vocabulary.ACTIVITY_TYPES)}",
            lambda v: v in vocabulary.ACTIVITY_TYPES,
        ),
        "timing": (f"one of {', '.join(vocabulary.TIMINGS)}", lambda v: v in vocabulary.TIMINGS),
        "frequency_per_year": (
            "a whole number of events per year, 1 or more",
            lambda v: re.fullmatch(_WHOLE_NUMBER, v),
        ),
        "funding_sources": (
            "';'-joined funding codes, sorted, each once",
            lambda v: (
                bool(vocabulary.split_funding(v))
                and all(c in funding_codes for c in vocabulary.split_funding(v))
                and v == vocabulary.join_funding(vocabulary.split_funding(v))
            ),
        ),
        "idb_instrument": (
            f"one of {', '.join(vocabulary.IDB_INSTRUMENTS)} or an empty cell",
            lambda v: v in ("", *vocabulary.IDB_INSTRUMENTS),
        ),
        "relation": (
            f"one of {', '.join(vocabulary.THEME_RELATIONS)}",
            lambda v: v in vocabulary.THEME_RELATIONS,
        ),
        "related_areas": (
            "an empty cell or ';'-joined year:area like 2024:3.7",
            lambda v: v == "" or re.fullmatch(RELATED_AREAS_PATTERN, v),
        ),
    }
    return rules.get(column, ("non-empty text", lambda v: v.strip() != ""))


def alternatives_path(data_dir: Path | str | None = None) -> Path:
    return (Path(data_dir) if data_dir is not None else paths.CURATED_DIR) / ALTERNATIVES_FILE


def empty_alternatives() -> pd.DataFrame:
    """No contested decisions: every headline trivially holds under the one coding."""
    return pd.DataFrame({column: pd.Series(dtype=object) for column in COLUMNS})


def load_alternatives(
    plans: pd.DataFrame,
    themes: pd.DataFrame,
    data_dir: Path | str | None = None,
    *,
    funding_codes: Collection[str] = vocabulary.FUNDING_SOURCES,
) -> pd.DataFrame:
    """The alternative codings, checked against the loaded plans, crosswalk and funding codes
    (those of the same folder; the project's by default).

    A folder without the file has no contested decisions (an empty frame). Rows about a plan
    year that is not loaded are dropped, so a run over a subset of years still works.
    Raises ``PlanDataError`` listing every problem.
    """
    path = alternatives_path(data_dir)
    if not path.is_file():
        return empty_alternatives()
    frame, problems = load_curated_table(path, SCHEMA_FILE)
    if frame is None:
        raise PlanDataError(problems)
    frame = frame.astype({c: object for c in COLUMNS if c != "primary"})
    frame["value"] = frame["value"].where(frame["value"].notna(), "")
    frame["primary"] = frame["primary"].astype(bool)
    problems = check_alternatives(frame, plans, themes, display_path(path), funding_codes)
    if problems:
        raise PlanDataError(problems)
    years = {int(y) for y in plans["plan_year"].unique()}
    keep = frame["row_id"].map(lambda rid: int(str(rid)[:4]) in years)
    return frame[keep].reset_index(names="line")


def check_alternatives(
    frame: pd.DataFrame,
    plans: pd.DataFrame,
    themes: pd.DataFrame,
    shown: str,
    funding_codes: Collection[str] = vocabulary.FUNDING_SOURCES,
) -> list[Problem]:
    """Every rule across tables, each failure located at the file line (the frame's index).

    ids exist in the loaded plans/crosswalk; the column belongs to the table and the value to
    the column's vocabulary; each decision has exactly one primary alternative, every
    alternative sets the same cells, and the primary alternative's values are today's data.
    """
    problems: list[Problem] = []
    plan_rows = plans.assign(activity_id=plans["activity_id"].astype(str)).set_index("activity_id")
    theme_rows = themes.assign(
        row_id=themes["plan_year"].astype(str) + ":" + themes["area_code"].astype(str)
    ).set_index("row_id")
    plan_years = {str(y) for y in plans["plan_year"].unique()}
    theme_years = {str(y) for y in themes["plan_year"].unique()}
    for line, row in frame.iterrows():
        problems += _row_problems(
            int(line), row, plan_rows, theme_rows, plan_years, theme_years, shown, funding_codes
        )
    for decision, rows in frame.groupby("decision", sort=True):
        problems += _decision_problems(str(decision), rows, shown)
    return problems


def _current_value(row: pd.Series, plan_rows: pd.DataFrame, theme_rows: pd.DataFrame) -> str:
    source = plan_rows if row["table"] == "plan" else theme_rows
    value = source.at[row["row_id"], row["column"]]
    return "" if pd.isna(value) else str(value)


def _row_problems(
    line: int,
    row: pd.Series,
    plan_rows: pd.DataFrame,
    theme_rows: pd.DataFrame,
    plan_years: set[str],
    theme_years: set[str],
    shown: str,
    funding_codes: Collection[str],
) -> list[Problem]:
    table, row_id, column, value = row["table"], row["row_id"], row["column"], row["value"]
    problems = []
    if column not in EDITABLE[table]:
        problems.append(
            Problem(
                shown,
                line,
                "column",
                f"a column of the {table} table: {', '.join(EDITABLE[table])}",
                column,
            )
        )
    is_theme_id = bool(_THEME_ROW_ID.match(row_id))
    if (table == "themes") != is_theme_id:
        form = (
            "plan_year:area_code like 2020:3.3"
            if table == "themes"
            else "an activity_id like 2020-3.2.3-b"
        )
        problems.append(Problem(shown, line, "row_id", f"{form} for table {table}", row_id))
        return problems
    year = row_id[:4]
    index = theme_rows.index if table == "themes" else plan_rows.index
    loaded = theme_years if table == "themes" else plan_years
    if year in loaded and row_id not in index:
        where = "themes.csv" if table == "themes" else f"plan_{year}.csv"
        problems.append(Problem(shown, line, "row_id", f"a row of {where}", row_id))
    expected, test = _value_rule(column, funding_codes)
    if not test(value):  # type: ignore[operator]
        problems.append(Problem(shown, line, "value", f"{expected} (column {column})", value))
    if row["primary"] and year in loaded and row_id in index and not problems:
        current = _current_value(row, plan_rows, theme_rows)
        if current != value:
            where = "themes.csv" if table == "themes" else f"plan_{year}.csv"
            problems.append(
                Problem(
                    shown,
                    line,
                    "value",
                    f"'{current}' as {where} holds (a primary alternative is today's coding)",
                    value,
                )
            )
    return problems


def _decision_problems(decision: str, rows: pd.DataFrame, shown: str) -> list[Problem]:
    problems = []
    first_line = int(rows.index.min())
    flags = rows.groupby("alternative", sort=False)["primary"].agg(["min", "max"])
    for alternative, flag in flags.iterrows():
        if flag["min"] != flag["max"]:
            line = int(rows.index[rows["alternative"] == alternative].min())
            problems.append(
                Problem(
                    shown,
                    line,
                    "primary",
                    f"the same value on every row of {decision}/{alternative}",
                    "true on some rows, false on others",
                )
            )
    primaries = sorted(flags.index[flags["max"]])
    if len(primaries) != 1:
        problems.append(
            Problem(
                shown,
                first_line,
                "primary",
                f"exactly one primary alternative for decision {decision}",
                ", ".join(primaries) if primaries else "none",
            )
        )
        return problems
    cells = {
        alt: set(zip(group["table"], group["row_id"], group["column"], strict=True))
        for alt, group in rows.groupby("alternative", sort=True)
    }
    reference = cells[primaries[0]]
    for alternative, touched in cells.items():
        if touched != reference:
            line = int(rows.index[rows["alternative"] == alternative].min())
            missing = sorted(f"{t}:{r}:{c}" for t, r, c in reference - touched)
            extra = sorted(f"{t}:{r}:{c}" for t, r, c in touched - reference)
            problems.append(
                Problem(
                    shown,
                    line,
                    "row_id",
                    f"the same cells as the primary alternative {primaries[0]} of {decision}",
                    "; ".join([*(f"missing {m}" for m in missing), *(f"extra {e}" for e in extra)]),
                )
            )
    return problems


def decisions(alternatives: pd.DataFrame) -> dict[str, list[str]]:
    """Each decision and its alternatives, the primary first, then in file order."""
    out: dict[str, list[str]] = {}
    for decision, rows in alternatives.groupby("decision", sort=False):
        order = list(dict.fromkeys(rows["alternative"]))
        primary = list(dict.fromkeys(rows.loc[rows["primary"].astype(bool), "alternative"]))
        out[str(decision)] = primary + [alt for alt in order if alt not in primary]
    return out


def primary_choice(alternatives: pd.DataFrame) -> dict[str, str]:
    """The primary alternative of every decision (applying it changes nothing)."""
    return {decision: alts[0] for decision, alts in decisions(alternatives).items()}


__all__ = [
    "ALTERNATIVES_FILE",
    "alternatives_path",
    "check_alternatives",
    "decisions",
    "empty_alternatives",
    "load_alternatives",
    "primary_choice",
]
