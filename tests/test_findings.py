"""Key findings: plain sentences, each a change with n of N, robust figures as fact and the
rest with the reading they depend on, in English and Spanish."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from frames import make_plans, make_themes

from gealc_analysis.data import alternatives
from gealc_analysis.data.bundle import DataBundle, load_bundle
from gealc_analysis.data.lineage import empty_lineage
from gealc_analysis.words import findings

JARGON = (
    "any touch",
    "fractional",
    "entropy",
    "entropía",
    "cualquier participación",
    "fraccional",
    "sole source",
    "fuente única",
)


@pytest.fixture
def plans() -> pd.DataFrame:
    """2020: 5 activities, 2 with IDB alone (RPG), one meeting 24 a year; 2024: 6 activities,
    1 with IDB and staff time (no instrument), 1 OAS, a new theme t3."""
    return make_plans(
        [
            {"plan_year": 2020, "funding_sources": "idb", "idb_instrument": "rpg"},
            {"plan_year": 2020, "funding_sources": "idb", "idb_instrument": "rpg"},
            {"plan_year": 2020, "funding_sources": "working_group"},
            {"plan_year": 2020, "funding_sources": "working_group"},
            {
                "plan_year": 2020,
                "activity_id": "2020-m",
                "funding_sources": "working_group",
                "frequency_per_year": 24,
            },
            {
                "plan_year": 2024,
                "funding_sources": "idb;working_group",
                "idb_instrument": "general",
            },
            {"plan_year": 2024, "funding_sources": "oas;working_group"},
            {"plan_year": 2024, "funding_sources": "working_group"},
            {"plan_year": 2024, "funding_sources": "working_group"},
            {
                "plan_year": 2024,
                "funding_sources": "working_group",
                "theme": "t3",
                "area_code": "3.2",
            },
            {"plan_year": 2024, "funding_sources": "working_group", "frequency_per_year": 4},
        ]
    )


@pytest.fixture
def themes() -> pd.DataFrame:
    return make_themes(
        [
            {"plan_year": 2020, "area_code": "3.1", "theme": "t1"},
            {"plan_year": 2024, "area_code": "3.1", "theme": "t1"},
            {
                "plan_year": 2024,
                "area_code": "3.2",
                "theme": "t3",
                "relation": "new",
                "theme_label_en": "Theme three",
                "theme_label_es": "Tema tres",
            },
        ]
    )


CADENCE = pd.DataFrame(
    [
        (
            "semimonthly_meetings",
            "twice_a_month",
            True,
            "plan",
            "2020-m",
            "frequency_per_year",
            "24",
            "x",
        ),
        (
            "semimonthly_meetings",
            "every_two_months",
            False,
            "plan",
            "2020-m",
            "frequency_per_year",
            "6",
            "x",
        ),
    ],
    columns=list(alternatives.COLUMNS),
)


def bundle_of(plans: pd.DataFrame, themes: pd.DataFrame, codings: pd.DataFrame) -> DataBundle:
    """A bundle of hand-made frames: the only way findings get data."""
    return DataBundle(
        data_dir=Path("hand-made"),
        years=tuple(sorted(int(y) for y in plans["plan_year"].unique())),
        plans=plans,
        themes=themes,
        lineage=empty_lineage(),
        alternatives=codings,
        theme_kinds=pd.DataFrame({"theme": pd.Series(dtype=str), "kind": pd.Series(dtype=str)}),
        funding_codes=load_bundle().funding_codes,  # the project's codes and their kinds
    )


def test_without_contested_decisions_every_figure_is_stated_as_fact(plans, themes):
    sentences = findings.key_findings(
        bundle_of(plans, themes, alternatives.empty_alternatives()), 2020, 2024, "en"
    )
    assert 3 <= len(sentences) <= 6
    assert sentences[0].startswith(
        "Activities whose only cash resource named is the IDB go from **2 of 5** (40.0%) in "
        "2020 to **1 of 6** (16.7%) in 2024"
    ), sentences[0]
    assert "The 2024 plan names no IDB instrument for its 1 activities" in sentences[1]
    assert "in 2020, 2 of 2 named one (Regional Public Goods (RPG): 2)" in sentences[1]
    assert "Theme three (1 of 6, 16.7%)" in sentences[2]
    assert "the number falls under every reading" in sentences[-1]


def test_a_figure_that_depends_on_a_reading_is_given_with_that_reading(plans, themes):
    sentences = findings.key_findings(bundle_of(plans, themes, CADENCE), 2020, 2024, "en")
    events = sentences[-1]
    assert (
        "The plans announce **28** events a year in 2020 (10 if the 2020 “semimonthly” "
        "meetings were every two months) and **9** in 2024"
    ) in events, events
    assert "the number falls under every reading" in events, "28 → 9 and 10 → 9 both fall"


def test_findings_are_spanish_in_spanish(plans, themes):
    sentences = findings.key_findings(bundle_of(plans, themes, CADENCE), 2020, 2024, "es")
    assert sentences[0].startswith(
        "Las actividades cuyo único recurso monetario nombrado es el BID pasan de **2 de 5**"
    )
    assert "Tema tres (1 de 6, 16,7\u00a0%)" in " ".join(sentences)
    assert " of " not in " ".join(sentences)


def test_same_year_gives_one_sentence_saying_there_is_no_comparison(plans, themes):
    sentences = findings.key_findings(
        bundle_of(plans, themes, alternatives.empty_alternatives()), 2024, 2024, "en"
    )
    assert len(sentences) == 1 and "same plan (2024)" in sentences[0]


def test_caveat_says_intentions_and_comparison_not_trend():
    assert findings.caveat("en") == (
        "The plans state intentions, not what was done; two plans make a comparison, not a trend."
    )
    assert "no una tendencia" in findings.caveat("es")


@pytest.fixture(scope="module")
def real_findings() -> dict[str, list[str]]:
    """The key findings of the curated data in both languages, drafted once for this module."""
    bundle = load_bundle()
    return {lang: findings.key_findings(bundle, 2020, 2024, lang) for lang in ("en", "es")}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_real_findings_are_three_to_six_sentences_without_jargon(real_findings, lang):
    sentences = real_findings[lang]
    assert 3 <= len(sentences) <= 6
    text = " ".join(sentences).casefold()
    assert not [word for word in JARGON if word in text]
    assert not re.search(r"[*_`#\[]", text.replace("**", "")), "only **bold** markup"


def test_real_findings_state_the_reviews_cash_figures_as_fact(real_findings):
    assert real_findings["en"][0].startswith(
        "Activities whose only cash resource named is the IDB go from **13 of 28** (46.4%) in "
        "2020 to **11 of 41** (26.8%) in 2024"
    )
    assert real_findings["es"][0].startswith(
        "Las actividades cuyo único recurso monetario nombrado es el BID pasan de "
        "**13 de 28** (46,4\u00a0%) en 2020 a **11 de 41** (26,8\u00a0%) en 2024"
    )
    assert "The 2024 plan names no IDB instrument" in real_findings["en"][1]


def test_real_events_are_not_stated_as_a_fall(real_findings):
    events = real_findings["en"][-1]
    assert "52 if the 2020 “semimonthly” meetings were every two months" in events
    assert "whether the number fell or rose depends" in events
