"""One function per chart: a tidy frame from a measure (see CONTRACTS.md) in, a Figure out.

Every chart states its finding in its title, computed from the frame it draws (never typed
in), when there is one worth stating: a leader must lead the runner-up by ``MIN_LEAD`` (5 %)
of the plan's whole and by at least one activity or event (62.5 against 61.5 events of 124
is no finding, nor is a tie); otherwise the title says what the chart shows (the measure).
It names the measure in a subtitle and the plan years in a source line (``style``), takes
every word from the label catalogue (``i18n``) so ``lang="es"`` gives the Spanish edition, and
reads the years from the frame, so a third plan needs no change here. Every chart function is
``style.responsive``: it reads its width from the layout it is drawn in (desktop or phone).

One layout serves every comparison of years across categories: each category's name is
printed on its own line above its bars (so the bars get the full width of a phone screen),
one bar per plan year in the year's grey, the year written beside it (``style`` explains
the colour scheme).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ParamSpec

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from gealc_analysis.charts import style
from gealc_analysis.data import vocabulary
from gealc_analysis.data.vocabulary import FUNDING_MEASURES
from gealc_analysis.words.i18n import (
    check_lang,
    code_label,
    format_number,
    format_percent,
    format_signed,
    label,
)
from gealc_analysis.words.narrative import join_words

P = ParamSpec("P")

TEXT_PT = style.FONT_PT["text"]
ROW_IN = 0.26  # inches per bar row (and per category-name row) of a horizontal bar chart
BAR_FILL = 0.78  # share of a row a bar fills
HEADER_ROWS = 1.0  # rows above a category's bars for its name (more when the name wraps)
GAP_ROWS = 0.35  # empty rows between two categories
MIN_LEAD = 0.05  # a leader leads the runner-up by this share of the plan's whole, or no title
MIN_LEAD_UNITS = 1.0  # … and by at least one activity or event
MIN_SEGMENT_FOR_LABEL = 0.06  # stacked segments below this share of the axis get no label
BAR_LINEWIDTH = 0.6
# A white box behind a category name keeps grid and zero lines from crossing its letters.
HEADER_BOX = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"}


# --- shared helpers -------------------------------------------------------------------------


def styled(func: Callable[P, Figure]) -> Callable[P, Figure]:
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

    return style.responsive(wrapper)


def chart_title(fig: Figure) -> str:
    """The finding a chart states in its title (one line, as the alt text uses it)."""
    return style.figure_text(fig, style.TITLE_GID)


def chart_subtitle(fig: Figure) -> str:
    """The measure a chart names in its subtitle."""
    return style.figure_text(fig, style.SUBTITLE_GID)


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


def _by_value(frame: pd.DataFrame, category: str, value: str, order: Sequence[str]) -> list[str]:
    """Categories ranked by their value in the latest plan (largest first), ties in ``order``.

    Where a ranking is the point, every chart sorts the same way: by the latest plan.
    """
    latest = max(_years(frame))
    rows = frame[frame["plan_year"].astype(int) == latest]
    values = dict(zip(rows[category].astype(str), rows[value].astype(float), strict=False))
    rank = {code: i for i, code in enumerate(order)}
    return sorted(order, key=lambda code: (-values.get(code, 0.0), rank[code]))


def new_figure(
    height: float, nrows: int = 1, ncols: int = 1, **subplot_kw: object
) -> tuple[Figure, np.ndarray]:
    """A pyplot-free figure of the report's width (no global registry), constrained layout."""
    fig = Figure(figsize=(style.figure_width(), height), layout="constrained")
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


def _header_lines(text: str) -> str:
    return style.wrap_chars(text, TEXT_PT, style.figure_width() - 0.9)


@dataclass(frozen=True)
class _Rows:
    """Where a horizontal bar chart draws: the y of every bar and of every category name."""

    bars: dict[tuple[str, int], float]
    headers: dict[str, float]
    height: float  # rows in all

    @classmethod
    def layout(cls, categories: Sequence[str], headers: Sequence[str], years: Sequence[int]):
        bars: dict[tuple[str, int], float] = {}
        header_y: dict[str, float] = {}
        y = 0.0
        for code, text in zip(categories, headers, strict=True):
            lines = text.count("\n") + 1 if text else 0
            header_y[code] = y + HEADER_ROWS * (lines - 1) / 2
            y += HEADER_ROWS * lines
            for year in years:
                bars[(code, year)] = y
                y += 1
            y += GAP_ROWS
        return cls(bars, header_y, y - GAP_ROWS)


