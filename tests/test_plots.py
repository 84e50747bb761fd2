"""Charts: every chart carries its title, axis labels, source line, one bar per value, and
switches to Spanish with ``lang="es"``. Frames are small hand-made ones shaped like
CONTRACTS.md, so these tests pin the chart layer independently of the analysis code."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from matplotlib.colors import same_color
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from gealc_analysis import plots, style, vocabulary
from gealc_analysis.i18n import code_label
from gealc_analysis.vocabulary import FUNDING_MEASURES

# --- hand-made frames (CONTRACTS.md shapes) ---------------------------------------------------

THEMES = [
    ("cybersecurity", "Cybersecurity", "Ciberseguridad"),
    ("digital_identity", "Digital identity", "Identidad digital"),
    (
        "public_software_and_measurement",
        "Public software and measurement",
        "Software público y medición",
    ),
    ("open_government", "Open government", "Gobierno abierto"),
]


def count_by_area_frame(years: tuple[int, ...] = (2020, 2024)) -> pd.DataFrame:
    """Three areas in the first plan, two in each later one (area codes differ by plan)."""
    rows = [
        (years[0], "3.1", "Cybersecurity", "cybersecurity", 3, 5),
        (
            years[0],
            "3.4",
            "Digital Government Measurement",
            "public_software_and_measurement",
            2,
            2,
        ),
        (years[0], "3.9i", "Open Government", "open_government", 1, 1),
    ]
    for year in years[1:]:
        rows += [
            (year, "3.1", "Ciberseguridad", "cybersecurity", 4, 4),
            (year, "3.7", "Software público y Medición", "public_software_and_measurement", 2, 24),
        ]
    return pd.DataFrame(
        rows,
        columns=["plan_year", "area_code", "area_name", "theme", "n_activities", "n_events"],
    )


def count_by_theme_frame(years: tuple[int, ...] = (2020, 2024)) -> pd.DataFrame:
    counts = {2020: [3, 0, 2, 1], 2022: [1, 1, 1, 1], 2024: [4, 1, 2, 0]}
    rows = []
    for year in years:
        total = sum(counts[year])
        for (theme, en, es), n in zip(THEMES, counts[year], strict=True):
            rows.append((year, theme, en, es, n, n, n / total))
    return pd.DataFrame(
        rows,
        columns=[
            "plan_year",
            "theme",
            "theme_label_en",
            "theme_label_es",
            "n_activities",
            "n_events",
            "share",
        ],
    )


def compare_years_frame() -> pd.DataFrame:
    base, comp = [3, 0, 2, 1], [4, 1, 2, 0]
    rows = []
    for (theme, en, es), b, c in zip(THEMES, base, comp, strict=True):
        rows.append((theme, 2020, 2024, b, c, c - b, (c - b) / b if b else float("nan"), en, es))
    return pd.DataFrame(
        rows,
        columns=[
            "theme",
            "baseline_year",
            "compare_year",
            "baseline_value",
            "compare_value",
            "change",
            "pct_change",
            "theme_label_en",
            "theme_label_es",
        ],
    )


def funding_dependence_frame(years: tuple[int, ...] = (2020, 2024)) -> pd.DataFrame:
    rows = []
    for year in years:
        for measure in FUNDING_MEASURES:
            for i, source in enumerate(vocabulary.FUNDING_SOURCES):
                value = float(i + 1)
                rows.append((year, source, measure, value, value / 15))
    return pd.DataFrame(rows, columns=["plan_year", "source", "measure", "value", "share"])


def idb_by_instrument_frame(years: tuple[int, ...] = (2020, 2024)) -> pd.DataFrame:
    rows = []
    for year in years:
        counts = [2, 1, 0] if year == 2020 else [3, 0, 1]
        for instrument, n in zip(vocabulary.IDB_INSTRUMENTS, counts, strict=True):
            rows.append((year, instrument, n, n / sum(counts)))
    return pd.DataFrame(rows, columns=["plan_year", "instrument", "n_activities", "share_of_idb"])


def semester_load_frame(years: tuple[int, ...] = (2020, 2024)) -> pd.DataFrame:
    rows = []
    for year in years:
        counts = [5, 3, 2, 0] if year == 2020 else [4, 6, 1, 1]
        for timing, n in zip(vocabulary.TIMINGS, counts, strict=True):
            rows.append((year, timing, n, n / sum(counts)))
    return pd.DataFrame(rows, columns=["plan_year", "timing", "n_activities", "share"])


def semester_event_load_frame(years: tuple[int, ...] = (2020, 2024)) -> pd.DataFrame:
    rows = []
    for year in years:
        events = [6.5, 4.5, 1.0] if year == 2020 else [14.0, 12.0, 0.0]
        for timing, n in zip(("S1", "S2", "tbd"), events, strict=True):
            rows.append((year, timing, n, n / sum(events)))
    return pd.DataFrame(rows, columns=["plan_year", "timing", "n_events", "share"])


def agenda_diversity_frame(years: tuple[int, ...] = (2020, 2024)) -> pd.DataFrame:
    rows = [
        (y, 10, 3 + i, 4, 1.0 + 0.1 * i, 0.72 + 0.05 * i, 2.7 + 0.3 * i)
        for i, y in enumerate(years)
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "plan_year",
            "n_activities",
            "n_themes_present",
            "n_categories",
            "entropy",
            "normalised_entropy",
            "effective_n_themes",
        ],
    )


def activity_type_mix_frame(years: tuple[int, ...] = (2020, 2024)) -> pd.DataFrame:
    rows = []
    for year in years:
        counts = dict.fromkeys(vocabulary.ACTIVITY_TYPES, 0)
        counts.update(
            {"workshop": 4, "webinar": 3, "meeting": 2, "award": 1}
            if year == 2020
            else {"webinar": 6, "governance": 2, "exchange": 2}
        )
        total = sum(counts.values())
        rows += [(year, t, n, n / total) for t, n in counts.items()]
    return pd.DataFrame(rows, columns=["plan_year", "activity_type", "n_activities", "share"])


def venue_mix_frame(years: tuple[int, ...] = (2020, 2024)) -> pd.DataFrame:
    rows = []
    for year in years:
        counts = [6, 3, 1] if year == 2020 else [9, 1, 0]
        rows += [
            (year, v, n, n / sum(counts))
            for v, n in zip(vocabulary.VENUE_MODES, counts, strict=True)
        ]
    return pd.DataFrame(rows, columns=["plan_year", "venue_mode", "n_activities", "share"])


# --- inspection helpers -----------------------------------------------------------------------


def texts(fig: Figure) -> list[str]:
    """Every visible string of the figure: titles, ticks, labels, legends, source line."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def title(fig: Figure) -> str:
    return fig.get_suptitle()


