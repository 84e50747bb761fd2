"""The report's headlines in a reader's words: the key numbers, the findings (each at most 35
words, plain words, only **bold**), each finding's one-line robustness and the questions for
the Committee, in English or Spanish (templates ``findings.*`` in ``labels.csv``).

Everything here renders a :class:`gealc_analysis.measures.findings.Headlines`; no number is
computed here, none is typed. The index (pages) and the brief use only these functions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from gealc_analysis.data.bundle import DataBundle
from gealc_analysis.measures import findings as measures
from gealc_analysis.measures.counts import MIN_BASE_FOR_PERCENT
from gealc_analysis.measures.findings import Figure, Finding, Headlines, KeyNumber, Question
from gealc_analysis.words import i18n
from gealc_analysis.words.markup import markdown_text
from gealc_analysis.words.narrative import join_words

# The longest a finding may be, in words (issue 17: read in 30 seconds).
MAX_WORDS = 35
# A robustness line names at most this many decisions (file order), then counts the rest.
MAX_DECISIONS_NAMED = 2


def _count(value: float, lang: str) -> str:
    return i18n.format_number(value, lang, 0 if float(value).is_integer() else 1)


def _years(figure: Figure) -> dict[str, str]:
    """{year} of a plan's figure, {y0} and {y1} of a pair's."""
    if "→" in figure.plan:
        y0, y1 = figure.plan.split("→")
        return {"y0": y0, "y1": y1, "year": y1}
    return {"year": figure.plan}


def _figure(
    figure: Figure, lang: str, value: float | None = None, base: float | None = None
) -> str:
    """The figure as a reader reads it: "11 of 15" when it has a base, else "41"."""
    shown = figure.value if value is None else value
    total = figure.base if base is None else base
    if not math.isnan(total):
        return i18n.label("findings.n_of", lang, n=_count(shown, lang), total=_count(total, lang))
    return _count(shown, lang)


def number_text(number: KeyNumber, lang: str = "en") -> str:
    """The large number of a key number: "11 of 15" or "41"."""
    i18n.check_lang(lang)
    return _figure(number.figure, lang)


def number_label(number: KeyNumber, lang: str = "en") -> str:
    """The one-line label under a key number (``findings.number.<key>``)."""
    i18n.check_lang(lang)
    return i18n.label(f"findings.number.{number.key}", lang, **_years(number.figure))


def _decision_words(decision: str, lang: str) -> str:
    """A decision as a short phrase ("how repeated items are counted"); a decision without
    one (added with its alternatives by another data file) reads by its catalogue name."""
    key = f"findings.decision.{decision}"
    if key in i18n.load_catalogue():
        return i18n.label(key, lang)
    return i18n.label(f"robustness.decision.{decision}", lang)


def _by_effect(finding: Finding) -> list[str]:
    """The finding's decisions, those that move its figures most first (file order among
    equals): how much a reading changes a figure's value or its base."""
    effect = dict.fromkeys(finding.depends_on, 0.0)
    for figure in finding.figures.values():
        for reading in figure.readings:
            if reading.decision not in effect:
                continue
            moved = abs(reading.value - figure.value)
            if not (math.isnan(reading.base) or math.isnan(figure.base)):
                moved = max(moved, abs(reading.base - figure.base))
            if not math.isnan(moved):
                effect[reading.decision] = max(effect[reading.decision], moved)
    order = list(finding.depends_on)
    return sorted(order, key=lambda d: (-effect[d], order.index(d)))


def robustness_line(finding: Finding, lang: str = "en") -> str:
    """One short line: "Holds under every coding." or "Depends on how X is read; see
    section 07." (the decisions that move its figures most first; beyond two, the rest
    counted)."""
    i18n.check_lang(lang)
    if finding.holds_everywhere or not finding.depends_on:
        return i18n.label("findings.robustness.holds", lang)
    named = [_decision_words(d, lang) for d in _by_effect(finding)[:MAX_DECISIONS_NAMED]]
    more = len(finding.depends_on) - len(named)
    if more:
        key = (
            "findings.robustness.depends_one_more"
            if more == 1
            else "findings.robustness.depends_more"
        )
        return i18n.label(key, lang, decisions=", ".join(named), more=more)
    return i18n.label("findings.robustness.depends", lang, decisions=join_words(named, lang))


def _condition(decision: str, alternative: str, lang: str) -> str:
    return i18n.label(f"robustness.if.{decision}.{alternative}", lang)


def _bold(text: str) -> str:
    return f"**{text}**"


def _activities(finding: Finding, lang: str) -> str:
    n0, n1, change = finding.figures["n0"], finding.figures["n1"], finding.figures["change"]
    shown = i18n.format_signed(change.value, lang)
    if n0.value >= MIN_BASE_FOR_PERCENT:
        percent = i18n.format_percent(change.value / n0.value, lang, 0)
        shown += f", {'+' if change.value > 0 else ''}{percent}"
    # The other counts each reading gives (e.g. repeated items counted once).
    others = {(r.decision, r.alternative): r.value for r in n1.readings}
    readings = [
        i18n.label(
            "findings.activities_reading",
            lang,
            n1=_count(value, lang),
            n0=_count(
                next(
                    (r.value for r in n0.readings if (r.decision, r.alternative) == pair),
                    n0.value,
                ),
                lang,
            ),
            condition=_condition(*pair, lang),
        )
        for pair, value in others.items()
    ]
    return i18n.label(
        "findings.activities",
        lang,
        y0=n0.plan,
        y1=n1.plan,
        n0=_bold(_count(n0.value, lang)),
        n1=_bold(_count(n1.value, lang)),
        change=shown,
        readings="".join(f"; {reading}" for reading in readings),
    )


