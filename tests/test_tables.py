"""Tables for people: labels beside codes in the saved CSV, and a reader's view that shows
labels instead of codes (never a code), area names in the page's language, key columns
first, ids marked, every cell escaped."""

from __future__ import annotations

import pandas as pd
from frames import make_plans, make_themes

from gealc_analysis.measures import counts as count_measures
from gealc_analysis.measures import diversity, funding, timing
from gealc_analysis.measures import themes as theme_measures
from gealc_analysis.words import funding as funding_words
from gealc_analysis.words import tables


def themes() -> pd.DataFrame:
    """2020 prints its areas in English, 2024 in Spanish; the crosswalk has both names."""
    return make_themes(
        [
            {
                "plan_year": 2020,
                "area_code": "3.1",
                "area_name": "Cross-border services",
                "area_name_en": "Cross-border services",
                "area_name_es": "Servicios transfronterizos",
                "theme": "cross_border_services",
                "theme_label_en": "Cross-border services",
                "theme_label_es": "Servicios transfronterizos",
            },
            {
                "plan_year": 2024,
                "area_code": "3.1",
                "area_name": "Servicios transfronterizos",
                "area_name_en": "Cross-border services",
                "area_name_es": "Servicios transfronterizos",
                "theme": "cross_border_services",
                "theme_label_en": "Cross-border services",
                "theme_label_es": "Servicios transfronterizos",
            },
            {
                "plan_year": 2024,
                "area_code": "3.3",
                "area_name": "Ciberseguridad",
                "area_name_en": "Cybersecurity",
                "area_name_es": "Ciberseguridad",
                "theme": "cybersecurity",
                "theme_label_en": "Cybersecurity",
                "theme_label_es": "Ciberseguridad",
                "relation": "new",
            },
        ]
    )


def areas_frame() -> pd.DataFrame:
    """count_by_area's shape: a theme key but no theme label, area names as printed."""
    return pd.DataFrame(
        {
            "plan_year": [2020, 2024, 2024],
            "area_code": ["3.1", "3.1", "3.3"],
            "area_name": ["Cross-border services", "Servicios transfronterizos", "Ciberseguridad"],
            "theme": ["cross_border_services", "cross_border_services", "cybersecurity"],
            "n_activities": [6, 8, 4],
        }
    )


def test_reader_view_shows_headers_labels_and_percentages_for_readers() -> None:
    frame = pd.DataFrame(
        {
            "plan_year": [2024],
            "theme": ["cybersecurity"],
            "theme_label_en": ["Cybersecurity"],
            "theme_label_es": ["Ciberseguridad"],
            "source": ["idb"],
            "funding_sources": ["idb;oas"],
            "share": [0.5],
            "idb_only": [True],
        }
    )
    view = tables.reader_view(frame, "es")
    assert list(view.columns) == [
        "Año del plan",
        "Tema",
        "Fuente de financiamiento",
        "Solo BID",
        "Fuentes de financiamiento",
        "Proporción",
    ]
    assert view.iloc[0].tolist() == [2024, "Ciberseguridad", "BID", "sí", "BID; OEA", "50,0\u00a0%"]


def test_reader_view_labels_a_bare_theme_key_and_names_areas_in_the_page_language() -> None:
    view = tables.reader_view(areas_frame(), "es", themes())
    assert list(view.columns) == ["Año del plan", "Área", "Área de trabajo", "Tema", "Actividades"]
    assert view["Área de trabajo"].tolist() == [
        "Servicios transfronterizos",
        "Servicios transfronterizos",
        "Ciberseguridad",
    ]
    assert view["Tema"].tolist() == [
        "Servicios transfronterizos",
        "Servicios transfronterizos",
        "Ciberseguridad",
    ]
    english = tables.reader_view(areas_frame(), "en", themes())
    assert english["Work area"].tolist() == [
        "Cross-border services",
        "Cross-border services",
        "Cybersecurity",
    ]


def test_reader_view_never_shows_a_code_it_cannot_label() -> None:
    view = tables.reader_view(areas_frame(), "es")  # no crosswalk: the theme key has no label
    assert "cross_border_services" not in view.to_string()
    assert "Tema" not in view.columns


