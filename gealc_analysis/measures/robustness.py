"""Does a headline survive every defensible coding? A multiverse over the contested decisions.

``alternative_codings.csv`` lists each contested decision and its alternatives (see
``alternatives``). Here they are applied to the plans and the crosswalk (pure functions: new
frames out), every combination is enumerated, and each headline figure of the report is
recomputed under each. A headline *holds everywhere* when its stated fact (a count, the
direction of a change, a named theme) is the same under every combination; otherwise
``depends_on`` names the decisions whose alternatives change it.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gealc_analysis.data import crosswalk_in_order, vocabulary
from gealc_analysis.data.alternatives import decisions, primary_choice
from gealc_analysis.words import i18n

IDB = "idb"
OAS = "oas"
WORKING_GROUP = "working_group"
_S1, _S2 = vocabulary.SEMESTERS
_TBD = vocabulary.TIMINGS[-1]

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
    """What the headlines need from one plan year, computed once."""

    n: int
    events: int
    sources: list[list[str]]
    timing: list[str]
    frequency: list[int]
    theme_counts: dict[str, int]
    instruments: list[str]


def _year_facts(plans: pd.DataFrame) -> dict[int, _Year]:
    """The facts of every plan year, in one pass over plain lists (the multiverse calls
    this hundreds of times)."""
    columns = {
        c: list(plans[c])
        for c in (
            "plan_year",
            "funding_sources",
            "timing",
            "frequency_per_year",
            "theme",
            "idb_instrument",
        )
    }
    facts: dict[int, _Year] = {}
    for i, year in enumerate(columns["plan_year"]):
        year = int(year)
        f = facts.setdefault(year, _Year(0, 0, [], [], [], {}, []))
        frequency = int(columns["frequency_per_year"][i])
        f.sources.append(sorted(set(vocabulary.split_funding(str(columns["funding_sources"][i])))))
        f.timing.append(str(columns["timing"][i]))
        f.frequency.append(frequency)
        theme = str(columns["theme"][i])
        f.theme_counts[theme] = f.theme_counts.get(theme, 0) + 1
        instrument = columns["idb_instrument"][i]
        if instrument is not None and not pd.isna(instrument) and str(instrument):
            f.instruments.append(str(instrument))
    return {
        year: _Year(
            len(f.timing),
            sum(f.frequency),
            f.sources,
            f.timing,
            f.frequency,
            f.theme_counts,
            f.instruments,
        )
        for year, f in sorted(facts.items())
    }


def _entropy(counts: Sequence[int]) -> float:
    total = sum(counts)
    shares = [c / total for c in counts if c > 0] if total else []
    return float(-sum(p * math.log(p) for p in shares)) + 0.0


def _theme_order(themes: pd.DataFrame) -> list[str]:
    """Theme keys in the canonical order (first met year by year, areas in natural order)."""
    ranked = sorted(
        zip(
            themes["plan_year"].astype(int),
            themes["area_code"].astype(str),
            themes["theme"].astype(str),
            strict=True,
        ),
        key=lambda row: (row[0], vocabulary.area_sort_key(row[1])),
    )
    return list(dict.fromkeys(theme for _, _, theme in ranked))


def _related_years(themes: pd.DataFrame) -> dict[tuple[int, str], set[int]]:
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


def theme_appearances(
    plans: pd.DataFrame, themes: pd.DataFrame, baseline_year: int, compare_year: int
) -> tuple[list[str], list[str]]:
    """(new, dropped) theme keys between two plans, by activities.

    New: activities in the comparison plan, none in the baseline, and the crosswalk records
    no predecessor area in the baseline year (a theme that takes over an area's line of work
    is not new). Dropped: the mirror image. Crosswalk order.
    """
    facts = _year_facts(plans)
    return _appearances(
        facts[baseline_year].theme_counts,
        facts[compare_year].theme_counts,
        _theme_order(themes),
        _related_years(themes),
        baseline_year,
        compare_year,
    )


def _appearances(
    before: dict[str, int],
    after: dict[str, int],
    order: list[str],
    related: dict[tuple[int, str], set[int]],
    baseline_year: int,
    compare_year: int,
) -> tuple[list[str], list[str]]:
    new = [
        t
        for t in order
        if after.get(t, 0)
        and not before.get(t, 0)
        and baseline_year not in related.get((compare_year, t), set())
    ]
    dropped = [
        t
        for t in order
        if before.get(t, 0)
        and not after.get(t, 0)
        and compare_year not in related.get((baseline_year, t), set())
    ]
    return new, dropped


def _extreme_change(
    before: dict[str, int], after: dict[str, int], order: list[str], sign: int
) -> tuple[float, str]:
    """The largest rise (sign +1) or fall (−1) of activities per theme; ties all named."""
    changes = {t: after.get(t, 0) - before.get(t, 0) for t in order}
    best = max((sign * c for c in changes.values()), default=0)
    if best <= 0:
        return 0.0, ""
    named = [t for t in order if sign * changes[t] == best]
    return float(sign * best), ";".join(named)


def headline_values(
    plans: pd.DataFrame, themes: pd.DataFrame, baseline_year: int, compare_year: int
) -> pd.DataFrame:
    """Every headline figure under one coding: headline, plan, kind, value, text, base.

    ``plan`` is the year, or "baseline→compare" for a change; ``value`` is the number (NaN
    for a label headline), ``text`` the named theme keys (";"-joined) of a label headline,
    ``base`` the count a share is taken of (NaN when not a share).
    """
    facts = _year_facts(plans)
    order = _theme_order(themes)
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

    per_year: dict[int, dict[str, float]] = {}
    for year, f in facts.items():
        other_cash = [set(s) & set(vocabulary.CASH_SOURCES) - {IDB} for s in f.sources]
        dated = [t for t in f.timing if t in (_S1, _S2)]
        counts = [f.theme_counts.get(t, 0) for t in order]
        entropy = _entropy(counts)
        present = sum(1 for c in counts if c)
        values = {
            "n_activities": f.n,
            "n_events": f.events,
            "idb_named": sum(IDB in s for s in f.sources),
            "idb_only_cash": sum(
                IDB in s and not o for s, o in zip(f.sources, other_cash, strict=True)
            ),
            "idb_only_resource": sum(s == [IDB] for s in f.sources),
            "idb_instrument_named": sum(i != "general" for i in f.instruments),
            "oas_named": sum(OAS in s for s in f.sources),
            "working_group_time_named": sum(WORKING_GROUP in s for s in f.sources),
            "s1_share_of_dated": dated.count(_S1) / len(dated) if dated else math.nan,
            "undated_events": sum(
                q for t, q in zip(f.timing, f.frequency, strict=True) if t == _TBD
            ),
            "effective_n_themes": math.exp(entropy),
            "evenness_present_themes": entropy / math.log(present) if present > 1 else math.nan,
        }
        per_year[year] = values
        bases = {"s1_share_of_dated": len(dated)}
        for key, value in values.items():
            add(key, str(year), value, base=bases.get(key, math.nan))

    if baseline_year != compare_year:
        pair = f"{baseline_year}→{compare_year}"
        before, after = per_year[baseline_year], per_year[compare_year]
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
        b_counts = facts[baseline_year].theme_counts
        c_counts = facts[compare_year].theme_counts
        value, text = _extreme_change(b_counts, c_counts, order, +1)
        add("largest_theme_rise", pair, value, text)
        value, text = _extreme_change(b_counts, c_counts, order, -1)
        add("largest_theme_fall", pair, value, text)
        new, dropped = _appearances(
            b_counts, c_counts, order, _related_years(themes), baseline_year, compare_year
        )
        add("themes_new", pair, len(new), ";".join(new))
        add("themes_dropped", pair, len(dropped), ";".join(dropped))
    out = pd.DataFrame(rows, columns=["headline", "plan", "kind", "value", "text", "base"])
    return out


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
    parts = []
    for number, combo in enumerate(combos):
        coded_plans, coded_themes = _applied(
            work_plans, work_themes, _edits_of(alternatives, combo)
        )
        values = headline_values(coded_plans, coded_themes, baseline_year, compare_year)
        parts.append(values.assign(combination=number, **combo))
    out = pd.concat(parts, ignore_index=True)
    names = list(decisions(alternatives))
    out = out[["combination", *names, "headline", "plan", "kind", "value", "text", "base"]]
    _MULTIVERSE_CACHE[key] = out
    return out.copy()


# The multiverse of the same inputs is asked for by several sections and by the brief within
# one process; it is computed once. Keyed by the content of the inputs, never their identity.
_MULTIVERSE_CACHE: dict[str, pd.DataFrame] = {}


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


# --------------------------------------------------------------------------- words


def decision_label(decision: str, lang: str) -> str:
    return i18n.label(f"robustness.decision.{decision}", lang)


def alternative_label(decision: str, alternative: str, lang: str) -> str:
    return i18n.label(f"robustness.alternative.{decision}.{alternative}", lang)


def reader_table(table: pd.DataFrame, labels: Mapping[str, str], lang: str) -> pd.DataFrame:
    """The robustness table in a reader's words: headline, plan, value, range, verdict.

    ``labels`` maps theme keys to names (``theme_labels``).
    """
    rows = []
    for row in table.itertuples(index=False):
        rows.append(
            {
                "headline": i18n.label(f"robustness.headline.{row.headline}", lang),
                "plan": row.plan,
                "primary": _shown(
                    row.kind, row.primary_value, row.primary_text, labels, lang, row.headline
                ),
                "range": _range(row, labels, lang),
                "holds": i18n.label("column.yes" if row.holds_everywhere else "column.no", lang),
                "depends_on": "; ".join(
                    decision_label(d, lang) for d in row.depends_on.split(";") if d
                ),
            }
        )
    out = pd.DataFrame(
        rows, columns=["headline", "plan", "primary", "range", "holds", "depends_on"]
    )
    return out.rename(columns={c: i18n.label(f"robustness.column.{c}", lang) for c in out})


def theme_labels(
    themes: pd.DataFrame, alternatives: pd.DataFrame | None, lang: str
) -> dict[str, str]:
    """Theme key → name in ``lang``, for the crosswalk's themes and for the themes only an
    alternative coding creates (their labels are in the alternatives file)."""
    column = f"theme_label_{i18n.check_lang(lang)}"
    rows = crosswalk_in_order(themes)
    labels = {str(t): str(label) for t, label in zip(rows["theme"], rows[column], strict=True)}
    if alternatives is None or alternatives.empty:
        return labels
    edits = alternatives[alternatives["table"] == "themes"]
    for _, group in edits.groupby(["decision", "alternative", "row_id"], sort=False):
        cells = dict(zip(group["column"], group["value"], strict=True))
        if "theme" in cells and column in cells:
            labels.setdefault(str(cells["theme"]), str(cells[column]))
    return labels


def _number(value: float, lang: str, headline: str = "", kind: str = KIND_COUNT) -> str:
    """A headline value as a reader reads it: shares as %, share changes in points, changes
    signed, counts whole, indices with two decimals."""
    if math.isnan(value):
        return "—"
    if headline.endswith("_share_change"):
        points = i18n.format_signed(value * 100, lang, 1)
        return f"{points} {i18n.label('unit.percentage_points', lang)}"
    if headline.startswith("s1_share"):
        return i18n.format_percent(value, lang, 1)
    decimals = 0 if float(value).is_integer() else 2
    if kind == KIND_CHANGE:
        return i18n.format_signed(value, lang, decimals)
    return i18n.format_number(value, lang, decimals)


def _names(text: str, labels: Mapping[str, str], lang: str) -> str:
    keys = [t for t in text.split(";") if t]
    if not keys:
        return i18n.label("narrative.none", lang)
    return "; ".join(labels.get(t, t) for t in keys)


def _shown(
    kind: str, value: float, text: str, labels: Mapping[str, str], lang: str, headline: str = ""
) -> str:
    if kind == KIND_LABEL:
        return _names(text, labels, lang)
    return _number(value, lang, headline, kind)


def _range(row: object, labels: Mapping[str, str], lang: str, sentence: bool = False) -> str:
    """ "low – high" of a number ("ranges from low to high" in a ``sentence``), or every set
    of names met, primary first."""
    if row.kind == KIND_LABEL:  # type: ignore[attr-defined]
        others = _other_texts(row)
        return " | ".join(
            [
                _names(row.primary_text, labels, lang),  # type: ignore
                *(_names(t, labels, lang) for t in others),
            ]
        )
    low, high = row.min_value, row.max_value  # type: ignore[attr-defined]
    shown = [_number(v, lang, row.headline, row.kind) for v in (low, high)]  # type: ignore
    if low == high:
        return shown[0]
    if not sentence:
        return f"{shown[0]} – {shown[1]}"
    return i18n.label("robustness.range", lang, low=shown[0], high=shown[1])


def _other_texts(row: object) -> list[str]:
    """The sets of names other codings give (``other_texts`` is "[a;b];[c]")."""
    cell = str(row.other_texts)  # type: ignore[attr-defined]
    return cell[1:-1].split("];[") if cell else []


def robustness_statements(table: pd.DataFrame, labels: Mapping[str, str], lang: str) -> str:
    """One Markdown bullet per headline and plan: its main value and whether it holds under
    every coding, or its range and the decisions it depends on."""
    lines = []
    for row in table.itertuples(index=False):
        fmt = {
            "headline": i18n.label(f"robustness.headline.{row.headline}", lang),
            "plan": row.plan,
            "value": _shown(
                row.kind, row.primary_value, row.primary_text, labels, lang, row.headline
            ),
            "range": _range(row, labels, lang, sentence=True),
            "n": row.n_codings,
            "decisions": "; ".join(decision_label(d, lang) for d in row.depends_on.split(";") if d),
        }
        if not row.holds_everywhere and row.kind == KIND_LABEL:
            key = "robustness.depends_label"
            fmt["range"] = " | ".join(_names(t, labels, lang) for t in _other_texts(row))
        elif not row.holds_everywhere:
            key = "robustness.depends"
        elif row.min_value != row.max_value and row.kind != KIND_LABEL:
            key = "robustness.holds_direction"
        else:
            key = "robustness.holds"
        lines.append("- " + i18n.label(key, lang, **fmt))
    return "\n".join(lines)


def decision_table(alternatives: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The contested decisions for a reader: the decision, its alternatives (main coding
    first) and the rows it touches (activity ids or crosswalk areas)."""
    rows = []
    for decision, alts in decisions(alternatives).items():
        touched = alternatives.loc[alternatives["decision"] == decision, "row_id"]
        rows.append(
            {
                "decision": decision_label(decision, lang),
                "alternatives": " | ".join(alternative_label(decision, a, lang) for a in alts),
                "rows": ", ".join(dict.fromkeys(str(r) for r in touched)),
            }
        )
    out = pd.DataFrame(rows, columns=["decision", "alternatives", "rows"])
    return out.rename(columns={c: i18n.label(f"robustness.column.{c}", lang) for c in out})


def summary(table: pd.DataFrame, lang: str) -> str:
    """The section's headline: how many figures hold everywhere, and on what the rest hang."""
    depends = [d for cell in table["depends_on"] for d in str(cell).split(";") if d]
    return i18n.label(
        "robustness.summary",
        lang,
        n_hold=int(table["holds_everywhere"].sum()),
        n_total=len(table),
        n_codings=int(table["n_codings"].max()) if len(table) else 1,
        decisions="; ".join(decision_label(d, lang) for d in dict.fromkeys(depends))
        or i18n.label("narrative.none", lang),
    )