def bars(fig: Figure) -> list[Rectangle]:
    """Data bars: rectangles drawn in axes (legend swatches live in legends, not axes)."""
    return [p for ax in fig.axes for p in ax.patches if isinstance(p, Rectangle)]


def category_names(ax, horizontal: bool) -> list[str]:
    """The category (major tick) labels of a grouped-bar axes, in slot order."""
    labels = ax.get_yticklabels() if horizontal else ax.get_xticklabels()
    return [t.get_text() for t in labels]


def bars_by_category(ax, names: list[str], horizontal: bool) -> dict[str, list[Rectangle]]:
    """The axes' bars grouped by the category slot they sit in, in drawing order (years
    ascending), so a test can ask for "the bars of IDB". ``names`` are the slot labels (panels
    sharing an axis print them once, on the first panel)."""
    ticks = ax.get_yticks() if horizontal else ax.get_xticks()
    grouped: dict[str, list[Rectangle]] = {name: [] for name in names}
    for bar in (p for p in ax.patches if isinstance(p, Rectangle)):
        if horizontal:
            centre = bar.get_y() + bar.get_height() / 2
        else:
            centre = bar.get_x() + bar.get_width() / 2
        slot = min(range(len(ticks)), key=lambda i: abs(ticks[i] - centre))
        grouped[names[slot]].append(bar)
    return grouped


def year_legend(fig: Figure):
    """The legend whose title is the plan year (text, swatch) pairs, in legend order."""
    (legend,) = [
        lg for lg in fig.legends if lg.get_title().get_text() in ("Plan year", "Año del plan")
    ]
    return [t.get_text() for t in legend.get_texts()], legend.legend_handles


def source_line(fig: Figure) -> str:
    lines = [t.get_text() for t in fig.texts if t.get_text().startswith(("Source:", "Fuente:"))]
    assert len(lines) == 1, lines
    return lines[0]


