"""Does a headline survive every defensible coding? A multiverse over the contested decisions.

``alternative_codings.csv`` lists each contested decision and its alternatives (see
``alternatives``). Here they are applied to the plans and the crosswalk (pure functions: new
frames out), every combination is enumerated, and each headline figure of the report is
recomputed under each by calling the report's own measures (``counts``, ``funding``,
``timing``, ``themes``, ``diversity``) on the re-coded frames, so a headline and the range
that qualifies it come from the same code. A headline *holds everywhere* when its stated fact
(a count, the direction of a change, a named theme) is the same under every combination;
otherwise ``depends_on`` names the decisions whose alternatives change it. Codes and numbers
only: the words are ``gealc_analysis.words.robustness``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gealc_analysis.data import vocabulary
from gealc_analysis.data.alternatives import (
    VIRTUAL_COLUMNS,
    decisions,
    empty_alternatives,
    primary_choice,
    row_ids,
)
from gealc_analysis.data.bundle import DataBundle
from gealc_analysis.data.lineage import DROPPED, NEW, empty_lineage
from gealc_analysis.measures import counts, diversity, funding, timing
from gealc_analysis.measures import lineage as lineage_measures
from gealc_analysis.measures import themes as theme_measures

IDB = "idb"
OAS = "oas"
WORKING_GROUP = "working_group"
_S1, _S2 = vocabulary.SEMESTERS

# How a headline's "stated fact" is judged across codings.
KIND_COUNT = "count"  # holds when the value is the same under every coding
KIND_CHANGE = "change"  # holds when the direction (rise / fall / none) is the same
KIND_LABEL = "label"  # holds when the named themes are the same

# Every headline of the report, in the order a reader meets them; (key, kind, per plan?).
# Events count event-type rows only (``tally.EVENT_TYPES``); documents, website items, award
# steps and governance items are counted apart. Diversity is given as the evenness of
# attention over the policy themes (real change), not the effective number of themes, which
# rises with the number of themes the crosswalk has (structural change).
HEADLINES: tuple[tuple[str, str, bool], ...] = (
    ("n_activities", KIND_COUNT, True),
    ("n_activities_change", KIND_CHANGE, False),
    ("n_events", KIND_COUNT, True),
    ("n_events_change", KIND_CHANGE, False),
    ("n_documents", KIND_COUNT, True),
    ("n_web_items", KIND_COUNT, True),
    ("n_award_steps", KIND_COUNT, True),
    ("n_governance_items", KIND_COUNT, True),
    ("idb_named", KIND_COUNT, True),
    ("idb_only_cash", KIND_COUNT, True),
    ("idb_only_cash_of_cash", KIND_COUNT, True),
    ("idb_only_resource", KIND_COUNT, True),
    ("idb_only_cash_share_change", KIND_CHANGE, False),
    ("idb_only_resource_share_change", KIND_CHANGE, False),
    ("idb_instrument_named", KIND_COUNT, True),
    ("idb_no_instrument", KIND_COUNT, True),
    ("oas_named", KIND_COUNT, True),
    ("working_group_time_named", KIND_COUNT, True),
    ("carried_over", KIND_COUNT, False),
    ("new_activities", KIND_COUNT, False),
    ("largest_theme_rise", KIND_LABEL, False),
    ("largest_theme_fall", KIND_LABEL, False),
    ("themes_new", KIND_LABEL, False),
    ("themes_dropped", KIND_LABEL, False),
    ("s1_share_of_dated", KIND_COUNT, True),
    ("undated_events", KIND_COUNT, True),
    ("evenness_policy_themes", KIND_COUNT, True),
    ("evenness_policy_themes_change", KIND_CHANGE, False),
)
HEADLINE_KIND: dict[str, str] = {key: kind for key, kind, _ in HEADLINES}
HEADLINE_ORDER: dict[str, int] = {key: i for i, (key, _, _) in enumerate(HEADLINES)}


# --------------------------------------------------------------------------- applying

# The tables an alternative coding may edit (``data.alternatives.EDITABLE``) and the
# read-only ones the headlines also read.
TABLES: tuple[str, ...] = ("plan", "themes", "funding_codes", "lineage")
Tables = dict[str, pd.DataFrame]


def _working_copy(plans: pd.DataFrame, themes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Plain-text code columns (categoricals cannot take a new theme key), ints kept; the
    plans get the virtual ``listing_group`` column (empty: each row its own item)."""
    plans = plans.copy()
    for column in ("theme", "activity_type", "timing", "funding_sources", "activity_id"):
        plans[column] = plans[column].astype(str)
    plans["idb_instrument"] = (
        plans["idb_instrument"].astype(object).where(plans["idb_instrument"].notna(), None)
    )
    for column in VIRTUAL_COLUMNS["plan"]:
        if column not in plans.columns:
            plans[column] = ""
        plans[column] = plans[column].astype(object).where(plans[column].notna(), "").astype(str)
    themes = themes.copy()
    for column in ("theme", "relation", "related_areas", "area_code"):
        themes[column] = themes[column].astype(object).where(themes[column].notna(), "")
        themes[column] = themes[column].astype(str)
    return plans, themes


