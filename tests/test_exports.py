"""Section exports: the English one is the tidy frame with labels beside its codes (as it
always was); the Spanish one has Spanish headers from the catalogue, labels instead of codes,
yes/no in words and numbers still numbers — for every table the sections save."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from gealc_analysis.data.bundle import load_bundle
from gealc_analysis.measures import counts, diversity, funding, timing
from gealc_analysis.measures import lineage as lineage_measures
from gealc_analysis.measures import themes as theme_measures
from gealc_analysis.words import exports, tables
from gealc_analysis.words import funding as funding_words
from gealc_analysis.words import lineage as lineage_words

# A cell that looks like a code of a vocabulary or a theme key ("cash_only", "open_data").
CODE = re.compile(r"[a-z0-9]+(_[a-z0-9]+)+")


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


def section_frames(bundle) -> dict[str, pd.DataFrame]:
    """The frames the sections save with ``section.table`` (as the notebooks make them)."""
    plans, themes, links = bundle.plans, bundle.themes, bundle.lineage
    y0, y1 = min(bundle.years), max(bundle.years)
    theme_counts = theme_measures.count_by_theme(plans, themes)
    return {
        "plan_overview": counts.plan_overview(plans),
        "activity_type_mix": counts.activity_type_mix(plans),
        "venue_mix": counts.venue_mix(plans),
        "activities_by_area": counts.count_by_area(plans),
        "theme_change": counts.compare_years(theme_counts, y0, y1),
        "activities_by_theme": theme_counts,
        "at_risk_activities": funding_words.at_risk_table(
            funding.at_risk_activities(plans, "idb"), themes, "es"
        ),
        "exposure_by_year": funding.exposure_by(plans, themes, "idb", by="year"),
        "exposure_by_theme": funding.exposure_by(plans, themes, "idb", by="theme"),
        "exposure_by_area": funding.exposure_by(plans, themes, "idb", by="area"),
        "instruments": funding.instrument_mix(plans),
        "funding_dependence": funding.funding_dependence(plans),
        "theme_shifts": theme_measures.theme_shifts(themes, y0, y1),
        "agenda_diversity": diversity.agenda_diversity(plans, themes),
        "agenda_evenness": diversity.agenda_evenness(plans, themes, bundle.theme_kinds),
        "theme_change_small_bases": counts.compare_years_with_small_bases(theme_counts, y0, y1),
        "semester_load": timing.semester_load(plans),
        "semester_event_load": timing.semester_event_load(plans),
        "semester_split_dated": timing.semester_split_dated(plans),
        "event_totals": counts.event_totals(plans),
        "lineage_counts": lineage_measures.lineage_counts(links, plans),
        "carry_over_by_theme": lineage_measures.carry_over_by_theme(links, plans, themes),
        "lineage_list": lineage_words.lineage_list(links, plans, "es"),
        "cash_dependence": funding.cash_dependence(plans),
        "resource_mix": funding_words.with_resource_labels(funding.resource_mix(plans)),
    }


@pytest.fixture(scope="module")
def made_frames(bundle) -> dict[str, pd.DataFrame]:
    """``section_frames`` computed once for the module (a second or so of measures)."""
    return section_frames(bundle)


@pytest.fixture
def frames(made_frames) -> dict[str, pd.DataFrame]:
    """A private copy of the section frames for each test (an export never shares state)."""
    return {name: frame.copy(deep=True) for name, frame in made_frames.items()}


def test_the_english_export_is_the_tidy_frame_with_labels_beside_its_codes(bundle, frames):
    for name, frame in frames.items():
        expected = tables.with_labels(frame, bundle.themes, "en")
        pd.testing.assert_frame_equal(exports.export_table(frame, bundle.themes, "en"), expected)
        assert name


def test_every_spanish_export_has_spanish_headers_and_no_codes(bundle, frames):
    for name, frame in frames.items():
        out = exports.export_table(frame, bundle.themes, "es")
        raw = [header for header in out.columns if re.fullmatch(r"[a-z0-9_]+", str(header))]
        assert raw == [], f"{name}: headers without a Spanish label: {raw}"
        assert len(set(out.columns)) == len(out.columns), f"{name}: a header twice"
        for header in out.columns:
            if out[header].dtype == object:
                cells = out[header].dropna().astype(str)
                coded = sorted({cell for cell in cells if CODE.fullmatch(cell)})
                assert coded == [], f"{name}, {header}: codes {coded}"


def test_spanish_export_labels_values_and_keeps_numbers_as_numbers(bundle):
    mix = funding_words.with_resource_labels(funding.resource_mix(bundle.plans))
    out = exports.export_table(mix, bundle.themes, "es")
    assert list(out.columns) == ["Año del plan", "Recursos nombrados", "Actividades", "Proporción"]
    assert set(out["Recursos nombrados"]) == {
        "Solo recursos monetarios",
        "Recursos monetarios y tiempo de trabajo",
        "Solo tiempo de trabajo",
    }
    assert pd.api.types.is_float_dtype(out["Proporción"])
    assert out["Proporción"].between(0, 1).all()


def test_spanish_export_says_yes_and_no_in_spanish_and_keeps_both_titles(bundle):
    at_risk = funding_words.at_risk_table(
        funding.at_risk_activities(bundle.plans, "idb"), bundle.themes, "es"
    )
    out = exports.export_table(at_risk, bundle.themes, "es")
    assert set(out["Único recurso nombrado"]) <= {"sí", "no"}
    assert {"Título (inglés)", "Título (español)", "Id. de actividad"} <= set(out.columns)
    columns = list(out.columns)
    assert columns.index("Título (español)") + 1 == columns.index("Título (inglés)")


def test_lineage_relations_are_labelled_as_activities_in_one_gender(bundle):
    out = exports.export_table(
        lineage_measures.lineage_counts(bundle.lineage, bundle.plans), bundle.themes, "es"
    )
    assert list(out["Cambio"]) == [
        "Continúa",
        "Modificada",
        "Dividida",
        "Fusionada",
        "Eliminada",
        "Nueva",
    ]


def test_a_readers_frame_with_worded_headers_passes_through():
    frame = pd.DataFrame({"Decisión discutible": ["x"], "Filas afectadas": ["2020-3.1.1"]})
    pd.testing.assert_frame_equal(exports.export_table(frame, None, "es"), frame)


# ------------------------------------------------------------------ formulas, by character class

LOOK_ALIKES = [
    "=1+1",
    " =1+1",  # a leading space: spreadsheets trim it, then run the formula
    "\u200b=1+1",  # a zero-width space before "="
    "\ufeff=1",  # a byte-order mark
    "\u00a0@SUM(A1)",  # a no-break space
    "\u2003\u200d+1",  # an em space and a zero-width joiner
    "＝SUM(1)",  # full-width equals sign (NFKC: "=")
    "\ufe62cmd",  # small plus sign
    "＠x",  # full-width commercial at
    "－2",  # full-width hyphen-minus
    "\tfoo",
    "\rfoo",
    '=HYPERLINK("http://x.test","ok")',
]
PLAIN_TEXT = ["Taller", "a=b", "2+2", "", "\u200bTaller", "e-mail", "−2"]  # U+2212 is no trigger


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_a_look_alike_formula_is_neutralised_in_the_csv_and_the_xlsx(text: str) -> None:
    from openpyxl import load_workbook

    from gealc_analysis.core import outputs

    frame = pd.DataFrame({"note": [text], "count": [-3]})
    csv_rows = pd.read_csv(
        io.StringIO(outputs.table_csv_text(frame)), dtype=str, keep_default_na=False
    )
    assert csv_rows.loc[0, "note"] == "'" + text
    assert csv_rows.loc[0, "count"] == "-3", "numbers stay numbers"
    sheet = load_workbook(io.BytesIO(outputs.table_xlsx_bytes(frame))).active
    # (XML reads a carriage return back as a line feed: the prefix is what matters.)
    assert sheet["A2"].value.startswith("'") and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -3


@pytest.mark.parametrize("text", PLAIN_TEXT)
def test_plain_text_is_left_as_written(text: str) -> None:
    from gealc_analysis.core.outputs import neutralise_cell

    assert neutralise_cell(text) == text


def test_the_explorer_download_applies_the_same_rule_as_the_tables(browser) -> None:
    """The explorer's ``csvCell`` (JavaScript, run in the shared Chromium: CI has no Node)
    against ``is_formula_like`` on every case."""
    from gealc_analysis.core import paths
    from gealc_analysis.core.outputs import is_formula_like

    script = (paths.PROJECT_ROOT / "gealc_analysis/templates/explorer.js").read_text("utf-8")
    function = re.search(r"function csvCell\(text\) \{.*?\n  \}", script, re.DOTALL)
    assert function is not None, "explorer.js has no csvCell"
    cases = LOOK_ALIKES + PLAIN_TEXT
    page = browser.new_page()
    try:
        cells = page.evaluate(
            f"(cases) => {{ {function.group(0)}; return cases.map(csvCell); }}", cases
        )
    finally:
        page.close()
    for text, cell in zip(cases, cells, strict=True):
        prefixed = cell.startswith("\"'") and not text.startswith("'")
        assert prefixed == is_formula_like(text), repr(text)