# --- one test group per chart ------------------------------------------------------------------


def test_activities_by_area_draws_one_panel_per_plan_with_its_own_areas():
    fig = plots.plot_activities_by_area(count_by_area_frame())
    assert title(fig) == "Activities per work area"
    assert len(fig.axes) == 2
    assert len(bars(fig)) == 3 + 2
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["Plan 2020", "Plan 2024"]
    assert fig.axes[-1].get_xlabel() == "Activities"
    assert fig.axes[0].get_ylabel() == "Work area"
    assert "3.9i  Open Government" in texts(fig)
    assert source_line(fig) == "Source: Red GEALC Work Plan 2020, 2024"


def test_activities_by_area_can_count_events_and_speaks_spanish():
    fig = plots.plot_activities_by_area(count_by_area_frame(), value="n_events", lang="es")
    assert title(fig) == "Eventos por área de trabajo"
    assert fig.axes[0].get_ylabel() == "Área de trabajo"
    assert fig.axes[-1].get_xlabel() == "Eventos por año"
    assert "24" in texts(fig)  # value label of the 24-event area


def test_activities_by_area_leaves_out_rows_without_an_area_name():
    frame = count_by_area_frame()
    frame.loc[len(frame)] = [2024, "3.9", "", "other", 0, 0]
    assert len(bars(plots.plot_activities_by_area(frame))) == 5


def test_theme_attention_has_a_bar_per_theme_and_year_and_percent_labels():
    fig = plots.plot_theme_attention(count_by_theme_frame())
    (ax,) = fig.axes
    assert title(fig) == "Share of activities per theme"
    assert ax.get_xlabel() == "Share of the year's activities"
    assert ax.get_ylabel() == "Theme"
    assert len(bars(fig)) == len(THEMES) * 2
    assert "Cybersecurity" in texts(fig)
    assert "50%" in texts(fig)  # 3 of 6 activities in 2020
    assert source_line(fig) == "Source: Red GEALC Work Plan 2020, 2024"


def test_theme_attention_in_spanish_uses_spanish_theme_labels_and_number_format():
    fig = plots.plot_theme_attention(count_by_theme_frame(), lang="es")
    assert title(fig) == "Proporción de actividades por tema"
    assert "Software público y medición" in texts(fig)
    assert "50\u00a0%" in texts(fig)
    assert "Año del plan" in texts(fig)  # legend title
    assert source_line(fig) == "Fuente: Plan de Trabajo de la Red GEALC 2020, 2024"


def test_theme_attention_with_three_plans_names_all_three_years():
    fig = plots.plot_theme_attention(count_by_theme_frame((2020, 2022, 2024)))
    assert len(bars(fig)) == len(THEMES) * 3
    assert source_line(fig) == "Source: Red GEALC Work Plan 2020, 2022, 2024"
    assert {"2020", "2022", "2024"} <= set(texts(fig))  # legend entries


def test_theme_heatmap_has_one_labelled_cell_per_theme_and_year():
    fig = plots.plot_theme_heatmap(count_by_theme_frame((2020, 2022, 2024)))
    ax = fig.axes[0]
    assert title(fig) == "Attention per theme (share of activities)"
    assert ax.get_xlabel() == "Plan year"
    assert ax.get_ylabel() == "Theme"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2020", "2022", "2024"]
    cells = [t.get_text() for t in ax.texts]
    assert len(cells) == len(THEMES) * 3
    assert cells[:3] == ["50%", "25%", "57%"]  # cybersecurity: 3/6, 1/4, 4/7
    assert source_line(fig) == "Source: Red GEALC Work Plan 2020, 2022, 2024"


def test_theme_heatmap_in_spanish():
    fig = plots.plot_theme_heatmap(count_by_theme_frame(), lang="es")
    assert title(fig) == "Atención por tema (proporción de actividades)"
    assert "Software público y medición" in texts(fig)
    assert "50\u00a0%" in texts(fig)


def test_theme_change_sorts_by_change_and_signs_the_labels():
    fig = plots.plot_theme_change(compare_years_frame())
    (ax,) = fig.axes
    assert title(fig) == "Change in activities per theme, 2020 → 2024"
    assert ax.get_xlabel() == "Change in activities (2024 − 2020)"
    assert len(bars(fig)) == len(THEMES)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    # changes: cyber +1, identity +1, software 0, open government −1 (stable order on ties)
    assert ticks == [
        "Cybersecurity",
        "Digital identity",
        "Public software and measurement",
        "Open government",
    ]
    assert {"+1", "0", "−1"} <= set(texts(fig))
    assert {"Increase", "Decrease", "No change"} <= set(texts(fig))
    assert source_line(fig) == "Source: Red GEALC Work Plan 2020, 2024"