def test_with_labels_keeps_codes_and_puts_each_label_right_after_its_code() -> None:
    frame = areas_frame().assign(source=["idb", "oas", "working_group"])
    labelled = tables.with_labels(frame, themes(), "es")
    assert list(labelled.columns) == [
        "plan_year",
        "area_code",
        "area_name",
        "area_label",
        "theme",
        "theme_label",
        "n_activities",
        "source",
        "source_label",
    ]
    assert labelled["theme"].tolist() == frame["theme"].tolist()
    assert labelled["source_label"].tolist() == ["BID", "OEA", "Tiempo de los grupos de trabajo"]
    assert labelled["area_label"].tolist()[0] == "Servicios transfronterizos"


def test_with_labels_turns_both_theme_label_columns_into_one_in_the_page_language() -> None:
    frame = pd.DataFrame(
        {
            "theme": ["cybersecurity"],
            "theme_label_en": ["Cybersecurity"],
            "theme_label_es": ["Ciberseguridad"],
            "n_activities": [4],
        }
    )
    labelled = tables.with_labels(frame, None, "en")
    assert list(labelled.columns) == ["theme", "theme_label", "n_activities"]
    assert labelled["theme_label"].tolist() == ["Cybersecurity"]


def test_area_names_map_each_plans_area_to_the_page_language() -> None:
    names = tables.area_names(themes(), "es")
    assert names[(2020, "3.1")] == "Servicios transfronterizos"
    assert tables.area_names(themes(), "en")[(2024, "3.3")] == "Cybersecurity"


def test_at_risk_table_puts_the_title_then_the_fact_first_in_the_page_language() -> None:
    plans = make_plans(
        [
            {
                "plan_year": 2024,
                "area_code": "3.1",
                "area_name": "Servicios transfronterizos",
                "theme": "cross_border_services",
                "funding_sources": "idb",
                "idb_instrument": "general",
                "title_original": "Taller",
                "title_en": "Workshop",
                "title_es": "Taller",
            },
        ]
    )
    at_risk = funding_words.at_risk_table(funding.at_risk_activities(plans), themes(), "es")
    view = tables.reader_view(at_risk, "es", themes())
    assert list(view.columns)[:3] == [
        "Título (español)",
        "Único recurso nombrado",
        "Instrumento del BID",
    ]
    assert "Título (inglés)" not in view.columns
    assert len(set(view.columns)) == len(view.columns)


def test_reader_html_escapes_every_cell_and_marks_id_columns() -> None:
    frame = pd.DataFrame(
        {
            "activity_id": ["2024-3.1.1"],
            "title_en": ["<img src=x onerror=alert(1)>"],
            "n_activities": [1],
        }
    )
    markup = tables.reader_html(frame, "en")
    assert "<img" not in markup
    assert "&lt;img src=x onerror=alert(1)&gt;" in markup
    # the stylesheet keeps ids unwrapped, aligns numbers right, leaves text left-aligned
    assert '<td class="code" data-label="Activity id">2024-3.1.1</td>' in markup
    assert '<th scope="col" class="code">Activity id</th>' in markup
    assert '<td class="num" data-label="Activities">1</td>' in markup
    assert '<td data-label="Title (English)">&lt;img' in markup


def test_signed_changes_use_the_true_minus_sign() -> None:
    frame = pd.DataFrame({"change": [-1, 0, 3]})
    assert tables.reader_view(frame, "en")["Change"].tolist() == ["−1", "0", "+3"]


ANALYSIS_TABLES = {
    "plan_overview": lambda p, t: count_measures.plan_overview(p),
    "count_by_area": lambda p, t: count_measures.count_by_area(p),
    "count_by_theme": theme_measures.count_by_theme,
    "funding_dependence": lambda p, t: funding.funding_dependence(p),
    "idb_by_instrument": lambda p, t: funding.idb_by_instrument(p),
    "at_risk_activities": lambda p, t: funding_words.at_risk_table(
        funding.at_risk_activities(p), t, "es"
    ),
    "semester_load": lambda p, t: timing.semester_load(p),
    "semester_event_load": lambda p, t: timing.semester_event_load(p),
    "agenda_diversity": diversity.agenda_diversity,
    "activity_type_mix": lambda p, t: count_measures.activity_type_mix(p),
    "venue_mix": lambda p, t: count_measures.venue_mix(p),
    "theme_shifts": lambda p, t: theme_measures.theme_shifts(t, 2020, 2024),
}


