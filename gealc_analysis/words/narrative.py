"""Sentences of the report, written from the measures' frames in English or Spanish.

The findings a reader sees are formatted here from computed frames — never typed into a
notebook — with templates from the one label catalogue (``labels.csv``, keys
``narrative.*``). Each function takes the tidy frame(s) of a measure and returns Markdown;
every function loops over the years present, so a third plan adds sentences, not code.
A name from the data (a theme label, a funding label) enters a sentence through
``markup.markdown_text``, so it is shown as typed, never read as Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from babel.lists import format_list

from gealc_analysis.data import vocabulary
from gealc_analysis.words import i18n
from gealc_analysis.words.markup import markdown_text

PERCENT_DECIMALS = 1


def percent(share: float, lang: str) -> str:
    """The one percentage format of the narrative (tests compare the HTML against it)."""
    return i18n.format_percent(share, lang, PERCENT_DECIMALS)


def signed_percent(change: float, lang: str) -> str:
    """A relative change as a signed percentage: +46.4% / +46,4 %."""
    share = i18n.format_percent(abs(change), lang, PERCENT_DECIMALS)
    return share if change == 0 else ("+" if change > 0 else "−") + share


def number(value: float, lang: str, decimals: int = 0) -> str:
    """Every number of a sentence, counts included, in ``lang``'s convention (Babel/CLDR)."""
    return i18n.format_number(value, lang, decimals)


def join_words(words: Sequence[str], lang: str) -> str:
    """'a, b, and c' / 'a, b y c' (the locale's list pattern, ``babel.lists``) — or the
    catalogue's word for none. Items that hold the conjunction or a comma themselves are
    joined with semicolons instead, so the list stays unambiguous."""
    if not words:
        return i18n.label("narrative.none", lang)
    conjunction = i18n.label("narrative.and", lang)
    if len(words) > 1 and any(f" {conjunction} " in word or "," in word for word in words):
        return "; ".join(words)
    return format_list(list(words), locale=i18n.check_lang(lang))