def test_theme_change_colours_increase_and_decrease_with_no_year_colour():
    fig = plots.plot_theme_change(compare_years_frame())
    faces = [bar.get_facecolor() for bar in bars(fig)]
    year_colours = [style.year_colour(year) for year in (2020, 2024, *style.KNOWN_YEAR_COLOURS)]
    assert not any(same_color(face, colour) for face in faces for colour in year_colours)
    # sorted changes +1, +1, 0, −1: two increases, one no-change, one decrease
    expected = ["increase", "increase", "no_change", "decrease"]
    by_row = sorted(bars(fig), key=lambda bar: bar.get_y())
    assert [bar.get_facecolor() for bar in by_row] == [
        pytest.approx(matplotlib.colors.to_rgba(style.CHANGE_COLOURS[kind])) for kind in expected
    ]
    assert [bar.get_hatch() or "" for bar in by_row] == [style.CHANGE_HATCHES[k] for k in expected]


def test_theme_change_in_spanish_and_in_percentage_points_for_shares():
    frame = compare_years_frame().assign(change=[0.125, 0.0, 0.0, -0.125])
    fig = plots.plot_theme_change(frame, value="share", lang="es")
    assert title(fig) == "Cambio en proporción de actividades por tema, 2020 → 2024"
    assert "+12,5 p. p." in texts(fig)
    assert "Identidad digital" in texts(fig)
    assert "Disminución" in texts(fig)


def test_funding_dependence_draws_three_measure_panels_of_sources_by_year():
    fig = plots.plot_funding_dependence(funding_dependence_frame())
    assert title(fig) == "Funding dependence by source"
    assert len(fig.axes) == 3
    assert [ax.get_title(loc="left") for ax in fig.axes] == [
        "Any touch",
        "Fractional",
        "Sole source",
    ]
    assert len(bars(fig)) == 3 * len(vocabulary.FUNDING_SOURCES) * 2
    assert {"IDB", "OAS", "Working-group time"} <= set(texts(fig))
    assert fig.axes[0].get_ylabel() == "Funding source"
    assert all(ax.get_xlabel() == "Share of the year's activities" for ax in fig.axes)
    assert source_line(fig) == "Source: Red GEALC Work Plan 2020, 2024"


def test_funding_dependence_fills_every_bar_with_its_sources_fixed_colour_in_every_year():
    fig = plots.plot_funding_dependence(funding_dependence_frame())
    names = category_names(fig.axes[0], horizontal=True)
    for ax in fig.axes:
        grouped = bars_by_category(ax, names, horizontal=True)
        assert [len(group) for group in grouped.values()] == [2] * len(vocabulary.FUNDING_SOURCES)
        for source in vocabulary.FUNDING_SOURCES:
            group = grouped[code_label("funding", source, "en")]
            colour = style.FUNDING_COLOURS[source]
            assert all(same_color(bar.get_facecolor(), colour) for bar in group), source
    idb_2020, idb_2024 = bars_by_category(fig.axes[0], names, horizontal=True)["IDB"]
    assert same_color(idb_2020.get_facecolor(), style.FUNDING_COLOURS["idb"])
    assert same_color(idb_2024.get_facecolor(), style.FUNDING_COLOURS["idb"])


def test_funding_dependence_tells_years_apart_by_hatch_and_keys_them_with_grey_swatches():
    years = (2020, 2022, 2024)
    fig = plots.plot_funding_dependence(funding_dependence_frame(years))
    assert len(bars(fig)) == 3 * len(vocabulary.FUNDING_SOURCES) * 3  # one bar per source and year
    names = category_names(fig.axes[0], horizontal=True)
    idb = bars_by_category(fig.axes[0], names, horizontal=True)["IDB"]
    hatches = [bar.get_hatch() or "" for bar in idb]
    assert hatches == [style.year_hatch(year) for year in years]
    assert len(set(hatches)) == len(years)
    entries, swatches = year_legend(fig)
    assert entries == ["2020", "2022", "2024"]
    assert all(same_color(s.get_facecolor(), style.YEAR_KEY_FILL) for s in swatches)
    assert [s.get_hatch() or "" for s in swatches] == hatches
    # every bar is named by its year at the axis, the middle year of an odd count included
    year_labels = [t.get_text() for t in fig.axes[0].get_yticklabels(minor=True)]
    assert year_labels == ["2020", "2022", "2024"] * len(vocabulary.FUNDING_SOURCES)


