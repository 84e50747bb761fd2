"""One function per chart: a tidy frame from ``analysis`` (see CONTRACTS.md) in, a Figure out.

Every chart shares one look (``style``), takes every word from the label catalogue (``i18n``)
so ``lang="es"`` gives the Spanish edition, names the plan years it shows in a source line,
and reads the years from the frame, so a third plan needs no change here. The chart bodies are
thin: the drawing is done by a few shared helpers (grouped bars, stacked bars, bars per year).
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ParamSpec

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from gealc_analysis import style, vocabulary
from gealc_analysis.i18n import (
    check_lang,
    code_label,
    format_number,
    format_percent,
    format_signed,
    label,
)
from gealc_analysis.vocabulary import FUNDING_MEASURES

P = ParamSpec("P")

TICK_WRAP = 34  # characters per line of a wrapped category label
BAR_SPAN = 0.8  # share of a category slot filled by its group of bars
MIN_SEGMENT_FOR_LABEL = 0.05  # stacked segments smaller than this share of the axis get no label
VALUE_FONTSIZE = 8
BAR_LINEWIDTH = 0.6
# Points between the axis and a category label when each bar's year is printed beside it:
# past a four-digit year at VALUE_FONTSIZE (about 21 pt wide, 10 pt tall) plus the tick pad.
YEAR_LABEL_PAD = {True: 31.0, False: 15.0}  # keyed by ``horizontal``


# --- shared helpers -------------------------------------------------------------------------


def _styled(func: Callable[P, Figure]) -> Callable[P, Figure]:
    """Build the chart inside the report style and lay it out before leaving that style.

    Ticks and the layout are created at draw time, so drawing once inside the style keeps a
    chart identical whether it is later shown in a notebook or saved by ``outputs``.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Figure:
        check_lang(str(kwargs.get("lang", "en")))
        with style.style_context():
            fig = func(*args, **kwargs)
            fig.draw_without_rendering()
        return fig

    return wrapper


def _years(frame: pd.DataFrame, columns: Sequence[str] = ("plan_year",)) -> list[int]:
    """Plan years present in ``columns`` of the frame, ascending."""
    values = pd.concat([frame[column] for column in columns]).dropna()
    return sorted({int(year) for year in values})


def _in_order(present: Iterable[str], canonical: Sequence[str]) -> list[str]:
    """Codes present in the frame, in the vocabulary's canonical order (unknown codes last)."""
    present_set = {str(code) for code in present}
    ordered = [code for code in canonical if code in present_set]
    return ordered + sorted(present_set - set(ordered))


def _first_seen(values: Iterable[object]) -> list[str]:
    """Unique values in the order the frame lists them (the contract's canonical order)."""
    return list(dict.fromkeys(str(value) for value in values))


def _wrap(text: str) -> str:
    return textwrap.fill(text, TICK_WRAP)


def _new_figure(
    width: float, height: float, nrows: int = 1, ncols: int = 1, **subplot_kw: object
) -> tuple[Figure, np.ndarray]:
    """A pyplot-free figure (no global figure registry) with constrained layout."""
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **subplot_kw)
    return fig, axes.ravel()


def _count_text(value: float, lang: str) -> str:
    """Counts print whole; fractional counts (events split over semesters) keep one decimal."""
    decimals = 0 if float(value).is_integer() else 1
    return format_number(value, lang, decimals)


def _value_formatter(value: str, lang: str) -> Callable[[float], str]:
    """How bar values of column ``value`` print: shares as percentages, the rest as counts."""
    if value.startswith("share"):
        return lambda v: format_percent(v, lang)
    return lambda v: _count_text(v, lang)


def _axis_formatter(value: str, lang: str) -> FuncFormatter:
    fmt = _value_formatter(value, lang)
    return FuncFormatter(lambda v, _pos: fmt(v))


def _bar_style(fill: str, hatch: str) -> dict[str, object]:
    """Fill, hatch and an edge/hatch colour that contrasts with the fill."""
    return {
        "facecolor": fill,
        "hatch": hatch,
        "edgecolor": style.hatch_colour(fill),
        "linewidth": BAR_LINEWIDTH,
    }


