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
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gealc_analysis.data import vocabulary
from gealc_analysis.data.alternatives import decisions, primary_choice
from gealc_analysis.measures import counts, diversity, funding, timing
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
HEADLINES: tuple[tuple[str, str, bool], ...] = (
    ("n_activities", KIND_COUNT, True),
    ("n_activities_change", KIND_CHANGE, False),
    ("n_events", KIND_COUNT, True),
    ("n_events_change", KIND_CHANGE, False),
    ("idb_named", KIND_COUNT, True),
    ("idb_only_cash", KIND_COUNT, True),
    ("idb_only_resource", KIND_COUNT, True),
    ("idb_only_cash_share_change", KIND_CHANGE, False),
    ("idb_only_resource_share_change", KIND_CHANGE, False),
    ("idb_instrument_named", KIND_COUNT, True),
    ("oas_named", KIND_COUNT, True),
    ("working_group_time_named", KIND_COUNT, True),
    ("largest_theme_rise", KIND_LABEL, False),
    ("largest_theme_fall", KIND_LABEL, False),
    ("themes_new", KIND_LABEL, False),
    ("themes_dropped", KIND_LABEL, False),
    ("s1_share_of_dated", KIND_COUNT, True),
    ("undated_events", KIND_COUNT, True),
    ("effective_n_themes", KIND_COUNT, True),
    ("evenness_present_themes", KIND_COUNT, True),
    ("effective_n_themes_change", KIND_CHANGE, False),
)
HEADLINE_KIND: dict[str, str] = {key: kind for key, kind, _ in HEADLINES}
HEADLINE_ORDER: dict[str, int] = {key: i for i, (key, _, _) in enumerate(HEADLINES)}


# --------------------------------------------------------------------------- applying