def test_funding_dependence_single_measure_in_spanish():
    fig = plots.plot_funding_dependence(funding_dependence_frame(), "sole_source", lang="es")
    assert title(fig) == "Dependencia del financiamiento por fuente: Fuente única"
    assert len(fig.axes) == 1
    assert len(bars(fig)) == len(vocabulary.FUNDING_SOURCES) * 2
    assert {"BID", "OEA", "Tiempo de los grupos de trabajo", "Países miembros"} <= set(texts(fig))


def test_funding_dependence_rejects_an_unknown_measure():
    with pytest.raises(ValueError, match="Unknown funding measure"):
        plots.plot_funding_dependence(funding_dependence_frame(), "half_touch")


def test_idb_instruments_draws_instruments_by_year():
    fig = plots.plot_idb_instruments(idb_by_instrument_frame())
    (ax,) = fig.axes
    assert title(fig) == "IDB-funded activities by instrument"
    assert ax.get_xlabel() == "IDB instrument"
    assert ax.get_ylabel() == "Activities"
    assert len(bars(fig)) == len(vocabulary.IDB_INSTRUMENTS) * 2
    assert "Regional Public Goods (RPG)" in texts(fig)
    assert [t.get_text() for t in ax.get_xticklabels(minor=True)] == ["2020", "2024"] * 3
    es = plots.plot_idb_instruments(idb_by_instrument_frame(), lang="es")
    assert title(es) == "Actividades financiadas por el BID según instrumento"
    assert "Consultoría" in texts(es)


def test_idb_instruments_fill_by_instrument_colour_and_mark_years_by_hatch():
    fig = plots.plot_idb_instruments(idb_by_instrument_frame())
    (ax,) = fig.axes
    grouped = bars_by_category(ax, category_names(ax, horizontal=False), horizontal=False)
    for instrument in vocabulary.IDB_INSTRUMENTS:
        group = grouped[code_label("idb_instrument", instrument, "en")]
        colour = style.IDB_INSTRUMENT_COLOURS[instrument]
        assert len(group) == 2
        assert all(same_color(bar.get_facecolor(), colour) for bar in group), instrument
        assert [bar.get_hatch() or "" for bar in group] == [
            style.year_hatch(2020),
            style.year_hatch(2024),
        ]
    entries, swatches = year_legend(fig)
    assert entries == ["2020", "2024"]
    assert all(same_color(s.get_facecolor(), style.YEAR_KEY_FILL) for s in swatches)


def test_charts_coloured_by_year_keep_year_colours_in_bars_and_legend():
    fig = plots.plot_theme_attention(count_by_theme_frame())
    (ax,) = fig.axes
    grouped = bars_by_category(ax, category_names(ax, horizontal=True), horizontal=True)
    first, second = grouped["Cybersecurity"]
    assert same_color(first.get_facecolor(), style.year_colour(2020))
    assert same_color(second.get_facecolor(), style.year_colour(2024))
    _, swatches = year_legend(fig)
    assert same_color(swatches[1].get_facecolor(), style.year_colour(2024))
    assert ax.get_yticklabels(minor=True) == []  # years are told by colour, not named per bar


def test_semester_load_stacks_every_timing_per_year_with_totals():
    fig = plots.plot_semester_load(semester_load_frame())
    (ax,) = fig.axes
    assert title(fig) == "Activities per semester"
    assert ax.get_xlabel() == "Plan year"
    assert ax.get_ylabel() == "Activities"
    assert len(bars(fig)) == len(vocabulary.TIMINGS) * 2
    assert {"10", "12"} <= set(texts(fig))  # stack totals
    assert {"First semester (S1)", "Year-round", "To be defined"} <= set(texts(fig))
    assert source_line(fig) == "Source: Red GEALC Work Plan 2020, 2024"


