"""Funding: which activities name a resource, with what weight, and as their only cash or
only resource; through which instrument; and how exposed each plan is to one funder.

The plans name *resources*, never amounts, and they mix money (IDB, OAS) with people's time
(working groups, Executive Committee, member countries). So funding is measured in
activities, never in money, and money is kept apart from staff time
(``vocabulary.RESOURCE_KINDS``): an activity whose only cash resource is the funder is *at
risk* if that funder withdraws, even when the plan also names staff time for it, because
time does not buy what the cash paid for.

Every count of this module comes from one place, :func:`source_flags` (per activity: names
the source, its 1/k weight, only cash, only resource); the tables below only group it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from gealc_analysis.data import crosswalk_in_order, vocabulary
from gealc_analysis.data.vocabulary import (
    CASH_SOURCES,
    FUNDING_MEASURES,
    FUNDING_SOURCES,
    RESOURCE_KINDS,
    area_sort_key,
    split_funding,
)
from gealc_analysis.measures import themes as theme_measures
from gealc_analysis.measures.tally import (
    activities_per_year,
    funding_lists,
    item_counter,
    item_keys,
    items_per_year,
    plan_years,
    share,
    tally,
    vocabulary_rank,
)

CASH = "cash"
STAFF_TIME = "staff_time"

# The measures of exposure, in the order a reader meets them: the activities that name the
# funder; its fractional share (1/k of an activity with k resources); those for which it is
# the only cash named (at risk); those for which it is the only resource named at all.
EXPOSURE_MEASURES: tuple[str, ...] = ("any_touch", "fractional", "only_cash", "sole_source")
# Column holding the count (or weight) of each measure in the ``exposure_by`` frames.
MEASURE_COUNT_COLUMNS: dict[str, str] = {
    "any_touch": "n_any_touch",
    "fractional": "fractional",
    "only_cash": "n_only_cash",
    "sole_source": "n_sole_source",
}

# The column of the plans that says through which instrument a funder pays, for the funders
# the codebook records one for (the IDB: RPG, consultant, or none stated).
INSTRUMENT_COLUMNS: dict[str, str] = {"idb": "idb_instrument"}
NOT_STATED = "general"  # the instrument code of "names the funder, no instrument stated"

GROUPINGS: tuple[str, ...] = ("year", "theme", "area")

RESOURCE_MIXES: tuple[str, ...] = ("cash_only", "cash_and_staff_time", "staff_time_only")

# The instruments through which a cash code gives people's time rather than money
# (";"-joined instrument codes; empty: every instrument is cash). Not a column of
# ``funding_codes.csv``, whose curated reading is that every instrument of a cash code is
# cash: a contested decision (``alternative_codings.csv``, table funding_codes) sets it, e.g.
# the IDB consultant read as staff time paid by the IDB.
IN_KIND_INSTRUMENTS = "in_kind_instruments"


def project_codes() -> pd.DataFrame:
    """The project's funding codes (code, kind, in_kind_instruments) as the vocabulary holds
    them: the default when a measure is not given a bundle's ``funding_codes``."""
    return pd.DataFrame(
        {
            "code": list(FUNDING_SOURCES),
            "kind": [RESOURCE_KINDS[code] for code in FUNDING_SOURCES],
            IN_KIND_INSTRUMENTS: "",
        }
    )


def _kinds(codes: pd.DataFrame | None) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """(code → kind, code → instruments through which it is staff time) of a codes table."""
    table = project_codes() if codes is None else codes
    kind = dict(zip(table["code"].astype(str), table["kind"].astype(str), strict=True))
    in_kind_cells = (
        table[IN_KIND_INSTRUMENTS].fillna("").astype(str)
        if IN_KIND_INSTRUMENTS in table.columns
        else pd.Series("", index=table.index)
    )
    in_kind = {
        str(code): frozenset(split_funding(cell))
        for code, cell in zip(table["code"], in_kind_cells, strict=True)
    }
    return kind, in_kind


def code_order(codes: pd.DataFrame | None = None) -> tuple[str, ...]:
    """The funding codes of a codes table in canonical (alphabetical) order."""
    table = project_codes() if codes is None else codes
    return tuple(sorted(table["code"].astype(str)))