def rows_height(categories: Sequence[str], headers: Sequence[str], years: Sequence[int]) -> float:
    """Rows a ``year_bars`` chart needs for these category names (wrapped as it wraps them)."""
    return _Rows.layout(categories, [_header_lines(h) for h in headers], years).height


def year_bars(
    ax: Axes,
    frame: pd.DataFrame,
    *,
    category: str,
    categories: Sequence[str],
    headers: Sequence[str],
    value: str,
    years: Sequence[int],
    lang: str,
    name_years: bool = True,
    bar_text: Callable[[int, float], str] | None = None,
) -> None:
    """Horizontal bars, one per (category, year) in the year's grey, the category named above.

    Missing (category, year) cells draw as zero so every year has the same bars; with
    ``name_years`` each bar's year is written at the axis (a one-plan panel leaves it out).
    ``bar_text(year, value)`` writes the value printed past a bar (default: the value).
    """
    table = (
        frame.assign(_cat=frame[category].astype(str), _year=frame["plan_year"].astype(int))
        .pivot_table(index="_cat", columns="_year", values=value, aggfunc="sum", observed=True)
        .reindex(index=list(categories), columns=list(years))
        .fillna(0.0)
    )
    wrapped = [_header_lines(text) for text in headers]
    rows = _Rows.layout(categories, wrapped, years)
    fmt = _value_formatter(value, lang)
    for year in years:
        positions = [rows.bars[(code, year)] for code in categories]
        values = table[year].to_numpy(dtype=float)
        bars = ax.barh(
            positions,
            values,
            BAR_FILL,
            facecolor=style.year_colour(year),
            edgecolor=style.YEAR_EDGE,
            linewidth=BAR_LINEWIDTH,
            label=str(year),
        )
        texts = [fmt(v) if bar_text is None else bar_text(year, v) for v in values]
        ax.bar_label(bars, labels=texts, padding=3, fontsize=TEXT_PT)
    to_axes_x = blended_transform_factory(ax.transAxes, ax.transData)
    for code, text in zip(categories, wrapped, strict=True):
        ax.text(
            0.0,
            rows.headers[code],
            text,
            transform=to_axes_x,
            ha="left",
            va="center",
            fontsize=TEXT_PT,
            linespacing=1.1,
            bbox=HEADER_BOX,
        )
    ticks = [rows.bars[(code, year)] for code in categories for year in years]
    ax.set_yticks(
        ticks,
        [str(year) for _ in categories for year in years] if name_years else [""] * len(ticks),
    )
    ax.tick_params(axis="y", length=0, labelcolor=style.TEXT_GREY)
    ax.set_ylim(rows.height - 0.5, -0.6)  # first category on top
    ax.grid(axis="y", visible=False)
    ax.margins(x=0.16)  # room for the value printed past the longest bar; bars stick to 0
    ax.xaxis.set_major_formatter(_axis_formatter(value, lang))
    ax.spines["left"].set_visible(True)


def bar_height(n_rows: float, extra: float = 0.8) -> float:
    """Body height for ``n_rows`` rows of bars plus the axis (``finish`` adds the title block
    and the source line)."""
    return max(2.0, extra + ROW_IN * n_rows)


# "13 of 28", "13 de 28" and "in 2024", "en 2024": a line break never splits these.
_UNBREAKABLE = re.compile(r"(?<![\w.,])(\d[\d.,]*) (of|de) (\d[\d.,]*)|\b(in|en) (\d{4})\b")


def keep_numbers_together(text: str) -> str:
    """``text`` with no-break spaces inside "n of N" and "in <year>" (a wrapped title never
    leaves "13 of" on one line and "28" on the next)."""
    return _UNBREAKABLE.sub(lambda match: match.group(0).replace(" ", "\u00a0"), text)


def finish(fig: Figure, title: str, subtitle: str, years: Iterable[int], lang: str) -> Figure:
    """Title (the finding), subtitle (the measure) and source line: what every chart carries.

    Without a finding worth stating (``title`` empty) the measure becomes the title: it says
    what the chart shows."""
    if not title:
        title, subtitle = subtitle, ""
    style.frame_figure(fig, keep_numbers_together(title), subtitle, years, lang)
    return fig


def _theme_or_area_labels(frame: pd.DataFrame, key: str, lang: str) -> dict[str, str]:
    """Display label per ``key`` value: the theme label in ``lang``, else the area's name."""
    for column in (f"theme_label_{lang}", "area_label", "area_name"):
        if column in frame.columns:
            pairs = frame[[key, column]].astype(str).drop_duplicates(subset=key)
            return dict(zip(pairs[key], pairs[column], strict=True))
    return {str(code): str(code) for code in frame[key]}


# --- findings: the titles, computed from what each chart draws --------------------------------


