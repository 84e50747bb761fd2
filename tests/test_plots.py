"""Charts: every chart states its finding in a title computed from the frame it draws, names
its measure in a subtitle and its years in a source line, keeps one colour meaning per
dimension, stays legible at phone width, and switches to Spanish with ``lang="es"``. Frames are
small hand-made ones shaped like CONTRACTS.md with hand-computed findings, so these tests pin
the chart layer independently of the analysis code."""

from __future__ import annotations

import functools

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation, Text

from gealc_analysis.charts import plots, style
from gealc_analysis.data import vocabulary
from gealc_analysis.data.vocabulary import FUNDING_MEASURES

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


def funding_leaders_frame() -> pd.DataFrame:
    """2020: 4 activities, IDB named by 3 (alone in 2), working-group time by 1.
    2024: 5 activities, working-group time named by 3, IDB by 2, OAS and member countries by 1."""
    any_touch = {
        2020: {"idb": 3, "working_group": 1},
        2024: {"working_group": 3, "idb": 2, "oas": 1, "member_countries": 1},
    }
    sole = {2020: {"idb": 2, "working_group": 1}, 2024: {"working_group": 2}}
    totals = {2020: 4, 2024: 5}
    rows = []
    for year, total in totals.items():
        for source in vocabulary.FUNDING_SOURCES:
            touch = any_touch[year].get(source, 0)
            alone = sole[year].get(source, 0)
            fractional = touch * 0.75  # any weights: the leader test reads any-touch only
            for measure, value in (
                ("any_touch", touch),
                ("fractional", fractional),
                ("sole_source", alone),
            ):
                rows.append((year, source, measure, float(value), value / total))
    return pd.DataFrame(rows, columns=["plan_year", "source", "measure", "value", "share"])


# --- inspection helpers --------------------------------------------------------------------------