def _working_copy(plans: pd.DataFrame, themes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Plain-text code columns (categoricals cannot take a new theme key), ints kept."""
    plans = plans.copy()
    for column in ("theme", "activity_type", "timing", "funding_sources", "activity_id"):
        plans[column] = plans[column].astype(str)
    plans["idb_instrument"] = (
        plans["idb_instrument"].astype(object).where(plans["idb_instrument"].notna(), None)
    )
    themes = themes.copy()
    for column in ("theme", "relation", "related_areas", "area_code"):
        themes[column] = themes[column].astype(object).where(themes[column].notna(), "")
        themes[column] = themes[column].astype(str)
    return plans, themes


def apply_alternatives(
    plans: pd.DataFrame,
    themes: pd.DataFrame,
    alternatives: pd.DataFrame,
    choice: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plans and crosswalk as they read under ``choice`` (decision → alternative).

    Decisions left out keep their primary alternative; ``choice=None`` (or the primary of
    every decision) reproduces the curated data. New frames are returned; the inputs are
    untouched. Code columns come back as plain text (analysis functions accept both).
    """
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
    work_plans, work_themes = _working_copy(plans, themes)
    return _applied(work_plans, work_themes, _edits_of(alternatives, wanted))


def _edits_of(alternatives: pd.DataFrame, wanted: Mapping[str, str]) -> list[tuple[str, ...]]:
    """(table, row_id, column, value) of every cell the chosen alternatives set."""
    return [
        (str(e.table), str(e.row_id), str(e.column), str(e.value))
        for e in alternatives.itertuples(index=False)
        if wanted.get(str(e.decision)) == e.alternative
    ]


def _applied(
    plans: pd.DataFrame, themes: pd.DataFrame, edits: Sequence[tuple[str, ...]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Copies of the working frames with each listed cell set (column by column: fast)."""
    out = {"plan": plans.copy(), "themes": themes.copy()}
    ids = {
        "plan": list(plans["activity_id"]),
        "themes": list(themes["plan_year"].astype(str) + ":" + themes["area_code"]),
    }
    position = {table: {rid: i for i, rid in enumerate(rows)} for table, rows in ids.items()}
    columns: dict[tuple[str, str], list[object]] = {}
    for table, row_id, column, value in edits:
        where = position[table].get(row_id)
        if where is None:
            continue  # a plan year not loaded in this run
        cells = columns.setdefault((table, column), list(out[table][column]))
        cells[where] = _typed(column, value)
    for (table, column), cells in columns.items():
        dtype = "int64" if column == "frequency_per_year" else object
        out[table][column] = pd.Series(cells, index=out[table].index, dtype=dtype)
    return out["plan"], out["themes"]


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


@dataclass(frozen=True)
class _Year:
    """The headlines of one plan year (values and bases) and its activities per theme."""

    values: dict[str, float]
    bases: dict[str, float]
    theme_counts: pd.DataFrame


Values = dict[str, float]


def _overview(plans: pd.DataFrame, themes: pd.DataFrame) -> tuple[Values, Values]:
    overview = counts.plan_overview(plans).iloc[0]
    values = {key: float(overview[key]) for key in ("n_activities", "n_events")}
    return values, {}


def _sources(plans: pd.DataFrame, themes: pd.DataFrame) -> tuple[Values, Values]:
    named = funding.source_counts(plans, (IDB, OAS, WORKING_GROUP)).set_index("source")
    values = {
        "idb_named": float(named.at[IDB, "named"]),
        "idb_only_cash": float(named.at[IDB, "only_cash"]),
        "idb_only_resource": float(named.at[IDB, "only_resource"]),
        "oas_named": float(named.at[OAS, "named"]),
        "working_group_time_named": float(named.at[WORKING_GROUP, "named"]),
    }
    return values, {}


def _instruments(plans: pd.DataFrame, themes: pd.DataFrame) -> tuple[Values, Values]:
    mix = funding.instrument_mix(plans, IDB)
    stated = mix["instrument"] != funding.NOT_STATED
    return {"idb_instrument_named": float(mix.loc[stated, "n_activities"].sum())}, {}


def _dated(plans: pd.DataFrame, themes: pd.DataFrame) -> tuple[Values, Values]:
    dated = timing.semester_split_dated(plans).set_index("timing")
    base = {"s1_share_of_dated": float(dated.at[_S1, "n_dated"])}
    return {"s1_share_of_dated": float(dated.at[_S1, "share_of_dated"])}, base


def _undated(plans: pd.DataFrame, themes: pd.DataFrame) -> tuple[Values, Values]:
    events = timing.semester_event_load(plans).set_index("timing")
    return {"undated_events": float(events.at[timing.TBD, "n_events"])}, {}


def _evenness(plans: pd.DataFrame, themes: pd.DataFrame) -> tuple[Values, Values]:
    evenness = diversity.agenda_evenness(plans, themes).iloc[0]
    values = {
        "effective_n_themes": float(evenness["effective_n_themes"]),
        "evenness_present_themes": float(evenness["evenness_present"]),
    }
    return values, {}


_THEME_COLUMNS = ("area_code", "theme", *theme_measures.THEME_NAME_COLUMNS)
# The per-plan headlines, each from the measure the report shows, with what
# it reads: (plan columns of one year's rows, crosswalk columns). The multiverse computes each
# once per distinct content of what it reads (a coding that changes only the 2024 funding
# leaves the 2020 figures and every theme figure as they are); ``test_robustness`` checks the
# result equals ``headline_values`` recomputed from scratch on the codings' frames.
_PER_PLAN: tuple[
    tuple[Callable[..., tuple[Values, Values]], tuple[str, ...], tuple[str, ...]], ...
] = (
    (_overview, ("area_code", "theme", "frequency_per_year", "funding_sources"), ()),
    (_sources, ("funding_sources",), ()),
    (_instruments, ("funding_sources", "idb_instrument"), ()),
    (_dated, ("timing", "frequency_per_year"), ()),
    (_undated, ("timing", "frequency_per_year"), ()),
    (_evenness, ("theme", "frequency_per_year"), _THEME_COLUMNS),
)
_THEME_COUNTS_READS = (("theme", "frequency_per_year"), _THEME_COLUMNS)

Computed = Callable[[Callable[..., object], tuple[str, ...], tuple[str, ...]], object]


def _year_headlines(compute: Computed) -> _Year:
    """The per-plan headlines of one year; ``compute(function, plan_reads, theme_reads)``
    runs ``function(plan rows of the year, crosswalk)``."""
    values: Values = {}
    bases: Values = {}
    for function, plan_reads, theme_reads in _PER_PLAN:
        more, more_bases = compute(function, plan_reads, theme_reads)  # type: ignore[misc]
        values.update(more)
        bases.update(more_bases)
    theme_counts = compute(theme_measures.count_by_theme, *_THEME_COUNTS_READS)
    in_order = dict(sorted(values.items(), key=lambda item: HEADLINE_ORDER[item[0]]))
    return _Year(in_order, bases, theme_counts)  # type: ignore[arg-type]


def _of_year(plans: pd.DataFrame, themes: pd.DataFrame, year: int) -> _Year:
    """The per-plan headlines of one year, computed directly."""
    mine = plans[plans["plan_year"].astype("int64") == year]
    return _year_headlines(lambda function, *_: function(mine, themes))


def headline_values(
    plans: pd.DataFrame, themes: pd.DataFrame, baseline_year: int, compare_year: int
) -> pd.DataFrame:
    """Every headline figure under one coding: headline, plan, kind, value, text, base.

    ``plan`` is the year, or "baseline→compare" for a change; ``value`` is the number (NaN
    for a label headline), ``text`` the named theme keys (";"-joined) of a label headline,
    ``base`` the count a share is taken of (NaN when not a share).
    """
    return _headline_rows(
        plans,
        themes,
        baseline_year,
        compare_year,
        lambda year: _of_year(plans, themes, year),
        theme_measures.theme_change,
    )


def _headline_rows(
    plans: pd.DataFrame,
    themes: pd.DataFrame,
    baseline_year: int,
    compare_year: int,
    of_year: Callable[[int], _Year],
    theme_change: Callable[[pd.DataFrame, pd.DataFrame, int, int], pd.DataFrame],
) -> pd.DataFrame:
    """``headline_values`` with each year's headlines from ``of_year`` (the multiverse
    reuses a year's headlines across the codings that leave that year unchanged)."""
    rows: list[dict[str, object]] = []

    def add(key: str, plan: str, value: float, text: str = "", base: float = math.nan) -> None:
        rows.append(
            {
                "headline": key,
                "plan": plan,
                "kind": HEADLINE_KIND[key],
                "value": float(value),
                "text": text,
                "base": float(base),
            }
        )

    years = {year: of_year(year) for year in sorted(int(y) for y in plans["plan_year"].unique())}
    for year, facts in years.items():
        for key, value in facts.values.items():
            add(key, str(year), value, base=facts.bases.get(key, math.nan))

    if baseline_year != compare_year:
        pair = f"{baseline_year}→{compare_year}"
        before, after = years[baseline_year].values, years[compare_year].values
        add(
            "n_activities_change",
            pair,
            after["n_activities"] - before["n_activities"],
            base=before["n_activities"],
        )
        add(
            "n_events_change", pair, after["n_events"] - before["n_events"], base=before["n_events"]
        )
        for key in ("idb_only_cash", "idb_only_resource"):
            share = after[key] / after["n_activities"] - before[key] / before["n_activities"]
            add(f"{key}_share_change", pair, share)
        add(
            "effective_n_themes_change",
            pair,
            after["effective_n_themes"] - before["effective_n_themes"],
        )
        theme_counts = pd.concat(
            [years[baseline_year].theme_counts, years[compare_year].theme_counts],
            ignore_index=True,
        )
        change = theme_change(theme_counts, themes, baseline_year, compare_year)
        value, named = theme_measures.largest_change(change, +1)
        add("largest_theme_rise", pair, value, ";".join(named))
        value, named = theme_measures.largest_change(change, -1)
        add("largest_theme_fall", pair, value, ";".join(named))
        new, dropped = theme_measures.theme_appearances(change, themes, baseline_year, compare_year)
        add("themes_new", pair, len(new), ";".join(new))
        add("themes_dropped", pair, len(dropped), ";".join(dropped))
    return pd.DataFrame(rows, columns=["headline", "plan", "kind", "value", "text", "base"])


# --------------------------------------------------------------------------- multiverse


def multiverse(
    plans: pd.DataFrame,
    themes: pd.DataFrame,
    alternatives: pd.DataFrame,
    baseline_year: int,
    compare_year: int,
) -> pd.DataFrame:
    """Every headline under every combination of alternatives (long, tidy).

    Columns: combination (0 = all primary), one column per decision (the alternative
    chosen), then headline, plan, kind, value, text, base.
    """
    key = _fingerprint(plans, themes, alternatives, baseline_year, compare_year)
    if key in _MULTIVERSE_CACHE:
        return _MULTIVERSE_CACHE[key].copy()
    combos = combinations(alternatives) or [{}]
    work_plans, work_themes = _working_copy(plans, themes)
    memo: dict[tuple[object, ...], object] = {}
    plan_rows = _rows_by_year(work_plans)

    plan_reads = {c for _, reads, _ in _PER_PLAN for c in reads} | set(_THEME_COUNTS_READS[0])
    theme_reads = {c for _, _, reads in _PER_PLAN for c in reads} | set(_THEME_COUNTS_READS[1])

    def of_year(year: int, plans: pd.DataFrame, themes: pd.DataFrame) -> _Year:
        mine = plan_rows.get(year, [])
        plan_cells = {c: plans[c].tolist() for c in plan_reads}
        theme_cells = {c: tuple(themes[c].tolist()) for c in theme_reads}

        def compute(function, plan_columns, theme_columns):  # noqa: ANN001, ANN202
            # Each per-plan measure once per content of what it reads.
            key = (function.__name__, year)
            key += tuple(tuple(plan_cells[c][i] for i in mine) for c in plan_columns)
            key += tuple(theme_cells[c] for c in theme_columns)
            if key not in memo:
                memo[key] = function(plans.iloc[mine], themes)
            return memo[key]

        return _year_headlines(compute)

    def theme_change(counted: pd.DataFrame, themes: pd.DataFrame, low: int, high: int):
        key = ("change", _content(counted, ("plan_year", "theme", "n_activities")))
        key += (_content(themes, ("plan_year", "area_code", "theme")), low, high)
        if key not in memo:
            memo[key] = theme_measures.theme_change(counted, themes, low, high)
        return memo[key]

    parts = []
    for number, combo in enumerate(combos):
        coded_plans, coded_themes = _applied(
            work_plans, work_themes, _edits_of(alternatives, combo)
        )
        values = _headline_rows(
            coded_plans,
            coded_themes,
            baseline_year,
            compare_year,
            lambda year, p=coded_plans, t=coded_themes: of_year(year, p, t),
            theme_change,
        )
        parts.append(values.assign(combination=number, **combo))
    out = pd.concat(parts, ignore_index=True)
    names = list(decisions(alternatives))
    out = out[["combination", *names, "headline", "plan", "kind", "value", "text", "base"]]
    while len(_MULTIVERSE_CACHE) >= _MULTIVERSE_CACHE_SIZE:
        _MULTIVERSE_CACHE.pop(next(iter(_MULTIVERSE_CACHE)))  # the oldest
    _MULTIVERSE_CACHE[key] = out
    return out.copy()


# The multiverse of the same inputs is asked for by the robustness section and the key
# findings of one kernel, and by the index and the brief of both languages in the build's
# process; it is computed once there. Keyed by the content of the inputs (a SHA-256 of every
# cell), never their identity, so edited data is recomputed; results are copied out, so no
# caller can change a cached frame; the few most recent inputs are kept.
_MULTIVERSE_CACHE: dict[str, pd.DataFrame] = {}
_MULTIVERSE_CACHE_SIZE = 4


def _content(
    frame: pd.DataFrame, columns: Sequence[str], rows: Sequence[int] | None = None
) -> tuple[tuple[object, ...], ...]:
    """The values of some columns (of some row positions) of a frame, hashable: a memo key
    of the multiverse."""
    if rows is None:
        return tuple(tuple(frame[column].tolist()) for column in columns)
    return tuple(tuple(frame[column].iloc[list(rows)].tolist()) for column in columns)


def _rows_by_year(frame: pd.DataFrame) -> dict[int, list[int]]:
    """Row positions of each plan year (the codings never change a row's year)."""
    years = frame["plan_year"].astype("int64").tolist()
    out: dict[int, list[int]] = {}
    for position, year in enumerate(years):
        out.setdefault(year, []).append(position)
    return out


def _fingerprint(*parts: object) -> str:
    """A content hash of frames and scalars (same data, same key; any edit, a new key)."""
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, pd.DataFrame):
            text = part.astype(str)
            digest.update(",".join(map(str, text.columns)).encode())
            digest.update(pd.util.hash_pandas_object(text, index=False).to_numpy().tobytes())
        else:
            digest.update(repr(part).encode())
    return digest.hexdigest()


def _stated(kind: str, values: pd.Series, texts: pd.Series) -> pd.Series:
    """What a headline states under each coding: the value, its direction, or the names."""
    if kind == KIND_CHANGE:
        return np.sign(values.round(9)).astype(int).astype(str)
    if kind == KIND_LABEL:
        return texts.astype(str)
    return values.round(9).astype(str)


def robustness_table(universe: pd.DataFrame, decision_names: Sequence[str]) -> pd.DataFrame:
    """One row per headline and plan: primary value, min, max, holds_everywhere, depends_on.

    ``holds_everywhere``: the stated fact (value for a count, direction for a change, names
    for a label) is the same under every combination. ``depends_on``: the decisions (";"-
    joined, in file order) for which switching that decision alone, with the others at any
    alternative, changes the stated fact.
    """
    rows = []
    for (headline, plan), group in universe.groupby(["headline", "plan"], sort=False):
        kind = str(group["kind"].iloc[0])
        stated = _stated(kind, group["value"], group["text"])
        primary = group[group["combination"] == 0].iloc[0]
        depends = []
        for decision in decision_names:
            others = [d for d in decision_names if d != decision]
            frame = group.assign(_stated=stated.to_numpy())
            varies = (
                (frame.groupby(others, sort=False)["_stated"].nunique() > 1).any()
                if others
                else frame["_stated"].nunique() > 1
            )
            if varies:
                depends.append(decision)
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
    out = pd.DataFrame(rows)
    out["_order"] = out["headline"].map(HEADLINE_ORDER)
    return (
        out.sort_values(["_order", "plan"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def robustness(
    plans: pd.DataFrame,
    themes: pd.DataFrame,
    alternatives: pd.DataFrame,
    baseline_year: int,
    compare_year: int,
) -> pd.DataFrame:
    """The robustness table of every headline (``robustness_table`` of the multiverse)."""
    universe = multiverse(plans, themes, alternatives, baseline_year, compare_year)
    return robustness_table(universe, list(decisions(alternatives)))


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