def _bullets(lines: Sequence[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _theme_label_column(lang: str) -> str:
    return f"theme_label_{i18n.check_lang(lang)}"


def _row(frame: pd.DataFrame, **where: object) -> pd.Series:
    """The single row matching ``where`` (a missing row is a bug in the caller's frame)."""
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    matched = frame[mask]
    if len(matched) != 1:
        raise ValueError(f"expected one row for {where}, found {len(matched)}")
    return matched.iloc[0]


def overview(
    overview_frame: pd.DataFrame, baseline_year: int, compare_year: int, lang: str = "en"
) -> str:
    """One line per plan (activities, areas, themes, events) and the change between years."""
    lines = [
        i18n.label(
            "narrative.overview.plan",
            lang,
            year=int(row.plan_year),
            n_activities=number(row.n_activities, lang),
            n_areas=number(row.n_areas, lang),
            n_themes=number(row.n_themes, lang),
            n_events=number(row.n_events, lang),
        )
        for row in overview_frame.itertuples(index=False)
    ]
    if baseline_year == compare_year:
        return _bullets(lines)
    before = _row(overview_frame, plan_year=baseline_year)
    after = _row(overview_frame, plan_year=compare_year)
    change = (after.n_activities - before.n_activities) / before.n_activities
    summary = i18n.label(
        "narrative.overview.change",
        lang,
        baseline=baseline_year,
        compare=compare_year,
        before=number(before.n_activities, lang),
        after=number(after.n_activities, lang),
        change=signed_percent(change, lang),
    )
    return _bullets(lines) + "\n\n" + summary


def no_comparison(year: int, lang: str = "en") -> str:
    """What a section says when the baseline and comparison years are the same plan."""
    return i18n.label("narrative.no_comparison", lang, year=year)


def theme_changes(comparison: pd.DataFrame, lang: str = "en") -> str:
    """Largest rise and fall between the two years, and the themes that appear or vanish.

    Only real changes are named: no rise is reported when nothing rose, and a theme absent
    from both years is neither "new" nor "gone".
    """
    labels = _theme_label_column(lang)
    baseline = int(comparison["baseline_year"].iloc[0])
    compare = int(comparison["compare_year"].iloc[0])
    if baseline == compare:
        return no_comparison(baseline, lang)
    ranked = comparison.sort_values(["change", "theme"], ascending=[False, True])
    rise, fall = ranked.iloc[0], ranked.iloc[-1]
    before, after = comparison["baseline_value"], comparison["compare_value"]
    appeared = [markdown_text(x) for x in comparison.loc[before.eq(0) & after.gt(0), labels]]
    vanished = [markdown_text(x) for x in comparison.loc[before.gt(0) & after.eq(0), labels]]
    lines = []
    if rise.change > 0:
        lines.append(
            i18n.label(
                "narrative.themes.largest_rise",
                lang,
                theme=markdown_text(rise[labels]),
                before=number(rise.baseline_value, lang),
                after=number(rise.compare_value, lang),
                baseline=baseline,
                compare=compare,
            )
        )
    if fall.change < 0:
        lines.append(
            i18n.label(
                "narrative.themes.largest_fall",
                lang,
                theme=markdown_text(fall[labels]),
                before=number(fall.baseline_value, lang),
                after=number(fall.compare_value, lang),
            )
        )
    lines += [
        i18n.label(
            "narrative.themes.appeared",
            lang,
            baseline=baseline,
            compare=compare,
            themes=join_words(appeared, lang),
        ),
        i18n.label(
            "narrative.themes.vanished",
            lang,
            baseline=baseline,
            compare=compare,
            themes=join_words(vanished, lang),
        ),
    ]
    return _bullets(lines)


def _activities(dependence: pd.DataFrame, year: int) -> int:
    """Activities in a year, recovered from the fractional weights (they sum to one each)."""
    rows = dependence[(dependence["plan_year"] == year) & (dependence["measure"] == "fractional")]
    return round(rows["value"].sum())


def funding(dependence: pd.DataFrame, source: str = "idb", lang: str = "en") -> str:
    """A source's any-touch, fractional and sole-source shares, year by year.

    The source's label opens the sentence after a dash, so no template assumes an article
    or a gender ("el BID" but "la OEA"), and the verb is "named": the plans name resources,
    never amounts, and mix money with staff time.
    """
    name = markdown_text(i18n.code_label("funding", source, lang))  # funding_codes.csv
    lines = []
    for year in sorted(dependence["plan_year"].unique()):
        shares = {
            measure: _row(dependence, plan_year=year, source=source, measure=measure)
            for measure in vocabulary.FUNDING_MEASURES
        }
        lines.append(
            i18n.label(
                "narrative.funding.year",
                lang,
                year=int(year),
                source=name,
                any_touch=percent(shares["any_touch"].share, lang),
                fractional=percent(shares["fractional"].share, lang),
                sole_source=percent(shares["sole_source"].share, lang),
                n_sole=number(shares["sole_source"].value, lang),
                n_total=number(_activities(dependence, year), lang),
            )
        )
    return _bullets(lines)


def main_sources(dependence: pd.DataFrame, lang: str = "en") -> str:
    """Per year, the source that touches the most activities."""
    touched = dependence[dependence["measure"] == "any_touch"]
    lines = []
    for year, rows in touched.groupby("plan_year", sort=True):
        top = rows.sort_values(["share", "source"], ascending=[False, True]).iloc[0]
        lines.append(
            i18n.label(
                "narrative.funding.top_source",
                lang,
                year=int(year),
                source=markdown_text(i18n.code_label("funding", top.source, lang)),
                share=percent(top.share, lang),
            )
        )
    return _bullets(lines)


def theme_shifts(
    shifts: pd.DataFrame, baseline_year: int, compare_year: int, lang: str = "en"
) -> str:
    """The themes grouped by how they changed (new, retired, merged, renamed, continued).

    Each group is headed by a plural noun phrase ("New themes" / "Temas nuevos"), so the
    Spanish adjective agrees with "temas" whatever the theme labels are.
    """
    if baseline_year == compare_year:
        return no_comparison(baseline_year, lang)
    labels = _theme_label_column(lang)
    lines = []
    for relation in vocabulary.THEME_RELATIONS:
        themes = [markdown_text(x) for x in shifts.loc[shifts["relation"] == relation, labels]]
        if themes:
            lines.append(
                f"**{i18n.label(f'narrative.theme_relation.{relation}', lang)}**: "
                f"{join_words(themes, lang)}"
            )
    return _bullets(lines)


def diversity(diversity_frame: pd.DataFrame, lang: str = "en") -> str:
    """Shannon entropy, its normalised form and the effective number of themes per year."""
    lines = [
        i18n.label(
            "narrative.themes.diversity",
            lang,
            year=int(row.plan_year),
            entropy=number(row.entropy, lang, 2),
            normalised=number(row.normalised_entropy, lang, 2),
            effective=number(row.effective_n_themes, lang, 1),
            n_categories=number(row.n_categories, lang),
        )
        for row in diversity_frame.itertuples(index=False)
    ]
    return _bullets(lines)


def semester_load(load: pd.DataFrame, event_load: pd.DataFrame, lang: str = "en") -> str:
    """Activities per timing class and the event-weighted split, year by year."""
    lines = []
    for year in sorted(load["plan_year"].unique()):
        counts = {
            row.timing: int(row.n_activities)
            for row in load[load["plan_year"] == year].itertuples(index=False)
        }
        events = {
            row.timing: row.share
            for row in event_load[event_load["plan_year"] == year].itertuples(index=False)
        }
        lines.append(
            i18n.label(
                "narrative.semester.year",
                lang,
                year=int(year),
                s1=number(counts["S1"], lang),
                s2=number(counts["S2"], lang),
                year_round=number(counts["year_round"], lang),
                tbd=number(counts["tbd"], lang),
                s1_events=percent(events["S1"], lang),
                s2_events=percent(events["S2"], lang),
                tbd_events=percent(events["tbd"], lang),
            )
        )
    return _bullets(lines)