def cash_codes(codes: pd.DataFrame | None = None) -> tuple[str, ...]:
    """The codes whose kind is cash (some of their instruments may still be staff time)."""
    kind, _ = _kinds(codes)
    return tuple(code for code in code_order(codes) if kind[code] == CASH)


def _kind_lists(plans: pd.DataFrame, codes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per activity (the plans' index): its cash codes and its staff-time codes (lists, in
    canonical order), from the kind of each code in ``codes`` (the bundle's
    ``funding_codes``; the project's by default) and, for a funder with an instrument
    column, whether that instrument gives people's time (``in_kind_instruments``)."""
    kind, in_kind = _kinds(codes)
    lists = funding_lists(plans)
    unknown = sorted({c for codes_ in lists for c in codes_} - set(kind))
    if unknown:
        raise ValueError(f"funding_sources has codes outside the funding codes: {unknown}")
    instruments = {
        code: plans[column].astype(object).where(plans[column].notna(), "").astype(str).tolist()
        for code, column in INSTRUMENT_COLUMNS.items()
        if column in plans.columns
    }
    cash, staff = [], []
    for position, named in enumerate(lists):
        mine_cash, mine_staff = [], []
        for code in named:
            is_cash = kind[code] == CASH and not (
                code in instruments and instruments[code][position] in in_kind.get(code, ())
            )
            (mine_cash if is_cash else mine_staff).append(code)
        cash.append(mine_cash)
        staff.append(mine_staff)
    return pd.DataFrame({"all": lists, "cash": cash, "staff_time": staff}, index=plans.index)


# --------------------------------------------------------------------------- per activity


def check_funder(funder: str, codes: pd.DataFrame | None = None) -> str:
    """``funder`` if it is a cash resource; otherwise an error naming the cash resources.

    Only cash can be withdrawn: "the only cash resource" of an activity means nothing for a
    staff-time code such as ``working_group``.
    """
    cash = cash_codes(codes)
    if funder not in cash:
        raise ValueError(
            f"funder must be a cash resource, one of {', '.join(cash)}; got {funder!r} "
            "(staff-time codes cannot be withdrawn like money)"
        )
    return funder


def source_flags(
    plans: pd.DataFrame, source: str, codes: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per activity (the plans' index): does it name ``source``, its fractional weight, is
    ``source`` its only cash, its only resource of any kind.

    Columns: named (bool), fractional (1/k for an activity naming k distinct resources, 0
    when it does not name the source), only_cash (bool; False where the source is staff time
    for that activity: only cash can be "the only cash"), only_resource (bool). Works for any
    funding code; kinds come from ``codes`` (the bundle's ``funding_codes``).
    """
    return _flags_of(_kind_lists(plans, codes), source)


def _flags_of(kinds: pd.DataFrame, source: str) -> pd.DataFrame:
    """:func:`source_flags` from the activities' parsed resources (``_kind_lists``)."""
    lists = kinds["all"]
    named = lists.map(lambda codes_: source in codes_).astype(bool)
    k = lists.map(len).clip(lower=1).astype(float)
    return pd.DataFrame(
        {
            "named": named,
            "fractional": np.where(named, 1.0 / k, 0.0).astype(float),
            "only_cash": kinds["cash"].map(lambda cash: cash == [source]).astype(bool),
            "only_resource": lists.map(lambda codes_: codes_ == [source]).astype(bool),
        },
        index=kinds.index,
    )


def any_cash(plans: pd.DataFrame, codes: pd.DataFrame | None = None) -> pd.Series:
    """Per activity: does it name any cash resource (the base of the fair measure "of the
    activities that name any cash, those whose only cash is the funder")."""
    return _kind_lists(plans, codes)["cash"].map(bool).astype(bool)


def resource_profile(plans: pd.DataFrame, codes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each activity's resources split into cash and staff time.

    Columns: plan_year, activity_id, source_ref, area_code, theme, resources, cash,
    staff_time (``;``-joined codes in canonical order, "" when none), n_resources, n_cash.
    An unknown code is an error, not silently "neither cash nor time". Kinds come from
    ``codes`` (the bundle's ``funding_codes``; an IDB consultant is staff time when the
    codes say so).
    """
    kinds = _kind_lists(plans, codes)
    join = vocabulary.FUNDING_SEPARATOR.join
    out = pd.DataFrame(
        {
            "plan_year": plans["plan_year"].astype("int64").to_numpy(),
            "activity_id": plans["activity_id"].astype(str).to_numpy(),
            "source_ref": plans["source_ref"].astype(str).to_numpy(),
            "area_code": plans["area_code"].astype(str).to_numpy(),
            "theme": plans["theme"].astype(str).to_numpy(),
            "resources": kinds["all"].map(join).to_numpy(),
            "cash": kinds["cash"].map(join).to_numpy(),
            "staff_time": kinds["staff_time"].map(join).to_numpy(),
            "n_resources": kinds["all"].map(len).astype("int64").to_numpy(),
        }
    )
    out["n_cash"] = out["cash"].map(lambda cell: len(split_funding(cell))).astype("int64")
    return out


# --------------------------------------------------------------------------- every source


def funding_dependence(plans: pd.DataFrame, codes: pd.DataFrame | None = None) -> pd.DataFrame:
    """How much of each year's agenda each funder carries, under three measures.

    any_touch counts activities naming the source (overlapping: co-funding counts for
    each funder); fractional splits an activity with k funders 1/k each (shares sum to 1
    per year); sole_source counts activities the source funds alone (true dependence).
    """
    sources = code_order(codes)
    unknown = sorted({c for codes_ in funding_lists(plans) for c in codes_} - set(sources))
    if unknown:
        raise ValueError(f"source has values outside its vocabulary: {unknown}")
    years = plan_years(plans)
    parts = []
    for source in sources:
        flags = source_flags(plans, source, codes)
        rows = flags["named"].to_numpy()
        parts.append(
            pd.DataFrame(
                {
                    "plan_year": plans["plan_year"].astype("int64").to_numpy()[rows],
                    "source": source,
                    "any_touch": 1.0,
                    "fractional": flags["fractional"].to_numpy()[rows],
                    "sole_source": flags["only_resource"].astype(float).to_numpy()[rows],
                }
            )
        )
    long = pd.concat(parts, ignore_index=True)
    totals = activities_per_year(plans)
    out = pd.concat(
        [
            tally(
                long,
                "source",
                sources,
                years,
                weight=measure,
                value_name="value",
                totals=totals,
            ).assign(measure=measure)
            for measure in FUNDING_MEASURES
        ],
        ignore_index=True,
    )
    out["value"] = out["value"].astype(float)
    out["measure"] = out["measure"].astype(str)
    out = out.sort_values(
        ["plan_year", "source", "measure"],
        key=lambda col: (
            vocabulary_rank(col, sources)
            if col.name == "source"
            else vocabulary_rank(col, FUNDING_MEASURES)
            if col.name == "measure"
            else col
        ),
    )
    return out[["plan_year", "source", "measure", "value", "share"]].reset_index(drop=True)


def source_counts(
    plans: pd.DataFrame,
    sources: Sequence[str] = CASH_SOURCES,
    codes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per year and source: activities naming it, naming it as the only cash, and naming it
    as the only resource of any kind (``source_flags`` counted in items: rows an alternative
    coding groups with ``listing_group`` count once).

    The plans name resources, never amounts, and mix money with people's time; "only cash"
    ignores staff time (a 2024 item "BID y tiempo de trabajo de las agencias" still has the IDB
    as its only money). Columns: plan_year, source, n_activities, named, only_cash,
    only_resource and their shares of the year's activities. Any funding code works
    (only_cash is 0 for a staff-time code).
    """
    count = item_counter(plans)  # the items and the resources worked out once, not per source
    kinds = _kind_lists(plans, codes)
    totals = count(None)
    flagged = ("named", "only_cash", "only_resource")
    per_source = {}
    for source in sources:
        flags = _flags_of(kinds, source)
        per_source[source] = {column: count(flags[column]) for column in flagged}
    rows = []
    for year in plan_years(plans):
        for source in sources:
            rows.append(
                {
                    "plan_year": year,
                    "source": source,
                    "n_activities": int(totals.get(year, 0)),
                    **{column: int(per_source[source][column].get(year, 0)) for column in flagged},
                }
            )
    out = pd.DataFrame(
        rows, columns=["plan_year", "source", "n_activities", "named", "only_cash", "only_resource"]
    )
    for column in ("named", "only_cash", "only_resource"):
        out[f"{column}_share"] = share(out[column], out["n_activities"])
    return out.astype(
        {
            "plan_year": "int64",
            "n_activities": "int64",
            "named": "int64",
            "only_cash": "int64",
            "only_resource": "int64",
        }
    )


def cash_dependence(plans: pd.DataFrame, codes: pd.DataFrame | None = None) -> pd.DataFrame:
    """``source_counts`` of the cash sources (the codes of kind cash in ``codes``)."""
    return source_counts(plans, cash_codes(codes), codes)


def only_cash_among_cash(
    plans: pd.DataFrame, funder: str = "idb", codes: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The fair measure of dependence on one funder: of the activities that name any cash
    resource, those whose only cash is the funder (staff time beside it allowed).

    Activities naming only staff time cannot depend on a funder's money, so they are left
    out of the base. Columns: plan_year, source, n_any_cash, only_cash, share (only_cash /
    n_any_cash; 0 when no activity names cash). Counted in items, like ``source_counts``.
    """
    any_named = any_cash(plans, codes)
    only = source_flags(plans, funder, codes)["only_cash"]
    base, counted = items_per_year(plans, any_named), items_per_year(plans, only)
    years = plan_years(plans)
    out = pd.DataFrame(
        {
            "plan_year": pd.Series(years, dtype="int64"),
            "source": funder,
            "n_any_cash": [int(base.get(year, 0)) for year in years],
            "only_cash": [int(counted.get(year, 0)) for year in years],
        }
    )
    out["share"] = share(out["only_cash"], out["n_any_cash"])
    return out.astype({"n_any_cash": "int64", "only_cash": "int64"})


def resource_mix(plans: pd.DataFrame, codes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Activities by the kinds of resource they name: cash only, cash and staff time, staff
    time only (kinds from ``codes``, the bundle's ``funding_codes``), per year, with shares."""
    kinds = _kind_lists(plans, codes)
    mix = [
        RESOURCE_MIXES[0]
        if cash and not staff
        else RESOURCE_MIXES[1]
        if cash
        else RESOURCE_MIXES[2]
        for cash, staff in zip(kinds["cash"], kinds["staff_time"], strict=True)
    ]
    frame = pd.DataFrame(
        {"plan_year": plans["plan_year"].astype("int64").to_numpy(), "resources": mix}
    )
    return tally(frame, "resources", RESOURCE_MIXES, plan_years(plans))


# --------------------------------------------------------------------------- instruments


def instrument_mix(
    plans: pd.DataFrame, funder: str = "idb", codes: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Activities naming the funder, per instrument and year (empty for a funder without one).

    Columns: plan_year, source, instrument, n_activities, share (of the activities naming
    the funder that year). The code ``general`` reads "instrument not stated": a plan that
    names the IDB without an instrument says nothing about whether RPG funds continue.
    """
    if funder not in code_order(codes):
        raise ValueError(f"funder must be a funding code; got {funder!r}")
    columns = ["plan_year", "source", "instrument", "n_activities", "share"]
    if funder not in INSTRUMENT_COLUMNS:
        empty = {
            "plan_year": "int64",
            "source": str,
            "instrument": str,
            "n_activities": "int64",
            "share": float,
        }
        return pd.DataFrame({column: pd.Series(dtype=kind) for column, kind in empty.items()})
    instrument_codes = vocabulary.IDB_INSTRUMENTS
    named = plans[source_flags(plans, funder, codes)["named"].to_numpy()]
    instrument = named[INSTRUMENT_COLUMNS[funder]]
    frame = pd.DataFrame(
        {
            "plan_year": named["plan_year"].astype("int64").to_numpy(),
            "instrument": instrument.astype(str).where(instrument.notna(), "").to_numpy(),
            "item": item_keys(named).to_numpy(),
        }
    )
    counts = frame.groupby(["plan_year", "instrument"])["item"].nunique()
    full = pd.MultiIndex.from_product(
        [plan_years(plans), list(instrument_codes)], names=["plan_year", "instrument"]
    )
    out = counts.reindex(full, fill_value=0).rename("n_activities").reset_index()
    totals = out.groupby("plan_year")["n_activities"].transform("sum").astype(float)
    out["share"] = (out["n_activities"] / totals.where(totals > 0)).fillna(0.0)
    out.insert(1, "source", funder)
    return out[columns].astype({"plan_year": "int64", "n_activities": "int64"})


def idb_by_instrument(plans: pd.DataFrame, codes: pd.DataFrame | None = None) -> pd.DataFrame:
    """``instrument_mix`` of the IDB in the columns of its chart: plan_year, instrument,
    n_activities, share_of_idb (the instrument mix of the IDB's contribution)."""
    mix = instrument_mix(plans, "idb", codes).drop(columns="source")
    return mix.rename(columns={"share": "share_of_idb"})


# --------------------------------------------------------------------------- exposure


def _area_rows(themes: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """The areas each plan prints (from the crosswalk), with their names in both languages."""
    rows = crosswalk_in_order(themes)
    rows = rows[rows["plan_year"].astype("int64").isin(years)]
    return pd.DataFrame(
        {
            "plan_year": rows["plan_year"].astype("int64").to_numpy(),
            "area_code": rows["area_code"].astype(str).to_numpy(),
            "area_name_en": rows["area_name_en"].astype(str).to_numpy(),
            "area_name_es": rows["area_name_es"].astype(str).to_numpy(),
            "theme": rows["theme"].astype(str).to_numpy(),
        }
    ).reset_index(drop=True)


def exposure_by(
    plans: pd.DataFrame,
    themes: pd.DataFrame,
    funder: str = "idb",
    by: str = "year",
    codes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """How exposed each year (or each theme or area of a year) is to one funder.

    One row per plan year (``by="year"``), per (year, theme) over every crosswalk theme
    (zero rows show where the funder is absent), or per (year, area) over the areas each
    plan prints. Columns: plan_year, [theme, theme_label_en, theme_label_es | area_code,
    area_name_en, area_name_es], source (the funder), n_activities, n_any_touch,
    any_touch_share, fractional, fractional_share, n_only_cash, only_cash_share,
    n_sole_source, sole_source_share. Shares are over the group's activities (0 when it
    has none). Counts, not money: the plans name resources, never amounts.
    """
    check_funder(funder, codes)
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}; got {by!r}")
    profile = resource_profile(plans, codes)
    flags = source_flags(plans, funder, codes).set_axis(profile.index)
    counted = pd.DataFrame(
        {
            "n_any_touch": flags["named"].astype("int64"),
            "fractional": flags["fractional"],
            "n_only_cash": flags["only_cash"].astype("int64"),
            "n_sole_source": flags["only_resource"].astype("int64"),
        }
    )
    frame = pd.concat([profile[["plan_year", "area_code", "theme"]], counted], axis=1)
    frame["n_activities"] = 1
    years = plan_years(profile)
    counts = ["n_activities", *MEASURE_COUNT_COLUMNS.values()]

    if by == "year":
        keys = ["plan_year"]
        skeleton = pd.DataFrame({"plan_year": pd.Series(years, dtype="int64")})
    elif by == "theme":
        keys = ["plan_year", "theme"]
        labels = theme_measures.theme_table(themes)  # one theme order for the whole report
        skeleton = pd.DataFrame(
            [(year, theme) for year in years for theme in labels["theme"]], columns=keys
        ).astype({"plan_year": "int64"})
        skeleton = skeleton.merge(labels, on="theme", how="left")
    else:
        keys = ["plan_year", "area_code"]
        skeleton = _area_rows(themes, years)
        skeleton = skeleton[["plan_year", "area_code", "area_name_en", "area_name_es"]]
        frame = frame.drop(columns="theme")

    summed = frame.groupby(keys, sort=False)[counts].sum().reset_index()
    out = skeleton.merge(summed, on=keys, how="left")
    for column in counts:
        out[column] = out[column].fillna(0)
    out = out.astype({c: "int64" for c in counts if c != "fractional"})
    out["fractional"] = out["fractional"].astype(float)
    out.insert(len(skeleton.columns), "source", funder)
    total = out["n_activities"].astype(float)
    ordered = [*skeleton.columns, "source", "n_activities"]
    for measure, column in MEASURE_COUNT_COLUMNS.items():
        measure_share = f"{measure}_share"
        out[measure_share] = (out[column].astype(float) / total.where(total > 0)).fillna(0.0)
        ordered += [column, measure_share]
    return out[ordered].reset_index(drop=True)


def exposure_change(by_year: pd.DataFrame, baseline_year: int, compare_year: int) -> pd.DataFrame:
    """Each measure of an ``exposure_by(..., by="year")`` frame in two plans, side by side.

    Columns: source, measure (EXPOSURE_MEASURES), baseline_year, compare_year,
    baseline_value, compare_value, change (count of activities, or weight for fractional),
    baseline_share, compare_share (of each plan's activities). Shares sit beside counts
    because plans of different length are compared.
    """
    rows = by_year.set_index(by_year["plan_year"].astype("int64"))
    for year in (baseline_year, compare_year):
        if int(year) not in rows.index:
            listed = ", ".join(str(y) for y in rows.index) or "none"
            raise ValueError(f"year {year} is not in the exposure table (years: {listed})")
    before, after = rows.loc[int(baseline_year)], rows.loc[int(compare_year)]
    records = []
    for measure, column in MEASURE_COUNT_COLUMNS.items():
        records.append(
            {
                "source": str(before["source"]),
                "measure": measure,
                "baseline_year": int(baseline_year),
                "compare_year": int(compare_year),
                "baseline_value": float(before[column]),
                "compare_value": float(after[column]),
                "change": float(after[column]) - float(before[column]),
                "baseline_share": float(before[f"{measure}_share"]),
                "compare_share": float(after[f"{measure}_share"]),
            }
        )
    return pd.DataFrame(records).astype({"baseline_year": "int64", "compare_year": "int64"})


def at_risk_activities(
    plans: pd.DataFrame, funder: str = "idb", codes: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The activities for which ``funder`` is the only cash resource the plan names.

    The plans name the funder as these activities' only cash (staff time may be named beside
    it); what would happen without it, the plans do not say. Columns: plan_year, source_ref,
    title_en, title_es, instrument
    (only for a funder with one, e.g. the IDB; code ``general`` = no instrument stated),
    other_resources (the other resources named, ``;``-joined codes in vocabulary order, all
    staff time by construction; "" when there are none), sole_source (True when the funder
    is the only resource of any kind), area_code, activity_id. Sorted by year and printed
    number. (``words.funding.at_risk_table`` adds the area's name and labels.)
    """
    check_funder(funder, codes)
    profile = resource_profile(plans, codes)
    risky = source_flags(plans, funder, codes)["only_cash"].to_numpy()
    chosen = plans[risky]
    chosen_profile = profile[risky]
    out = pd.DataFrame(
        {
            "plan_year": chosen_profile["plan_year"].to_numpy(),
            "activity_id": chosen_profile["activity_id"].to_numpy(),
            "source_ref": chosen_profile["source_ref"].to_numpy(),
            "title_en": chosen["title_en"].fillna("").astype(str).to_numpy(),
            "title_es": chosen["title_es"].fillna("").astype(str).to_numpy(),
            "area_code": chosen_profile["area_code"].to_numpy(),
        }
    )
    if funder in INSTRUMENT_COLUMNS:
        instrument = chosen[INSTRUMENT_COLUMNS[funder]]
        out["instrument"] = instrument.astype(str).where(instrument.notna(), "").to_numpy()
    out["other_resources"] = [
        vocabulary.FUNDING_SEPARATOR.join(c for c in split_funding(cell) if c != funder)
        for cell in chosen_profile["resources"]
    ]
    out["sole_source"] = (chosen_profile["resources"] == funder).to_numpy()
    rank = out["source_ref"].map(area_sort_key)
    out = out.assign(_rank=rank).sort_values(["plan_year", "_rank", "activity_id"], kind="stable")
    # What a reader scans first leads; the keys that join back to the plans close the row.
    leading = ["plan_year", "source_ref", "title_en", "title_es"]
    trailing = ["area_code", "activity_id"]
    middle = [c for c in out.columns if c not in {*leading, *trailing, "_rank"}]
    out = out[[*leading, *middle, *trailing]]
    return out.astype({"plan_year": "int64"}).reset_index(drop=True)
