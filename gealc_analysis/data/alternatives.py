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
from gealc_analysis.data import vocabulary
from gealc_analysis.data.contract import column_names, field_constraint
from gealc_analysis.data.errors import PlanDataError, Problem
from gealc_analysis.data.lineage import RELATIONS as LINEAGE_RELATIONS
from gealc_analysis.data.reading import display_path
from gealc_analysis.data.side_tables import SCHEMAS_DIR_NAME, load_curated_table

ALTERNATIVES_FILE = "alternative_codings.csv"
SCHEMA_FILE = paths.DATA_DIR / SCHEMAS_DIR_NAME / "alternative_codings.schema.yaml"
COLUMNS: tuple[str, ...] = tuple(column_names(SCHEMA_FILE))

# Which columns an alternative may set in each table. ``listing_group`` is not a column of
# the curated plans (every row is its own item there, an empty cell): an alternative sets it
# to count repeated rows of one plan once (the unit of counting, ``measures.tally``);
# ``in_kind_instruments`` is not one of funding_codes.csv (every instrument of a cash code
# is cash there): an alternative sets it to read an instrument as staff time.
EDITABLE: dict[str, tuple[str, ...]] = {
    "plan": (
        "theme",
        "activity_type",
        "timing",
        "frequency_per_year",
        "funding_sources",
        "idb_instrument",
        "listing_group",
    ),
    "themes": ("theme", "theme_label_en", "theme_label_es", "relation", "related_areas"),
    "funding_codes": ("kind", "in_kind_instruments"),
    "lineage": ("relation", "from_activity_id", "to_activity_id"),
}
# Columns an alternative may set that the curated table does not have (empty there).
VIRTUAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "plan": ("listing_group",),
    # Instruments through which a cash code gives staff time (measures.funding): the curated
    # reading is none, so the file has no such column.
    "funding_codes": ("in_kind_instruments",),
}
_THEME_ROW_ID = re.compile(r"^(\d{4}):(.+)$")
# How each table's rows are named in row_id, and what a person should write.
ROW_ID_FORMS: dict[str, str] = {
    "plan": "an activity_id like 2020-3.2.3-b",
    "themes": "plan_year:area_code like 2020:3.3",
    "funding_codes": "a code of funding_codes.csv like idb",
    "lineage": "from_activity_id|to_activity_id of a lineage.csv row like 2020-3.1.4|",
}
LINEAGE_SEPARATOR = "|"


def row_ids(table: str, frame: pd.DataFrame) -> pd.Series:
    """The row_id of every row of a table, as alternative_codings.csv names it."""
    if table == "plan":
        return frame["activity_id"].astype(str)
    if table == "themes":
        return frame["plan_year"].astype(str) + ":" + frame["area_code"].astype(str)
    if table == "funding_codes":
        return frame["code"].astype(str)
    if table == "lineage":
        return (
            frame["from_activity_id"].fillna("").astype(str)
            + LINEAGE_SEPARATOR
            + frame["to_activity_id"].fillna("").astype(str)
        )
    raise ValueError(f"unknown table {table!r}; known: {sorted(EDITABLE)}")


def row_years(table: str, row_id: str) -> tuple[int, ...]:
    """The plan years a row_id is about (none for a funding code: every year)."""
    if table == "funding_codes":
        return ()
    parts = row_id.split(LINEAGE_SEPARATOR) if table == "lineage" else [row_id]
    return tuple(int(part[:4]) for part in parts if part[:4].isdigit())


# The patterns the crosswalk's and the plan's own schemas state (one source of truth).
THEME_KEY_PATTERN = str(field_constraint("themes", "theme", "pattern"))
RELATED_AREAS_PATTERN = str(field_constraint("themes", "related_areas", "pattern"))
_WHOLE_NUMBER = "[1-9][0-9]*"
_SNAKE_CASE = "[a-z][a-z0-9_]*"
_ACTIVITY_ID = str(field_constraint("plan", "activity_id", "pattern"))