def texts(fig: Figure) -> list[str]:
    """Every visible string of the figure: titles, ticks, labels, legends, source line."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def title(fig: Figure) -> str:
    return plots.chart_title(fig)


def subtitle(fig: Figure) -> str:
    return plots.chart_subtitle(fig)


def source_line(fig: Figure) -> str:
    return style.figure_text(fig, style.SOURCE_GID)


def bars(fig: Figure) -> list[Rectangle]:
    """Data bars: rectangles drawn in axes (legend swatches live in legends, not axes)."""
    return [p for ax in fig.axes for p in ax.patches if isinstance(p, Rectangle)]


def headers(ax) -> list[str]:
    """Category names printed above their bars, top to bottom (plain texts of the axes)."""
    found = [t for t in ax.texts if type(t) is Text and t.get_text()]
    top_down = sorted(found, key=lambda t: t.get_position()[1])
    return [" ".join(t.get_text().split()) for t in top_down]


def year_ticks(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


def _ticks_outside_the_view(fig: Figure) -> list[Text]:
    """Tick labels matplotlib keeps but does not draw (their tick lies beyond the axis)."""
    hidden = []
    for ax in fig.axes:
        for axis, (low, high) in (
            (ax.xaxis, sorted(ax.get_xlim())),
            (ax.yaxis, sorted(ax.get_ylim())),
        ):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    hidden += [tick.label1, tick.label2]
    return hidden


def is_grey(colour) -> bool:
    red, green, blue = to_rgb(colour)
    return red == pytest.approx(green) == pytest.approx(blue)


# --- one test group per chart ------------------------------------------------------------------


def test_activities_by_area_names_the_largest_area_of_each_plan_in_its_title():
    fig = plots.plot_activities_by_area(count_by_area_frame())
    # 2020: 3 + 2 + 1 = 6 activities, 3.1 largest; 2024: 4 + 2 = 6, 3.1 largest
    assert title(fig) == (
        "Work area with the most activities: Cybersecurity in 2020 (3 of 6) "
        "and Ciberseguridad in 2024 (4 of 6)"
    )
    assert subtitle(fig) == "Activities per work area, as each plan prints its areas"
    assert len(fig.axes) == 2
    assert len(bars(fig)) == 3 + 2
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["Plan 2020", "Plan 2024"]
    assert headers(fig.axes[0]) == [
        "3.1 Cybersecurity",
        "3.4 Digital Government Measurement",
        "3.9i Open Government",
    ]
    assert fig.axes[-1].get_xlabel() == "Activities"
    assert source_line(fig) == "Source: Red GEALC Work Plan 2020, 2024"


def test_activities_by_area_uses_the_area_label_of_the_page_language_when_given():
    frame = count_by_area_frame().assign(
        area_label=[
            "Ciberseguridad",
            "Medición del gobierno digital",
            "Gobierno abierto",
            "Ciberseguridad",
            "Software público y medición",
        ]
    )
    fig = plots.plot_activities_by_area(frame, value="n_events", lang="es")
    # events: 2020 5 + 2 + 1 = 8 (3.1 has 5); 2024 4 + 24 = 28 (3.7 has 24)
    assert title(fig) == (
        "Área de trabajo con más eventos al año: Ciberseguridad en 2020 "
        "(5 de 8) y Software público y medición en 2024 (24 de 28)"
    )
    assert "3.4 Medición del gobierno digital" in headers(fig.axes[0])
    assert fig.axes[-1].get_xlabel() == "Eventos por año"


def test_activities_by_area_leaves_out_rows_without_an_area_name():
    frame = count_by_area_frame()
    frame.loc[len(frame)] = [2024, "3.9", "", "other", 0, 0]
    assert len(bars(plots.plot_activities_by_area(frame))) == 5


def test_theme_attention_title_states_the_leading_theme_and_bars_rank_by_the_latest_plan():
    fig = plots.plot_theme_attention(count_by_theme_frame())
    (ax,) = fig.axes
    # 2020: 3 of 6 in cybersecurity; 2024: 4 of 7
    assert title(fig) == (
        "Theme with the most activities: Cybersecurity in every plan "
        "(3 of 6 in 2020 and 4 of 7 in 2024)"
    )
    # 2024 counts: cyber 4, software 2, identity 1, open government 0
    assert headers(ax) == [
        "Cybersecurity",
        "Public software and measurement",
        "Digital identity",
        "Open government",
    ]
    assert year_ticks(ax) == ["2020", "2024"] * 4
    assert ax.get_xlabel() == "Share of the year's activities"
    assert len(bars(fig)) == len(THEMES) * 2
    assert "50%" in texts(fig)  # 3 of 6 activities in 2020


def test_theme_attention_in_spanish_uses_spanish_labels_and_number_format():
    fig = plots.plot_theme_attention(count_by_theme_frame(), lang="es")
    assert title(fig) == (
        "Tema con más actividades: Ciberseguridad en cada plan (3 de 6 en 2020 y 4 de 7 en 2024)"
    )
    assert "Software público y medición" in headers(fig.axes[0])
    assert "50\u00a0%" in texts(fig)
    assert source_line(fig) == "Fuente: Plan de Trabajo de la Red GEALC 2020, 2024"


def test_theme_heatmap_counts_themes_with_activities_and_prints_every_cell():
    fig = plots.plot_theme_heatmap(count_by_theme_frame((2020, 2022, 2024)))
    ax = fig.axes[0]
    assert title(fig) == "Themes with activities: 3 of 4 in 2020, 4 of 4 in 2022 and 3 of 4 in 2024"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2020", "2022", "2024"]
    cells = [t.get_text() for t in ax.texts]
    assert len(cells) == len(THEMES) * 3
    assert cells[:3] == ["50%", "25%", "57%"]  # cybersecurity first (4 of 7 in 2024): 3/6, 1/4, 4/7
    es = plots.plot_theme_heatmap(count_by_theme_frame(), lang="es")
    assert title(es) == "Temas con actividades: 3 de 4 en 2020 y 3 de 4 en 2024"


def test_theme_change_title_names_the_largest_rise_and_fall_with_ties():
    fig = plots.plot_theme_change(compare_years_frame())
    (ax,) = fig.axes
    # changes: cyber +1, identity +1, software 0, open government −1
    assert title(fig) == (
        "From 2020 to 2024, largest rise: Cybersecurity and Digital identity "
        "(+1); largest fall: Open government (−1)"
    )
    assert subtitle(fig) == "Change in activities per theme, 2020 → 2024"
    assert headers(ax) == [
        "Cybersecurity",
        "Digital identity",
        "Public software and measurement",
        "Open government",
    ]
    assert ax.get_xlabel() == "Change in activities (2024 − 2020)"
    assert {"+1", "0", "−1"} <= set(texts(fig))


def test_theme_change_says_so_when_nothing_changed():
    frame = compare_years_frame().assign(change=0, compare_value=lambda f: f["baseline_value"])
    assert title(plots.plot_theme_change(frame)) == "No theme changed from 2020 to 2024"


def test_theme_change_colours_increase_and_decrease_apart_from_every_year_grey():
    fig = plots.plot_theme_change(compare_years_frame())
    by_row = sorted(bars(fig), key=lambda bar: bar.get_y())
    expected = ["increase", "increase", "no_change", "decrease"]
    assert [bar.get_facecolor() for bar in by_row] == [
        pytest.approx(matplotlib.colors.to_rgba(style.CHANGE_COLOURS[kind])) for kind in expected
    ]
    assert not any(is_grey(bar.get_facecolor()) for bar in by_row if bar.get_width())


def test_theme_change_in_spanish_and_in_percentage_points_for_shares():
    frame = compare_years_frame().assign(change=[0.125, 0.0, 0.0, -0.125])
    fig = plots.plot_theme_change(frame, value="share", lang="es")
    assert title(fig) == (
        "De 2020 a 2024, mayor aumento: Ciberseguridad (+12,5 p. p.); "
        "mayor descenso: Gobierno abierto (−12,5 p. p.)"
    )
    assert subtitle(fig) == "Cambio en proporción de actividades por tema, 2020 → 2024"
    assert "+12,5\u00a0p.\u00a0p." in texts(fig)


def test_funding_dependence_title_names_the_most_named_source_of_each_year():
    fig = plots.plot_funding_dependence(funding_leaders_frame())
    assert title(fig) == (
        "Source named by the most activities: IDB in 2020 (3 of 4) and "
        "Working-group time in 2024 (3 of 5)"
    )
    assert subtitle(fig) == (
        "Share of each plan's activities per funding source, under three measures"
    )
    es = plots.plot_funding_dependence(funding_leaders_frame(), lang="es")
    assert title(es) == (
        "Fuente nombrada por más actividades: BID en 2020 (3 de 4) y Tiempo de "
        "los grupos de trabajo en 2024 (3 de 5)"
    )


def test_funding_dependence_stacks_the_three_measures_vertically_with_one_source_order():
    fig = plots.plot_funding_dependence(funding_leaders_frame())
    assert [ax.get_title(loc="left") for ax in fig.axes] == [
        "Any touch",
        "Fractional",
        "Sole source",
    ]
    lefts = {round(ax.get_position().x0, 3) for ax in fig.axes}
    assert len(lefts) == 1, "panels sit one under the other, not side by side"
    # ranked by 2024 any touch: working group 3, IDB 2, member countries 1, OAS 1 (ties in
    # vocabulary order), executive committee 0
    order = ["Working-group time", "IDB", "Member countries", "OAS", "Executive Committee"]
    assert all(headers(ax) == order for ax in fig.axes)
    assert len(bars(fig)) == 3 * len(vocabulary.FUNDING_SOURCES) * 2
    assert fig.axes[-1].get_xlabel() == "Share of the year's activities"


def test_funding_dependence_single_measure_states_its_own_leader():
    fig = plots.plot_funding_dependence(funding_leaders_frame(), "sole_source", lang="es")
    assert len(fig.axes) == 1
    # sole source: 2020 IDB alone in 2 of 4; 2024 working-group time alone in 2 of 5
    assert title(fig) == (
        "Fuente nombrada como único recurso por más actividades: BID en 2020 (2 de 4) y "
        "Tiempo de los grupos de trabajo en 2024 (2 de 5)"
    )
    assert subtitle(fig) == (
        "Proporción de las actividades de cada plan que no nombran otro recurso (único recurso)"
    )


def test_funding_dependence_rejects_an_unknown_measure():
    with pytest.raises(ValueError, match="Unknown funding measure"):
        plots.plot_funding_dependence(funding_dependence_frame(), "half_touch")


def test_idb_instruments_title_names_the_most_frequent_instrument():
    fig = plots.plot_idb_instruments(idb_by_instrument_frame())
    (ax,) = fig.axes
    # 2020: RPG 2 of 3 IDB-funded activities; 2024: RPG 3 of 4
    assert title(fig) == (
        "Most frequent IDB instrument: Regional Public Goods (RPG) in every "
        "plan (2 of 3 in 2020 and 3 of 4 in 2024)"
    )
    assert headers(ax) == ["Regional Public Goods (RPG)", "Consultant", "Instrument not stated"]
    assert ax.get_xlabel() == "Activities"
    es = plots.plot_idb_instruments(idb_by_instrument_frame(), lang="es")
    assert "Consultoría" in headers(es.axes[0])


def test_semester_load_title_names_the_timing_of_most_activities():
    fig = plots.plot_semester_load(semester_load_frame())
    (ax,) = fig.axes
    assert title(fig) == (
        "Timing of the most activities: First semester (S1) in 2020 (5 of 10) "
        "and Second semester (S2) in 2024 (6 of 12)"
    )
    assert ax.get_ylabel() == "Activities"
    assert len(bars(fig)) == len(vocabulary.TIMINGS) * 2
    assert {"10", "12"} <= set(texts(fig))  # stack totals
    es = plots.plot_semester_load(semester_load_frame(), lang="es")
    assert {"Primer semestre (S1)", "Todo el año", "Por definir", "Calendario"} <= set(texts(es))


def test_semester_event_load_prints_half_events_and_headlines_only_a_clear_leader():
    fig = plots.plot_semester_event_load(semester_event_load_frame())
    assert title(fig) == (
        "Timing of the most events: First semester (S1) in every plan "
        "(6.5 of 12 in 2020 and 14 of 26 in 2024)"
    )
    assert {"6.5", "4.5", "26"} <= set(texts(fig))
    tied = semester_event_load_frame().assign(
        n_events=[6.5, 4.5, 1.0, 13.0, 13.0, 0.0], share=[0, 0, 0, 0.5, 0.5, 0]
    )
    tied.loc[:2, "share"] = [6.5 / 12, 4.5 / 12, 1 / 12]
    es = plots.plot_semester_event_load(tied, lang="es")
    # A tie is not a finding: the chart is titled by what it shows, with no subtitle.
    assert title(es) == (
        "Eventos al año por semestre; los eventos de todo el año se reparten por mitades"
    )
    assert subtitle(es) == ""
    assert style.alt_text(es) == f"{title(es)}."


def test_a_lead_smaller_than_the_rule_is_no_finding():
    """62.5 against 61.5 events of 124 (0.8 points) is no finding; 6.5 against 4.5 of 12 is."""
    close = semester_event_load_frame().assign(
        n_events=[62.5, 61.5, 0.0, 14.0, 12.0, 0.0],
        share=[62.5 / 124, 61.5 / 124, 0.0, 14 / 26, 12 / 26, 0.0],
    )
    assert (
        plots.leader_title(
            close, category="timing", value="n_events", names={}, what="x", lang="en", share="share"
        )
        == ""
    )
    clear = close.assign(n_events=[70.0, 54.0, 0.0, 14.0, 12.0, 0.0])
    clear["share"] = clear["n_events"] / clear.groupby("plan_year")["n_events"].transform("sum")
    assert plots.leader_title(
        clear, category="timing", value="n_events", names={}, what="x", lang="en", share="share"
    ).startswith("x: S1 in every plan")


def test_agenda_diversity_title_states_the_effective_number_of_themes():
    fig = plots.plot_agenda_diversity(agenda_diversity_frame((2020, 2022, 2024)))
    left, right = fig.axes
    assert title(fig) == (
        "Effective number of themes: 2.7 of 4 in 2020, 3.0 of 4 in 2022 and 3.3 of 4 in 2024"
    )
    assert left.get_ylabel() == "Effective number of themes"
    assert right.get_ylabel() == "Normalised entropy (0–1)"
    assert {"2.7", "3.3", "0.82", "Maximum: 4 themes"} <= set(texts(fig))
    es = plots.plot_agenda_diversity(agenda_diversity_frame(), lang="es")
    assert {"Número efectivo de temas", "Entropía normalizada (0–1)", "0,77"} <= set(texts(es))


def test_activity_type_mix_ranks_types_by_the_latest_plan_and_leaves_unused_types_out():
    fig = plots.plot_activity_type_mix(activity_type_mix_frame())
    (ax,) = fig.axes
    assert title(fig) == (
        "Most frequent activity type: Workshop in 2020 (4 of 10) and Webinar in 2024 (6 of 10)"
    )
    # 2024: webinar 6, exchange 2 and governance 2 (vocabulary order), then the zeros of 2024
    assert headers(ax) == ["Webinar", "Exchange", "Governance", "Workshop", "Meeting", "Award"]
    assert "40%" in texts(fig)
    es = plots.plot_activity_type_mix(activity_type_mix_frame(), lang="es")
    assert title(es) == (
        "Tipo de actividad más frecuente: Taller en 2020 (4 de 10) y Seminario "
        "web en 2024 (6 de 10)"
    )


def test_venue_mix_keeps_the_vocabulary_order():
    fig = plots.plot_venue_mix(venue_mix_frame())
    assert title(fig) == (
        "Most frequent venue: Virtual in every plan (6 of 10 in 2020 and 9 of 10 in 2024)"
    )
    assert headers(fig.axes[0]) == ["Virtual", "On site", "To be defined"]
    es = plots.plot_venue_mix(venue_mix_frame(), lang="es")
    assert {"Presencial", "90\u00a0%"} <= set(texts(es))


# --- what every chart shares ------------------------------------------------------------------

ALL_CHARTS = [
    (plots.plot_activities_by_area, count_by_area_frame),
    (plots.plot_theme_attention, count_by_theme_frame),
    (plots.plot_theme_heatmap, count_by_theme_frame),
    (plots.plot_funding_dependence, funding_dependence_frame),
    (plots.plot_idb_instruments, idb_by_instrument_frame),
    (plots.plot_semester_load, semester_load_frame),
    (plots.plot_semester_event_load, semester_event_load_frame),
    (plots.plot_agenda_diversity, agenda_diversity_frame),
    (plots.plot_activity_type_mix, activity_type_mix_frame),
    (plots.plot_venue_mix, venue_mix_frame),
]
YEAR_CHARTS = [(plot, frame) for plot, frame in ALL_CHARTS if plot is not plots.plot_theme_heatmap]


@functools.cache
def three_plan_chart(plot, frame) -> Figure:
    """The chart of three plans (2020, 2022, 2024), drawn once for the tests that read it."""
    return plot(frame((2020, 2022, 2024)))


@pytest.mark.parametrize(("plot", "frame"), YEAR_CHARTS)
def test_every_year_chart_handles_three_plans_and_names_them_in_the_source_line(plot, frame):
    fig = three_plan_chart(plot, frame)
    assert isinstance(fig, Figure)
    assert source_line(fig) == "Source: Red GEALC Work Plan 2020, 2022, 2024"
    if subtitle(fig):  # a finding is stated: it covers the third plan too
        assert "2022" in title(fig), "the finding covers the third plan too"
    else:  # no lead worth a headline in some plan: the title says what the chart shows
        assert title(fig) and "2022" not in title(fig)


@pytest.mark.parametrize(
    ("plot", "frame"), ALL_CHARTS + [(plots.plot_theme_change, lambda *_: compare_years_frame())]
)
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("layout", sorted(style.LAYOUTS))
def test_every_chart_is_legible_in_every_layout_with_nothing_clipped(plot, frame, lang, layout):
    # Drawn once, in the layout: what ``style.in_layout`` does to draw a figure again (its
    # chart function called under ``using_layout``), without first drawing it in another.
    with style.using_layout(layout):
        fig = plot(frame(), lang=lang)
    assert fig.get_figwidth() == style.LAYOUTS[layout].width_in
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    figure_box = fig.bbox
    undrawn = {id(label) for label in _ticks_outside_the_view(fig)}
    for text in fig.findobj(Text):
        if not text.get_text() or not text.get_visible() or id(text) in undrawn:
            continue
        assert text.get_fontsize() >= style.MIN_FONT_PT, (text.get_text(), text.get_fontsize())
        assert text.get_fontsize() <= style.MAX_TEXT_PX, (text.get_text(), text.get_fontsize())
        box = text.get_window_extent(renderer)
        assert box.x0 >= figure_box.x0 - 1 and box.x1 <= figure_box.x1 + 1, (
            f"text {text.get_text()!r} runs past the figure's side"
        )
        assert box.y0 >= figure_box.y0 - 1 and box.y1 <= figure_box.y1 + 1, (
            f"text {text.get_text()!r} runs past the figure's top or bottom"
        )
    for ax in fig.axes:
        for value in (t for t in ax.texts if isinstance(t, Annotation) and t.get_text()):
            box = value.get_window_extent(renderer)
            assert box.x1 <= ax.bbox.x1 + 1, f"value {value.get_text()!r} is cut by the axes"


def test_a_chart_is_shown_at_one_css_px_per_point_so_its_text_sizes_are_its_point_sizes():
    """The phone layout fits a 390 px screen's column at natural size; 11 pt is then 11 px."""
    assert style.LAYOUTS["phone"].width_in * 72 <= style.PHONE_COLUMN_PX
    assert style.MIN_TEXT_PX <= style.MIN_FONT_PT <= max(style.FONT_PT.values())
    assert max(style.FONT_PT.values()) <= style.MAX_TEXT_PX


