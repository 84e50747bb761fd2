"""Pure analysis functions: tidy plans (and themes) in, a new tidy DataFrame out.

The column contract of every function is in ``CONTRACTS.md``. All functions are generic in
the number of plan years (years come from the data, sorted ascending), zero-fill the
categories of ``codes.py`` so every year has the same rows (charts and year comparisons
need aligned rows), and accept categorical or plain ``str`` columns alike.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from gealc_analysis.data import crosswalk_in_order
from gealc_analysis.data.vocabulary import (
    ACTIVITY_TYPES,
    CASH_SOURCES,
    FUNDING_MEASURES,
    FUNDING_SOURCES,
    IDB_INSTRUMENTS,
    RESOURCE_KINDS,
    SEMESTERS,
    THEME_RELATIONS,
    TIMINGS,
    VENUE_MODES,
    area_sort_key,
    split_funding,
)
from gealc_analysis.words.i18n import SUPPORTED_LANGS, label

# The timings after the semesters are, in codes.py order, "all year" and "not scheduled";
# unpacking fails loudly at import if that vocabulary changes shape.
_YEAR_ROUND, _TBD = TIMINGS[len(SEMESTERS) :]
_EVENT_TIMINGS: tuple[str, ...] = (*SEMESTERS, _TBD)

_IDB = "idb"

_CONTINUED, _RENAMED, _MERGED, _SPLIT, _NEW, _RETIRED = THEME_RELATIONS


# --------------------------------------------------------------------------- helpers


def _natural_rank(codes: pd.Series) -> pd.Series:
    """Integer rank of each code in natural order, usable as a ``sort_values`` key."""
    ordered = sorted(set(codes.astype(str)), key=area_sort_key)
    rank = {code: position for position, code in enumerate(ordered)}
    return codes.astype(str).map(rank)


def _vocabulary_rank(values: pd.Series, vocabulary: Sequence[str]) -> pd.Series:
    """Position of each value in its vocabulary, so rows sort in the codebook's order."""
    rank = {code: position for position, code in enumerate(vocabulary)}
    return values.astype(str).map(rank)


def _as_str(values: pd.Series) -> pd.Series:
    """Plain ``str`` values from a categorical or text column, keeping missing as NaN."""
    return values.astype(str).where(values.notna())


def _years(frame: pd.DataFrame) -> list[int]:
    """Plan years present in the data, ascending: never assume which or how many."""
    return sorted(int(year) for year in frame["plan_year"].unique())


def _require_years(present: Iterable[int], wanted: Iterable[int], what: str) -> None:
    """Fail with the available years named, instead of returning an empty comparison."""
    available = sorted({int(year) for year in present})
    for year in wanted:
        if int(year) not in available:
            listed = ", ".join(str(y) for y in available) or "none"
            raise ValueError(f"year {year} is not in {what} (years present: {listed})")


def _share(values: pd.Series, totals: pd.Series) -> pd.Series:
    """values / totals as floats, 0 where the total is 0 (an empty year has no shares)."""
    values = values.astype(float)
    totals = totals.astype(float)
    return (values / totals.where(totals != 0)).fillna(0.0)


def _tally(
    frame: pd.DataFrame,
    key: str,
    vocabulary: Sequence[str],
    years: Sequence[int],
    *,
    weight: str | None = None,
    value_name: str = "n_activities",
    totals: pd.Series | None = None,
    share_name: str = "share",
) -> pd.DataFrame:
    """Count rows (or sum ``weight``) per (year, category), zero-filled over the vocabulary.

    Every mix/load table is this one operation; zero-filling makes every year carry the
    same rows so years line up. ``share`` divides by ``totals`` (indexed by year) when
    given, else by the year's total of the value. Unknown codes raise instead of being
    silently dropped from the denominators.
    """
    keys = _as_str(frame[key])
    unknown = sorted(set(keys.dropna()) - set(vocabulary))
    if unknown:
        raise ValueError(f"{key} has values outside its vocabulary: {unknown}")
    grouping = pd.DataFrame(
        {
            "plan_year": frame["plan_year"].astype("int64").to_numpy(),
            key: keys.to_numpy(),
            "_value": frame[weight].to_numpy() if weight else np.ones(len(frame), "int64"),
        }
    ).dropna(subset=[key])
    summed = grouping.groupby(["plan_year", key])["_value"].sum()
    full = pd.MultiIndex.from_product([list(years), list(vocabulary)], names=["plan_year", key])
    out = summed.reindex(full, fill_value=0).rename(value_name).reset_index()
    out["plan_year"] = out["plan_year"].astype("int64")
    out[key] = out[key].astype(str)
    if weight is None:
        out[value_name] = out[value_name].astype("int64")
    year_totals = totals if totals is not None else out.groupby("plan_year")[value_name].sum()
    out[share_name] = _share(out[value_name], out["plan_year"].map(year_totals).fillna(0))
    return out