def _idb_only_cash(finding: Finding, lang: str) -> str:
    a0, a1 = finding.figures["a0"], finding.figures["a1"]
    return i18n.label(
        "findings.idb_only_cash",
        lang,
        y0=a0.plan,
        y1=a1.plan,
        a0=_bold(_figure(a0, lang)),
        a1=_bold(_figure(a1, lang)),
    )


def _idb_instrument(finding: Finding, lang: str) -> str:
    k0, k1 = finding.figures["k0"], finding.figures["k1"]
    key = "findings.idb_instrument_none" if k1.value == 0 else "findings.idb_instrument"
    return i18n.label(
        key,
        lang,
        y0=k0.plan,
        y1=k1.plan,
        k0=_bold(_figure(k0, lang)),
        k1=_bold(_figure(k1, lang)),
        n1=_bold(_count(k1.base, lang)),
    )


def _range(figure: Figure, lang: str) -> str:
    """ " (16–20 by coding)" when the codings move the figure, else ""."""
    if figure.low == figure.high:
        return ""
    return i18n.label(
        "findings.range", lang, low=_count(figure.low, lang), high=_count(figure.high, lang)
    )


def _carried_over(finding: Finding, lang: str) -> str:
    carried, new = finding.figures["carried"], finding.figures["new"]
    return i18n.label(
        "findings.carried_over",
        lang,
        **_years(carried),
        carried=_bold(_figure(carried, lang)) + _range(carried, lang),
        new=_bold(_figure(new, lang)) + _range(new, lang),
    )


def _themes_new(finding: Finding, lang: str) -> str:
    figure = finding.figures["themes"]
    names = [
        markdown_text(finding.labels.get(key, {}).get(lang, key))  # the crosswalk's labels
        for key in finding.names.get("themes", ())
    ]
    return i18n.label("findings.themes_new", lang, **_years(figure), themes=join_words(names, lang))


_SENTENCES = {
    "activities": _activities,
    "idb_only_cash": _idb_only_cash,
    "idb_instrument": _idb_instrument,
    "carried_over": _carried_over,
    "themes_new": _themes_new,
}


def finding_sentence(finding: Finding, lang: str = "en") -> str:
    """The finding in plain words (Markdown, only **bold**, at most ``MAX_WORDS`` words)."""
    i18n.check_lang(lang)
    return _SENTENCES[finding.key](finding, lang)


def question_sentence(question: Question, lang: str = "en") -> str:
    """A question the data raises for the Committee (never a recommendation)."""
    i18n.check_lang(lang)
    key = f"findings.question.{question.key}"
    if question.key == "idb_instrument":
        figure = question.figures["n"]
        return i18n.label(key, lang, year=figure.plan, n=_bold(_count(figure.value, lang)))
    # A contested kind of resource: the fair measure under the other reading.
    fmt: dict[str, str] = {}
    for slot, figure in question.figures.items():
        other = next((r for r in figure.readings if r.decision == question.key), None)
        fmt[slot] = _bold(_figure(figure, lang))
        fmt[f"{slot}_other"] = (
            _bold(_figure(figure, lang, other.value, other.base)) if other else fmt[slot]
        )
        fmt[f"y_{slot}"] = figure.plan
    return i18n.label(key, lang, **fmt)


def headlines(bundle: DataBundle, baseline_year: int, compare_year: int) -> Headlines:
    """The headlines of a comparison (``measures.findings.headlines``)."""
    return measures.headlines(bundle, baseline_year, compare_year)


def key_findings(
    bundle: DataBundle, baseline_year: int, compare_year: int, lang: str = "en"
) -> list[str]:
    """The finding sentences of the comparison, most needed first (at most five, each at
    most ``MAX_WORDS`` words). Reads nothing but the bundle."""
    i18n.check_lang(lang)
    if baseline_year == compare_year:
        return [i18n.label("narrative.no_comparison", lang, year=baseline_year)]
    found = measures.headlines(bundle, baseline_year, compare_year).findings
    return [finding_sentence(finding, lang) for finding in found]


def caveat(lang: str = "en") -> str:
    """The one line every reader of the findings needs."""
    return i18n.label("findings.caveat", lang)


def key_findings_markdown(
    bundle: DataBundle, baseline_year: int, compare_year: int, lang: str = "en"
) -> str:
    """The findings as a Markdown list, each with its robustness line, then the caveat."""
    i18n.check_lang(lang)
    if baseline_year == compare_year:
        return key_findings(bundle, baseline_year, compare_year, lang)[0]
    found = measures.headlines(bundle, baseline_year, compare_year).findings
    lines = [f"- {finding_sentence(f, lang)} *{robustness_line(f, lang)}*" for f in found]
    return "\n".join(lines) + f"\n\n*{caveat(lang)}*"


def word_count(sentence: str) -> int:
    """Words of a sentence as a reader counts them (Markdown marks left out)."""
    return len(sentence.replace("**", "").split())


__all__: Sequence[str] = (
    "MAX_WORDS",
    "caveat",
    "finding_sentence",
    "headlines",
    "key_findings",
    "key_findings_markdown",
    "number_label",
    "number_text",
    "question_sentence",
    "robustness_line",
    "word_count",
)
