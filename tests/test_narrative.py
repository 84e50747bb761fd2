"""The report's sentences: numbers from the frames, only real changes named, EN and ES."""

from __future__ import annotations

import pandas as pd

from gealc_analysis.words import narrative


def overview_frame(years: tuple[int, ...] = (2020, 2024, 2028)) -> pd.DataFrame:
    counts = {2020: (28, 124, 9, 7), 2024: (41, 67, 10, 10), 2028: (35, 50, 8, 8)}
    return pd.DataFrame(
        [(year, *counts[year], 1.0) for year in years],
        columns=[
            "plan_year",
            "n_activities",
            "n_events",
            "n_areas",
            "n_themes",
            "n_funding_sources_mean",
        ],
    )


def comparison_frame(baseline: int = 2020, compare: int = 2024) -> pd.DataFrame:
    rows = [  # theme, before, after
        ("open_data", 4, 3),
        ("cybersecurity", 0, 4),
        ("knowledge", 2, 0),
        ("unused", 0, 0),
        ("communication", 2, 5),
    ]
    return pd.DataFrame(
        [
            (
                theme,
                f"{theme} EN",
                f"{theme} ES",
                baseline,
                compare,
                b,
                a,
                a - b,
                (a - b) / b if b else float("nan"),
            )
            for theme, b, a in rows
        ],
        columns=[
            "theme",
            "theme_label_en",
            "theme_label_es",
            "baseline_year",
            "compare_year",
            "baseline_value",
            "compare_value",
            "change",
            "pct_change",
        ],
    )


def test_overview_has_one_line_per_plan_and_the_change_between_the_chosen_years() -> None:
    text = narrative.overview(overview_frame(), 2020, 2028)
    assert text.splitlines()[:3] == [
        (
            "- The **2020** plan lists **28** activities in 9 areas and 7 themes, announcing 124 "
            "events a year."
        ),
        (
            "- The **2024** plan lists **41** activities in 10 areas and 10 themes, announcing 67 "
            "events a year."
        ),
        (
            "- The **2028** plan lists **35** activities in 8 areas and 8 themes, announcing 50 "
            "events a year."
        ),
    ]
    # 28 → 35 is +25 %
    assert text.endswith(
        "From 2020 to 2028 the number of activities went from **28** to **35** (+25.0%)."
    )


def test_overview_of_a_single_plan_states_no_change() -> None:
    text = narrative.overview(overview_frame((2024,)), 2024, 2024)
    assert "From" not in text
    assert text.count("\n") == 0


def test_theme_changes_names_the_largest_rise_and_fall_and_real_appearances_only() -> None:
    lines = narrative.theme_changes(comparison_frame()).splitlines()
    assert lines == [
        "- Largest rise from 2020 to 2024: **cybersecurity EN** (0 → 4 activities).",
        "- Largest fall: **knowledge EN** (2 → 0 activities).",
        "- Themes with activities in 2024 but none in 2020: cybersecurity EN.",
        "- Themes with activities in 2020 but none in 2024: knowledge EN.",
    ]


def test_theme_changes_reports_no_rise_when_nothing_rose() -> None:
    frame = comparison_frame()
    frame = frame[frame["change"] <= 0]
    text = narrative.theme_changes(frame)
    assert "Largest rise" not in text
    assert "Largest fall: **knowledge EN**" in text


def test_comparing_a_plan_with_itself_says_so_instead_of_inventing_changes() -> None:
    text = narrative.theme_changes(comparison_frame(2020, 2020))
    assert text.startswith("Baseline and comparison are the same plan (2020)")
    shifts = pd.DataFrame(
        {
            "theme": ["a"],
            "theme_label_en": ["A"],
            "theme_label_es": ["A"],
            "relation": ["continued"],
            "baseline_areas": ["3.1"],
            "compare_areas": ["3.1"],
        }
    )
    assert narrative.theme_shifts(shifts, 2024, 2024) == narrative.no_comparison(2024)


def test_theme_shifts_groups_themes_by_relation_in_spanish() -> None:
    shifts = pd.DataFrame(
        {
            "theme": ["a", "b", "c"],
            "theme_label_en": ["Cybersecurity", "Open data", "Meetings and awards"],
            "theme_label_es": ["Ciberseguridad", "Datos abiertos", "Reuniones y premios"],
            "relation": ["new", "continued", "merged"],
            "baseline_areas": ["", "3.2", "3.3;3.9"],
            "compare_areas": ["3.3", "3.2", "3.9ii"],
        }
    )
    lines = narrative.theme_shifts(shifts, 2020, 2024, lang="es").splitlines()
    # plural headings agree with "temas" whatever the labels are
    assert lines == [
        "- **Temas que continúan**: Datos abiertos",
        "- **Temas fusionados**: Reuniones y premios",
        "- **Temas nuevos**: Ciberseguridad",
    ]


def funding_frame() -> pd.DataFrame:
    """2024: 4 activities — idb alone, idb+oas, oas, working_group."""
    rows = []
    values = {  # source: (any_touch, fractional, sole_source)
        "idb": (2, 1.5, 1),
        "oas": (2, 1.5, 1),
        "working_group": (1, 1.0, 1),
        "executive_committee": (0, 0.0, 0),
        "member_countries": (0, 0.0, 0),
    }
    for source, triple in values.items():
        for measure, value in zip(("any_touch", "fractional", "sole_source"), triple, strict=True):
            rows.append((2024, source, measure, float(value), value / 4))
    return pd.DataFrame(rows, columns=["plan_year", "source", "measure", "value", "share"])


def test_funding_sentence_gives_the_three_shares_and_the_sole_source_count() -> None:
    assert narrative.funding(funding_frame(), "idb") == (
        "- **2024** — IDB: named by **50.0%** of the activities (any touch), a fractional share "
        "of **37.5%**; **25.0%** depend on IDB alone (1 of 4 activities)."
    )


def test_spanish_funding_sentences_assume_no_article_or_gender_for_the_source() -> None:
    # "el {source}" would give "el OEA"; the label opens the clause instead
    assert narrative.funding(funding_frame(), "oas", lang="es") == (
        "- **2024** — OEA: presente en **50,0\u00a0%** de las actividades "
        "(cualquier participación), cuota fraccional de **37,5\u00a0%**; **25,0\u00a0%** no "
        "nombran otro recurso (1 de 4 actividades)."
    )
    top = narrative.main_sources(funding_frame(), lang="es")
    # idb and oas tie at 2 of 4: the first in vocabulary order is named
    assert top == (
        "- **2024**: la fuente nombrada por más actividades: BID (50,0\u00a0% de las actividades)."
    )


def test_spanish_percentages_use_a_decimal_comma_and_a_space() -> None:
    assert narrative.percent(0.4643, "es") == "46,4\u00a0%"
    assert "**50,0\u00a0%**" in narrative.funding(funding_frame(), "idb", lang="es")


def test_lists_of_labels_that_contain_the_conjunction_use_semicolons() -> None:
    assert narrative.join_words(["A", "B", "C"], "en") == "A, B, and C"  # babel: CLDR's pattern
    assert narrative.join_words(["A", "B", "C"], "es") == "A, B y C"
    assert narrative.join_words(["A", "B"], "en") == "A and B"
    assert (
        narrative.join_words(["Software y medición", "Datos"], "es") == "Software y medición; Datos"
    )
    assert narrative.join_words([], "es") == "ninguno"
