"""The headlines (``measures.findings``) and their words (``words.findings``): at most five
findings of at most 35 words in both languages, every number traced to the measures, a
robustness line per finding, and questions that ask, never advise."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest
from frames import make_plans, make_themes

from gealc_analysis.data import alternatives
from gealc_analysis.data.bundle import DataBundle, load_bundle
from gealc_analysis.data.lineage import empty_lineage
from gealc_analysis.measures import counts, funding, lineage, robustness
from gealc_analysis.measures import findings as measures
from gealc_analysis.words import findings

JARGON = (
    "any touch",
    "fractional",
    "entropy",
    "entropía",
    "effective number",
    "número efectivo",
    "cualquier participación",
    "fraccional",
    "sole source",
    "fuente única",
    "not a finding",
    "no es un hallazgo",
)
LANGS = ("en", "es")


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
                "activity_type": "working_group_meeting",
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
            {
                "plan_year": 2024,
                "activity_type": "study_or_document",
                "funding_sources": "working_group",
            },
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


def coding(rows: list[tuple[str, str, bool, str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(alternatives.COLUMNS)[:-1]).assign(note="x")


CADENCE = coding(
    [
        (
            "semimonthly_meetings",
            "twice_a_month",
            True,
            "plan",
            "2020-m",
            "frequency_per_year",
            "24",
        ),
        (
            "semimonthly_meetings",
            "every_two_months",
            False,
            "plan",
            "2020-m",
            "frequency_per_year",
            "6",
        ),
    ]
)
OAS_KIND = coding(
    [
        ("oas_support", "cash", True, "funding_codes", "oas", "kind", "cash"),
        ("oas_support", "staff_time", False, "funding_codes", "oas", "kind", "staff_time"),
    ]
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


def test_the_fair_measure_counts_only_activities_that_name_cash(plans, themes):
    """2020: both cash-naming activities have the IDB as only cash (2 of 2); 2024: of the two
    naming cash, one has only the IDB (1 of 2): staff-time-only activities leave the base."""
    found = measures.headlines(bundle_of(plans, themes, CADENCE), 2020, 2024)
    fair = {f.key: f for f in found.findings}["idb_only_cash"]
    a0, a1 = fair.figures["a0"], fair.figures["a1"]
    assert (a0.value, a0.base, a1.value, a1.base) == (2, 2, 1, 2)
    assert fair.holds_everywhere and fair.depends_on == ()
    assert findings.finding_sentence(fair, "en") == (
        "Of the activities that name any cash, those whose only cash is the IDB: "
        "**2 of 2** in 2020, **1 of 2** in 2024."
    )
    assert findings.robustness_line(fair, "en") == "Holds under every coding."


def test_a_resource_kind_read_otherwise_is_a_dependence_of_the_finding(plans, themes):
    """Read the OAS support as staff time and 2024's base loses the OAS activity: 1 of 1."""
    found = measures.headlines(bundle_of(plans, themes, OAS_KIND), 2020, 2024)
    fair = {f.key: f for f in found.findings}["idb_only_cash"]
    assert fair.depends_on == ("oas_support",) and not fair.holds_everywhere
    (reading,) = fair.figures["a1"].readings
    assert (reading.alternative, reading.value, reading.base) == ("staff_time", 1, 1)
    assert findings.robustness_line(fair, "en") == (
        "Depends on how the 2024 OAS support is read; see section 07."
    )
    assert findings.robustness_line(fair, "es") == (
        "Depende de cómo se lee el apoyo de la OEA de 2024; véase la sección 07."
    )
    questions = {q.key: findings.question_sentence(q, "en") for q in found.questions}
    assert "**1 of 1**, not **1 of 2**" in questions["oas_support"]


def test_events_count_event_type_rows_only(plans, themes):
    """The 2024 study is one item, not an event: 5 events (the meeting counts 1), 1 document."""
    found = measures.headlines(bundle_of(plans, themes, CADENCE), 2020, 2024)
    events = {n.key: n for n in found.numbers}["n_events"]
    assert findings.number_text(events, "en") == "5"
    overview = counts.plan_overview(plans).set_index("plan_year")
    assert events.figure.value == overview.at[2024, "n_events"] == 5