def _year_totals(frame: pd.DataFrame, value: str, share: str | None) -> dict[int, float]:
    """The whole each year's counts are a part of: value / share where the frame gives a share
    (activities of the year, IDB-funded activities …), else the sum of the year's values."""
    totals: dict[int, float] = {}
    for year, rows in frame.groupby(frame["plan_year"].astype(int), sort=True):
        if share is not None:
            with_share = rows[rows[share].astype(float) > 0]
            ratios = with_share[value].astype(float) / with_share[share].astype(float)
            totals[int(year)] = float(round(ratios.median(), 6)) if len(ratios) else 0.0
        else:
            totals[int(year)] = float(rows[value].astype(float).sum())
    return totals


def _leaders(
    frame: pd.DataFrame, category: str, value: str, names: Mapping[str, str]
) -> dict[int, tuple[list[str], float]]:
    """Per plan year: the categories with the largest value (all of them on a tie) and it."""
    leaders: dict[int, tuple[list[str], float]] = {}
    for year, rows in frame.groupby(frame["plan_year"].astype(int), sort=True):
        values = rows[value].astype(float)
        top = float(values.max())
        codes = _first_seen(rows.loc[values == top, category]) if top > 0 else []
        leaders[int(year)] = ([names.get(code, code) for code in codes], top)
    return leaders


def _clear_lead(frame: pd.DataFrame, category: str, value: str, year: int, total: float) -> bool:
    """Whether the leader of ``year`` leads the runner-up by a margin worth a headline:
    ``MIN_LEAD`` of the plan's whole and ``MIN_LEAD_UNITS`` (a tie never does)."""
    rows = frame[frame["plan_year"].astype(int) == year]
    values = sorted(
        rows.groupby(rows[category].astype(str))[value].sum().astype(float), reverse=True
    )
    if len(values) < 2:
        return True
    return values[0] - values[1] >= max(MIN_LEAD_UNITS, MIN_LEAD * total)


def _join_parts(parts: Sequence[str], lang: str) -> str:
    """Year clauses as "a, b and c": each clause names its year, so commas or "and" inside a
    label never make the list ambiguous (``join_words`` is for bare labels)."""
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {label('narrative.and', lang)} {parts[-1]}"


def _count_phrase(n: float, total: float, year: int, lang: str) -> str:
    return label(
        "finding.count", lang, n=_count_text(n, lang), total=_count_text(total, lang), year=year
    )


def leader_title(
    frame: pd.DataFrame,
    *,
    category: str,
    value: str,
    names: Mapping[str, str],
    what: str,
    lang: str,
    share: str | None = None,
) -> str:
    """ "<what>: <leader> in every plan (n of N in 2020 and n of N in 2024)", or the leader of
    each year when they differ. Years with nothing counted say so. "" (no finding: the chart
    is titled by what it shows) when in some plan the leader does not lead clearly
    (``_clear_lead``: a tie, or 62.5 against 61.5 events)."""
    totals = _year_totals(frame, value, share)
    leaders = _leaders(frame, category, value, names)
    named = {year: names_ for year, (names_, _) in leaders.items() if names_}
    if not named:
        return label("finding.nothing", lang, what=what)
    if not all(_clear_lead(frame, category, value, y, totals[y]) for y in named):
        return ""
    firsts = {tuple(v) for v in named.values()}
    if len(firsts) == 1 and len(named) == len(leaders) and len(leaders) > 1:
        (who,) = firsts
        counts = [_count_phrase(leaders[y][1], totals[y], y, lang) for y in leaders]
        return label(
            "finding.leader.same",
            lang,
            what=what,
            label=join_words(list(who), lang),
            counts=_join_parts(counts, lang),
        )
    parts = []
    for year, (who, top) in leaders.items():
        if not who:
            parts.append(label("finding.part_none", lang, year=year))
            continue
        key = "finding.part_tied" if len(who) > 1 else "finding.part"
        parts.append(
            label(
                key,
                lang,
                label=join_words(who, lang),
                year=year,
                n=_count_text(top, lang),
                total=_count_text(totals[year], lang),
            )
        )
    return label("finding.leader.each", lang, what=what, parts=_join_parts(parts, lang))


def values_title(values: Mapping[int, str], what: str, lang: str) -> str:
    """ "<what>: <value> in 2020 and <value> in 2024" for values already formatted."""
    parts = [
        label("finding.value_in_year", lang, value=text, year=year)
        for year, text in sorted(values.items())
    ]
    return label("finding.values", lang, what=what, values=_join_parts(parts, lang))


# --- charts ---------------------------------------------------------------------------------