def _working_tables(
    plans: pd.DataFrame,
    themes: pd.DataFrame,
    funding_codes: pd.DataFrame | None,
    lineage: pd.DataFrame | None,
    theme_kinds: pd.DataFrame | None,
) -> Tables:
    work_plans, work_themes = _working_copy(plans, themes)
    codes = (funding.project_codes() if funding_codes is None else funding_codes).copy()
    for column in ("code", "kind"):
        codes[column] = codes[column].astype(str)
    if funding.IN_KIND_INSTRUMENTS not in codes.columns:
        codes[funding.IN_KIND_INSTRUMENTS] = ""
    codes[funding.IN_KIND_INSTRUMENTS] = (
        codes[funding.IN_KIND_INSTRUMENTS].astype(object).fillna("").astype(str)
    )
    links = (empty_lineage() if lineage is None else lineage).copy()
    for column in ("from_activity_id", "to_activity_id", "relation"):
        links[column] = links[column].astype(object).where(links[column].notna(), "").astype(str)
    kinds = theme_kinds if theme_kinds is not None else pd.DataFrame()
    return {
        "plan": work_plans,
        "themes": work_themes,
        "funding_codes": codes.reset_index(drop=True),
        "lineage": links.reset_index(drop=True),
        "theme_kinds": kinds,
    }


def _check_choice(alternatives: pd.DataFrame, choice: Mapping[str, str] | None) -> dict[str, str]:
    known = decisions(alternatives)
    wanted = {**primary_choice(alternatives), **(choice or {})}
    for decision, alternative in wanted.items():
        if decision not in known:
            raise ValueError(f"unknown decision {decision!r}; known: {sorted(known)}")
        if alternative not in known[decision]:
            raise ValueError(
                f"decision {decision!r} has no alternative {alternative!r}; "
                f"choose one of {known[decision]}"
            )
    return wanted


