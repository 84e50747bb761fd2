"""The codebook's coding rules on the edge cases the two plans contain."""

from __future__ import annotations

import pytest

from gealc_analysis.curation import coding_rules


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("1st. Semester Activities", "S1"),
        ("2nd. Semester Activities", "S2"),
        ("Annual Activities", "year_round"),
        ("1er. semestre.", "S1"),
        ("2do semestre.", "S2"),
        ("Anual.", "year_round"),
        ("Trimestral (4 al año).", "year_round"),
        ("A definir (4 al año).", "tbd"),  # a count without a date is still tbd
        ("A definir.", "tbd"),
    ],
)
def test_timing_rule(printed: str, expected: str) -> None:
    assert coding_rules.code_timing(printed) == expected


def test_unknown_timing_text_asks_for_a_codebook_rule() -> None:
    with pytest.raises(ValueError, match="no timing rule matches 'Next spring'"):
        coding_rules.code_timing("Next spring")


@pytest.mark.parametrize(
    ("title", "timing", "expected"),
    [
        ("Three horizontal cooperation exchanges.", "Annual Activities", 3),
        ("Semimonthly meetings of the workgroup.", "Annual Activities", 24),
        ("Reuniones del grupo de trabajo", "A definir (4 al año).", 4),
        ("Reuniones del grupo de trabajo", "Trimestral (4 al año).", 4),
        ("Participación en 2 reuniones regionales relacionadas con gobernanza", "Anual.", 2),
        ("Dos espacios de dialogo para intercambio de conocimiento", "Anual.", 2),
        ("Regional Workshop", "1st. Semester Activities", 1),
    ],
)
def test_frequency_rule(title: str, timing: str, expected: int) -> None:
    assert coding_rules.code_frequency(title, timing) == expected


@pytest.mark.parametrize(
    ("venue", "title", "mode", "country"),
    [
        ("To be defined.", "On-site workshop to create the roadmaps", "on_site", ""),
        ("To be defined.", "Regional Workshop", "tbd", ""),
        ("Costa Rica.", "To implement an Open Data GobCamp", "on_site", "CR"),
        ("Peru.", "Election of authorities", "on_site", "PE"),
        ("Brasil.", "Realización de la reunión", "on_site", "BR"),
        ("Presencial.", "Taller regional", "on_site", ""),
        ("Virtual exchanges.", "Guide on privacy", "virtual", ""),
        ("Intercambios virtuales.", "Reuniones", "virtual", ""),
        ("Venue: Virtual.", "Update of Red Gealc website", "virtual", ""),
        ("A definir.", "GobCamp regional", "tbd", ""),
    ],
)
def test_venue_rules(venue: str, title: str, mode: str, country: str) -> None:
    assert coding_rules.code_venue_mode(venue, title) == mode
    assert coding_rules.code_venue_country(venue) == country


@pytest.mark.parametrize(
    ("resources", "funding", "instrument"),
    [
        ("IDB's RPG funds.", "idb", "rpg"),
        ("IDB Consultant.", "idb", "consultant"),
        (
            "Red Gealc member countries time and IDB consultant cooperation.",
            "idb;member_countries",
            "consultant",
        ),
        ("IDB.", "idb", "general"),
        ("Tiempo del grupo de trabajo y fondos BID.", "idb;working_group", "general"),
        (
            "BID y tiempo de trabajo de las agencias participantes.",
            "idb;member_countries",
            "general",
        ),
        ("Tiempo del grupo de trabajo y apoyo OEA.", "oas;working_group", ""),
        ("Tiempo de los grupos de trabajo.", "working_group", ""),
        ("Executive Committee work time.", "executive_committee", ""),
        ("Tiempo de trabajo del Comité Ejecutivo.", "executive_committee", ""),
        ("Países participantes.", "member_countries", ""),
        ("Tiempo de trabajo de los países de la Red.", "member_countries", ""),
        ("Work group time.", "working_group", ""),
    ],
)
def test_funding_rules(resources: str, funding: str, instrument: str) -> None:
    assert coding_rules.code_funding(resources) == funding
    assert coding_rules.code_idb_instrument(resources) == instrument