def test_every_analysis_table_has_a_catalogue_header_for_every_shown_column() -> None:
    plans = make_plans(
        [
            {
                "plan_year": 2020,
                "area_code": "3.1",
                "theme": "cross_border_services",
                "funding_sources": "idb",
                "idb_instrument": "rpg",
            },
            {"plan_year": 2024, "area_code": "3.3", "theme": "cybersecurity"},
        ]
    )
    for name, table in ANALYSIS_TABLES.items():
        frame = table(plans, themes())
        view, columns = tables._view(frame, "es", themes())
        unlabelled = [c for c, shown in zip(columns, view.columns, strict=True) if c == shown]
        assert unlabelled == [], f"{name}: add column.<name> keys to labels.csv for {unlabelled}"


def test_fractional_counts_print_without_trailing_zeros() -> None:
    frame = pd.DataFrame({"value": [12.5, 1.04, 3.0]})
    assert tables.reader_view(frame, "es")["Actividades (número o peso)"].tolist() == [
        "12,5",
        "1,04",
        "3",
    ]


def test_lists_of_area_codes_read_as_lists() -> None:
    frame = pd.DataFrame({"baseline_areas": ["3.3;3.9", ""], "compare_areas": ["3.9ii", "3.3"]})
    view = tables.reader_view(frame, "es")
    assert view["Áreas (año base)"].tolist() == ["3.3, 3.9", ""]
    assert view["Áreas (comparación)"].tolist() == ["3.9ii", "3.3"]


def test_a_header_is_shown_once_even_when_two_columns_would_share_it() -> None:
    frame = pd.DataFrame(
        {
            "plan_year": [2020, 2024],
            "area_code": ["3.1", "3.1"],
            "area_name_en": ["Cross-border services", "Cross-border services"],
            "area_name_es": ["Servicios transfronterizos", "Servicios transfronterizos"],
            "n_activities": [6, 8],
        }
    )
    view = tables.reader_view(frame, "es", themes())
    assert list(view.columns) == ["Año del plan", "Área", "Área de trabajo", "Actividades"]


def test_a_context_column_with_one_value_is_said_once_above_the_table() -> None:
    frame = pd.DataFrame(
        {"plan_year": [2024, 2024], "source": ["idb", "idb"], "n_activities": [3, 4]}
    )
    markup = tables.reader_html(frame, "es")
    assert "<caption>Año del plan: 2024 · Fuente de financiamiento: BID</caption>" in markup
    assert markup.count("<th ") == 1  # only "Actividades" stays a column
    one_row = tables.reader_html(frame.head(1), "es")
    assert "<caption>" not in one_row  # a single row keeps its columns


def test_a_table_wider_than_a_phone_is_marked_to_read_as_a_list_per_row() -> None:
    narrow = pd.DataFrame({"plan_year": [2020, 2024], "n_activities": [28, 41]})
    assert 'class="gealc-table"' in tables.reader_html(narrow, "en")
    wide = narrow.assign(n_events=[10, 12], share=[0.5, 0.4])
    assert 'class="gealc-table stack"' in tables.reader_html(wide, "en")
    long_text = narrow.assign(title_en=["A title much longer than a phone column shows", "x"])
    assert 'class="gealc-table stack"' in tables.reader_html(long_text, "en")


def test_every_table_sits_in_a_scroll_box_a_keyboard_can_reach() -> None:
    markup = tables.reader_html(pd.DataFrame({"n_activities": [1]}), "es")
    assert markup.startswith(
        '<div class="table-box" tabindex="0" role="region" aria-label="Tabla"><table'
    )
    assert markup.endswith("</table></div>")