def test_a_chart_drawn_again_for_a_phone_is_narrower_and_wraps_its_title_more():
    desktop = plots.plot_theme_attention(count_by_theme_frame(), lang="es")
    phone = style.in_layout(desktop, "phone")
    assert phone is not desktop
    assert phone.get_figwidth() < desktop.get_figwidth()
    assert title(phone) == title(desktop)

    def title_lines(fig: Figure) -> int:
        (text,) = [t for t in fig.texts if t.get_gid() == style.TITLE_GID]
        return text.get_text().count("\n") + 1

    assert title_lines(phone) > title_lines(desktop)
    other = Figure()
    assert style.in_layout(other, "phone") is other, "a figure made by hand is shown as it is"
    with pytest.raises(ValueError, match="Unknown chart layout"):
        style.in_layout(desktop, "poster")


@pytest.mark.parametrize(("plot", "frame"), ALL_CHARTS)
def test_alt_text_is_the_title_and_the_subtitle(plot, frame):
    fig = plot(frame(), lang="es")
    assert style.alt_text(fig) == f"{title(fig)}. {subtitle(fig)}."
    assert title(fig) and subtitle(fig)


@pytest.mark.parametrize(
    ("plot", "frame"),
    [
        (plots.plot_activities_by_area, count_by_area_frame),
        (plots.plot_theme_attention, count_by_theme_frame),
        (plots.plot_funding_dependence, funding_dependence_frame),
        (plots.plot_idb_instruments, idb_by_instrument_frame),
        (plots.plot_activity_type_mix, activity_type_mix_frame),
        (plots.plot_venue_mix, venue_mix_frame),
        (plots.plot_agenda_diversity, agenda_diversity_frame),
    ],
)
def test_bars_compared_across_years_wear_the_years_grey_and_no_hatch(plot, frame):
    fig = three_plan_chart(plot, frame)
    for bar in bars(fig):
        assert is_grey(bar.get_facecolor()), "a year bar is coloured: colours belong to categories"
        assert not bar.get_hatch(), "hatching means 'not specified by the plan' only"
    greys = {matplotlib.colors.to_hex(bar.get_facecolor()) for bar in bars(fig)}
    assert greys == {style.year_colour(year).lower() for year in (2020, 2022, 2024)}