def apply_alternatives(
    plans: pd.DataFrame,
    themes: pd.DataFrame,
    alternatives: pd.DataFrame,
    choice: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plans and crosswalk as they read under ``choice`` (decision → alternative).

    Decisions left out keep their primary alternative; ``choice=None`` (or the primary of
    every decision) reproduces the curated data. New frames are returned; the inputs are
    untouched. Code columns come back as plain text (analysis functions accept both). For
    the funding codes and the lineage too, ``apply_to_tables``.
    """
    tables = apply_to_tables(_working_tables(plans, themes, None, None, None), alternatives, choice)
    return tables["plan"], tables["themes"]


def apply_to_tables(
    tables: Mapping[str, pd.DataFrame],
    alternatives: pd.DataFrame,
    choice: Mapping[str, str] | None = None,
) -> Tables:
    """Every table (plan, themes, funding_codes, lineage, theme_kinds) as it reads under
    ``choice``; ``tables`` as ``bundle_tables`` makes them."""
    wanted = _check_choice(alternatives, choice)
    return _applied(dict(tables), _edits_of(alternatives, wanted))


def bundle_tables(bundle: DataBundle) -> Tables:
    """The tables of a bundle in the working form the codings apply to."""
    return _working_tables(
        bundle.plans, bundle.themes, bundle.funding_codes, bundle.lineage, bundle.theme_kinds
    )


def _edits_of(alternatives: pd.DataFrame, wanted: Mapping[str, str]) -> list[tuple[str, ...]]:
    """(table, row_id, column, value) of every cell the chosen alternatives set."""
    return [
        (str(e.table), str(e.row_id), str(e.column), str(e.value))
        for e in alternatives.itertuples(index=False)
        if wanted.get(str(e.decision)) == e.alternative
    ]


def _applied(tables: Tables, edits: Sequence[tuple[str, ...]]) -> Tables:
    """Copies of the working tables with each listed cell set (column by column: fast);
    tables no edit touches are shared, not copied (nobody modifies them in place)."""
    out = dict(tables)
    columns: dict[tuple[str, str], list[object]] = {}
    positions: dict[str, dict[str, int]] = {}
    for table, row_id, column, value in edits:
        if table not in positions:
            ids = row_ids(table, tables[table]).tolist()
            positions[table] = {rid: i for i, rid in enumerate(ids)}
        where = positions[table].get(row_id)
        if where is None:
            continue  # a plan year not loaded in this run
        cells = columns.setdefault((table, column), list(tables[table][column]))
        cells[where] = _typed(column, value)
    for table in {table for table, _ in columns}:
        out[table] = tables[table].copy()
    for (table, column), cells in columns.items():
        dtype = "int64" if column == "frequency_per_year" else object
        out[table][column] = pd.Series(cells, index=out[table].index, dtype=dtype)
    return out


def _typed(column: str, value: str) -> object:
    if column == "frequency_per_year":
        return int(value)
    if column == "idb_instrument" and value == "":
        return None
    return value


def combinations(alternatives: pd.DataFrame) -> list[dict[str, str]]:
    """Every combination of alternatives, the all-primary one first."""
    known = decisions(alternatives)
    names = list(known)
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*known.values())]


# --------------------------------------------------------------------------- headlines

Values = dict[str, float]
Result = tuple[Values, Values, dict[str, str]]  # values, bases, texts


def _overview(plans: pd.DataFrame, tables: Tables) -> Result:
    overview = counts.plan_overview(plans).iloc[0]
    values = {key: float(overview[key]) for key in ("n_activities", "n_events")}
    items = counts.items_by_type(plans)
    for key, activity_type in ITEM_HEADLINES.items():
        values[key] = float(items.get(activity_type, 0))
    return values, {}, {}


def _sources(plans: pd.DataFrame, tables: Tables) -> Result:
    codes = tables["funding_codes"]
    wanted = tuple(s for s in (IDB, OAS, WORKING_GROUP) if s in set(codes["code"]))
    named = funding.source_counts(plans, wanted, codes).set_index("source")
    fair = funding.only_cash_among_cash(plans, IDB, codes).iloc[0]
    values = {
        "idb_named": float(named.at[IDB, "named"]),
        "idb_only_cash": float(named.at[IDB, "only_cash"]),
        "idb_only_cash_of_cash": float(fair["only_cash"]),
        "idb_only_resource": float(named.at[IDB, "only_resource"]),
        "oas_named": float(named.at[OAS, "named"]),
        "working_group_time_named": float(named.at[WORKING_GROUP, "named"]),
    }
    bases = {
        "idb_only_cash_of_cash": float(fair["n_any_cash"]),
        "idb_only_cash": float(named.at[IDB, "n_activities"]),
        "idb_only_resource": float(named.at[IDB, "n_activities"]),
    }
    return values, bases, {}


def _instruments(plans: pd.DataFrame, tables: Tables) -> Result:
    mix = funding.instrument_mix(plans, IDB, tables["funding_codes"])
    stated = mix["instrument"] != funding.NOT_STATED
    named = float(mix["n_activities"].sum())
    values = {
        "idb_instrument_named": float(mix.loc[stated, "n_activities"].sum()),
        "idb_no_instrument": float(mix.loc[~stated, "n_activities"].sum()),
    }
    return values, {"idb_instrument_named": named, "idb_no_instrument": named}, {}


def _dated(plans: pd.DataFrame, tables: Tables) -> Result:
    dated = timing.semester_split_dated(plans).set_index("timing")
    base = {"s1_share_of_dated": float(dated.at[_S1, "n_dated"])}
    return {"s1_share_of_dated": float(dated.at[_S1, "share_of_dated"])}, base, {}


def _undated(plans: pd.DataFrame, tables: Tables) -> Result:
    events = timing.semester_event_load(plans).set_index("timing")
    return {"undated_events": float(events.at[timing.TBD, "n_events"])}, {}, {}


def _evenness(plans: pd.DataFrame, tables: Tables) -> Result:
    kinds = tables["theme_kinds"]
    evenness = diversity.agenda_evenness(
        plans, tables["themes"], kinds if len(kinds.columns) else None
    ).iloc[0]
    values = {"evenness_policy_themes": float(evenness["evenness_policy"])}
    return values, {"evenness_policy_themes": float(evenness["n_policy_activities"])}, {}


def _theme_counts(plans: pd.DataFrame, tables: Tables) -> pd.DataFrame:
    counted = theme_measures.count_by_theme(plans, tables["themes"])
    return counted[["plan_year", "theme", "n_activities"]]


# A headline of ``HEADLINES`` per activity type counted apart from events (items a year).
ITEM_HEADLINES: dict[str, str] = {
    "n_documents": "study_or_document",
    "n_web_items": "web_content",
    "n_award_steps": "award",
    "n_governance_items": "governance",
}
_THEME_COLUMNS = ("area_code", "theme", *theme_measures.THEME_NAME_COLUMNS)
_THEME_ALL = ("plan_year", *_THEME_COLUMNS, "relation", "related_areas")
_KINDS = ("kind", funding.IN_KIND_INSTRUMENTS)


@dataclass(frozen=True)
class _Measure:
    """A per-plan measure and what it reads: {table: columns}; "plan" is the year's rows."""

    function: Callable[[pd.DataFrame, Tables], object]
    reads: Mapping[str, tuple[str, ...]]


# The per-plan headlines, each from the measure the report shows, with what it reads. The
# multiverse computes each over the alternatives of only the decisions that edit what it
# reads (a coding that changes only the 2024 funding leaves the 2020 figures and every theme
# figure as they are); ``test_robustness`` checks the result equals ``headline_values``
# recomputed from scratch on the codings' frames.
_PER_PLAN: dict[str, _Measure] = {
    "overview": _Measure(
        _overview, {"plan": ("activity_type", "frequency_per_year", "listing_group")}
    ),
    "sources": _Measure(
        _sources,
        {
            "plan": ("funding_sources", "idb_instrument", "listing_group"),
            "funding_codes": _KINDS,
        },
    ),
    "instruments": _Measure(
        _instruments,
        {"plan": ("funding_sources", "idb_instrument", "listing_group"), "funding_codes": _KINDS},
    ),
    "dated": _Measure(_dated, {"plan": ("timing",)}),
    "undated": _Measure(_undated, {"plan": ("timing", "frequency_per_year", "activity_type")}),
    "evenness": _Measure(
        _evenness, {"plan": ("theme",), "themes": _THEME_ALL, "theme_kinds": ("theme", "kind")}
    ),
    "theme_counts": _Measure(_theme_counts, {"plan": ("theme",), "themes": _THEME_ALL}),
}


def _changes(
    before: Mapping[str, Result], after: Mapping[str, Result], tables: Tables
) -> list[tuple[str, float, str, float]]:
    """The pair headlines computed from the two years' per-plan results (no table read)."""
    b = {**before["overview"][0], **before["sources"][0], **before["evenness"][0]}
    a = {**after["overview"][0], **after["sources"][0], **after["evenness"][0]}
    rows = [
        ("n_activities_change", a["n_activities"] - b["n_activities"], "", b["n_activities"]),
        ("n_events_change", a["n_events"] - b["n_events"], "", b["n_events"]),
    ]
    for key in ("idb_only_cash", "idb_only_resource"):
        share = a[key] / a["n_activities"] - b[key] / b["n_activities"]
        rows.append((f"{key}_share_change", share, "", math.nan))
    rows.append(
        (
            "evenness_policy_themes_change",
            a["evenness_policy_themes"] - b["evenness_policy_themes"],
            "",
            math.nan,
        )
    )
    return rows


def _theme_labels(
    before: pd.DataFrame, after: pd.DataFrame, tables: Tables, low: int, high: int
) -> list[tuple[str, float, str, float]]:
    themes = tables["themes"]
    theme_counts = pd.concat([before, after], ignore_index=True)
    change = theme_measures.theme_change(theme_counts, themes, low, high)
    rows = []
    value, named = theme_measures.largest_change(change, +1)
    rows.append(("largest_theme_rise", value, ";".join(named), math.nan))
    value, named = theme_measures.largest_change(change, -1)
    rows.append(("largest_theme_fall", value, ";".join(named), math.nan))
    new, dropped = theme_measures.theme_appearances(change, themes, low, high)
    rows.append(("themes_new", len(new), ";".join(new), math.nan))
    rows.append(("themes_dropped", len(dropped), ";".join(dropped), math.nan))
    return rows


def _lineage_rows(tables: Tables, low: int, high: int) -> list[tuple[str, float, str, float]]:
    """2020 activities carried over (in any form) and 2024 activities new, of the pair's
    lineage; none when the pair is not linked."""
    links = tables["lineage"]
    pair = links[(links["from_year"] == low) & (links["to_year"] == high)]
    if pair.empty:
        return []
    plans = tables["plan"]
    counted = lineage_measures.lineage_counts(pair, plans).set_index("relation")
    n_before = int((plans["plan_year"].astype("int64") == low).sum())
    n_after = int((plans["plan_year"].astype("int64") == high).sum())
    carried = sum(
        int(counted.at[relation, "n_earlier"])
        for relation in counted.index
        if relation not in (DROPPED, NEW)
    )
    new = int(counted.at[NEW, "n_later"]) if NEW in counted.index else 0
    return [
        ("carried_over", float(carried), "", float(n_before)),
        ("new_activities", float(new), "", float(n_after)),
    ]


_LINEAGE_READS = ("from_year", "to_year", "from_activity_id", "to_activity_id", "relation")


@dataclass(frozen=True)
class Cell:
    """One headline of one plan (or pair) under every combination of the decisions that
    edit what it reads: values (and texts, bases) in C order over ``alternatives``."""

    headline: str
    plan: str
    kind: str
    decisions: tuple[str, ...]
    alternatives: tuple[tuple[str, ...], ...]
    values: np.ndarray
    texts: tuple[str, ...]
    bases: np.ndarray

    def at(self, choice: Mapping[str, str]) -> tuple[float, str, float]:
        """(value, text, base) under ``choice`` (decision → alternative, primary when left out)."""
        index = 0
        for decision, alternatives in zip(self.decisions, self.alternatives, strict=True):
            index = index * len(alternatives) + alternatives.index(
                choice.get(decision, alternatives[0])
            )
        return float(self.values[index]), self.texts[index], float(self.bases[index])


class _Engine:
    """Evaluates every headline over the alternatives of only the decisions it reads."""

    def __init__(self, tables: Tables, alternatives: pd.DataFrame) -> None:
        self.tables = tables
        self.known = decisions(alternatives)
        self.order = list(self.known)
        # Every edit of every alternative, and what each decision touches.
        self.edits: dict[str, dict[str, list[tuple[str, ...]]]] = {}
        self.touches: dict[str, set[tuple[str, str, int | None]]] = {}
        plan_year = dict(
            zip(
                tables["plan"]["activity_id"].astype(str),
                tables["plan"]["plan_year"].astype("int64"),
                strict=True,
            )
        )
        for e in alternatives.itertuples(index=False):
            decision, alternative = str(e.decision), str(e.alternative)
            edit = (str(e.table), str(e.row_id), str(e.column), str(e.value))
            self.edits.setdefault(decision, {}).setdefault(alternative, []).append(edit)
            year = plan_year.get(edit[1]) if edit[0] == "plan" else None
            self.touches.setdefault(decision, set()).add((edit[0], edit[2], year))
        self.rows_of_year = _rows_by_year(tables["plan"])

    def relevant(self, reads: Mapping[str, tuple[str, ...]], years: Sequence[int]) -> list[str]:
        """The decisions (file order) that edit a cell of ``reads`` (plan rows of ``years``)."""
        out = []
        for decision in self.order:
            for table, column, year in self.touches.get(decision, ()):
                if column not in reads.get(table, ()):
                    continue
                if table == "plan" and year not in years:
                    continue
                out.append(decision)
                break
        return out

    def sub_combinations(self, chosen: Sequence[str]) -> list[tuple[str, ...]]:
        return list(itertools.product(*(self.known[d] for d in chosen)))

    def coded(self, chosen: Sequence[str], combo: Sequence[str]) -> Tables:
        edits = [
            edit
            for decision, alternative in zip(chosen, combo, strict=True)
            for edit in self.edits[decision][alternative]
        ]
        # In file order, as a full combination applies them (a later row wins).
        return _applied(self.tables, edits) if edits else self.tables

    def per_plan(self, name: str, year: int) -> tuple[list[str], dict[tuple[str, ...], object]]:
        measure = _PER_PLAN[name]
        chosen = self.relevant(measure.reads, [year])
        results = {}
        for combo in self.sub_combinations(chosen):
            tables = self.coded(chosen, combo)
            mine = tables["plan"].iloc[self.rows_of_year.get(year, [])]
            results[combo] = measure.function(mine, tables)
        return chosen, results


def _project(chosen: Sequence[str], combo: Sequence[str], part: Sequence[str]) -> tuple[str, ...]:
    picked = dict(zip(chosen, combo, strict=True))
    return tuple(picked[d] for d in part)


def _union(order: Sequence[str], *parts: Sequence[str]) -> list[str]:
    wanted = {d for part in parts for d in part}
    return [d for d in order if d in wanted]


def _cells(
    tables: Tables, alternatives: pd.DataFrame, baseline_year: int, compare_year: int
) -> list[Cell]:
    """Every headline as a Cell, in the order ``headline_values`` lists them."""
    engine = _Engine(tables, alternatives)
    years = sorted(int(y) for y in tables["plan"]["plan_year"].unique())
    out: list[Cell] = []
    per_year: dict[tuple[str, int], tuple[list[str], dict[tuple[str, ...], object]]] = {}

    def add(
        headline: str,
        plan: str,
        chosen: Sequence[str],
        rows: Mapping[tuple[str, ...], tuple[float, str, float]],
    ) -> None:
        combos = engine.sub_combinations(chosen)
        out.append(
            Cell(
                headline=headline,
                plan=plan,
                kind=HEADLINE_KIND[headline],
                decisions=tuple(chosen),
                alternatives=tuple(tuple(engine.known[d]) for d in chosen),
                values=np.array([float(rows[c][0]) for c in combos], dtype=float),
                texts=tuple(str(rows[c][1]) for c in combos),
                bases=np.array([float(rows[c][2]) for c in combos], dtype=float),
            )
        )

    for year in years:
        entries: list[tuple[int, str, str]] = []
        for name in _PER_PLAN:
            per_year[(name, year)] = engine.per_plan(name, year)
            if name == "theme_counts":
                continue
            chosen, results = per_year[(name, year)]
            first = next(iter(results.values()))
            for key in first[0]:  # type: ignore[index]
                entries.append((HEADLINE_ORDER[key], key, name))
        for _, key, name in sorted(entries):
            chosen, results = per_year[(name, year)]
            add(
                key,
                str(year),
                chosen,
                {
                    combo: (
                        result[0][key],  # type: ignore[index]
                        "",
                        result[1].get(key, math.nan),  # type: ignore[index]
                    )
                    for combo, result in results.items()
                },
            )

    if baseline_year == compare_year:
        return out
    pair = f"{baseline_year}→{compare_year}"
    pair_rows: dict[str, tuple[list[str], dict[tuple[str, ...], tuple[float, str, float]]]] = {}

    # Changes: from the two years' results only.
    names = ("overview", "sources", "evenness")
    inputs = [per_year[(n, y)] for y in (baseline_year, compare_year) for n in names]
    chosen = _union(engine.order, *(part for part, _ in inputs))
    collected: dict[str, dict[tuple[str, ...], tuple[float, str, float]]] = {}
    for combo in engine.sub_combinations(chosen):
        results = [r[_project(chosen, combo, part)] for part, r in inputs]
        before = dict(zip(names, results[: len(names)], strict=True))
        after = dict(zip(names, results[len(names) :], strict=True))
        for key, value, text, base in _changes(before, after, engine.tables):  # type: ignore[arg-type]
            collected.setdefault(key, {})[combo] = (value, text, base)
    for key, rows in collected.items():
        # Each change over only the decisions its own inputs read.
        pair_rows[key] = _narrowed(engine, chosen, rows)

    # Themes: the two years' activities per theme and the crosswalk.
    counts_in = [per_year[("theme_counts", y)] for y in (baseline_year, compare_year)]
    theme_reads = engine.relevant({"themes": _THEME_ALL}, [])
    chosen = _union(engine.order, *(part for part, _ in counts_in), theme_reads)
    collected = {}
    memo: dict[tuple[object, ...], list[tuple[str, float, str, float]]] = {}
    for combo in engine.sub_combinations(chosen):
        before, after = (r[_project(chosen, combo, part)] for part, r in counts_in)
        themes_choice = _project(chosen, combo, theme_reads)
        key = (id(before), id(after), themes_choice)
        if key not in memo:
            memo[key] = _theme_labels(
                before,  # type: ignore[arg-type]
                after,  # type: ignore[arg-type]
                engine.coded(theme_reads, themes_choice),
                baseline_year,
                compare_year,
            )
        for headline, value, text, base in memo[key]:
            collected.setdefault(headline, {})[combo] = (value, text, base)
    for key, rows in collected.items():
        pair_rows[key] = (chosen, rows)

    # Lineage: the links between the two plans.
    chosen = engine.relevant({"lineage": _LINEAGE_READS}, [])
    collected = {}
    for combo in engine.sub_combinations(chosen):
        for headline, value, text, base in _lineage_rows(
            engine.coded(chosen, combo), baseline_year, compare_year
        ):
            collected.setdefault(headline, {})[combo] = (value, text, base)
    for key, rows in collected.items():
        pair_rows[key] = (chosen, rows)

    for key in sorted(pair_rows, key=HEADLINE_ORDER.__getitem__):
        add(key, pair, *pair_rows[key])
    return out


def _narrowed(
    engine: _Engine,
    chosen: Sequence[str],
    rows: Mapping[tuple[str, ...], tuple[float, str, float]],
) -> tuple[list[str], dict[tuple[str, ...], tuple[float, str, float]]]:
    """The decisions among ``chosen`` that move any of the rows, and the rows over them."""
    moving = []
    rounded = {combo: _rounded(row) for combo, row in rows.items()}  # once, not per decision
    for position, decision in enumerate(chosen):
        groups: dict[tuple[str, ...], set[tuple[object, ...]]] = {}
        for combo, row in rounded.items():
            rest = combo[:position] + combo[position + 1 :]
            groups.setdefault(rest, set()).add(row)
        if any(len(found) > 1 for found in groups.values()):
            moving.append(decision)
    out = {}
    for combo, row in rows.items():
        out.setdefault(_project(chosen, combo, moving), row)
    return moving, out


def _rounded(row: tuple[float, str, float]) -> tuple[object, ...]:
    return tuple(
        round(v, 12) if isinstance(v, float) and not math.isnan(v) else str(v) for v in row
    )


def _frame_of(cells: Sequence[Cell]) -> pd.DataFrame:
    """The headline rows of the all-primary coding of the cells."""
    rows = [
        {
            "headline": cell.headline,
            "plan": cell.plan,
            "kind": cell.kind,
            "value": float(cell.values[0]),
            "text": cell.texts[0],
            "base": float(cell.bases[0]),
        }
        for cell in cells
    ]
    return pd.DataFrame(rows, columns=["headline", "plan", "kind", "value", "text", "base"])


def headline_values(
    plans: pd.DataFrame,
    themes: pd.DataFrame,
    baseline_year: int,
    compare_year: int,
    *,
    funding_codes: pd.DataFrame | None = None,
    lineage: pd.DataFrame | None = None,
    theme_kinds: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every headline figure under one coding: headline, plan, kind, value, text, base.

    ``plan`` is the year, or "baseline→compare" for a change; ``value`` is the number (NaN
    for a label headline), ``text`` the named theme keys (";"-joined) of a label headline,
    ``base`` the N of "n of N" (NaN when none). The funding codes (kinds of resource) are
    the project's unless given; the carry-over headlines need the ``lineage``.
    """
    tables = _working_tables(plans, themes, funding_codes, lineage, theme_kinds)
    return _frame_of(_cells(tables, empty_alternatives(), baseline_year, compare_year))


def bundle_headline_values(
    bundle: DataBundle, baseline_year: int, compare_year: int
) -> pd.DataFrame:
    """``headline_values`` of a bundle (its funding codes, lineage and theme kinds)."""
    return _frame_of(
        _cells(bundle_tables(bundle), empty_alternatives(), baseline_year, compare_year)
    )


# --------------------------------------------------------------------------- multiverse


def cells(
    plans: pd.DataFrame,
    themes: pd.DataFrame,
    alternatives: pd.DataFrame,
    baseline_year: int,
    compare_year: int,
    *,
    funding_codes: pd.DataFrame | None = None,
    lineage: pd.DataFrame | None = None,
    theme_kinds: pd.DataFrame | None = None,
) -> tuple[Cell, ...]:
    """Every headline under every combination of the decisions that edit what it reads
    (compact: the multiverse without repeating a figure for decisions it does not read)."""
    tables = _working_tables(plans, themes, funding_codes, lineage, theme_kinds)
    return _cached_cells(tables, alternatives, baseline_year, compare_year)


def bundle_cells(bundle: DataBundle, baseline_year: int, compare_year: int) -> tuple[Cell, ...]:
    return _cached_cells(bundle_tables(bundle), bundle.alternatives, baseline_year, compare_year)


def _cached_cells(
    tables: Tables,
    alternatives: pd.DataFrame,
    baseline_year: int,
    compare_year: int,
    *,
    pending: bool = True,
) -> tuple[Cell, ...]:
    return _keyed_cells(tables, alternatives, baseline_year, compare_year, pending=pending)[1]


def _keyed_cells(
    tables: Tables,
    alternatives: pd.DataFrame,
    baseline_year: int,
    compare_year: int,
    *,
    pending: bool = True,
) -> tuple[str, tuple[Cell, ...]]:
    """The cells of these inputs and their content key (computed once: hashing the tables
    costs about as much as a warm look-up's everything else). With ``pending``, cells another
    process is computing (``remember_cells_later``) are waited for rather than computed."""
    key = _fingerprint(
        *(tables[name] for name in sorted(tables)), alternatives, baseline_year, compare_year
    )
    while pending and key not in _CELLS_CACHE and _PENDING:  # another process computes them
        remember_cells(_PENDING.pop(0)())
    found = _CELLS_CACHE.get(key)
    if found is None:
        found = tuple(_cells(tables, alternatives, baseline_year, compare_year))
        _remember(key, found)
    return key, found


def _remember(key: str, cells_: tuple[Cell, ...]) -> None:
    while len(_CELLS_CACHE) >= _CACHE_SIZE:
        _CELLS_CACHE.pop(next(iter(_CELLS_CACHE)))  # the oldest
    _CELLS_CACHE[key] = cells_


def computed_cells(
    bundle: DataBundle, comparisons: Sequence[tuple[int, int]]
) -> dict[str, tuple[Cell, ...]]:
    """The memoised cells of ``bundle`` for each (baseline, compare) year pair, by their
    content key: computed once by the build and handed to its kernels with the bundle
    (``notebook.handoff``), which :func:`remember_cells` them instead of computing them."""
    tables = bundle_tables(bundle)
    # never waiting for cells it computes itself
    return dict(
        _keyed_cells(tables, bundle.alternatives, *pair, pending=False) for pair in comparisons
    )


def remember_cells(computed: Mapping[str, tuple[Cell, ...]]) -> None:
    """Memoise cells another process computed (:func:`computed_cells`). Keyed by the content
    of their inputs, so they are used only for exactly those inputs."""
    for key, cells_ in computed.items():
        if key not in _CELLS_CACHE:
            _remember(key, cells_)


def remember_cells_later(source: Callable[[], Mapping[str, tuple[Cell, ...]]]) -> None:
    """Memoise cells another process is still computing: ``source()`` (which waits for them)
    is called on the first miss only, so a section that never needs the multiverse never
    waits for it (the build's kernels start while the build computes it)."""
    _PENDING.append(source)


def _universe(cells_: Sequence[Cell], alternatives: pd.DataFrame) -> pd.DataFrame:
    """The long multiverse of the cells: every combination (0 = all primary), one column per
    decision, then headline, plan, kind, value, text, base."""
    known = decisions(alternatives)
    names = list(known)
    sizes = [len(known[d]) for d in names]
    n = int(np.prod(sizes)) if sizes else 1
    index = np.indices(sizes).reshape(len(sizes), -1) if sizes else np.zeros((0, 1), int)
    position = {d: i for i, d in enumerate(names)}
    flat = []
    for cell in cells_:
        at = np.zeros(n, dtype=int)
        for decision, alternatives_ in zip(cell.decisions, cell.alternatives, strict=True):
            at = at * len(alternatives_) + index[position[decision]]
        flat.append(at)
    k = len(cells_)
    picks = np.stack(flat, axis=1) if flat else np.zeros((n, 0), int)  # (n, k)
    out = {"combination": np.repeat(np.arange(n), k)}
    for decision in names:
        labels = np.array(known[decision], dtype=object)
        out[decision] = np.repeat(labels[index[position[decision]]], k)
    out["headline"] = np.tile(np.array([c.headline for c in cells_], dtype=object), n)
    out["plan"] = np.tile(np.array([c.plan for c in cells_], dtype=object), n)
    out["kind"] = np.tile(np.array([c.kind for c in cells_], dtype=object), n)

    def spread(arrays: list[np.ndarray], dtype: object) -> np.ndarray:
        if not arrays:
            return np.array([], dtype=dtype)
        return np.stack([a[picks[:, i]] for i, a in enumerate(arrays)], axis=1).ravel()

    out["value"] = spread([c.values for c in cells_], float)
    out["text"] = spread([np.array(c.texts, dtype=object) for c in cells_], object)
    out["base"] = spread([c.bases for c in cells_], float)
    frame = pd.DataFrame(out)
    frame["combination"] = frame["combination"].astype("int64")
    return frame[["combination", *names, "headline", "plan", "kind", "value", "text", "base"]]


def multiverse(
    plans: pd.DataFrame,
    themes: pd.DataFrame,
    alternatives: pd.DataFrame,
    baseline_year: int,
    compare_year: int,
    *,
    funding_codes: pd.DataFrame | None = None,
    lineage: pd.DataFrame | None = None,
    theme_kinds: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every headline under every combination of alternatives (long, tidy).

    Columns: combination (0 = all primary), one column per decision (the alternative
    chosen), then headline, plan, kind, value, text, base. Each figure is computed once per
    combination of the decisions that edit what it reads, then repeated over the others.
    """
    found = cells(
        plans,
        themes,
        alternatives,
        baseline_year,
        compare_year,
        funding_codes=funding_codes,
        lineage=lineage,
        theme_kinds=theme_kinds,
    )
    return _universe(found, alternatives)


def bundle_multiverse(bundle: DataBundle, baseline_year: int, compare_year: int) -> pd.DataFrame:
    """``multiverse`` of a bundle: its plans, crosswalk, funding codes, lineage and codings."""
    return _universe(bundle_cells(bundle, baseline_year, compare_year), bundle.alternatives)


# The cells of the same inputs are asked for by the robustness section and the key findings
# of one kernel, and by the index and the brief of both languages in the build's process;
# they are computed once there. Keyed by the content of the inputs (a SHA-256 of every cell),
# never their identity, so edited data is recomputed; cells are frozen and their arrays
# never written; the few most recent inputs are kept.
_CELLS_CACHE: dict[str, tuple[Cell, ...]] = {}
_CACHE_SIZE = 4
# Sources of cells still being computed elsewhere (``remember_cells_later``), oldest first.
_PENDING: list[Callable[[], Mapping[str, tuple[Cell, ...]]]] = []


def _rows_by_year(frame: pd.DataFrame) -> dict[int, list[int]]:
    """Row positions of each plan year (the codings never change a row's year)."""
    years = frame["plan_year"].astype("int64").tolist()
    out: dict[int, list[int]] = {}
    for position, year in enumerate(years):
        out.setdefault(year, []).append(position)
    return out


def _fingerprint(*parts: object) -> str:
    """A content hash of frames and scalars (same data, same key; any edit, a new key).

    A frame is hashed as the JSON of its column names and each column's values (as Python
    objects, by ``repr``, so ``1``, ``1.0``, ``"1"``, ``None`` and ``nan`` differ): the whole
    content, with its boundaries, in a few milliseconds (pandas' per-column hashing took
    ~20 ms for a bundle, and the build asks several times)."""
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, pd.DataFrame):
            content = [
                [str(column) for column in part.columns],
                [[repr(value) for value in part.iloc[:, i].tolist()] for i in range(part.shape[1])],
            ]
            digest.update(json.dumps(content, ensure_ascii=False).encode())
        else:
            digest.update(repr(part).encode())
    return digest.hexdigest()


def _stated(
    kind: str, values: pd.Series, texts: pd.Series, bases: pd.Series | None = None
) -> pd.Series:
    """What a headline states under each coding: the value (with its base, for "n of N"),
    its direction, or the names."""
    if kind == KIND_CHANGE:
        return np.sign(values.round(9)).map(repr)
    if kind == KIND_LABEL:
        return texts.astype(str)
    stated = values.round(9).map(repr)
    if bases is not None:
        stated = stated + " of " + bases.round(9).map(repr)
    return stated


def robustness_table(universe: pd.DataFrame, decision_names: Sequence[str]) -> pd.DataFrame:
    """One row per headline and plan: primary value, min, max, holds_everywhere, depends_on.

    ``holds_everywhere``: the stated fact (value for a count, with its base when it is an
    "n of N", direction for a change, names for a label) is the same under every
    combination. ``depends_on``: the decisions (";"-joined, in file order) for which
    switching that decision alone, with the others at any alternative, changes the stated
    fact.
    """
    rows = []
    for (headline, plan), group in universe.groupby(["headline", "plan"], sort=False):
        kind = str(group["kind"].iloc[0])
        stated = _stated(kind, group["value"], group["text"], group["base"])
        primary = group[group["combination"] == 0].iloc[0]
        codes = {d: pd.factorize(group[d])[0] for d in decision_names}
        stated_codes = pd.factorize(stated)[0]
        depends = [
            decision
            for decision in decision_names
            if _varies_within(stated_codes, [codes[d] for d in decision_names if d != decision])
        ]
        texts = list(dict.fromkeys(group["text"].astype(str)))
        rows.append(
            {
                "headline": headline,
                "plan": plan,
                "kind": kind,
                "primary_value": float(primary["value"]),
                "min_value": float(group["value"].min()),
                "max_value": float(group["value"].max()),
                "primary_text": str(primary["text"]),
                "other_texts": ";".join(f"[{t}]" for t in texts if t != primary["text"]),
                "holds_everywhere": bool(stated.nunique() == 1),
                "depends_on": ";".join(depends),
                "n_codings": int(len(group)),
            }
        )
    return _ordered_table(rows)


def _varies_within(stated: np.ndarray, others: list[np.ndarray]) -> bool:
    """Whether some group of rows equal in every ``others`` column states more than one
    thing: ``frame.groupby(others)["stated"].nunique() > 1).any()`` on factorized codes
    (-1 for a missing value, which the groupby drops: as a key, and as a stated value).

    The reference table of the long multiverse calls this per headline and decision on
    ~18 000 rows each; pandas' groupby there cost seconds, this milliseconds."""
    keep = stated >= 0
    key = np.zeros(len(stated), dtype=np.int64)
    for column in others:
        keep &= column >= 0
        key = key * (int(column.max(initial=0)) + 1) + column
    key, stated = key[keep], stated[keep]
    pairs = key * (int(stated.max(initial=0)) + 1) + stated
    return bool(len(pd.unique(pairs)) > len(pd.unique(key)))


def _ordered_table(rows: list[dict[str, object]]) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    out["_order"] = out["headline"].map(HEADLINE_ORDER)
    return (
        out.sort_values(["_order", "plan"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def cells_table(cells_: Sequence[Cell], alternatives: pd.DataFrame) -> pd.DataFrame:
    """``robustness_table`` of the multiverse, computed from the compact cells (the same
    table, without spelling out the combinations a figure does not read)."""
    known = decisions(alternatives)
    n_codings = int(np.prod([len(a) for a in known.values()])) if known else 1
    rows = []
    for cell in cells_:
        stated = _stated(
            cell.kind, pd.Series(cell.values), pd.Series(cell.texts), pd.Series(cell.bases)
        ).to_numpy()
        shape = tuple(len(a) for a in cell.alternatives)
        grid = stated.astype(object).reshape(shape) if shape else stated.astype(object)
        depends = [
            decision
            for axis, decision in enumerate(cell.decisions)
            if bool(np.any(grid != np.take(grid, [0], axis=axis)))
        ]
        texts = list(dict.fromkeys(cell.texts))
        rows.append(
            {
                "headline": cell.headline,
                "plan": cell.plan,
                "kind": cell.kind,
                "primary_value": float(cell.values[0]),
                "min_value": float(np.min(cell.values)),
                "max_value": float(np.max(cell.values)),
                "primary_text": cell.texts[0],
                "other_texts": ";".join(f"[{t}]" for t in texts if t != cell.texts[0]),
                "holds_everywhere": bool(len(set(stated.tolist())) == 1),
                "depends_on": ";".join(d for d in known if d in depends),
                "n_codings": n_codings,
            }
        )
    return _ordered_table(rows)


def robustness(
    plans: pd.DataFrame,
    themes: pd.DataFrame,
    alternatives: pd.DataFrame,
    baseline_year: int,
    compare_year: int,
    *,
    funding_codes: pd.DataFrame | None = None,
    lineage: pd.DataFrame | None = None,
    theme_kinds: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The robustness table of every headline (``robustness_table`` of the multiverse)."""
    found = cells(
        plans,
        themes,
        alternatives,
        baseline_year,
        compare_year,
        funding_codes=funding_codes,
        lineage=lineage,
        theme_kinds=theme_kinds,
    )
    return cells_table(found, alternatives)


def bundle_robustness(bundle: DataBundle, baseline_year: int, compare_year: int) -> pd.DataFrame:
    """The robustness table of a bundle (plans, crosswalk, funding codes, lineage, codings)."""
    return cells_table(bundle_cells(bundle, baseline_year, compare_year), bundle.alternatives)


def value_by_alternative(
    universe: pd.DataFrame, alternatives: pd.DataFrame, headline: str, plan: str, decision: str
) -> dict[str, tuple[float, str]]:
    """(value, text) of a headline under each alternative of one decision, the others primary."""
    primary = primary_choice(alternatives)
    rows = universe[(universe["headline"] == headline) & (universe["plan"] == plan)]
    for other, alternative in primary.items():
        if other != decision:
            rows = rows[rows[other] == alternative]
    return {
        str(row[decision]): (float(row["value"]), str(row["text"])) for _, row in rows.iterrows()
    }


def cell_by_alternative(
    cell: Cell, alternatives: pd.DataFrame, decision: str
) -> dict[str, tuple[float, str, float]]:
    """(value, text, base) of one cell under each alternative of ``decision``, every other
    decision primary (``value_by_alternative`` without the long multiverse)."""
    known = decisions(alternatives)
    return {alternative: cell.at({decision: alternative}) for alternative in known[decision]}