def _activities_per_year(plans: pd.DataFrame) -> pd.Series:
    """Number of activities per year: the denominator of every activity share."""
    return plans.groupby(plans["plan_year"].astype("int64")).size()


def _funding_lists(plans: pd.DataFrame) -> pd.Series:
    """Each activity's distinct funding codes (a cell is never trusted to be deduplicated)."""
    return (
        plans["funding_sources"]
        .fillna("")
        .astype(str)
        .map(lambda cell: sorted(set(split_funding(cell))))
    )


def _is_idb_funded(plans: pd.DataFrame) -> pd.Series:
    """True where IDB is one of the activity's funders."""
    return _funding_lists(plans).map(lambda codes: _IDB in codes).astype(bool)


def _theme_table(themes: pd.DataFrame) -> pd.DataFrame:
    """One row per theme key, in canonical order, with its current EN/ES labels.

    Order = first appearance when the crosswalk is read year by year in natural area order,
    so themes follow the plans' own structure; labels come from the latest year that has
    the theme, the most current wording.
    """
    rows = crosswalk_in_order(themes).assign(theme=lambda t: t["theme"].astype(str))
    order = list(dict.fromkeys(rows["theme"]))
    labels = rows.drop_duplicates("theme", keep="last").set_index("theme")
    table = pd.DataFrame({"theme": order})
    for column in ("theme_label_en", "theme_label_es"):
        table[column] = table["theme"].map(labels[column].fillna("").astype(str)).astype(str)
    return table


# --------------------------------------------------------------------------- counts


def count_by_area(plans: pd.DataFrame) -> pd.DataFrame:
    """Activities and events per printed area of each plan.

    Not zero-filled across years: an area code names a different area in each plan, so
    only the areas a plan prints are rows (the theme column links them across years).
    """
    frame = pd.DataFrame(
        {
            "plan_year": plans["plan_year"].astype("int64"),
            "area_code": plans["area_code"].astype(str),
            "area_name": plans["area_name"].fillna("").astype(str),
            "theme": plans["theme"].astype(str),
            "frequency_per_year": plans["frequency_per_year"].astype("int64"),
        }
    )
    out = (
        frame.groupby(["plan_year", "area_code"], sort=False)
        .agg(
            area_name=("area_name", "first"),
            theme=("theme", "first"),
            n_activities=("area_code", "size"),
            n_events=("frequency_per_year", "sum"),
        )
        .reset_index()
    )
    out = out.sort_values(
        ["plan_year", "area_code"],
        key=lambda col: _natural_rank(col) if col.name == "area_code" else col,
    ).reset_index(drop=True)
    return out.astype({"n_activities": "int64", "n_events": "int64"})