def test_only_the_not_specified_timing_is_hatched():
    fig = plots.plot_semester_load(semester_load_frame())
    hatched = {
        matplotlib.colors.to_hex(bar.get_facecolor()) for bar in bars(fig) if bar.get_hatch()
    }
    plain = {
        matplotlib.colors.to_hex(bar.get_facecolor()) for bar in bars(fig) if not bar.get_hatch()
    }
    assert hatched == {style.UNSPECIFIED_FILL.lower()}
    assert plain == {style.TIMING_COLOURS[t].lower() for t in ("S1", "S2", "year_round")}


def test_no_colour_means_two_things_across_the_report():
    seen: dict[str, str] = {}
    for dimension, palette in style.PALETTES.items():
        for colour in palette.values():
            hex_colour = matplotlib.colors.to_hex(colour)
            assert seen.setdefault(hex_colour, dimension) == dimension, (
                f"{hex_colour} is used for both {seen[hex_colour]} and {dimension}"
            )
    assert all(is_grey(c) for c in style.PALETTES["plan_year"].values()), "years are greys"
    assert not any(
        is_grey(c)
        for d, p in style.PALETTES.items()
        if d not in ("plan_year", "unspecified")
        for c in p.values()
    )
    assert len(set(style.PALETTES["plan_year"].values())) == len(style.PALETTES["plan_year"])


