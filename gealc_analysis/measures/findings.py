"""The findings shape (agreed in COMMON.md): what the front page and the brief state, as codes
and numbers; the words come from ``gealc_analysis.words.findings``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Reading:  # another coding that changes a figure
    decision: str  # decision key of alternative_codings.csv
    alternative: str
    value: float
    text: str  # ";"-joined codes for a label headline, else ""


@dataclass(frozen=True)
class Figure:  # one headline figure of the robustness table
    headline: str  # key of measures.robustness.HEADLINES
    plan: str  # "2024", or "2020→2024" for a change
    value: float  # primary coding
    low: float  # min over the multiverse
    high: float  # max over the multiverse
    base: float  # the N of "n of N" (NaN when none)
    holds_everywhere: bool
    depends_on: tuple[str, ...]  # decision keys, file order
    readings: tuple[Reading, ...]  # each alternative that changes the stated fact


@dataclass(frozen=True)
class KeyNumber:  # one large number of the front page and the brief
    key: str  # words: label "findings.number.<key>" (one-line label)
    figure: Figure  # the number shown is figure.value (with figure.base if any)


@dataclass(frozen=True)
class Finding:  # one finding: words "findings.<key>" (<= 35 words)
    key: str
    figures: Mapping[str, Figure]  # template slot -> figure
    names: Mapping[str, tuple[str, ...]]  # template slot -> codes (themes, instruments…)
    holds_everywhere: bool  # all its figures hold
    depends_on: tuple[str, ...]  # union of its figures' decisions
    section: str  # notebook stem it links to, e.g. "03_funding_dependence"


@dataclass(frozen=True)
class Question:  # "for the Committee": a question the data raises, never advice
    key: str  # words: "findings.question.<key>"
    figures: Mapping[str, Figure]
    names: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Headlines:
    baseline_year: int
    compare_year: int
    numbers: tuple[KeyNumber, ...]  # 3–5
    findings: tuple[Finding, ...]  # <= 5, most needed first; non-findings never listed
    questions: tuple[Question, ...]  # 1–3