def _value_axis(ax: Axes, horizontal: bool):
    return ax.xaxis if horizontal else ax.yaxis


def _grouped_bars(
    ax: Axes,
    frame: pd.DataFrame,
    *,
    category: str,
    categories: Sequence[str],
    tick_labels: Sequence[str],
    value: str,
    years: Sequence[int],
    lang: str,
    horizontal: bool,
    fills: Mapping[str, str] | None = None,
) -> None:
    """One bar per (category, year), years side by side inside each category slot.

    Bars take the year's colour and hatch; with ``fills`` (a colour per category) they take
    their category's fixed colour instead, the year's hatch tells the years apart, and each bar
    is named by its year at the axis, so even a zero bar says which year it is (key the
    hatches with ``_year_legend(..., fill=style.YEAR_KEY_FILL)``).
    Missing (category, year) cells draw as zero so every year has the same bars.
    """
    table = (
        frame.assign(_cat=frame[category].astype(str), _year=frame["plan_year"].astype(int))
        .pivot_table(index="_cat", columns="_year", values=value, aggfunc="sum", observed=True)
        .reindex(index=list(categories), columns=list(years))
        .fillna(0.0)
    )
    fmt = _value_formatter(value, lang)
    slots = np.arange(len(categories))
    width = BAR_SPAN / len(years)
    offsets = [width * (i + 0.5) - BAR_SPAN / 2 for i in range(len(years))]
    for year, offset in zip(years, offsets, strict=True):
        positions = slots + offset
        values = table[year].to_numpy(dtype=float)
        if fills is None:
            colours = [style.year_colour(year)] * len(categories)
        else:
            colours = [fills.get(code, style.GREY) for code in categories]
        draw = ax.barh if horizontal else ax.bar
        bars = draw(
            positions,
            values,
            width,
            label=str(year),
            facecolor=colours,
            edgecolor=[style.hatch_colour(colour) for colour in colours],
            hatch=style.year_hatch(year),
            linewidth=BAR_LINEWIDTH,
        )
        ax.bar_label(bars, labels=[fmt(v) for v in values], padding=2, fontsize=VALUE_FONTSIZE)
    wrapped = [_wrap(text) for text in tick_labels]
    if horizontal:
        ax.set_yticks(slots, wrapped)
        ax.set_ylim(len(categories) - 0.5, -0.5)  # first category on top
        ax.grid(axis="y", visible=False)
        ax.margins(x=0.12)
    else:
        ax.set_xticks(slots, wrapped)
        ax.grid(axis="x", visible=False)
        ax.margins(y=0.12)
    _value_axis(ax, horizontal).set_major_formatter(_axis_formatter(value, lang))
    if fills is not None:
        _year_tick_labels(ax, slots, offsets, years, horizontal)


def _year_tick_labels(
    ax: Axes, slots: np.ndarray, offsets: Sequence[float], years: Sequence[int], horizontal: bool
) -> None:
    """Name every bar's year in small grey type between the bar and its category label."""
    axis = ax.yaxis if horizontal else ax.xaxis
    axis.remove_overlapping_locs = False  # the middle of an odd number of years sits on a major
    axis.set_ticks(
        [slot + offset for slot in slots for offset in offsets],
        [str(year) for _ in slots for year in years],
        minor=True,
    )
    which = "y" if horizontal else "x"
    ax.tick_params(
        axis=which, which="minor", length=0, labelsize=VALUE_FONTSIZE, labelcolor=style.TEXT_GREY
    )
    # Category labels step past the year labels: a year's width across, one line down.
    ax.tick_params(axis=which, which="major", length=0, pad=YEAR_LABEL_PAD[horizontal])


