"""The report's key findings: a few plain sentences, each a change between two plans.

What the Executive Committee and the IDB need first, generated from the computed tables in
English or Spanish (templates ``findings.*`` in ``labels.csv``). Every number comes with its
base (n of N) and, where meaningful, its share. A figure that holds under every alternative
coding (``robustness``) is stated as fact; one that does not carries the readings it depends
on, e.g. "124 (52 if the 2020 'semimonthly' meetings were every two months)".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from gealc_analysis.data.alternatives import decisions, primary_choice
from gealc_analysis.data.bundle import DataBundle
from gealc_analysis.measures import robustness
from gealc_analysis.measures.counts import MIN_BASE_FOR_PERCENT
from gealc_analysis.measures.funding import NOT_STATED, instrument_mix
from gealc_analysis.measures.themes import count_by_theme
from gealc_analysis.words import i18n
from gealc_analysis.words.narrative import join_words, percent, signed_percent
from gealc_analysis.words.robustness import theme_labels


@dataclass(frozen=True)
class _Context:
    """The multiverse of one comparison and how to word it."""

    plans: pd.DataFrame
    themes: pd.DataFrame
    universe: pd.DataFrame
    table: pd.DataFrame
    alternatives: pd.DataFrame
    labels: dict[str, str]
    baseline: int
    compare: int
    lang: str

    @property
    def pair(self) -> str:
        return f"{self.baseline}→{self.compare}"

    def row(self, headline: str, plan: int | str) -> pd.Series:
        rows = self.table[(self.table["headline"] == headline) & (self.table["plan"] == str(plan))]
        return rows.iloc[0]

    def value(self, headline: str, plan: int | str) -> float:
        return float(self.row(headline, plan)["primary_value"])

    def count(self, headline: str, plan: int | str) -> int:
        return int(round(self.value(headline, plan)))

    def readings(self, headline: str, plan: int | str) -> list[tuple[str, str, float, str]]:
        """(decision, alternative, value, text) of each other reading that changes it."""
        row = self.row(headline, plan)
        primary = primary_choice(self.alternatives)
        out = []
        for decision in [d for d in str(row["depends_on"]).split(";") if d]:
            values = robustness.value_by_alternative(
                self.universe, self.alternatives, headline, str(plan), decision
            )
            for alternative, (value, text) in values.items():
                if alternative != primary[decision] and (
                    value != row["primary_value"] or text != row["primary_text"]
                ):
                    out.append((decision, alternative, value, text))
        return out

    def condition(self, decision: str, alternative: str) -> str:
        return i18n.label(f"robustness.if.{decision}.{alternative}", self.lang)

    def n_of(self, n: int, total: int) -> str:
        return i18n.label("findings.n_of", self.lang, n=n, total=total)

    def share(self, n: float, total: float) -> str:
        """The share as a percentage, or "" when the base is too small to mean much."""
        if total < MIN_BASE_FOR_PERCENT:
            return ""
        return percent(n / total, self.lang)

    def other_readings(self, headline: str, plan: int | str, total: int | None = None) -> list[str]:
        """ "52 if the 2020 'semimonthly' meetings were every two months", for each reading
        that changes the figure (none when it holds under every coding)."""
        return [
            i18n.label(
                "findings.reading",
                self.lang,
                value=self.n_of(int(value), total) if total else _count(value, self.lang),
                condition=self.condition(decision, alternative),
            )
            for decision, alternative, value, _ in self.readings(headline, plan)
        ]

    def figure(self, headline: str, plan: int, total: int | None = None) -> str:
        """The figure in bold (n of N when ``total`` is given), then in brackets its share and
        the other readings it depends on: "**4 of 41** (9.8%; 5 of 41 if …)"."""
        value = self.count(headline, plan)
        shown = self.n_of(value, total) if total else _count(value, self.lang)
        extras = [self.share(value, total)] if total else []
        extras += self.other_readings(headline, plan, total)
        extras = [extra for extra in extras if extra]
        return f"**{shown}**" + (f" ({'; '.join(extras)})" if extras else "")

    def readings_after(self, headline: str, plan: int) -> str:
        """The other readings of a figure, in brackets, to follow its phrase ("" if robust)."""
        others = self.other_readings(headline, plan)
        return f" ({'; '.join(others)})" if others else ""


def _count(value: float, lang: str) -> str:
    return i18n.format_number(value, lang, 0 if float(value).is_integer() else 1)


def key_findings(
    bundle: DataBundle, baseline_year: int, compare_year: int, lang: str = "en"
) -> list[str]:
    """3–6 Markdown sentences (only ``**bold**``), each a change from the baseline plan to the
    comparison plan with its counts and shares, most needed first: the IDB as the only cash,
    the IDB instrument, new and dropped themes, the size of the plan, the OAS, events.

    Figures that change under an alternative coding of ``bundle.alternatives`` are given with
    it. Reads nothing but the bundle.
    """
    i18n.check_lang(lang)
    if baseline_year == compare_year:
        return [i18n.label("narrative.no_comparison", lang, year=baseline_year)]
    plans, themes, alts = bundle.plans, bundle.themes, bundle.alternatives
    universe = robustness.multiverse(plans, themes, alts, baseline_year, compare_year)
    table = robustness.robustness_table(universe, list(decisions(alts)))
    ctx = _Context(
        plans,
        themes,
        universe,
        table,
        alts,
        theme_labels(themes, alts, lang),
        baseline_year,
        compare_year,
        lang,
    )
    sentences = [
        _idb_cash(ctx),
        _idb_instrument(ctx),
        _themes(ctx),
        _activities(ctx),
        _oas(ctx),
        _events(ctx),
    ]
    return [sentence for sentence in sentences if sentence]


def caveat(lang: str = "en") -> str:
    """The one line every reader of the findings needs."""
    return i18n.label("findings.caveat", lang)


# --------------------------------------------------------------------------- sentences


def _idb_cash(ctx: _Context) -> str:
    y0, y1 = ctx.baseline, ctx.compare
    n0, n1 = ctx.count("n_activities", y0), ctx.count("n_activities", y1)
    r0, r1 = ctx.count("idb_only_resource", y0), ctx.count("idb_only_resource", y1)
    return i18n.label(
        "findings.idb_only_cash",
        ctx.lang,
        y0=y0,
        y1=y1,
        a0=ctx.figure("idb_only_cash", y0, n0),
        a1=ctx.figure("idb_only_cash", y1, n1),
        r0=ctx.n_of(r0, n0),
        r1=ctx.n_of(r1, n1),
    )


def _idb_instrument(ctx: _Context) -> str:
    y0, y1 = ctx.baseline, ctx.compare
    k0, k1 = ctx.count("idb_instrument_named", y0), ctx.count("idb_instrument_named", y1)
    n0, n1 = ctx.count("idb_named", y0), ctx.count("idb_named", y1)
    if n0 == 0 and n1 == 0:
        return ""
    mix = instrument_mix(ctx.plans, "idb")
    named = mix[
        (mix["plan_year"] == y0) & (mix["instrument"] != NOT_STATED) & (mix["n_activities"] > 0)
    ]
    instruments = join_words(
        [
            f"{i18n.code_label('idb_instrument', row.instrument, ctx.lang)}: "
            f"{int(row.n_activities)}"
            for row in named.itertuples()
        ],
        ctx.lang,
    )
    key = "findings.idb_instrument_none" if k1 == 0 else "findings.idb_instrument"
    return i18n.label(
        key,
        ctx.lang,
        y0=y0,
        y1=y1,
        k0=ctx.n_of(k0, n0),
        k1=ctx.n_of(k1, n1),
        n1=n1,
        instruments=instruments,
    )


def _activities(ctx: _Context) -> str:
    y0, y1 = ctx.baseline, ctx.compare
    n0, n1 = ctx.count("n_activities", y0), ctx.count("n_activities", y1)
    change = i18n.format_signed(n1 - n0, ctx.lang)
    if n0 >= MIN_BASE_FOR_PERCENT:
        change += f", {signed_percent((n1 - n0) / n0, ctx.lang)}"
    return i18n.label(
        "findings.activities",
        ctx.lang,
        y0=y0,
        y1=y1,
        n0=ctx.figure("n_activities", y0),
        n1=ctx.figure("n_activities", y1),
        change=change,
    )


def _theme_list(
    ctx: _Context, keys: Sequence[str], year: int, counts: dict[str, int], total: int
) -> str:
    def counted(key: str) -> str:
        n = counts.get(key, 0)
        share = ctx.share(n, total)
        return f"{ctx.n_of(n, total)}, {share}" if share else ctx.n_of(n, total)

    return join_words([f"{ctx.labels.get(k, k)} ({counted(k)})" for k in keys], ctx.lang)


def _themes(ctx: _Context) -> str:
    y0, y1 = ctx.baseline, ctx.compare
    universe = ctx.universe[ctx.universe["plan"] == ctx.pair]
    counts = _theme_counts(ctx, y1)
    total = ctx.count("n_activities", y1)
    new_row = ctx.row("themes_new", ctx.pair)
    primary_new = [t for t in str(new_row["primary_text"]).split(";") if t]
    every_new = _names_everywhere(universe[universe["headline"] == "themes_new"])
    robust = [t for t in primary_new if t in every_new]
    parts = [
        i18n.label(
            "findings.themes_new",
            ctx.lang,
            y0=y0,
            y1=y1,
            themes=_theme_list(ctx, robust, y1, counts, total),
        )
        if robust
        else i18n.label("findings.themes_new_none", ctx.lang, y0=y0, y1=y1)
    ]
    dependent = [t for t in primary_new if t not in every_new]
    if dependent:
        conditions = [
            ctx.condition(d, a)
            for d, a, _, text in ctx.readings("themes_new", ctx.pair)
            if not set(dependent) <= set(text.split(";"))
        ]
        parts.append(
            i18n.label(
                "findings.themes_new_dependent",
                ctx.lang,
                themes=_theme_list(ctx, dependent, y1, counts, total),
                conditions=join_words(conditions, ctx.lang),
            )
        )
    dropped = [t for t in str(ctx.row("themes_dropped", ctx.pair)["primary_text"]).split(";") if t]
    if not dropped:
        readings = [
            i18n.label(
                "findings.themes_dropped_if",
                ctx.lang,
                themes=join_words([ctx.labels.get(t, t) for t in text.split(";") if t], ctx.lang),
                condition=ctx.condition(decision, alternative),
            )
            for decision, alternative, _, text in ctx.readings("themes_dropped", ctx.pair)
        ]
        parts.append(
            i18n.label(
                "findings.themes_dropped_none",
                ctx.lang,
                y0=y0,
                y1=y1,
                readings=f" ({'; '.join(readings)})" if readings else "",
            )
        )
    else:
        parts.append(
            i18n.label(
                "findings.themes_dropped",
                ctx.lang,
                y0=y0,
                y1=y1,
                themes=join_words([ctx.labels.get(t, t) for t in dropped], ctx.lang),
            )
        )
    return " ".join(parts)


def _theme_counts(ctx: _Context, year: int) -> dict[str, int]:
    """Activities per theme as curated (the primary coding is the curated data)."""
    counts = count_by_theme(ctx.plans, ctx.themes)
    rows = counts[counts["plan_year"] == year]
    return dict(zip(rows["theme"], rows["n_activities"].astype(int), strict=True))


def _names_everywhere(rows: pd.DataFrame) -> set[str]:
    """The names every coding gives (intersection over the multiverse)."""
    sets = [set(t for t in str(text).split(";") if t) for text in rows["text"]]
    return set.intersection(*sets) if sets else set()


def _oas(ctx: _Context) -> str:
    y0, y1 = ctx.baseline, ctx.compare
    n0, n1 = ctx.count("n_activities", y0), ctx.count("n_activities", y1)
    o0, o1 = ctx.count("oas_named", y0), ctx.count("oas_named", y1)
    if o0 == 0 and o1 == 0 and ctx.row("oas_named", y1)["holds_everywhere"]:
        return ""
    return i18n.label(
        "findings.oas",
        ctx.lang,
        y0=y0,
        y1=y1,
        a0=ctx.figure("oas_named", y0, n0),
        a1=ctx.figure("oas_named", y1, n1),
    )


def _events(ctx: _Context) -> str:
    y0, y1 = ctx.baseline, ctx.compare
    e0, e1 = ctx.value("n_events", y0), ctx.value("n_events", y1)
    change = ctx.row("n_events_change", ctx.pair)
    if change["holds_everywhere"]:
        word = "findings.events_fall" if change["primary_value"] < 0 else "findings.events_rise"
        verdict = i18n.label(word, ctx.lang)
    else:
        verdict = i18n.label("findings.events_direction_depends", ctx.lang)
    if math.isnan(e0) or math.isnan(e1):
        return ""
    return i18n.label(
        "findings.events",
        ctx.lang,
        y0=y0,
        y1=y1,
        e0=f"**{_count(e0, ctx.lang)}**",
        r0=ctx.readings_after("n_events", y0),
        e1=f"**{_count(e1, ctx.lang)}**",
        r1=ctx.readings_after("n_events", y1),
        verdict=verdict,
    )


def key_findings_markdown(
    bundle: DataBundle, baseline_year: int, compare_year: int, lang: str = "en"
) -> str:
    """The key findings as a Markdown list followed by the caveat in italics."""
    sentences = key_findings(bundle, baseline_year, compare_year, lang)
    return "\n".join(f"- {s}" for s in sentences) + f"\n\n*{caveat(lang)}*"