def test_a_change_whose_direction_flips_is_never_a_finding(plans, themes):
    """Grouping three 2024 rows into one turns +1 (5 → 6) into −1 (5 → 4): no size finding
    is listed (ids: make_plans numbers rows across the frame, 2024's are 6 to 11)."""
    grouped = coding(
        [
            (d, a, a == "each_row", "plan", f"2024-3.1.{n}", "listing_group", v)
            for d, a, v in (
                ("unit_of_counting", "each_row", ""),
                ("unit_of_counting", "once", "g"),
            )
            for n in (6, 7, 8)
        ]
    )
    found = measures.headlines(bundle_of(plans, themes, grouped), 2020, 2024)
    assert "activities" not in {f.key for f in found.findings}


def test_same_year_gives_one_sentence_saying_there_is_no_comparison(plans, themes):
    sentences = findings.key_findings(
        bundle_of(plans, themes, alternatives.empty_alternatives()), 2024, 2024, "en"
    )
    assert len(sentences) == 1 and "same plan (2024)" in sentences[0]


def test_caveat_says_intentions_comparison_and_what_events_are():
    assert findings.caveat("en").startswith(
        "The plans state intentions, not what was done; two plans make a comparison, not a trend."
    )
    assert "documents, website items and award steps are counted apart" in findings.caveat("en")
    assert "no una tendencia" in findings.caveat("es")


# --------------------------------------------------------------------------- the real data


@pytest.fixture(scope="module")
def bundle() -> DataBundle:
    return load_bundle()


@pytest.fixture(scope="module")
def real(bundle) -> measures.Headlines:
    return measures.headlines(bundle, 2020, 2024)


@pytest.mark.parametrize("lang", LANGS)
def test_real_findings_are_at_most_five_of_at_most_35_plain_words(real, lang):
    assert 1 <= len(real.findings) <= 5
    assert 3 <= len(real.numbers) <= 5 and 1 <= len(real.questions) <= 3
    for finding in real.findings:
        sentence = findings.finding_sentence(finding, lang)
        assert findings.word_count(sentence) <= findings.MAX_WORDS, sentence
        assert not [word for word in JARGON if word in sentence.casefold()], sentence
        assert not re.search(r"[*_`#\[]", sentence.replace("**", "")), "only **bold** markup"
        assert "{" not in sentence and "_" not in sentence, "no template slot or code left"
    for question in real.questions:
        assert findings.question_sentence(question, lang).rstrip().endswith("?") or "?" in (
            findings.question_sentence(question, lang)
        )


def test_real_size_finding_gives_the_count_of_the_other_unit_of_counting(bundle, real):
    """The size finding states the count when repeated rows count once, recomputed here
    from the re-coded plans (how much of the change is itemisation)."""
    size = {f.key: f for f in real.findings}["activities"]
    reading = next(r for r in size.figures["n1"].readings if r.decision == "unit_of_counting")
    tables = robustness.apply_to_tables(
        robustness.bundle_tables(bundle),
        bundle.alternatives,
        {"unit_of_counting": reading.alternative},
    )
    overview = counts.plan_overview(tables["plan"]).set_index("plan_year")
    assert reading.value == overview.at[2024, "n_activities"] < size.figures["n1"].value
    sentence = findings.finding_sentence(size, "en")
    assert f"{int(reading.value)} against" in sentence
    assert size.figures["change"].holds_everywhere


def test_real_findings_put_the_plainest_fact_first(real):
    assert [f.key for f in real.findings][:3] == ["activities", "idb_only_cash", "idb_instrument"]


def test_real_key_findings_are_the_finding_sentences(bundle, real):
    for lang in LANGS:
        assert findings.key_findings(bundle, 2020, 2024, lang) == [
            findings.finding_sentence(f, lang) for f in real.findings
        ]


