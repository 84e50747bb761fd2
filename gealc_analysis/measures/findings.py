"""The report's headlines as data: key numbers, findings and questions, each figure with the
range the contested codings give it (codes and numbers; the words are
``gealc_analysis.words.findings``).

Every figure is a row of the robustness table (``robustness.robustness_table`` of the
multiverse), so a number on the front page, its range and the decisions it depends on come
from the same code as section 07. A finding is listed only when what it states holds, or
when its dependence is itself the finding's qualifier (given in its robustness line); a
"whether it fell or rose depends…" is never a finding. Generic in the plans compared: the
figures are chosen by headline key and plan, never by value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from gealc_analysis.data.alternatives import decisions, primary_choice
from gealc_analysis.data.bundle import DataBundle
from gealc_analysis.measures import robustness
from gealc_analysis.measures import themes as theme_measures


@dataclass(frozen=True)
class Reading:
    """Another coding that changes a figure."""

    decision: str  # decision key of alternative_codings.csv
    alternative: str
    value: float
    text: str  # ";"-joined codes for a label headline, else ""
    base: float = math.nan  # the N of "n of N" under this alternative (NaN when none)


@dataclass(frozen=True)
class Figure:
    """One headline figure of the robustness table."""

    headline: str  # key of measures.robustness.HEADLINES
    plan: str  # "2024", or "2020→2024" for a change
    value: float  # primary coding
    low: float  # min over the multiverse
    high: float  # max over the multiverse
    base: float  # the N of "n of N" (NaN when none)
    holds_everywhere: bool
    depends_on: tuple[str, ...]  # decision keys, file order
    readings: tuple[Reading, ...]  # each alternative that changes the stated fact
    text: str = ""  # primary ";"-joined codes of a label headline


@dataclass(frozen=True)
class KeyNumber:
    """One large number of the front page and the brief."""

    key: str  # words: label "findings.number.<key>" (one-line label)
    figure: Figure  # the number shown is figure.value (with figure.base if any)


@dataclass(frozen=True)
class Finding:
    """One finding: words "findings.<key>" (<= 35 words)."""

    key: str
    figures: Mapping[str, Figure]  # template slot -> figure
    names: Mapping[str, tuple[str, ...]]  # template slot -> codes (themes, instruments…)
    holds_everywhere: bool  # all its figures hold
    depends_on: tuple[str, ...]  # union of its figures' decisions
    section: str  # notebook stem it links to, e.g. "03_funding_dependence"
    # Names that are data (theme labels of the crosswalk) travelling with their codes:
    # code -> {"en": …, "es": …}; empty when the names are codes of the label catalogue.
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Question:
    """ "For the Committee": a question the data raises, never advice."""

    key: str  # words: "findings.question.<key>"
    figures: Mapping[str, Figure]
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Headlines:
    baseline_year: int
    compare_year: int
    numbers: tuple[KeyNumber, ...]  # 3–5
    findings: tuple[Finding, ...]  # <= 5, most needed first; non-findings never listed
    questions: tuple[Question, ...]  # 1–3


# The section each finding links to (notebook stems).
SECTION_OVERVIEW = "01_overview"
SECTION_FUNDING = "03_funding_dependence"
SECTION_THEMES = "04_theme_shifts"
SECTION_LINEAGE = "06_what_carried_over"
SECTION_ROBUSTNESS = "07_robustness"

# Contested readings of a kind of resource that a question for the Committee can settle
# (decision keys of alternative_codings.csv; words "findings.question.<key>").
KIND_QUESTIONS: tuple[str, ...] = ("idb_consultant", "oas_support")


class _Table:
    """The robustness of one comparison (the multiverse's cells and table), as Figures."""

    def __init__(self, bundle: DataBundle, baseline_year: int, compare_year: int) -> None:
        self.alternatives = bundle.alternatives
        self.cells = {
            (cell.headline, cell.plan): cell
            for cell in robustness.bundle_cells(bundle, baseline_year, compare_year)
        }
        table = robustness.cells_table(tuple(self.cells.values()), bundle.alternatives)
        self.rows = {(str(row.headline), str(row.plan)): row for row in table.itertuples()}
        self.primary = primary_choice(bundle.alternatives)

    def has(self, headline: str, plan: object) -> bool:
        return (headline, str(plan)) in self.rows

    def names_everywhere(self, headline: str, plan: str) -> set[str]:
        """The names every coding gives (intersection over the multiverse)."""
        sets = [set(_codes(text)) for text in self.cells[(headline, plan)].texts]
        return set.intersection(*sets) if sets else set()

    def figure(self, headline: str, plan: object) -> Figure:
        plan = str(plan)
        row = self.rows[(headline, plan)]
        cell = self.cells[(headline, plan)]
        depends = tuple(d for d in str(row.depends_on).split(";") if d)
        readings = []
        for decision in depends:
            values = robustness.cell_by_alternative(cell, self.alternatives, decision)
            for alternative, (value, text, base) in values.items():
                if alternative == self.primary[decision]:
                    continue
                if (
                    _differs(value, float(row.primary_value))
                    or _differs(base, float(cell.bases[0]))
                    or text != str(row.primary_text)
                ):
                    readings.append(Reading(decision, alternative, value, text, base))
        return Figure(
            headline=headline,
            plan=plan,
            value=float(row.primary_value),
            low=float(row.min_value),
            high=float(row.max_value),
            base=float(cell.bases[0]),
            holds_everywhere=bool(row.holds_everywhere),
            depends_on=depends,
            readings=tuple(readings),
            text=str(row.primary_text),
        )


def _differs(a: float, b: float) -> bool:
    if math.isnan(a) and math.isnan(b):
        return False
    return round(a, 9) != round(b, 9)


def _finding(
    key: str,
    figures: Mapping[str, Figure],
    section: str,
    names: Mapping[str, tuple[str, ...]] | None = None,
    decision_order: Mapping[str, int] | None = None,
) -> Finding:
    order = decision_order or {}
    depends = sorted(
        {d for figure in figures.values() for d in figure.depends_on},
        key=lambda d: order.get(d, len(order)),
    )
    return Finding(
        key=key,
        figures=dict(figures),
        names=dict(names or {}),
        holds_everywhere=all(figure.holds_everywhere for figure in figures.values()),
        depends_on=tuple(depends),
        section=section,
    )


def _theme_names(bundle: DataBundle, keys: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """The crosswalk's names of some themes, in both languages (data, not labels)."""
    table = theme_measures.theme_table(bundle.themes).set_index("theme")
    return {
        key: {lang: str(table.at[key, f"theme_label_{lang}"]) for lang in ("en", "es")}
        for key in keys
        if key in table.index
    }


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code for code in str(text).split(";") if code)


def headlines(bundle: DataBundle, baseline_year: int, compare_year: int) -> Headlines:
    """The key numbers, findings (most needed first) and questions of one comparison.

    Reads nothing but the bundle. A finding whose stated fact is a direction that the
    codings reverse is left out (it is not a finding); one whose figures only move in size
    is kept and carries ``depends_on``.
    """
    y0, y1, pair = baseline_year, compare_year, f"{baseline_year}→{compare_year}"
    table = _Table(bundle, baseline_year, compare_year)
    order = {d: i for i, d in enumerate(decisions(bundle.alternatives))}
    fig = table.figure
    if y0 == y1:  # one plan: its numbers, and no change to state or question to raise
        return Headlines(
            y0,
            y1,
            numbers=tuple(
                KeyNumber(key, fig(key, y1))
                for key in ("n_activities", "idb_only_cash_of_cash", "idb_instrument_named")
            )
            + (KeyNumber("n_events", fig("n_events", y1)),),
            findings=(),
            questions=(),
        )

    numbers = [
        KeyNumber("n_activities", fig("n_activities", y1)),
        KeyNumber("idb_only_cash_of_cash", fig("idb_only_cash_of_cash", y1)),
        KeyNumber("idb_instrument_named", fig("idb_instrument_named", y1)),
    ]
    if table.has("carried_over", pair):
        numbers.append(KeyNumber("carried_over", fig("carried_over", pair)))
    numbers.append(KeyNumber("n_events", fig("n_events", y1)))

    found: list[Finding] = []
    # 1. The size of the plan, with the range the unit of counting gives it; listed only
    #    when the direction of the change holds under every coding.
    size = {
        "n0": fig("n_activities", y0),
        "n1": fig("n_activities", y1),
        "change": fig("n_activities_change", pair),
    }
    if size["change"].holds_everywhere:
        found.append(_finding("activities", size, SECTION_OVERVIEW, decision_order=order))
    # 2. The IDB as the only cash, over the activities that name any cash (the fair measure).
    idb = {"a0": fig("idb_only_cash_of_cash", y0), "a1": fig("idb_only_cash_of_cash", y1)}
    if idb["a0"].base > 0 or idb["a1"].base > 0:
        found.append(_finding("idb_only_cash", idb, SECTION_FUNDING, decision_order=order))
    # 3. The IDB instrument: how many of the activities naming the IDB name an instrument.
    instruments = {"k0": fig("idb_instrument_named", y0), "k1": fig("idb_instrument_named", y1)}
    if instruments["k0"].base > 0 or instruments["k1"].base > 0:
        found.append(_finding("idb_instrument", instruments, SECTION_FUNDING, decision_order=order))
    # 4. What carried over (lineage), with its range.
    if table.has("carried_over", pair) and table.has("new_activities", pair):
        carried = {"carried": fig("carried_over", pair), "new": fig("new_activities", pair)}
        found.append(_finding("carried_over", carried, SECTION_LINEAGE, decision_order=order))
    # 5. New themes, named only when every coding names them.
    new = fig("themes_new", pair)
    everywhere = table.names_everywhere("themes_new", pair)
    robust_new = tuple(t for t in _codes(new.text) if t in everywhere)
    if robust_new:
        found.append(
            Finding(
                key="themes_new",
                figures={"themes": new},
                names={"themes": robust_new},
                holds_everywhere=True,  # only the themes every coding names are stated
                depends_on=(),
                section=SECTION_THEMES,
                labels=_theme_names(bundle, robust_new),
            )
        )

    questions = []
    if table.has("idb_no_instrument", y1) and fig("idb_no_instrument", y1).value > 0:
        questions.append(Question("idb_instrument", {"n": fig("idb_no_instrument", y1)}))
    # The kinds of resource the plans leave open, when the fair measure depends on them.
    for decision in idb["a0"].depends_on + idb["a1"].depends_on:
        if decision in KIND_QUESTIONS and all(q.key != decision for q in questions):
            questions.append(Question(decision, {"a0": idb["a0"], "a1": idb["a1"]}))

    return Headlines(
        baseline_year=y0,
        compare_year=y1,
        numbers=tuple(numbers),
        findings=tuple(found[:5]),
        questions=tuple(questions[:3]),
    )


__all__ = [
    "Figure",
    "Finding",
    "Headlines",
    "KeyNumber",
    "Question",
    "Reading",
    "headlines",
]