def _stacked_bars(
    ax: Axes,
    frame: pd.DataFrame,
    *,
    category: str,
    categories: Sequence[str],
    vocabulary: str,
    colours: dict[str, str],
    hatches: dict[str, str],
    value: str,
    years: Sequence[int],
    lang: str,
) -> list[tuple[Patch, str]]:
    """One stacked bar per plan year; segments in vocabulary order, labelled when large enough.

    Returns the legend entries (top segment first, as the eye reads the stack) of categories
    that are non-zero in some year.
    """
    table = (
        frame.assign(_cat=frame[category].astype(str), _year=frame["plan_year"].astype(int))
        .pivot_table(index="_year", columns="_cat", values=value, aggfunc="sum", observed=True)
        .reindex(index=list(years), columns=list(categories))
        .fillna(0.0)
    )
    fmt = _value_formatter(value, lang)
    slots = np.arange(len(years))
    bottom = np.zeros(len(years))
    axis_top = max(float(table.sum(axis=1).max()), 1e-9)
    entries: list[tuple[Patch, str]] = []
    for code in categories:
        values = table[code].to_numpy(dtype=float)
        fill = colours.get(code, style.GREY)
        bars = ax.bar(slots, values, 0.6, bottom=bottom, **_bar_style(fill, hatches.get(code, "")))
        texts = [fmt(v) if v / axis_top >= MIN_SEGMENT_FOR_LABEL else "" for v in values]
        ax.bar_label(
            bars,
            labels=texts,
            label_type="center",
            fontsize=VALUE_FONTSIZE,
            color=style.text_colour_on(fill),
            bbox={"boxstyle": "round,pad=0.15", "facecolor": fill, "edgecolor": "none"},
        )
        bottom += values
        if values.any():
            entries.append((bars.patches[0], code_label(vocabulary, code, lang)))
    for x, total in zip(slots, bottom, strict=True):
        ax.annotate(
            fmt(total),
            (x, total),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=VALUE_FONTSIZE,
            fontweight="bold",
        )
    ax.set_xticks(slots, [str(year) for year in years])
    ax.grid(axis="x", visible=False)
    ax.set_ylim(0, axis_top * 1.1)  # room for the totals printed above the stacks
    ax.yaxis.set_major_formatter(_axis_formatter(value, lang))
    return entries[::-1]


def _bars_per_year(
    ax: Axes, frame: pd.DataFrame, *, value: str, years: Sequence[int], decimals: int, lang: str
) -> None:
    """One bar per plan year in the year's colour and hatch, value printed on top."""
    by_year = frame.assign(_year=frame["plan_year"].astype(int)).set_index("_year")[value]
    values = [float(by_year.get(year, 0.0)) for year in years]
    slots = np.arange(len(years))
    for x, year, v in zip(slots, years, values, strict=True):
        bars = ax.bar([x], [v], 0.6, **_bar_style(style.year_colour(year), style.year_hatch(year)))
        ax.bar_label(
            bars, labels=[format_number(v, lang, decimals)], padding=2, fontsize=VALUE_FONTSIZE
        )
    ax.set_xticks(slots, [str(year) for year in years])
    ax.grid(axis="x", visible=False)


def _year_legend(fig: Figure, years: Sequence[int], lang: str, fill: str | None = None) -> None:
    """The shared legend of the plan years: swatches in each year's colour and hatch.

    With ``fill`` every swatch takes that one colour and only the hatch differs: the key of
    charts whose bars are filled by category, where the hatch is what marks the year.
    """
    handles = [
        Patch(**_bar_style(fill or style.year_colour(y), style.year_hatch(y))) for y in years
    ]
    fig.legend(
        handles,
        [str(year) for year in years],
        title=label("legend.plan_year", lang),
        loc="outside upper right",
        ncols=len(years),
        handlelength=2.6,  # swatches large enough to show a few strokes of each hatch
        handleheight=1.3,
    )


def _finish(fig: Figure, title: str, years: Iterable[int], lang: str) -> Figure:
    """Title and source line: the two things every chart carries."""
    fig.suptitle(title, x=0.01, ha="left")
    style.add_source_line(fig, years, lang)
    return fig


