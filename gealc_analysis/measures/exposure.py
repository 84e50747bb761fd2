"""Funding exposure: which activities name a funder, and which name no other cash.

The plans name *resources*, never amounts, and they mix money (IDB, OAS) with people's time
(working groups, Executive Committee, member countries). So exposure is measured in
activities, never in money, and money is kept apart from staff time
(``vocabulary.RESOURCE_KINDS``): an activity whose only cash resource is the funder is *at
risk* if that funder withdraws, even when the plan also names staff time for it, because
time does not buy what the cash paid for. Every function is pure (tidy frames in, a new
tidy frame out), generic in the plans (years come from the data) and in the funder (any
cash resource: ``idb`` by default, ``oas`` works the same).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from gealc_analysis.charts import style
from gealc_analysis.data import crosswalk_in_order, vocabulary
from gealc_analysis.data.vocabulary import (
    CASH_SOURCES,
    FUNDING_SOURCES,
    RESOURCE_KINDS,
    area_sort_key,
    split_funding,
)
from gealc_analysis.measures import analysis
from gealc_analysis.words import i18n
from gealc_analysis.words.narrative import join_words, no_comparison, percent

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

GROUPINGS: tuple[str, ...] = ("year", "theme", "area")

TITLE_WRAP = 55  # characters per line of the chart title (it states the finding in full)


# --------------------------------------------------------------------------- per activity


def check_funder(funder: str) -> str:
    """``funder`` if it is a cash resource; otherwise an error naming the cash resources.

    Only cash can be withdrawn: "the only cash resource" of an activity means nothing for a
    staff-time code such as ``working_group``.
    """
    if funder not in CASH_SOURCES:
        raise ValueError(
            f"funder must be a cash resource, one of {', '.join(CASH_SOURCES)}; got {funder!r} "
            "(staff-time codes cannot be withdrawn like money)"
        )
    return funder


def resource_profile(plans: pd.DataFrame) -> pd.DataFrame:
    """Each activity's resources split into cash and staff time.

    Columns: plan_year, activity_id, source_ref, area_code, theme, resources, cash,
    staff_time (``;``-joined codes in vocabulary order, "" when none), n_resources, n_cash.
    An unknown code is an error, not silently "neither cash nor time".
    """
    lists = (
        plans["funding_sources"]
        .fillna("")
        .astype(str)
        .map(lambda cell: [c for c in FUNDING_SOURCES if c in set(split_funding(cell))])
    )
    unknown = sorted(
        {c for cell in plans["funding_sources"].fillna("").astype(str) for c in split_funding(cell)}
        - set(FUNDING_SOURCES)
    )
    if unknown:
        raise ValueError(f"funding_sources has codes outside the vocabulary: {unknown}")

    def of_kind(codes: list[str], kind: str) -> str:
        return vocabulary.FUNDING_SEPARATOR.join(c for c in codes if RESOURCE_KINDS[c] == kind)

    out = pd.DataFrame(
        {
            "plan_year": plans["plan_year"].astype("int64").to_numpy(),
            "activity_id": plans["activity_id"].astype(str).to_numpy(),
            "source_ref": plans["source_ref"].astype(str).to_numpy(),
            "area_code": plans["area_code"].astype(str).to_numpy(),
            "theme": plans["theme"].astype(str).to_numpy(),
            "resources": lists.map(vocabulary.FUNDING_SEPARATOR.join).to_numpy(),
            "cash": lists.map(lambda codes: of_kind(codes, CASH)).to_numpy(),
            "staff_time": lists.map(lambda codes: of_kind(codes, STAFF_TIME)).to_numpy(),
            "n_resources": lists.map(len).astype("int64").to_numpy(),
        }
    )
    out["n_cash"] = out["cash"].map(lambda cell: len(split_funding(cell))).astype("int64")
    return out


def _flags(profile: pd.DataFrame, funder: str) -> pd.DataFrame:
    """Per activity: does it name the funder, its 1/k weight, only cash, only resource."""
    resources = profile["resources"].map(split_funding)
    names = resources.map(lambda codes: funder in codes)
    weight = np.where(names, 1.0 / profile["n_resources"].clip(lower=1), 0.0)
    return pd.DataFrame(
        {
            "n_any_touch": names.astype("int64"),
            "fractional": weight.astype(float),
            "n_only_cash": (profile["cash"] == funder).astype("int64"),
            "n_sole_source": (profile["resources"] == funder).astype("int64"),
        },
        index=profile.index,
    )


# --------------------------------------------------------------------------- by group


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
    plans: pd.DataFrame, themes: pd.DataFrame, funder: str = "idb", by: str = "year"
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
    check_funder(funder)
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}; got {by!r}")
    profile = resource_profile(plans)
    flags = _flags(profile, funder)
    frame = pd.concat([profile[["plan_year", "area_code", "theme"]], flags], axis=1)
    frame["n_activities"] = 1
    years = sorted(int(y) for y in profile["plan_year"].unique())
    counts = ["n_activities", *MEASURE_COUNT_COLUMNS.values()]

    if by == "year":
        keys = ["plan_year"]
        skeleton = pd.DataFrame({"plan_year": pd.Series(years, dtype="int64")})
    elif by == "theme":
        keys = ["plan_year", "theme"]
        labels = analysis._theme_table(themes)  # one theme order for the whole report
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
        share = f"{measure}_share"
        out[share] = (out[column].astype(float) / total.where(total > 0)).fillna(0.0)
        ordered += [column, share]
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


# --------------------------------------------------------------------------- at risk


def at_risk_activities(
    plans: pd.DataFrame, themes: pd.DataFrame, funder: str = "idb", lang: str = "en"
) -> pd.DataFrame:
    """The activities for which ``funder`` is the only cash resource the plan names.

    These are the activities that would lose all their named money if the funder withdrew
    (staff time may remain). Columns: plan_year, source_ref, title_en, title_es, area_name
    (in ``lang``, from themes.csv), instrument (only for a funder with one, e.g. the IDB;
    code ``general`` = no instrument stated), other_resources (the other resources named,
    as labels in ``lang``, all staff time by construction; the catalogue's "none" when
    there are none), sole_source (True when the funder is the only resource of any kind),
    area_code, activity_id.
    Sorted by year and printed number.
    """
    check_funder(funder)
    i18n.check_lang(lang)
    profile = resource_profile(plans)
    risky = (profile["cash"] == funder).to_numpy()
    chosen = plans[risky]
    chosen_profile = profile[risky]
    area_names = _area_rows(themes, sorted(int(y) for y in profile["plan_year"].unique()))
    name_of = {
        (int(y), str(code)): str(name)
        for y, code, name in zip(
            area_names["plan_year"],
            area_names["area_code"],
            area_names[f"area_name_{lang}"],
            strict=True,
        )
    }
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
    out["area_name"] = [
        name_of.get((int(y), str(code)), "")
        for y, code in zip(out["plan_year"], out["area_code"], strict=True)
    ]
    if funder in INSTRUMENT_COLUMNS:
        instrument = chosen[INSTRUMENT_COLUMNS[funder]]
        out["instrument"] = instrument.astype(str).where(instrument.notna(), "").to_numpy()
    none = i18n.label("narrative.none", lang)
    out["other_resources"] = [
        "; ".join(
            i18n.code_label("funding", code, lang) for code in split_funding(cell) if code != funder
        )
        or none
        for cell in chosen_profile["resources"]
    ]
    out["sole_source"] = (chosen_profile["resources"] == funder).to_numpy()
    rank = out["source_ref"].map(area_sort_key)
    out = out.assign(_rank=rank).sort_values(["plan_year", "_rank", "activity_id"], kind="stable")
    # What a reader scans first leads; the keys that join back to the plans close the row.
    leading = ["plan_year", "source_ref", "title_en", "title_es", "area_name"]
    trailing = ["area_code", "activity_id"]
    middle = [c for c in out.columns if c not in {*leading, *trailing, "_rank"}]
    out = out[[*leading, *middle, *trailing]]
    return out.astype({"plan_year": "int64"}).reset_index(drop=True)


def instrument_mix(plans: pd.DataFrame, funder: str = "idb") -> pd.DataFrame:
    """Activities naming the funder, per instrument and year (empty for a funder without one).

    Columns: plan_year, source, instrument, n_activities, share (of the activities naming
    the funder that year). The code ``general`` reads "instrument not stated": a plan that
    names the IDB without an instrument says nothing about whether RPG funds continue.
    """
    check_funder(funder)
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
    codes = vocabulary.IDB_INSTRUMENTS
    names = _flags(resource_profile(plans), funder)["n_any_touch"].astype(bool).to_numpy()
    named = plans[names]
    years = sorted(int(y) for y in plans["plan_year"].unique())
    instrument = named[INSTRUMENT_COLUMNS[funder]]
    frame = pd.DataFrame(
        {
            "plan_year": named["plan_year"].astype("int64").to_numpy(),
            "instrument": instrument.astype(str).where(instrument.notna(), "").to_numpy(),
        }
    )
    counts = frame.groupby(["plan_year", "instrument"]).size()
    full = pd.MultiIndex.from_product([years, list(codes)], names=["plan_year", "instrument"])
    out = counts.reindex(full, fill_value=0).rename("n_activities").reset_index()
    totals = out.groupby("plan_year")["n_activities"].transform("sum").astype(float)
    out["share"] = (out["n_activities"] / totals.where(totals > 0)).fillna(0.0)
    out.insert(1, "source", funder)
    return out[columns].astype({"plan_year": "int64", "n_activities": "int64"})


# --------------------------------------------------------------------------- words


def funder_words(funder: str, lang: str) -> dict[str, str]:
    """The funder as a sentence needs it: with its article (``the_funder``: "el BID", "la
    OEA") and after "a" (``to_funder``: "al BID", "a la OEA"), so Spanish keeps its genders."""
    return {
        "the_funder": i18n.label(f"exposure.funder.{funder}", lang),
        "to_funder": i18n.label(f"exposure.to_funder.{funder}", lang),
    }


def _count_phrase(row: pd.Series, column: str, lang: str) -> str:
    return i18n.label(
        "exposure.n_of",
        lang,
        n=int(row[column]),
        total=int(row["n_activities"]),
        year=int(row["plan_year"]),
    )


def finding_title(by_year: pd.DataFrame, lang: str = "en") -> str:
    """The at-risk finding in one line, every year named: the exposure chart's title."""
    funder = str(by_year["source"].iloc[0])
    parts = [_count_phrase(row, "n_only_cash", lang) for _, row in by_year.iterrows()]
    return i18n.label(
        "exposure.title.only_cash",
        lang,
        counts=join_words(parts, lang),
        **funder_words(funder, lang),
    )


def summary(by_year: pd.DataFrame, lang: str = "en") -> str:
    """The section's findings as Markdown bullets: per year, what the plans say of the funder.

    Worded as the plans allow: a plan *names* a funder as a resource; it never says how much
    money goes where, so no sentence claims a share of funding.
    """
    words = funder_words(str(by_year["source"].iloc[0]), lang)
    lines = []
    for _, row in by_year.sort_values("plan_year").iterrows():
        lines.append(
            i18n.label(
                "exposure.summary.year",
                lang,
                year=int(row["plan_year"]),
                **words,
                n_any=int(row["n_any_touch"]),
                total=int(row["n_activities"]),
                any_share=percent(row["any_touch_share"], lang),
                n_only_cash=int(row["n_only_cash"]),
                only_cash_share=percent(row["only_cash_share"], lang),
                n_sole=int(row["n_sole_source"]),
            )
        )
    lines.append(i18n.label("exposure.summary.caveat", lang))
    return "\n".join(f"- {line}" for line in lines)


def change_summary(change: pd.DataFrame, lang: str = "en") -> str:
    """The change between the two plans, as counts and shares of each plan's activities."""
    rows = change.set_index("measure")
    only_cash = rows.loc["only_cash"]
    any_touch = rows.loc["any_touch"]
    if int(only_cash["baseline_year"]) == int(only_cash["compare_year"]):
        return no_comparison(int(only_cash["baseline_year"]), lang)
    return i18n.label(
        "exposure.change",
        lang,
        **funder_words(str(only_cash["source"]), lang),
        baseline=int(only_cash["baseline_year"]),
        compare=int(only_cash["compare_year"]),
        any_before=int(any_touch["baseline_value"]),
        any_after=int(any_touch["compare_value"]),
        cash_before=int(only_cash["baseline_value"]),
        cash_after=int(only_cash["compare_value"]),
        cash_share_before=percent(only_cash["baseline_share"], lang),
        cash_share_after=percent(only_cash["compare_share"], lang),
    )


def instrument_summary(mix: pd.DataFrame, funder: str = "idb", lang: str = "en") -> str:
    """Per year, the instruments through which the plan names the funder (or that it has none)."""
    words = funder_words(funder, lang)
    if mix.empty:
        return i18n.label("exposure.instruments.none", lang, **words)
    lines = []
    for year, rows in mix.groupby("plan_year", sort=True):
        used = [
            f"{i18n.code_label('idb_instrument', str(r.instrument), lang)}: {int(r.n_activities)}"
            for r in rows.itertuples(index=False)
            if r.n_activities > 0
        ]
        lines.append(
            i18n.label(
                "exposure.instruments.year",
                lang,
                year=int(year),
                instruments=join_words(used, lang),
                **words,
            )
        )
    lines.append(i18n.label("exposure.instruments.not_stated", lang, **words))
    return "\n".join(f"- {line}" for line in lines)


# --------------------------------------------------------------------------- chart


def plot_exposure(by_year: pd.DataFrame, *, lang: str = "en") -> Figure:
    """Activities per plan that name the funder, name it as their only cash, or as their only
    resource: bars per measure, the plans side by side in their colour and hatch.

    The title states the at-risk finding computed from the frame; counts print on the bars
    with the plan's total, since plans of different length are compared.
    """
    i18n.check_lang(lang)
    words = funder_words(str(by_year["source"].iloc[0]), lang)
    measures = [m for m in EXPOSURE_MEASURES if m != "fractional"]
    frame = by_year.sort_values("plan_year")
    years = [int(y) for y in frame["plan_year"]]
    with style.style_context():
        fig = Figure(
            figsize=(8.0, 1.9 + 0.55 * len(measures) * max(len(years), 1) / 2 + 0.6),
            layout="constrained",
        )
        ax = fig.subplots()
        span = 0.8
        width = span / max(len(years), 1)
        slots = np.arange(len(measures))
        for i, (_, row) in enumerate(frame.iterrows()):
            year = int(row["plan_year"])
            values = [int(row[MEASURE_COUNT_COLUMNS[m]]) for m in measures]
            fill = style.year_colour(year)
            bars = ax.barh(
                slots + width * (i + 0.5) - span / 2,
                values,
                width,
                facecolor=fill,
                hatch=style.year_hatch(year),
                edgecolor=style.hatch_colour(fill),
                linewidth=0.6,
            )
            texts = [
                i18n.label("exposure.bar", lang, n=v, total=int(row["n_activities"]))
                for v in values
            ]
            ax.bar_label(bars, labels=texts, padding=3, fontsize=8)
        ax.set_yticks(slots, [i18n.label(f"exposure.measure.{m}", lang, **words) for m in measures])
        ax.set_ylim(len(measures) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        ax.margins(x=0.2)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel(i18n.label("exposure.axis", lang))
        handles = [
            Patch(
                facecolor=style.year_colour(y),
                hatch=style.year_hatch(y),
                edgecolor=style.hatch_colour(style.year_colour(y)),
            )
            for y in years
        ]
        fig.legend(
            handles,
            [str(y) for y in years],
            title=i18n.label("legend.plan_year", lang),
            loc="outside right upper",
        )
        fig.suptitle(_wrapped(finding_title(frame, lang)), x=0.01, ha="left")
        ax.set_title(
            i18n.label("exposure.subtitle", lang),
            loc="left",
            fontsize=9,
            fontweight="normal",
            color=style.TEXT_GREY,
        )
        style.add_source_line(fig, years, lang)
        fig.draw_without_rendering()
    return fig


def _wrapped(text: str, width: int = TITLE_WRAP) -> str:
    return textwrap.fill(text, width)