@styled
def plot_activities_by_area(
    frame: pd.DataFrame, *, value: str = "n_activities", lang: str = "en"
) -> Figure:
    """Activities (or events) per work area, one panel per plan.

    Area codes are not comparable across plans (2020 3.4 is not 2024 3.4; the themes
    crosswalk links them), so each plan gets its own panel of its own areas, in printed order.
    Area names come from ``area_label`` (the crosswalk's name in the page's language, see
    ``tables.with_labels``) when the frame has it, else from ``area_name`` as printed.
    Zero-filled rows of areas absent from a plan are left out.
    """
    years = _years(frame)
    name_column = "area_label" if "area_label" in frame.columns else "area_name"
    named = frame[frame["area_name"].fillna("").astype(str).str.strip() != ""]
    areas = {
        year: _first_seen(named.loc[named["plan_year"] == year, "area_code"]) for year in years
    }
    headers: dict[int, list[str]] = {}
    for year in years:
        sub = named[named["plan_year"] == year]
        names = dict(zip(sub["area_code"].astype(str), sub[name_column].astype(str), strict=True))
        headers[year] = [f"{code}  {names[code]}" for code in areas[year]]
    heights = [max(rows_height(areas[y], headers[y], [y]), 1.0) for y in years]
    fig, axes = new_figure(
        bar_height(sum(heights) + 1.5 * len(years)),
        nrows=len(years),
        sharex=True,
        gridspec_kw={"height_ratios": heights},
    )
    for ax, year in zip(axes, years, strict=True):
        year_bars(
            ax,
            named[named["plan_year"] == year],
            category="area_code",
            categories=areas[year],
            headers=headers[year],
            value=value,
            years=[year],
            lang=lang,
            name_years=False,
        )
        ax.set_title(label("panel.plan_year", lang, year=year), loc="left")
    axes[-1].set_xlabel(label(f"axis.{value}", lang))
    axes[-1].xaxis.set_major_locator(MaxNLocator(integer=True))
    # Area codes repeat across plans, so the leader is found per (year, code) key.
    keys = [f"{int(y)}|{c}" for y, c in zip(named["plan_year"], named["area_code"], strict=True)]
    keyed = named.assign(_key=keys)
    names = dict(zip(keys, named[name_column].astype(str), strict=True))
    title = leader_title(
        keyed,
        category="_key",
        value=value,
        names=names,
        what=label(f"finding.what.by_area.{value}", lang),
        lang=lang,
    )
    return finish(fig, title, label(f"subtitle.by_area.{value}", lang), years, lang)


def _ranked_themes(frame: pd.DataFrame) -> list[str]:
    return _by_value(frame, "theme", "share", _first_seen(frame["theme"]))


@styled
def plot_theme_attention(frame: pd.DataFrame, *, lang: str = "en") -> Figure:
    """Share of each year's activities per harmonised theme, ranked by the latest plan."""
    years = _years(frame)
    themes = _ranked_themes(frame)
    names = _theme_or_area_labels(frame, "theme", lang)
    headers = [names[t] for t in themes]
    rows = rows_height(themes, headers, years)
    fig, (ax,) = new_figure(bar_height(rows))
    year_bars(
        ax,
        frame,
        category="theme",
        categories=themes,
        headers=headers,
        value="share",
        years=years,
        lang=lang,
    )
    ax.set_xlabel(label("axis.share", lang))
    title = leader_title(
        frame,
        category="theme",
        value="n_activities",
        names=names,
        what=label("finding.what.theme", lang),
        lang=lang,
        share="share",
    )
    return finish(fig, title, label("subtitle.theme_attention", lang), years, lang)


