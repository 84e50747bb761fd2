"""Signals in the plans' text: every quote is the plan's own words, traced to its lines, and
each signal the review named holds against the raw text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from gealc_analysis.core import paths
from gealc_analysis.data import PlanDataError, load_plans
from gealc_analysis.data import text_signals as data_signals
from gealc_analysis.data.bundle import load_bundle
from gealc_analysis.words import lineage as lineage_words

RAW_FILES = {
    2020: "red-gealc-work-plan-2020.en.txt",
    2024: "red-gealc-plan-de-trabajo-2024.es.txt",
}
RAW_2020 = (paths.RAW_DIR / RAW_FILES[2020]).read_text(encoding="utf-8")
RAW_2024 = (paths.RAW_DIR / RAW_FILES[2024]).read_text(encoding="utf-8")


def raw_lines(text: str, first: int, last: int) -> str:
    return "\n".join(text.splitlines()[first - 1 : last])


@pytest.fixture(scope="module")
def signals():
    return load_bundle().text_signals


def test_every_quote_is_found_on_the_lines_it_is_traced_to(signals):
    assert len(signals) and set(signals["plan_year"]) == {2020, 2024}
    for row in signals.itertuples():
        text = RAW_2020 if row.plan_year == 2020 else RAW_2024
        assert row.raw_file == f"raw/{RAW_FILES[row.plan_year]}"
        for span in row.lines.split(", "):
            first, _, last = span.partition("–")
            passage = " ".join(raw_lines(text, int(first), int(last or first)).split())
            assert " ".join(row.quote.split()) in passage, (row.signal, span)


def test_lines_are_computed_from_the_raw_text():
    assert data_signals.quote_lines("a\nb c\nd", "b c d") == [(2, 3)]
    assert data_signals.quote_lines("x y\nx  y\n", "x y") == [(1, 1), (2, 2)]
    assert data_signals.quote_lines("abc", "abd") == []
    assert data_signals.lines_text([(11, 11), (233, 239)]) == "11, 233–239"


def test_a_quote_not_in_the_plan_is_rejected_with_its_location(curated_copy: Path):
    path = curated_copy / data_signals.TEXT_SIGNALS_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("y el gerente de la Red", "y la gerenta de la Red"), encoding="utf-8"
    )
    line = next(
        n for n, row in enumerate(text.splitlines(), start=1) if "el gerente de la Red," in row
    )
    with pytest.raises(PlanDataError) as caught:
        data_signals.load_text_signals(load_plans(curated_copy), curated_copy)
    (problem,) = caught.value.problems
    assert str(problem).startswith(
        f"{path}:{line}: quote: expected the plan's words, verbatim, as "
        "raw/red-gealc-plan-de-trabajo-2024.es.txt prints them, found 'apoyado por la OEA"
    )


def test_a_folder_without_signals_has_none(tmp_path: Path):
    for name in ("plan_2020.csv", "plan_2024.csv", "themes.csv", "funding_codes.csv"):
        shutil.copy(paths.CURATED_DIR / name, tmp_path / name)
    assert data_signals.load_text_signals(load_plans(tmp_path), tmp_path).empty


def test_the_reader_list_speaks_the_pages_language(signals):
    spanish = lineage_words.text_signal_list(signals, "es")
    english = lineage_words.text_signal_list(signals, "en")
    assert list(spanish["signal"].unique()) == [1, 2, 3, 4, 5]
    assert spanish["what_it_shows"].tolist() == signals["note_es"].tolist()
    assert english["what_it_shows"].tolist() == signals["note_en"].tolist()


# --------------------------------------------------------------------------- the five signals


def objective(text: str, area: str) -> str:
    """The objective line of an area in a raw plan."""
    after = text.split(f"{area})", 1)[1]
    return next(line for line in after.splitlines() if line.startswith(("Objective:", "Objetivo:")))


def test_the_regional_public_good_wording_leaves_the_objectives():
    assert "regional public good" in objective(RAW_2020, "3.1")
    assert "regional public good" in objective(RAW_2020, "3.7")
    assert "bien público regional" not in RAW_2024.lower()
    assert objective(RAW_2024, "3.1").endswith("en un marco de integración.")


def test_the_awards_move_from_an_idb_consultant_to_executive_committee_time():
    awards_2020 = [line for line in RAW_2020.splitlines() if re.match(r"3\.3\.[1-4]\)", line)]
    assert len(awards_2020) == 4
    assert all("IDB consultant" in line or "IDB Consultant" in line for line in awards_2020)
    call = RAW_2024.split("3.9ii.3)", 1)[1].split("3.9ii.4)", 1)[0]
    assert "Recursos: Tiempo de trabajo del Comité Ejecutivo." in call
    assert "consultor" not in RAW_2024.lower()


def test_the_rpg_hackathon_and_seminar_have_no_2024_counterpart():
    for number in ("3.6.1", "3.6.2"):
        line = next(line for line in RAW_2020.splitlines() if line.startswith(f"{number})"))
        assert line.endswith("*Resources*: IDB's RPG.")
    lowered = RAW_2024.lower()
    for word in ("hackat", "blockchain", "seminario", "bienes públicos regionales", "bpr"):
        assert word not in lowered, word


def test_the_oas_is_a_2024_resource_only_in_activities_3_4_1_to_3_4_4():
    resources = [line for line in RAW_2020.splitlines() if "Resources" in line]
    assert resources and not any("OAS" in line for line in resources)
    current, naming = None, []
    for line in RAW_2024.splitlines():
        found = re.search(r"(3\.[0-9]+i*\.[0-9]+)\)", line)
        if found:
            current = found.group(1)
        if line.startswith("Recursos:") and "OEA" in line:
            naming.append(current)
    assert naming == ["3.4.1", "3.4.2", "3.4.3", "3.4.4"]


def test_the_2024_plan_introduces_a_network_manager():
    assert "el gerente de la Red" in RAW_2024.split("## **2)", 1)[0]
    assert "manager" not in RAW_2020.lower()