def _theme_or_area_labels(frame: pd.DataFrame, key: str, lang: str) -> dict[str, str]:
    """Display label per ``key`` value: the theme label in ``lang``, else the area name."""
    for column in (f"theme_label_{lang}", "area_name"):
        if column in frame.columns:
            pairs = frame[[key, column]].astype(str).drop_duplicates(subset=key)
            return dict(zip(pairs[key], pairs[column], strict=True))
    return {str(code): str(code) for code in frame[key]}


def _height_for(n_rows: int, per_row: float, base: float = 1.6) -> float:
    return max(3.0, base + per_row * n_rows)


# --- charts ---------------------------------------------------------------------------------


@_styled
def plot_activities_by_area(
    frame: pd.DataFrame, *, value: str = "n_activities", lang: str = "en"
) -> Figure:
    """Activities (or events) per work area, one panel per plan.

    Area codes are not comparable across plans (2020 3.4 is not 2024 3.4; the themes
    crosswalk links them), so each plan gets its own panel of its own areas instead of
    bars grouped by code. Zero-filled rows of areas absent from a plan are left out.
    """
    years = _years(frame)
    named = frame[frame["area_name"].fillna("").astype(str).str.strip() != ""]
    areas = {
        year: _first_seen(named.loc[named["plan_year"] == year, "area_code"]) for year in years
    }
    heights = [max(len(areas[year]), 1) for year in years]
    fig, axes = _new_figure(
        9,
        _height_for(sum(heights), 0.42, 1.4 + 0.6 * len(years)),
        nrows=len(years),
        sharex=True,
        gridspec_kw={"height_ratios": heights},
    )
    for ax, year in zip(axes, years, strict=True):
        sub = named[named["plan_year"] == year]
        names = dict(zip(sub["area_code"].astype(str), sub["area_name"].astype(str), strict=True))
        _grouped_bars(
            ax,
            sub,
            category="area_code",
            categories=areas[year],
            tick_labels=[f"{code}  {names[code]}" for code in areas[year]],
            value=value,
            years=[year],
            lang=lang,
            horizontal=True,
        )
        ax.set_title(label("panel.plan_year", lang, year=year), loc="left")
        ax.set_ylabel(label("axis.area", lang))
    axes[-1].set_xlabel(label(f"axis.{value}", lang))
    axes[-1].xaxis.set_major_locator(MaxNLocator(integer=True))
    return _finish(fig, label(f"title.by_area.{value}", lang), years, lang)


@_styled
def plot_theme_attention(frame: pd.DataFrame, *, lang: str = "en") -> Figure:
    """Share of each year's activities per harmonised theme, years side by side per theme."""
    years = _years(frame)
    themes = _first_seen(frame["theme"])
    names = _theme_or_area_labels(frame, "theme", lang)
    fig, (ax,) = _new_figure(9, _height_for(len(themes), 0.22 * len(years) + 0.25))
    _grouped_bars(
        ax,
        frame,
        category="theme",
        categories=themes,
        tick_labels=[names[t] for t in themes],
        value="share",
        years=years,
        lang=lang,
        horizontal=True,
    )
    ax.set_xlabel(label("axis.share", lang))
    ax.set_ylabel(label("axis.theme", lang))
    _year_legend(fig, years, lang)
    return _finish(fig, label("title.theme_attention", lang), years, lang)