@styled
def plot_theme_heatmap(frame: pd.DataFrame, *, lang: str = "en") -> Figure:
    """Theme shares as a theme × year grid (a seaborn heatmap): the shape of each agenda.

    The colour ramp is one hue from light to dark, so it reads in grey-scale, and every cell
    prints its percentage, so the chart reads without colour at all (no colour bar needed).
    Themes are ranked by the latest plan, as in every ranking of the report.
    """
    years = _years(frame)
    themes = _ranked_themes(frame)
    names = _theme_or_area_labels(frame, "theme", lang)
    grid = (
        frame.pivot(index="theme", columns="plan_year", values="share")
        .reindex(index=themes, columns=years)
        .astype(float)
    )
    cells = grid.map(lambda share: format_percent(share, lang))
    fig, (ax,) = new_figure(bar_height(len(themes) * 1.9, 1.0))
    cmap = matplotlib.colormaps[style.SEQUENTIAL_CMAP]
    top = max(float(np.nanmax(grid.to_numpy())), 1e-9)
    import seaborn as sns  # here: one chart of one section uses it (0.2 s a kernel to import)

    sns.heatmap(
        grid, ax=ax, cmap=cmap, vmin=0, vmax=top, linewidths=1, linecolor="white", cbar=False
    )
    # Each cell's percentage in black or white, whichever contrasts more with the cell.
    for i, theme in enumerate(themes):
        for j, year in enumerate(years):
            fill = matplotlib.colors.to_hex(cmap(float(grid.at[theme, year]) / top))
            ax.text(
                j + 0.5,
                i + 0.5,
                cells.at[theme, year],
                ha="center",
                va="center",
                fontsize=TEXT_PT,
                color=style.text_colour_on(fill),
            )
    name_width = min(2.6, 0.45 * style.figure_width())
    ax.set_yticks(
        [i + 0.5 for i in range(len(themes))],
        [style.wrap_chars(names[t], TEXT_PT, name_width) for t in themes],
        rotation=0,
    )
    ax.set_xticks([i + 0.5 for i in range(len(years))], [str(year) for year in years])
    ax.tick_params(length=0)
    ax.set_xlabel(label("axis.plan_year", lang))
    ax.set_ylabel("")
    present = {}
    for year in years:
        shares = grid[year]
        present[year] = label("finding.of", lang, n=int((shares > 0).sum()), total=len(themes))
    title = values_title(present, label("finding.what.themes_present", lang), lang)
    return finish(fig, title, label("subtitle.theme_heatmap", lang), years, lang)


@styled
def plot_theme_change(
    frame: pd.DataFrame, *, value: str = "n_activities", lang: str = "en"
) -> Figure:
    """Diverging bars: change per theme (or area) from the baseline to the compare year.

    ``value`` names the column that was compared (it sets the words, not the data): for
    ``share`` the change prints in percentage points. Sorted by change, largest rise first.
    """
    key = "theme" if "theme" in frame.columns else "area_code"
    baseline = int(frame["baseline_year"].iloc[0])
    compare = int(frame["compare_year"].iloc[0])
    ordered = frame.assign(_key=frame[key].astype(str)).sort_values(
        "change", ascending=False, kind="stable"
    )
    names = _theme_or_area_labels(ordered, "_key", lang)
    changes = ordered["change"].to_numpy(dtype=float)
    scale = 100.0 if value == "share" else 1.0

    def signed(change: float) -> str:
        if value == "share":
            points = label("unit.percentage_points", lang)
            return f"{format_signed(change * 100, lang, 1)}\u00a0{points}"
        return format_signed(change, lang, 0 if float(change).is_integer() else 1)

    kinds = np.select([changes > 0, changes < 0], ["increase", "decrease"], "no_change")
    codes = ordered["_key"].tolist()
    headers = [_header_lines(names[k]) for k in codes]
    rows = _Rows.layout(codes, headers, [0])
    fig, (ax,) = new_figure(bar_height(rows.height))
    positions = np.array([rows.bars[(code, 0)] for code in codes])
    for kind in ("increase", "decrease", "no_change"):
        mask = kinds == kind
        if not mask.any():
            continue
        bars = ax.barh(
            positions[mask],
            changes[mask] * scale,
            BAR_FILL,
            facecolor=style.CHANGE_COLOURS[kind],
            edgecolor=style.YEAR_EDGE,
            linewidth=BAR_LINEWIDTH,
            label=label(f"change.{kind}", lang),
        )
        ax.bar_label(bars, labels=[signed(c) for c in changes[mask]], padding=3, fontsize=TEXT_PT)
    to_axes_x = blended_transform_factory(ax.transAxes, ax.transData)
    for code, text in zip(codes, headers, strict=True):
        ax.text(
            0.0,
            rows.headers[code],
            text,
            transform=to_axes_x,
            ha="left",
            va="center",
            fontsize=TEXT_PT,
            linespacing=1.1,
            bbox=HEADER_BOX,
        )
    ax.axvline(0, color=style.TEXT_GREY, linewidth=0.8)
    ax.set_yticks([])
    ax.set_ylim(rows.height - 0.5, -0.6)
    ax.grid(axis="y", visible=False)
    ax.spines["left"].set_visible(False)
    limit = max(float(np.abs(changes * scale).max(initial=0.0)), 1.0) * 1.3
    ax.set_xlim(-limit, limit)
    if value != "share":
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    what = label(f"noun.{value}", lang)
    ax.set_xlabel(label("axis.change", lang, what=what, baseline=baseline, compare=compare))
    by = label("noun.theme" if key == "theme" else "noun.area", lang)
    title = _change_title(ordered, names, signed, baseline, compare, lang)
    subtitle = label("subtitle.change", lang, what=what, by=by, baseline=baseline, compare=compare)
    return finish(fig, title, subtitle, [baseline, compare], lang)