def _value_rule(
    column: str, funding_codes: Collection[str], table: str = "plan"
) -> tuple[str, object]:
    """(what a person should see, test) for a value of ``column`` of ``table``."""
    if table == "lineage" and column == "relation":
        return (
            f"one of {', '.join(LINEAGE_RELATIONS)}",
            lambda v: v in LINEAGE_RELATIONS,
        )
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
    rules |= {
        "listing_group": (
            "an empty cell (its own item) or a group key in snake_case",
            lambda v: v == "" or re.fullmatch(_SNAKE_CASE, v),
        ),
        "kind": (
            f"one of {', '.join(vocabulary.RESOURCE_KIND_NAMES)}",
            lambda v: v in vocabulary.RESOURCE_KIND_NAMES,
        ),
        "in_kind_instruments": (
            f"an empty cell or ';'-joined codes of {', '.join(vocabulary.IDB_INSTRUMENTS)}",
            lambda v: all(c in vocabulary.IDB_INSTRUMENTS for c in vocabulary.split_funding(v)),
        ),
        "from_activity_id": (
            "an empty cell or an activity_id",
            lambda v: v == "" or re.fullmatch(_ACTIVITY_ID, v),
        ),
        "to_activity_id": (
            "an empty cell or an activity_id",
            lambda v: v == "" or re.fullmatch(_ACTIVITY_ID, v),
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
    funding_codes: Collection[str] | pd.DataFrame = vocabulary.FUNDING_SOURCES,
    lineage: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The alternative codings, checked against the loaded plans, crosswalk, funding codes
    (those of the same folder, the table or its codes; the project's by default) and lineage.

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
    problems = check_alternatives(
        frame, plans, themes, display_path(path), funding_codes, lineage=lineage
    )
    if problems:
        raise PlanDataError(problems)
    loaded = _loaded_years(plans, themes, lineage)
    keep = [
        all(
            year in loaded.get(str(table), loaded["plan"])
            for year in row_years(str(table), str(rid))
        )
        for table, rid in zip(frame["table"], frame["row_id"], strict=True)
    ]
    return frame[keep].reset_index(names="line")


def _code_table(funding_codes: Collection[str] | pd.DataFrame) -> pd.DataFrame:
    if isinstance(funding_codes, pd.DataFrame):
        return funding_codes
    # Only the codes are known: the rows of the project's file that are among them.
    return pd.DataFrame(
        {
            "code": list(funding_codes),
            "kind": [vocabulary.RESOURCE_KINDS.get(c, "") for c in funding_codes],
        }
    )


def check_alternatives(
    frame: pd.DataFrame,
    plans: pd.DataFrame,
    themes: pd.DataFrame,
    shown: str,
    funding_codes: Collection[str] | pd.DataFrame = vocabulary.FUNDING_SOURCES,
    *,
    lineage: pd.DataFrame | None = None,
) -> list[Problem]:
    """Every rule across tables, each failure located at the file line (the frame's index).

    ids exist in the loaded plans/crosswalk/funding codes/lineage; the column belongs to the
    table and the value to the column's vocabulary; each decision has exactly one primary
    alternative, every alternative sets the same cells, and the primary alternative's values
    are today's data. Rows about the lineage are checked when it is given.
    """
    problems: list[Problem] = []
    codes = _code_table(funding_codes)
    tables = {"plan": plans, "themes": themes, "funding_codes": codes}
    if lineage is not None:
        tables["lineage"] = lineage
    indexed = {
        table: data.assign(_row_id=row_ids(table, data).to_numpy())
        .drop_duplicates("_row_id")
        .set_index("_row_id")
        for table, data in tables.items()
    }
    loaded = _loaded_years(plans, themes, lineage)
    code_names = tuple(codes["code"].astype(str))
    for line, row in frame.iterrows():
        problems += _row_problems(int(line), row, indexed, loaded, shown, code_names)
    for decision, rows in frame.groupby("decision", sort=True):
        problems += _decision_problems(str(decision), rows, shown)
    return problems


def _loaded_years(
    plans: pd.DataFrame, themes: pd.DataFrame, lineage: pd.DataFrame | None
) -> dict[str, set[int]]:
    """The plan years each table holds. A lineage row is about a pair of plans: it is in
    scope only when the loaded lineage links that year (with one plan loaded it links none,
    so ``--years 2024`` leaves the 2020→2024 alternatives aside like any other year's)."""
    loaded = {
        "plan": {int(y) for y in plans["plan_year"].unique()},
        "themes": {int(y) for y in themes["plan_year"].unique()},
    }
    if lineage is not None:
        years = pd.concat([lineage["from_year"], lineage["to_year"]]).dropna()
        loaded["lineage"] = {int(y) for y in years}
    return loaded


_WHERE = {
    "plan": "plan_{year}.csv",
    "themes": "themes.csv",
    "funding_codes": "funding_codes.csv",
    "lineage": "lineage.csv",
}


def _row_problems(
    line: int,
    row: pd.Series,
    indexed: dict[str, pd.DataFrame],
    loaded: dict[str, set[int]],
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
    if not _row_id_form_ok(table, row_id):
        problems.append(
            Problem(shown, line, "row_id", f"{ROW_ID_FORMS[table]} for table {table}", row_id)
        )
        return problems
    years = row_years(table, row_id)
    where = _WHERE[table].format(year=years[0] if years else "")
    in_scope = table in indexed and all(year in loaded.get(table, loaded["plan"]) for year in years)
    source = indexed.get(table)
    if in_scope and source is not None and row_id not in source.index:
        problems.append(Problem(shown, line, "row_id", f"a row of {where}", row_id))
    expected, test = _value_rule(column, funding_codes, table)
    if not test(value):  # type: ignore[operator]
        problems.append(Problem(shown, line, "value", f"{expected} (column {column})", value))
    if (
        row["primary"]
        and in_scope
        and source is not None
        and row_id in source.index
        and not problems
    ):
        current = _current_value(source, row_id, column)
        if current != value:
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


def _row_id_form_ok(table: str, row_id: str) -> bool:
    is_theme_id = bool(_THEME_ROW_ID.match(row_id))
    if table == "themes":
        return is_theme_id
    if table == "lineage":
        return LINEAGE_SEPARATOR in row_id
    if table == "funding_codes":
        return bool(re.fullmatch("[a-z][a-z0-9_]*", row_id))
    return not is_theme_id and LINEAGE_SEPARATOR not in row_id


def _current_value(source: pd.DataFrame, row_id: str, column: str) -> str:
    if column not in source.columns:
        return ""  # a virtual column (VIRTUAL_COLUMNS): empty in the curated data
    value = source.at[row_id, column]
    return "" if pd.isna(value) else str(value)


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