def test_year_greys_are_fixed_per_year_and_differ_between_the_known_plans():
    assert style.year_colour(2020) != style.year_colour(2024)
    assert style.year_colour(2031) == style.year_colour(2031)
    assert is_grey(style.year_colour(2031))


def test_charts_reject_an_unsupported_language():
    with pytest.raises(ValueError, match="Unsupported language 'fr'"):
        plots.plot_venue_mix(venue_mix_frame(), lang="fr")


def test_building_a_chart_leaves_global_matplotlib_settings_alone():
    before = dict(matplotlib.rcParams)
    plots.plot_semester_load(semester_load_frame())
    assert dict(matplotlib.rcParams) == before


def test_years_carry_no_hatch_and_edges_contrast_with_their_fill():
    assert style.year_hatch(2020) == style.year_hatch(2031) == ""
    assert style.hatch_colour(style.UNSPECIFIED_FILL) == style.UNSPECIFIED_EDGE
    assert style.hatch_colour(style.year_colour(2024)) == "#FFFFFF"


def test_a_year_with_nothing_counted_says_none_instead_of_naming_a_leader():
    instruments = idb_by_instrument_frame().assign(
        n_activities=[2, 1, 0, 0, 0, 0], share_of_idb=[2 / 3, 1 / 3, 0, 0, 0, 0]
    )
    assert title(plots.plot_idb_instruments(instruments)) == (
        "Most frequent IDB instrument: Regional Public Goods (RPG) in 2020 (2 of 3) and none in "
        "2024"
    )
    empty = instruments.assign(n_activities=0, share_of_idb=0.0)
    assert title(plots.plot_idb_instruments(empty, lang="es")) == (
        "Instrumento del BID más frecuente: ninguno en ningún plan"
    )