def count_by_theme(plans: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """Activities, events and activity share per harmonised theme, every crosswalk theme
    in every year (a theme absent from a plan is a 0 row, which is the finding)."""
    table = _theme_table(themes)
    vocabulary = list(table["theme"])
    years = _years(plans)
    activities = _tally(plans, "theme", vocabulary, years)
    events = _tally(
        plans, "theme", vocabulary, years, weight="frequency_per_year", value_name="n_events"
    )
    out = activities.merge(events[["plan_year", "theme", "n_events"]], on=["plan_year", "theme"])
    out = out.merge(table, on="theme", how="left")
    out["n_events"] = out["n_events"].astype("int64")
    columns = [
        "plan_year",
        "theme",
        "theme_label_en",
        "theme_label_es",
        "n_activities",
        "n_events",
        "share",
    ]
    return out[columns].reset_index(drop=True)


def compare_years(
    counts: pd.DataFrame,
    baseline_year: int,
    compare_year: int,
    by: str = "theme",
    value: str = "n_activities",
) -> pd.DataFrame:
    """Side-by-side value of two years per key, with absolute and relative change.

    Keys missing in one year count as 0 (an area a plan does not print has no activities).
    ``pct_change`` is a fraction (0.5 = +50 %), NaN when the baseline is 0 because growth
    from nothing has no meaningful ratio. Label columns that are constant per key are
    carried so the result can be charted without a join.
    """
    _require_years(counts["plan_year"], (baseline_year, compare_year), "counts")
    missing = [column for column in (by, value) if column not in counts.columns]
    if missing:
        raise ValueError(f"counts has no column(s) {missing}")
    years = counts["plan_year"].astype("int64")
    subset = counts[years.isin([baseline_year, compare_year])].copy()
    subset[by] = subset[by].astype(str)
    if subset.duplicated(["plan_year", by]).any():
        raise ValueError(f"counts has several rows per (plan_year, {by}); aggregate first")

    keys = list(dict.fromkeys(subset[by]))
    if by == "area_code":
        keys = sorted(keys, key=area_sort_key)

    def values_of(year: int) -> pd.Series:
        rows = subset[subset["plan_year"].astype("int64") == year]
        return rows.set_index(by)[value].reindex(keys, fill_value=0)

    baseline = values_of(baseline_year)
    compare = values_of(compare_year)
    out = pd.DataFrame({by: pd.Series(keys, dtype=str)})
    label_columns = [
        column
        for column in subset.columns
        if column not in {"plan_year", by, value}
        and not pd.api.types.is_numeric_dtype(subset[column])
        and bool((subset.groupby(by)[column].nunique(dropna=False) <= 1).all())
    ]
    for column in label_columns:
        labels = subset.drop_duplicates(by).set_index(by)[column]
        out[column] = out[by].map(labels).astype(str)
    out["baseline_year"] = np.int64(baseline_year)
    out["compare_year"] = np.int64(compare_year)
    out["baseline_value"] = baseline.to_numpy()
    out["compare_value"] = compare.to_numpy()
    out["change"] = out["compare_value"] - out["baseline_value"]
    base = out["baseline_value"].astype(float)
    out["pct_change"] = out["change"].astype(float) / base.where(base != 0)
    return out.astype({"baseline_year": "int64", "compare_year": "int64"})


# --------------------------------------------------------------------------- funding


def funding_dependence(plans: pd.DataFrame) -> pd.DataFrame:
    """How much of each year's agenda each funder carries, under three measures.

    any_touch counts activities naming the source (overlapping: co-funding counts for
    each funder); fractional splits an activity with k funders 1/k each (shares sum to 1
    per year); sole_source counts activities the source funds alone (true dependence).
    """
    lists = _funding_lists(plans)
    long = (
        pd.DataFrame(
            {
                "plan_year": plans["plan_year"].astype("int64").to_numpy(),
                "codes": lists.to_numpy(),
                "k": lists.map(len).to_numpy(),
            }
        )
        .explode("codes")
        .dropna(subset=["codes"])
    )
    long = long.rename(columns={"codes": "source"})
    long["any_touch"] = 1.0
    long["fractional"] = 1.0 / long["k"].astype(float)
    long["sole_source"] = (long["k"] == 1).astype(float)
    years = _years(plans)
    totals = _activities_per_year(plans)
    parts = [
        _tally(
            long,
            "source",
            FUNDING_SOURCES,
            years,
            weight=measure,
            value_name="value",
            totals=totals,
        ).assign(measure=measure)
        for measure in FUNDING_MEASURES
    ]
    out = pd.concat(parts, ignore_index=True)
    out["value"] = out["value"].astype(float)
    out["measure"] = out["measure"].astype(str)
    out = out.sort_values(
        ["plan_year", "source", "measure"],
        key=lambda col: (
            _vocabulary_rank(col, FUNDING_SOURCES)
            if col.name == "source"
            else _vocabulary_rank(col, FUNDING_MEASURES)
            if col.name == "measure"
            else col
        ),
    )
    return out[["plan_year", "source", "measure", "value", "share"]].reset_index(drop=True)


def idb_by_instrument(plans: pd.DataFrame) -> pd.DataFrame:
    """Through which IDB instrument the IDB-funded activities are paid, per year.

    share_of_idb is over the year's IDB-funded activities (0 in a year without any), so
    it reads as the instrument mix of the IDB's contribution.
    """
    idb = plans[_is_idb_funded(plans).to_numpy()]
    totals = _activities_per_year(idb)
    return _tally(
        idb,
        "idb_instrument",
        IDB_INSTRUMENTS,
        _years(plans),
        totals=totals,
        share_name="share_of_idb",
    ).rename(columns={"idb_instrument": "instrument"})


def idb_dependent_activities(plans: pd.DataFrame) -> pd.DataFrame:
    """The IDB-funded activities themselves, flagged when the IDB is their only funder,
    so the report can name what would stop without the IDB."""
    funded = plans[_is_idb_funded(plans).to_numpy()]
    text_columns = [
        "activity_id",
        "source_ref",
        "area_name",
        "title_en",
        "title_es",
        "title_original",
        "idb_instrument",
        "funding_sources",
    ]
    out = pd.DataFrame({"plan_year": funded["plan_year"].astype("int64")})
    for column in text_columns:
        out[column] = funded[column].astype(str).where(funded[column].notna(), "")
    out["idb_only"] = _funding_lists(funded).map(lambda codes: codes == [_IDB]).astype(bool)
    out = out.sort_values(
        ["plan_year", "source_ref", "activity_id"],
        key=lambda col: _natural_rank(col) if col.name == "source_ref" else col,
    )
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- timing


def semester_load(plans: pd.DataFrame) -> pd.DataFrame:
    """Activities per timing class (S1, S2, year_round, tbd) and their share of the year."""
    return _tally(plans, "timing", TIMINGS, _years(plans))


def semester_event_load(plans: pd.DataFrame) -> pd.DataFrame:
    """Events (not activities) per semester, the workload the network actually carries.

    A year-round activity with f events a year adds f/2 to each semester; unscheduled
    (tbd) events stay visible as their own row instead of being guessed into a semester.
    """
    timing = _as_str(plans["timing"])
    frame = pd.DataFrame(
        {
            "plan_year": plans["plan_year"].astype("int64").to_numpy(),
            "timing": timing.to_numpy(),
            "n_events": plans["frequency_per_year"].astype(float).to_numpy(),
        }
    )
    year_round = frame["timing"] == _YEAR_ROUND
    halves = [
        frame[year_round].assign(timing=semester, n_events=lambda f: f["n_events"] / len(SEMESTERS))
        for semester in SEMESTERS
    ]
    long = pd.concat([frame[~year_round], *halves], ignore_index=True)
    return _tally(
        long, "timing", _EVENT_TIMINGS, _years(plans), weight="n_events", value_name="n_events"
    ).astype({"n_events": float})


# --------------------------------------------------------------------------- themes


def theme_shifts(themes: pd.DataFrame, baseline_year: int, compare_year: int) -> pd.DataFrame:
    """How each theme changed between two plans, with the areas that carry it on each side.

    Derived from the structure of the crosswalk, so it holds for any pair of years, in
    either direction, adjacent or not: presence decides new/retired; several areas on one
    side and fewer on the other is merged (baseline has more) or split (compare has more);
    one-to-one is renamed when a crosswalk row between the two years (each row records its
    relation to the previous plan) says so, else continued. Themes absent from both years
    are left out.
    """
    _require_years(themes["plan_year"], (baseline_year, compare_year), "themes")
    rows = pd.DataFrame(
        {
            "plan_year": themes["plan_year"].astype("int64"),
            "area_code": themes["area_code"].astype(str),
            "theme": themes["theme"].astype(str),
            "relation": _as_str(themes["relation"]).fillna(""),
        }
    )
    table = _theme_table(themes)

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
    columns = [
        "theme",
        "theme_label_en",
        "theme_label_es",
        "relation",
        "baseline_areas",
        "compare_areas",
    ]
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


def agenda_diversity(plans: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """Shannon entropy of each year's theme distribution of activities.

    Normalised by ln(number of crosswalk themes), the same for every year, so the value is
    comparable across plans (as in Comparative Agendas Project research); exp(H) reads as
    the number of equally-sized themes that would give the same diversity.
    """
    counts = count_by_theme(plans, themes)
    n_categories = int(counts["theme"].nunique())
    rows = []
    for year, group in counts.groupby("plan_year", sort=True):
        shares = group["share"].to_numpy(dtype=float)
        present = shares[shares > 0]
        entropy = float(-(present * np.log(present)).sum()) + 0.0
        max_entropy = math.log(n_categories) if n_categories > 1 else float("nan")
        rows.append(
            {
                "plan_year": int(year),
                "n_activities": int(group["n_activities"].sum()),
                "n_themes_present": len(present),
                "n_categories": n_categories,
                "entropy": entropy,
                "normalised_entropy": entropy / max_entropy,
                "effective_n_themes": math.exp(entropy),
            }
        )
    return pd.DataFrame(rows).astype(
        {
            "plan_year": "int64",
            "n_activities": "int64",
            "n_themes_present": "int64",
            "n_categories": "int64",
        }
    )


# --------------------------------------------------------------------------- mixes


def activity_type_mix(plans: pd.DataFrame) -> pd.DataFrame:
    """Activities per type (workshop, webinar …) and their share of the year."""
    return _tally(plans, "activity_type", ACTIVITY_TYPES, _years(plans))


def venue_mix(plans: pd.DataFrame) -> pd.DataFrame:
    """Activities per venue mode (virtual, on site, tbd) and their share of the year."""
    return _tally(plans, "venue_mode", VENUE_MODES, _years(plans))


def plan_overview(plans: pd.DataFrame) -> pd.DataFrame:
    """One headline row per plan: size, events, structure and funding breadth."""
    frame = pd.DataFrame(
        {
            "plan_year": plans["plan_year"].astype("int64"),
            "area_code": plans["area_code"].astype(str),
            "theme": plans["theme"].astype(str),
            "frequency_per_year": plans["frequency_per_year"].astype("int64"),
            "n_sources": _funding_lists(plans).map(len).astype("int64"),
        }
    )
    out = (
        frame.groupby("plan_year", sort=True)
        .agg(
            n_activities=("area_code", "size"),
            n_events=("frequency_per_year", "sum"),
            n_areas=("area_code", "nunique"),
            n_themes=("theme", "nunique"),
            n_funding_sources_mean=("n_sources", "mean"),
        )
        .reset_index()
    )
    return out.astype(
        {
            "plan_year": "int64",
            "n_activities": "int64",
            "n_events": "int64",
            "n_areas": "int64",
            "n_themes": "int64",
            "n_funding_sources_mean": float,
        }
    )


# --------------------------------------------------------------------------- measures a
# researcher accepts (issue 10, deliver 3): cash apart from staff time, semesters over dated
# activities, evenness over the themes a plan has, policy themes apart, small bases flagged.

# Below this many activities in the baseline, a percent change is not shown: "+150 %" on a
# base of 2 says less than "2 → 5". Counts are always shown.
MIN_BASE_FOR_PERCENT = 5

RESOURCE_MIXES: tuple[str, ...] = ("cash_only", "cash_and_staff_time", "staff_time_only")
POLICY, ORGANISATIONAL = "policy", "organisational"


def cash_dependence(plans: pd.DataFrame) -> pd.DataFrame:
    """Per year and cash source: activities naming it, naming it as the only cash, and naming
    it as the only resource of any kind.

    The plans name resources, never amounts, and mix money with people's time; "only cash"
    ignores staff time (a 2024 item "BID y tiempo de trabajo de las agencias" still has the IDB
    as its only money). Columns: plan_year, source (vocabulary.CASH_SOURCES), n_activities,
    named, only_cash, only_resource and their shares of the year's activities.
    """
    lists = _funding_lists(plans)
    years = plans["plan_year"].astype("int64").to_numpy()
    rows = []
    for year in _years(plans):
        mine = [codes for codes, y in zip(lists, years, strict=True) if y == year]
        for source in CASH_SOURCES:
            named = [codes for codes in mine if source in codes]
            only_cash = [c for c in named if not (set(c) & set(CASH_SOURCES)) - {source}]
            only = [c for c in named if c == [source]]
            rows.append(
                {
                    "plan_year": year,
                    "source": source,
                    "n_activities": len(mine),
                    "named": len(named),
                    "only_cash": len(only_cash),
                    "only_resource": len(only),
                }
            )
    out = pd.DataFrame(
        rows, columns=["plan_year", "source", "n_activities", "named", "only_cash", "only_resource"]
    )
    for column in ("named", "only_cash", "only_resource"):
        out[f"{column}_share"] = _share(out[column], out["n_activities"])
    return out.astype(
        {
            "plan_year": "int64",
            "n_activities": "int64",
            "named": "int64",
            "only_cash": "int64",
            "only_resource": "int64",
        }
    )


def resource_mix(plans: pd.DataFrame) -> pd.DataFrame:
    """Activities by the kinds of resource they name: cash only, cash and staff time, staff
    time only (vocabulary.RESOURCE_KINDS), per year, with shares and EN/ES labels."""
    kinds = _funding_lists(plans).map(lambda codes: {RESOURCE_KINDS[c] for c in codes})
    mix = kinds.map(
        lambda k: (
            RESOURCE_MIXES[0]
            if k == {"cash"}
            else RESOURCE_MIXES[1]
            if k == {"cash", "staff_time"}
            else RESOURCE_MIXES[2]
        )
    )
    frame = pd.DataFrame(
        {"plan_year": plans["plan_year"].astype("int64").to_numpy(), "resources": mix.to_numpy()}
    )
    out = _tally(frame, "resources", RESOURCE_MIXES, _years(plans))
    for lang in SUPPORTED_LANGS:
        out[f"resources_label_{lang}"] = [
            label(f"resources.{code}", lang) for code in out["resources"]
        ]
    return out


def semester_split_dated(plans: pd.DataFrame) -> pd.DataFrame:
    """Timing per year with the semester split taken over dated activities only.

    Year-round and undated (tbd) activities are shown apart, never split in halves (halving
    makes any plan look balanced by construction). Columns: plan_year, timing
    (vocabulary.TIMINGS), n_activities, n_events, share_of_dated (S1/S2 over S1+S2; NaN for
    year_round and tbd), n_dated.
    """
    counts = _tally(plans, "timing", TIMINGS, _years(plans))
    events = _tally(
        plans, "timing", TIMINGS, _years(plans), weight="frequency_per_year", value_name="n_events"
    )
    out = counts.drop(columns="share").merge(
        events[["plan_year", "timing", "n_events"]], on=["plan_year", "timing"]
    )
    dated = out[out["timing"].isin(SEMESTERS)].groupby("plan_year")["n_activities"].sum()
    out["n_dated"] = out["plan_year"].map(dated).fillna(0).astype("int64")
    share = _share(out["n_activities"], out["n_dated"])
    out["share_of_dated"] = share.where(out["timing"].isin(SEMESTERS) & (out["n_dated"] > 0))
    return out.astype({"n_events": "int64"})[
        ["plan_year", "timing", "n_activities", "n_events", "n_dated", "share_of_dated"]
    ]


def agenda_evenness(
    plans: pd.DataFrame, themes: pd.DataFrame, theme_kinds: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Evenness of each plan over the themes it has, beside the crosswalk-wide normalisation,
    and diversity over policy themes only.

    H / ln n_crosswalk penalises an early plan for themes that did not exist yet; H / ln k
    (k = themes with activities that year) does not. Organisational themes (running the
    network: ``theme_kinds`` kind "organisational") are left out of the policy measures;
    without ``theme_kinds`` every theme counts as policy. Columns: plan_year, n_activities,
    n_themes_present, n_themes_crosswalk, evenness_present, evenness_crosswalk,
    effective_n_themes, n_policy_activities, n_policy_themes_present,
    effective_n_policy_themes, evenness_policy.
    """
    counts = count_by_theme(plans, themes)
    organisational = (
        set()
        if theme_kinds is None
        else set(
            theme_kinds.loc[theme_kinds["kind"].astype(str) == ORGANISATIONAL, "theme"].astype(str)
        )
    )
    n_crosswalk = int(counts["theme"].nunique())
    rows = []
    for year, group in counts.groupby("plan_year", sort=True):
        all_counts = group["n_activities"].to_numpy(dtype=float)
        policy = group[~group["theme"].isin(organisational)]["n_activities"].to_numpy(float)
        entropy, present = _entropy_of(all_counts)
        policy_entropy, policy_present = _entropy_of(policy)
        rows.append(
            {
                "plan_year": int(year),
                "n_activities": int(all_counts.sum()),
                "n_themes_present": present,
                "n_themes_crosswalk": n_crosswalk,
                "evenness_present": entropy / math.log(present) if present > 1 else float("nan"),
                "evenness_crosswalk": entropy / math.log(n_crosswalk)
                if n_crosswalk > 1
                else float("nan"),
                "effective_n_themes": math.exp(entropy),
                "n_policy_activities": int(policy.sum()),
                "n_policy_themes_present": policy_present,
                "effective_n_policy_themes": math.exp(policy_entropy),
                "evenness_policy": policy_entropy / math.log(policy_present)
                if policy_present > 1
                else float("nan"),
            }
        )
    return pd.DataFrame(rows).astype(
        {
            "plan_year": "int64",
            "n_activities": "int64",
            "n_themes_present": "int64",
            "n_themes_crosswalk": "int64",
            "n_policy_activities": "int64",
            "n_policy_themes_present": "int64",
        }
    )


def _entropy_of(counts: np.ndarray) -> tuple[float, int]:
    """Shannon entropy of a count vector and the number of non-zero categories."""
    total = counts.sum()
    if total <= 0:
        return 0.0, 0
    shares = counts[counts > 0] / total
    return float(-(shares * np.log(shares)).sum()) + 0.0, int(len(shares))


def compare_years_with_small_bases(
    counts: pd.DataFrame,
    baseline_year: int,
    compare_year: int,
    by: str = "theme",
    value: str = "n_activities",
    min_base: int = MIN_BASE_FOR_PERCENT,
) -> pd.DataFrame:
    """``compare_years`` with the percent change blanked (NaN) where the baseline is below
    ``min_base`` and a ``pct_suppressed`` flag; counts and changes are always kept."""
    out = compare_years(counts, baseline_year, compare_year, by=by, value=value)
    small = out["baseline_value"].astype(float) < min_base
    out["pct_suppressed"] = small.astype(bool)
    out["pct_change"] = out["pct_change"].where(~small)
    return out


def event_totals(plans: pd.DataFrame) -> pd.DataFrame:
    """Events a year per plan and how many come from working groups' regular meetings.

    An events total is only as good as the cadence words behind it ("Semimonthly", "4 al
    año"): most events are meeting rows, so the total is shown with that share as its caveat.
    Columns: plan_year, n_activities, n_events, n_meeting_rows, events_from_meetings,
    share_from_meetings.
    """
    meetings = _as_str(plans["activity_type"]) == "working_group_meeting"
    frame = pd.DataFrame(
        {
            "plan_year": plans["plan_year"].astype("int64"),
            "events": plans["frequency_per_year"].astype("int64"),
            "meeting": meetings.astype(bool),
        }
    )
    frame["meeting_events"] = frame["events"].where(frame["meeting"], 0)
    out = (
        frame.groupby("plan_year", sort=True)
        .agg(
            n_activities=("events", "size"),
            n_events=("events", "sum"),
            n_meeting_rows=("meeting", "sum"),
            events_from_meetings=("meeting_events", "sum"),
        )
        .reset_index()
    )
    out["share_from_meetings"] = _share(out["events_from_meetings"], out["n_events"])
    return out.astype(
        {
            "n_activities": "int64",
            "n_events": "int64",
            "n_meeting_rows": "int64",
            "events_from_meetings": "int64",
        }
    )