def test_semester_load_in_spanish():
    fig = plots.plot_semester_load(semester_load_frame(), lang="es")
    assert title(fig) == "Actividades por semestre"
    assert {"Primer semestre (S1)", "Todo el año", "Por definir", "Año del plan"} <= set(texts(fig))


def test_semester_event_load_prints_half_events_with_one_decimal():
    fig = plots.plot_semester_event_load(semester_event_load_frame())
    (ax,) = fig.axes
    assert title(fig) == "Events per semester"
    assert ax.get_ylabel() == "Events per year"
    assert len(bars(fig)) == 3 * 2
    assert {"6.5", "4.5", "26"} <= set(texts(fig))
    es = plots.plot_semester_event_load(semester_event_load_frame(), lang="es")
    assert {"6,5", "Eventos por semestre"} <= set(texts(es))


def test_agenda_diversity_shows_both_measures_per_year():
    fig = plots.plot_agenda_diversity(agenda_diversity_frame((2020, 2022, 2024)))
    left, right = fig.axes
    assert title(fig) == "Diversity of the agenda across themes"
    assert left.get_ylabel() == "Effective number of themes"
    assert right.get_ylabel() == "Normalised entropy (0–1)"
    assert left.get_xlabel() == right.get_xlabel() == "Plan year"
    assert len(bars(fig)) == 2 * 3
    assert {"2.7", "3.3", "0.82", "Maximum: 4 themes"} <= set(texts(fig))
    assert source_line(fig) == "Source: Red GEALC Work Plan 2020, 2022, 2024"
    es = plots.plot_agenda_diversity(agenda_diversity_frame(), lang="es")
    assert {"Número efectivo de temas", "Entropía normalizada (0–1)", "0,77"} <= set(texts(es))


def test_activity_type_mix_stacks_shares_and_lists_only_types_in_use():
    fig = plots.plot_activity_type_mix(activity_type_mix_frame())
    (ax,) = fig.axes
    assert title(fig) == "Mix of activity types"
    assert ax.get_ylabel() == "Share of the year's activities"
    assert len(bars(fig)) == len(vocabulary.ACTIVITY_TYPES) * 2
    legend_texts = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend_texts == ["Governance", "Exchange", "Award", "Meeting", "Webinar", "Workshop"]
    assert "40%" in texts(fig)
    es = plots.plot_activity_type_mix(activity_type_mix_frame(), lang="es")
    assert {"Composición por tipo de actividad", "Reunión", "Tipo de actividad"} <= set(texts(es))


def test_venue_mix_stacks_venue_modes_per_year():
    fig = plots.plot_venue_mix(venue_mix_frame())
    assert title(fig) == "Venue of activities"
    assert len(bars(fig)) == len(vocabulary.VENUE_MODES) * 2
    assert {"Virtual", "On site", "To be defined"} <= set(texts(fig))
    es = plots.plot_venue_mix(venue_mix_frame(), lang="es")
    assert {"Modalidad de las actividades", "Presencial", "90\u00a0%"} <= set(texts(es))


@pytest.mark.parametrize(
    ("plot", "frame"),
    [
        (plots.plot_activities_by_area, count_by_area_frame),
        (plots.plot_theme_attention, count_by_theme_frame),
        (plots.plot_funding_dependence, funding_dependence_frame),
        (plots.plot_idb_instruments, idb_by_instrument_frame),
        (plots.plot_semester_load, semester_load_frame),
        (plots.plot_semester_event_load, semester_event_load_frame),
        (plots.plot_agenda_diversity, agenda_diversity_frame),
        (plots.plot_activity_type_mix, activity_type_mix_frame),
        (plots.plot_venue_mix, venue_mix_frame),
    ],
)
def test_every_year_chart_handles_three_plans_and_names_them_in_the_source_line(plot, frame):
    fig = plot(frame((2020, 2022, 2024)))
    assert isinstance(fig, Figure)
    assert source_line(fig) == "Source: Red GEALC Work Plan 2020, 2022, 2024"


def test_charts_reject_an_unsupported_language():
    with pytest.raises(ValueError, match="Unsupported language 'fr'"):
        plots.plot_venue_mix(venue_mix_frame(), lang="fr")


def test_building_a_chart_leaves_global_matplotlib_settings_alone():
    before = dict(matplotlib.rcParams)
    plots.plot_semester_load(semester_load_frame())
    assert dict(matplotlib.rcParams) == before