@_styled
def plot_theme_heatmap(frame: pd.DataFrame, *, lang: str = "en") -> Figure:
    """Theme shares as a theme × year grid (a seaborn heatmap): the shape of each agenda.

    The colour ramp is one hue from light to dark, so it reads in grey-scale, and every cell
    prints its percentage, so the chart reads without colour at all.
    """
    years = _years(frame)
    themes = _first_seen(frame["theme"])
    names = _theme_or_area_labels(frame, "theme", lang)
    grid = (
        frame.pivot(index="theme", columns="plan_year", values="share")
        .reindex(index=themes, columns=years)
        .astype(float)
    )
    cells = grid.map(lambda share: format_percent(share, lang))
    fig, (ax,) = _new_figure(max(7.5, 4.8 + 1.2 * len(years)), _height_for(len(themes), 0.45))
    sns.heatmap(
        grid,
        ax=ax,
        cmap=style.SEQUENTIAL_CMAP,
        vmin=0,
        annot=cells.to_numpy(),
        fmt="",
        linewidths=1,
        linecolor="white",
        annot_kws={"fontsize": VALUE_FONTSIZE + 1},
        cbar_kws={"label": label("axis.share", lang), "format": _axis_formatter("share", lang)},
    )
    ax.set_yticks([i + 0.5 for i in range(len(themes))], [_wrap(names[t]) for t in themes],
                  rotation=0)
    ax.set_xticks([i + 0.5 for i in range(len(years))], [str(year) for year in years])
    ax.set_xlabel(label("axis.plan_year", lang))
    ax.set_ylabel(label("axis.theme", lang))
    return _finish(fig, label("title.theme_heatmap", lang), years, lang)