def _change_title(
    ordered: pd.DataFrame,
    names: Mapping[str, str],
    signed: Callable[[float], str],
    baseline: int,
    compare: int,
    lang: str,
) -> str:
    """Largest rise and largest fall (every theme on a tie), or that nothing changed."""
    changes = ordered["change"].astype(float)
    parts = []
    for key, extreme in (("finding.rise", changes.max()), ("finding.fall", changes.min())):
        if (key == "finding.rise" and extreme > 0) or (key == "finding.fall" and extreme < 0):
            who = [names[k] for k in ordered.loc[changes == extreme, "_key"]]
            parts.append(label(key, lang, label=join_words(who, lang), change=signed(extreme)))
    if not parts:
        return label("finding.no_change", lang, baseline=baseline, compare=compare)
    return label(
        "finding.change", lang, baseline=baseline, compare=compare, changes="; ".join(parts)
    )


@styled
def plot_funding_dependence(
    frame: pd.DataFrame, measure: str | None = None, *, lang: str = "en"
) -> Figure:
    """Share of each year's activities per funding source, under one measure or all three.

    The three measures answer different questions (does the source touch the activity, how
    much of it does it carry, is it the only source named), so by default all three are drawn,
    stacked one under the other (legible on a phone), on one scale. Sources are ranked by
    the latest plan's any-touch share, the same order in every panel.
    """
    measures = FUNDING_MEASURES if measure is None else (measure,)
    unknown = set(measures) - set(FUNDING_MEASURES)
    if unknown:
        raise ValueError(f"Unknown funding measure(s) {sorted(unknown)}; use {FUNDING_MEASURES}.")
    years = _years(frame)
    present = _in_order(frame["source"], vocabulary.FUNDING_SOURCES)
    rank_measure = "any_touch" if "any_touch" in set(frame["measure"]) else measures[0]
    sources = _by_value(frame[frame["measure"] == rank_measure], "source", "share", present)
    headers = [code_label("funding", s, lang) for s in sources]
    rows = rows_height(sources, headers, years)
    fig, axes = new_figure(
        bar_height((rows + 1.6) * len(measures)), nrows=len(measures), sharex=True
    )
    for ax, each in zip(axes, measures, strict=True):
        year_bars(
            ax,
            frame[frame["measure"] == each],
            category="source",
            categories=sources,
            headers=headers,
            value="share",
            years=years,
            lang=lang,
        )
        if len(measures) > 1:
            ax.set_title(code_label("measure", each, lang), loc="left")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    axes[-1].set_xlabel(label("axis.share", lang))
    lead = measures[0]
    names = {s: code_label("funding", s, lang) for s in sources}
    title = leader_title(
        frame[frame["measure"] == lead],
        category="source",
        value="value",
        names=names,
        what=label(f"finding.what.funding.{lead}", lang),
        lang=lang,
        share="share",
    )
    subtitle = (
        label("subtitle.funding_dependence", lang)
        if measure is None
        else label(f"subtitle.funding.{measure}", lang)
    )
    return finish(fig, title, subtitle, years, lang)


@styled
def plot_idb_instruments(
    frame: pd.DataFrame, *, value: str = "n_activities", lang: str = "en"
) -> Figure:
    """IDB-funded activities per IDB instrument (RPG, consultant, general), years side by side."""
    years = _years(frame)
    instruments = _in_order(frame["instrument"], vocabulary.IDB_INSTRUMENTS)
    headers = [code_label("idb_instrument", i, lang) for i in instruments]
    fig, (ax,) = new_figure(bar_height(rows_height(instruments, headers, years)))
    year_bars(
        ax,
        frame,
        category="instrument",
        categories=instruments,
        headers=headers,
        value=value,
        years=years,
        lang=lang,
    )
    if value == "n_activities":
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(label(f"axis.{value}", lang))
    names = dict(zip(instruments, headers, strict=True))
    title = leader_title(
        frame,
        category="instrument",
        value="n_activities",
        names=names,
        what=label("finding.what.idb_instrument", lang),
        lang=lang,
        share="share_of_idb",
    )
    return finish(fig, title, label("subtitle.idb_instruments", lang), years, lang)