def test_real_numbers_are_the_measures(bundle, real):
    """Every number of the front page is the measure the sections show (computed, never
    typed): activities and events from plan_overview, the fair measure from
    only_cash_among_cash, the instrument from instrument_mix, carry-over from lineage."""
    numbers = {n.key: n.figure for n in real.numbers}
    overview = counts.plan_overview(bundle.plans).set_index("plan_year")
    assert numbers["n_activities"].value == overview.at[2024, "n_activities"]
    assert numbers["n_events"].value == overview.at[2024, "n_events"]
    fair = funding.only_cash_among_cash(bundle.plans, "idb", bundle.funding_codes).set_index(
        "plan_year"
    )
    assert (numbers["idb_only_cash_of_cash"].value, numbers["idb_only_cash_of_cash"].base) == (
        fair.at[2024, "only_cash"],
        fair.at[2024, "n_any_cash"],
    )
    mix = funding.instrument_mix(bundle.plans, "idb", bundle.funding_codes)
    mix = mix[mix["plan_year"] == 2024]
    stated = mix[mix["instrument"] != funding.NOT_STATED]["n_activities"].sum()
    assert numbers["idb_instrument_named"].value == stated
    assert numbers["idb_instrument_named"].base == mix["n_activities"].sum()
    relations = lineage.lineage_counts(bundle.lineage, bundle.plans).set_index("relation")
    carried = relations.drop(index=["dropped", "new"])["n_earlier"].sum()
    assert numbers["carried_over"].value == carried
    assert numbers["carried_over"].base == (bundle.plans["plan_year"] == 2020).sum()


def test_real_fair_measure_depends_on_the_resource_kinds(bundle, real):
    """Read the 2020 IDB consultant as staff time and 2020's IDB-only-cash activities are
    those of the consultant-free coding: recomputed here from the re-coded funding codes."""
    fair = {f.key: f for f in real.findings}["idb_only_cash"]
    assert "idb_consultant" in fair.depends_on and "oas_support" in fair.depends_on
    reading = next(r for r in fair.figures["a0"].readings if r.decision == "idb_consultant")
    tables = robustness.apply_to_tables(
        robustness.bundle_tables(bundle),
        bundle.alternatives,
        {"idb_consultant": reading.alternative},
    )
    counted = funding.source_counts(tables["plan"], ("idb",), tables["funding_codes"])
    counted = counted.set_index("plan_year")
    assert reading.value == counted.at[2020, "only_cash"]
    assert reading.value < fair.figures["a0"].value


def test_real_themes_finding_names_only_themes_every_coding_names(bundle, real):
    themes_new = {f.key: f for f in real.findings}.get("themes_new")
    if themes_new is None:
        return
    cell = next(
        c for c in robustness.bundle_cells(bundle, 2020, 2024) if c.headline == "themes_new"
    )
    everywhere = set.intersection(*(set(t.split(";")) - {""} for t in cell.texts))
    assert set(themes_new.names["themes"]) == everywhere
    for lang in LANGS:
        sentence = findings.finding_sentence(themes_new, lang)
        for key in themes_new.names["themes"]:
            assert themes_new.labels[key][lang] in sentence


def test_real_robustness_lines_are_short_and_point_to_section_07(real):
    for finding in real.findings:
        for lang in LANGS:
            line = findings.robustness_line(finding, lang)
            if finding.holds_everywhere:
                assert line in (
                    "Holds under every coding.",
                    "Se mantiene con cualquier codificación.",
                )
            else:
                assert "07" in line and finding.depends_on


def test_diversity_stays_out_of_the_front_page(real):
    headlines = {f.headline for f in real.numbers for f in [f.figure]} | {
        figure.headline for finding in real.findings for figure in finding.figures.values()
    }
    assert not [h for h in headlines if "evenness" in h or "effective" in h]


def test_a_figure_without_base_has_nan_base(real):
    numbers = {n.key: n.figure for n in real.numbers}
    assert math.isnan(numbers["n_activities"].base)
    assert findings.number_text(real.numbers[0], "es") == findings.number_text(
        real.numbers[0], "en"
    )


def test_a_robustness_line_names_the_two_decisions_that_move_the_figures_most():
    """Hand-made: three decisions; the one moving the figure by 4 and the one moving its base
    by 4 are named, the one moving it by 1 is counted."""
    readings = (
        measures.Reading("oas_in_2024_3_8_3", "named", 11, "", 16),
        measures.Reading("idb_consultant", "in_kind_staff_time", 7, "", 15),
        measures.Reading("oas_support", "staff_time", 11, "", 11),
    )
    figure = measures.Figure("idb_only_cash_of_cash", "2024", 11, 7, 11, 15, False, (), readings)
    finding = measures.Finding(
        "idb_only_cash",
        {"a1": figure},
        {},
        False,
        ("oas_in_2024_3_8_3", "idb_consultant", "oas_support"),
        measures.SECTION_FUNDING,
    )
    assert findings.robustness_line(finding, "en") == (
        "Depends on how the 2020 IDB consultant is read, how the 2024 OAS support is read "
        "and one more call of the coding; see section 07."
    )
