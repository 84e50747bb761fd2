"""Funding in a reader's words: the funder with its article, the exposure findings and their
change, the instruments, and the labels the funding tables carry (area names, resources).

The numbers come from :mod:`gealc_analysis.measures.funding`; worded as the plans allow: a plan
*names* a funder as a resource, it never says how much money goes where.
"""

from __future__ import annotations

import pandas as pd

from gealc_analysis.data.vocabulary import split_funding
from gealc_analysis.words import i18n
from gealc_analysis.words.narrative import join_words, no_comparison, percent
from gealc_analysis.words.tables import area_names


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


def fair_summary(fair: pd.DataFrame, lang: str = "en") -> str:
    """``funding.only_cash_among_cash`` as Markdown bullets: per year, of the activities that
    name any cash, those whose only cash is the funder (activities naming only staff time
    cannot depend on a funder's money, so they are not in the base)."""
    if fair.empty:
        return ""
    words = funder_words(str(fair["source"].iloc[0]), lang)
    lines = [
        "- "
        + i18n.label(
            "exposure.fair.year",
            lang,
            year=int(row.plan_year),
            n=int(row.only_cash),
            total=int(row.n_any_cash),
            **words,
        )
        for row in fair.sort_values("plan_year").itertuples()
    ]
    return "\n".join(lines)


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


# --------------------------------------------------------------------------- tables


def at_risk_table(at_risk: pd.DataFrame, themes: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """``funding.at_risk_activities`` for a reader in ``lang``: the area's name (from the
    crosswalk) after the titles, and the other resources as labels (the catalogue's "none"
    when there are none)."""
    i18n.check_lang(lang)
    names = area_names(themes, lang)
    out = at_risk.copy()
    out.insert(
        out.columns.get_loc("title_es") + 1,
        "area_name",
        [
            names.get((int(y), str(code)), "")
            for y, code in zip(out["plan_year"], out["area_code"], strict=True)
        ],
    )
    none = i18n.label("narrative.none", lang)
    out["other_resources"] = [
        "; ".join(i18n.code_label("funding", code, lang) for code in split_funding(cell)) or none
        for cell in out["other_resources"]
    ]
    return out


def with_resource_labels(mix: pd.DataFrame) -> pd.DataFrame:
    """``funding.resource_mix`` with the name of each resource mix in every language."""
    out = mix.copy()
    for lang in i18n.SUPPORTED_LANGS:
        out[f"resources_label_{lang}"] = [
            i18n.label(f"resources.{code}", lang) for code in out["resources"]
        ]
    return out