def test_long_titles_wrap_into_balanced_lines_without_a_lone_last_word():
    text = "Effective number of themes exp(H) and normalised entropy H / ln n"
    lines = style.wrap_to_width(text, 12, 5.0).split("\n")
    assert lines == ["Effective number of themes exp(H)", "and normalised entropy H / ln n"]
    for line in lines:
        assert style.text_width_in(line, 12) <= 5.0
    assert style.wrap_to_width("Short title", 14, 6.2, bold=True) == "Short title"


def test_wrapped_titles_never_split_a_count_or_a_year_from_its_words():
    assert plots.keep_numbers_together("6,4 de 10 en 2020 y 13 of 28 in 2024") == (
        "6,4\u00a0de\u00a010 en\u00a02020 y 13\u00a0of\u00a028 in\u00a02024"
    )
    fig = plots.plot_agenda_diversity(agenda_diversity_frame(), lang="es")
    lines = style.figure_text(fig, style.TITLE_GID)  # read back with plain spaces
    assert lines == "Número efectivo de temas: 2,7 de 4 en 2020 y 3,0 de 4 en 2024"
    (title_text,) = [t for t in fig.texts if t.get_gid() == style.TITLE_GID]
    for line in title_text.get_text().split("\n"):
        assert not line.rstrip().endswith((" de", " en", " of", " in")), line