@_styled
def plot_theme_change(
    frame: pd.DataFrame, *, value: str = "n_activities", lang: str = "en"
) -> Figure:
    """Diverging bars: change per theme (or area) from the baseline to the compare year.

    ``value`` names the column that was compared (it sets the words, not the data): for
    ``share`` the change prints in percentage points.
    """
    key = "theme" if "theme" in frame.columns else "area_code"
    baseline = int(frame["baseline_year"].iloc[0])
    compare = int(frame["compare_year"].iloc[0])
    ordered = frame.assign(_key=frame[key].astype(str)).sort_values(
        "change", ascending=False, kind="stable"
    )
    names = _theme_or_area_labels(ordered, "_key", lang)
    changes = ordered["change"].to_numpy(dtype=float)
    if value == "share":
        points = label("unit.percentage_points", lang)
        texts = [f"{format_signed(c * 100, lang, 1)} {points}" for c in changes]
        scale = 100.0
    else:
        texts = [format_signed(c, lang, 0 if float(c).is_integer() else 1) for c in changes]
        scale = 1.0
    kinds = np.select([changes > 0, changes < 0], ["increase", "decrease"], "no_change")
    fig, (ax,) = _new_figure(9, _height_for(len(ordered), 0.38))
    slots = np.arange(len(ordered))
    for kind in ("increase", "decrease", "no_change"):
        mask = kinds == kind
        if not mask.any():
            continue
        bars = ax.barh(
            slots[mask],
            changes[mask] * scale,
            0.7,
            label=label(f"change.{kind}", lang),
            **_bar_style(style.CHANGE_COLOURS[kind], style.CHANGE_HATCHES[kind]),
        )
        ax.bar_label(
            bars,
            labels=[t for t, m in zip(texts, mask, strict=True) if m],
            padding=3,
            fontsize=VALUE_FONTSIZE,
        )
    ax.axvline(0, color=style.TEXT_GREY, linewidth=0.8)
    ax.set_yticks(slots, [_wrap(names[k]) for k in ordered["_key"]])
    ax.set_ylim(len(ordered) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    limit = max(float(np.abs(changes * scale).max(initial=0.0)), 1.0) * 1.25
    ax.set_xlim(-limit, limit)
    if value != "share":
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    what = label(f"noun.{value}", lang)
    ax.set_xlabel(label("axis.change", lang, what=what, baseline=baseline, compare=compare))
    ax.set_ylabel(label("axis.theme" if key == "theme" else "axis.area", lang))
    fig.legend(title=label("legend.change", lang), loc="outside upper right", ncols=3)
    by = label("noun.theme" if key == "theme" else "noun.area", lang)
    title = label("title.change", lang, what=what, by=by, baseline=baseline, compare=compare)
    return _finish(fig, title, [baseline, compare], lang)


@_styled
def plot_funding_dependence(
    frame: pd.DataFrame, measure: str | None = None, *, lang: str = "en"
) -> Figure:
    """Share of each year's activities per funding source; one panel per measure.

    The three measures answer different questions (does the source touch the activity, how
    much of it does it carry, is it the only funder), so by default all three sit side by side.
    Bars wear their source's fixed colour (as everywhere in the report); the hatch marks the year.
    """
    measures = FUNDING_MEASURES if measure is None else (measure,)
    unknown = set(measures) - set(FUNDING_MEASURES)
    if unknown:
        raise ValueError(f"Unknown funding measure(s) {sorted(unknown)}; use {FUNDING_MEASURES}.")
    years = _years(frame)
    sources = _in_order(frame["source"], vocabulary.FUNDING_SOURCES)
    fig, axes = _new_figure(
        3.2 + 3.3 * len(measures),
        _height_for(len(sources), 0.22 * len(years) + 0.3),
        ncols=len(measures),
        sharey=True,
        sharex=True,  # one scale: measures compare
    )
    for ax, each in zip(axes, measures, strict=True):
        _grouped_bars(
            ax,
            frame[frame["measure"] == each],
            category="source",
            categories=sources,
            tick_labels=[code_label("funding", s, lang) for s in sources],
            value="share",
            years=years,
            lang=lang,
            horizontal=True,
            fills=style.FUNDING_COLOURS,
        )
        ax.set_title(code_label("measure", each, lang), loc="left")
        ax.set_xlabel(label("axis.share", lang))
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    axes[0].set_ylabel(label("axis.funding_source", lang))
    fig.get_layout_engine().set(wspace=0.08)  # keeps "60%" of one panel off the next "0%"
    _year_legend(fig, years, lang, fill=style.YEAR_KEY_FILL)
    title = (
        label("title.funding_dependence", lang)
        if measure is None
        else label(
            "title.funding_dependence_measure", lang, measure=code_label("measure", measure, lang)
        )
    )
    return _finish(fig, title, years, lang)


@_styled
def plot_idb_instruments(
    frame: pd.DataFrame, *, value: str = "n_activities", lang: str = "en"
) -> Figure:
    """IDB-funded activities per IDB instrument (RPG, consultant, general), years side by side.

    Bars wear their instrument's fixed colour; the hatch marks the year.
    """
    years = _years(frame)
    instruments = _in_order(frame["instrument"], vocabulary.IDB_INSTRUMENTS)
    fig, (ax,) = _new_figure(7.5, 4.8)
    _grouped_bars(
        ax,
        frame,
        category="instrument",
        categories=instruments,
        tick_labels=[code_label("idb_instrument", i, lang) for i in instruments],
        value=value,
        years=years,
        lang=lang,
        horizontal=False,
        fills=style.IDB_INSTRUMENT_COLOURS,
    )
    if value == "n_activities":
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(label("axis.idb_instrument", lang))
    ax.set_ylabel(label(f"axis.{value}", lang))
    _year_legend(fig, years, lang, fill=style.YEAR_KEY_FILL)
    return _finish(fig, label("title.idb_instruments", lang), years, lang)


@dataclass(frozen=True)
class _Stacking:
    """What a stacked chart stacks: a coded column, its order, colours, hatches and legend."""

    category: str
    canonical: Sequence[str]
    vocabulary: str
    colours: dict[str, str]
    hatches: dict[str, str]
    legend_key: str


_BY_TIMING = _Stacking("timing", vocabulary.TIMINGS, "timing", style.TIMING_COLOURS,
                       style.TIMING_HATCHES, "legend.timing")
_BY_ACTIVITY_TYPE = _Stacking("activity_type", vocabulary.ACTIVITY_TYPES, "activity_type",
                              style.ACTIVITY_TYPE_COLOURS, style.ACTIVITY_TYPE_HATCHES,
                              "legend.activity_type")
_BY_VENUE = _Stacking("venue_mode", vocabulary.VENUE_MODES, "venue", style.VENUE_COLOURS,
                      style.VENUE_HATCHES, "legend.venue_mode")


def _stacked_chart(
    frame: pd.DataFrame,
    stacking: _Stacking,
    *,
    value: str,
    title_key: str,
    y_label_key: str,
    lang: str,
) -> Figure:
    """The body shared by the semester, activity-type and venue charts: stacks per year."""
    years = _years(frame)
    categories = _in_order(frame[stacking.category], stacking.canonical)
    fig, (ax,) = _new_figure(max(6.0, 3.5 + 1.2 * len(years)), 5.2)
    entries = _stacked_bars(
        ax,
        frame,
        category=stacking.category,
        categories=categories,
        vocabulary=stacking.vocabulary,
        colours=stacking.colours,
        hatches=stacking.hatches,
        value=value,
        years=years,
        lang=lang,
    )
    if not value.startswith("share"):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(label("axis.plan_year", lang))
    ax.set_ylabel(label(y_label_key, lang))
    fig.legend(
        [handle for handle, _ in entries],
        [text for _, text in entries],
        title=label(stacking.legend_key, lang),
        loc="outside right upper",
    )
    return _finish(fig, label(title_key, lang), years, lang)


@_styled
def plot_semester_load(
    frame: pd.DataFrame, *, value: str = "n_activities", lang: str = "en"
) -> Figure:
    """Activities per timing class (S1, S2, year-round, to be defined), stacked per plan year."""
    y_label = "axis.share" if value == "share" else "axis.n_activities"
    return _stacked_chart(frame, _BY_TIMING, value=value, title_key="title.semester_load",
                          y_label_key=y_label, lang=lang)


@_styled
def plot_semester_event_load(
    frame: pd.DataFrame, *, value: str = "n_events", lang: str = "en"
) -> Figure:
    """Events per semester (year-round events split over S1 and S2), stacked per plan year."""
    y_label = "axis.share_events" if value == "share" else "axis.n_events"
    return _stacked_chart(frame, _BY_TIMING, value=value, title_key="title.semester_event_load",
                          y_label_key=y_label, lang=lang)


@_styled
def plot_activity_type_mix(
    frame: pd.DataFrame, *, value: str = "share", lang: str = "en"
) -> Figure:
    """Composition of each plan by activity type (100 % stacked bars by default)."""
    return _stacked_chart(frame, _BY_ACTIVITY_TYPE, value=value,
                          title_key="title.activity_type_mix", y_label_key=f"axis.{value}",
                          lang=lang)


@_styled
def plot_venue_mix(frame: pd.DataFrame, *, value: str = "share", lang: str = "en") -> Figure:
    """Composition of each plan by venue mode: virtual, on site, to be defined."""
    return _stacked_chart(frame, _BY_VENUE, value=value, title_key="title.venue_mix",
                          y_label_key=f"axis.{value}", lang=lang)


@_styled
def plot_agenda_diversity(frame: pd.DataFrame, *, lang: str = "en") -> Figure:
    """Effective number of themes and normalised entropy per plan year, side by side.

    The dashed line marks the number of theme categories (the most even agenda possible).
    """
    years = _years(frame)
    fig, (left, right) = _new_figure(max(7.5, 4.5 + 1.5 * len(years)), 4.6, ncols=2)
    _bars_per_year(left, frame, value="effective_n_themes", years=years, decimals=1, lang=lang)
    n_categories = int(frame["n_categories"].max())
    left.axhline(n_categories, color=style.TEXT_GREY, linestyle="--", linewidth=0.9)
    left.annotate(
        label("note.max_themes", lang, n=n_categories),
        (1.0, n_categories),
        xycoords=("axes fraction", "data"),
        xytext=(0, 3),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=VALUE_FONTSIZE,
        color=style.TEXT_GREY,
    )
    left.set_ylim(0, n_categories * 1.15)
    left.set_ylabel(label("axis.effective_n_themes", lang))
    _bars_per_year(right, frame, value="normalised_entropy", years=years, decimals=2, lang=lang)
    right.set_ylim(0, 1.1)
    right.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_number(v, lang, 1)))
    right.set_ylabel(label("axis.normalised_entropy", lang))
    for ax in (left, right):
        ax.set_xlabel(label("axis.plan_year", lang))
    return _finish(fig, label("title.agenda_diversity", lang), years, lang)