def _composition_chart(
    frame: pd.DataFrame,
    *,
    category: str,
    vocabulary_name: str,
    canonical: Sequence[str],
    value: str,
    what_key: str,
    subtitle_key: str,
    ranked: bool,
    lang: str,
) -> Figure:
    """Activity types or venues: one bar per year per category (a ranking or a fixed order)."""
    years = _years(frame)
    present = _in_order(frame[category], canonical)
    used = [c for c in present if frame.loc[frame[category].astype(str) == c, value].sum() > 0]
    codes = _by_value(frame, category, value, used) if ranked else used
    headers = [code_label(vocabulary_name, c, lang) for c in codes]
    fig, (ax,) = new_figure(bar_height(rows_height(codes, headers, years)))
    year_bars(
        ax,
        frame,
        category=category,
        categories=codes,
        headers=headers,
        value=value,
        years=years,
        lang=lang,
    )
    ax.set_xlabel(label(f"axis.{value}", lang))
    if not value.startswith("share"):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    names = dict(zip(codes, headers, strict=True))
    title = leader_title(
        frame,
        category=category,
        value="n_activities",
        names=names,
        what=label(what_key, lang),
        lang=lang,
        share="share",
    )
    return finish(fig, title, label(subtitle_key, lang), years, lang)


@styled
def plot_activity_type_mix(
    frame: pd.DataFrame, *, value: str = "share", lang: str = "en"
) -> Figure:
    """Each plan's activities by activity type, ranked by the latest plan; unused types left out."""
    return _composition_chart(
        frame,
        category="activity_type",
        vocabulary_name="activity_type",
        canonical=vocabulary.ACTIVITY_TYPES,
        value=value,
        what_key="finding.what.activity_type",
        subtitle_key=f"subtitle.activity_type_mix.{value}",
        ranked=True,
        lang=lang,
    )


@styled
def plot_venue_mix(frame: pd.DataFrame, *, value: str = "share", lang: str = "en") -> Figure:
    """Each plan's activities by venue mode: virtual, on site, to be defined (fixed order)."""
    return _composition_chart(
        frame,
        category="venue_mode",
        vocabulary_name="venue",
        canonical=vocabulary.VENUE_MODES,
        value=value,
        what_key="finding.what.venue",
        subtitle_key=f"subtitle.venue_mix.{value}",
        ranked=False,
        lang=lang,
    )


def _stacked_bars(
    ax: Axes,
    frame: pd.DataFrame,
    *,
    category: str,
    categories: Sequence[str],
    value: str,
    years: Sequence[int],
    lang: str,
) -> list[tuple[Patch, str]]:
    """One stacked bar per plan year; timing classes in vocabulary order, labelled when large.

    Returns the legend entries (top segment first, as the eye reads the stack) of classes
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
        unspecified = code in style.UNSPECIFIED_CODES
        fill = style.TIMING_COLOURS.get(code, style.UNSPECIFIED_FILL)
        bars = ax.bar(
            slots,
            values,
            0.6,
            bottom=bottom,
            facecolor=fill,
            hatch=style.UNSPECIFIED_HATCH if unspecified else "",
            edgecolor=style.UNSPECIFIED_EDGE if unspecified else style.YEAR_EDGE,
            linewidth=BAR_LINEWIDTH,
        )
        texts = [fmt(v) if v / axis_top >= MIN_SEGMENT_FOR_LABEL else "" for v in values]
        ax.bar_label(
            bars,
            labels=texts,
            label_type="center",
            fontsize=TEXT_PT,
            color=style.text_colour_on(fill),
            bbox={"boxstyle": "round,pad=0.15", "facecolor": fill, "edgecolor": "none"},
        )
        bottom += values
        if values.any():
            entries.append((bars.patches[0], code_label("timing", code, lang)))
    for x, total in zip(slots, bottom, strict=True):
        ax.annotate(
            fmt(total),
            (x, total),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=TEXT_PT,
            fontweight="bold",
        )
    ax.set_xticks(slots, [str(year) for year in years])
    ax.grid(axis="x", visible=False)
    ax.set_ylim(0, axis_top * 1.12)  # room for the totals printed above the stacks
    ax.yaxis.set_major_formatter(_axis_formatter(value, lang))
    return entries[::-1]


def _timing_chart(
    frame: pd.DataFrame,
    *,
    value: str,
    count: str,
    y_label_key: str,
    what_key: str,
    subtitle_key: str,
    lang: str,
) -> Figure:
    """The body shared by the two semester charts: one stack of timing classes per year."""
    years = _years(frame)
    categories = _in_order(frame["timing"], vocabulary.TIMINGS)
    fig, (ax,) = new_figure(4.8 if style.is_phone() else 3.8)  # + the legend above
    entries = _stacked_bars(
        ax, frame, category="timing", categories=categories, value=value, years=years, lang=lang
    )
    if not value.startswith("share"):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(label("axis.plan_year", lang))
    ax.set_ylabel(label(y_label_key, lang))
    # An axes legend beside the plot on a desktop, above it on a phone (the stacks keep the
    # width): the layout makes room for it below the title block.
    phone = style.is_phone()
    ax.legend(
        [handle for handle, _ in entries],
        [text for _, text in entries],
        title=label("legend.timing", lang),
        loc="lower left" if phone else "upper left",
        bbox_to_anchor=(0.0, 1.06) if phone else (1.02, 1.0),
        borderaxespad=0,
        alignment="left",
    )
    names = {code: code_label("timing", code, lang) for code in categories}
    title = leader_title(
        frame,
        category="timing",
        value=count,
        names=names,
        what=label(what_key, lang),
        lang=lang,
        share="share",
    )
    return finish(fig, title, label(subtitle_key, lang), years, lang)


@styled
def plot_semester_load(
    frame: pd.DataFrame, *, value: str = "n_activities", lang: str = "en"
) -> Figure:
    """Activities per timing class (S1, S2, year-round, to be defined), stacked per plan year."""
    y_label = "axis.share" if value == "share" else "axis.n_activities"
    return _timing_chart(
        frame,
        value=value,
        count="n_activities",
        y_label_key=y_label,
        what_key="finding.what.timing",
        subtitle_key="subtitle.semester_load",
        lang=lang,
    )


@styled
def plot_semester_event_load(
    frame: pd.DataFrame, *, value: str = "n_events", lang: str = "en"
) -> Figure:
    """Events per semester (year-round events split over S1 and S2), stacked per plan year."""
    y_label = "axis.share_events" if value == "share" else "axis.n_events"
    return _timing_chart(
        frame,
        value=value,
        count="n_events",
        y_label_key=y_label,
        what_key="finding.what.timing_events",
        subtitle_key="subtitle.semester_event_load",
        lang=lang,
    )


def _bars_per_year(
    ax: Axes, frame: pd.DataFrame, *, value: str, years: Sequence[int], decimals: int, lang: str
) -> None:
    """One bar per plan year in the year's grey, value printed on top."""
    by_year = frame.assign(_year=frame["plan_year"].astype(int)).set_index("_year")[value]
    values = [float(by_year.get(year, 0.0)) for year in years]
    slots = np.arange(len(years))
    for x, year, v in zip(slots, years, values, strict=True):
        bars = ax.bar(
            [x],
            [v],
            0.6,
            facecolor=style.year_colour(year),
            edgecolor=style.YEAR_EDGE,
            linewidth=BAR_LINEWIDTH,
        )
        ax.bar_label(bars, labels=[format_number(v, lang, decimals)], padding=2, fontsize=TEXT_PT)
    ax.set_xticks(slots, [str(year) for year in years])
    ax.grid(axis="x", visible=False)


@styled
def plot_agenda_diversity(frame: pd.DataFrame, *, lang: str = "en") -> Figure:
    """Effective number of themes and normalised entropy per plan year, side by side.

    The dashed line marks the number of theme categories (the most even agenda possible).
    """
    years = _years(frame)
    # Side by side on a desktop; one above the other on a phone (each panel keeps its width).
    if style.is_phone():
        fig, (left, right) = new_figure(6.0, nrows=2)
    else:
        fig, (left, right) = new_figure(3.4, ncols=2)
    _bars_per_year(left, frame, value="effective_n_themes", years=years, decimals=1, lang=lang)
    n_categories = int(frame["n_categories"].max())
    left.axhline(n_categories, color=style.TEXT_GREY, linestyle="--", linewidth=0.9)
    # Over the left end, where the lower plan's bar leaves room: no value label under it.
    left.annotate(
        label("note.max_themes", lang, n=n_categories),
        (0.0, n_categories),
        xycoords=("axes fraction", "data"),
        xytext=(2, 3),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=TEXT_PT,
        color=style.TEXT_GREY,
    )
    left.set_ylim(0, n_categories * 1.18)
    left.set_ylabel(label("axis.effective_n_themes", lang))
    _bars_per_year(right, frame, value="normalised_entropy", years=years, decimals=2, lang=lang)
    right.set_ylim(0, 1.12)
    right.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_number(v, lang, 1)))
    right.set_ylabel(label("axis.normalised_entropy", lang))
    for ax in (left, right):
        ax.set_xlabel(label("axis.plan_year", lang))
    effective = {
        int(row.plan_year): label(
            "finding.of",
            lang,
            n=format_number(row.effective_n_themes, lang, 1),
            total=int(row.n_categories),
        )
        for row in frame.itertuples(index=False)
    }
    title = values_title(effective, label("finding.what.effective_themes", lang), lang)
    return finish(fig, title, label("subtitle.agenda_diversity", lang), years, lang)
