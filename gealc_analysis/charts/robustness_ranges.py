"""The robustness chart: each headline count under the main coding and its range across every
combination of contested coding decisions.

Kept apart from ``plots`` (one module per concern) with the report's ``style``, sizes, title
block and labels. Ink only: a black dot for the main coding and a black bracket |—| for the
range (no fill, so no grey that could be read as a plan year); it reads in grey-scale.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from gealc_analysis.charts import style
from gealc_analysis.measures.robustness import KIND_COUNT
from gealc_analysis.words.i18n import check_lang, format_number, label

# Headlines that are counts of activities or events, so they share one axis.
COUNT_HEADLINES: tuple[str, ...] = (
    "n_activities",
    "n_events",
    "undated_events",
    "idb_named",
    "idb_only_cash",
    "idb_only_resource",
    "idb_instrument_named",
    "oas_named",
)
TEXT_PT = style.FONT_PT["text"]
ROW_IN = 0.36  # inches per headline row at least (more when its name wraps)


@style.responsive
def plot_headline_ranges(table: pd.DataFrame, *, lang: str = "en") -> Figure:
    """One row per count headline and plan: a bracket from its minimum to its maximum over
    all codings and a black dot at the main coding's value; a headline that holds everywhere
    is a dot alone. The title states how many of these counts hold under every coding."""
    check_lang(lang)
    rows = table[(table["kind"] == KIND_COUNT) & table["headline"].isin(COUNT_HEADLINES)]
    rows = rows.assign(_rank=rows["headline"].map({h: i for i, h in enumerate(COUNT_HEADLINES)}))
    rows = rows.sort_values(["_rank", "plan"], kind="stable").reset_index(drop=True)
    n_codings = int(table["n_codings"].max()) if len(table) else 1
    width = style.figure_width()
    names = [
        style.wrap_chars(
            f"{label(f'robustness.headline.{row.headline}', lang)} ({row.plan})",
            TEXT_PT,
            0.45 * width,
        )
        for row in rows.itertuples(index=False)
    ]
    # Each row as tall as its name needs (y in inches from the top, so names never overlap).
    heights = [max(ROW_IN, (n.count("\n") + 1) * TEXT_PT * 1.15 / 72 + 0.12) for n in names]
    positions = [-(sum(heights[:i]) + h / 2) for i, h in enumerate(heights)]
    with style.style_context():
        fig = Figure(figsize=(width, 1.4 + sum(heights)), layout="constrained")
        ax = fig.subplots()
        for y, row in zip(positions, rows.itertuples(index=False), strict=True):
            if row.min_value != row.max_value:
                ax.errorbar(
                    [row.primary_value],
                    [y],
                    xerr=[[row.primary_value - row.min_value], [row.max_value - row.primary_value]],
                    fmt="none",
                    ecolor=style.INK,
                    elinewidth=1.2,
                    capsize=5,
                )
                for value in {row.min_value, row.max_value} - {row.primary_value}:
                    ax.annotate(
                        format_number(value, lang),
                        (value, y),
                        xytext=(0, 6),
                        textcoords="offset points",
                        ha="center",
                        fontsize=TEXT_PT,
                        color=style.TEXT_GREY,
                    )
            ax.plot([row.primary_value], [y], marker="o", color=style.INK, markersize=7)
            ax.annotate(
                format_number(row.primary_value, lang),
                (row.primary_value, y),
                xytext=(6, -12),
                textcoords="offset points",
                fontsize=TEXT_PT,
            )
        ax.set_yticks(positions, names)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(label("robustness.axis.count", lang))
        ax.set_xlim(left=0)
        ax.set_ylim(-sum(heights) - 0.05, 0.05)
        ax.margins(x=0.08)
        ax.grid(axis="y", visible=False)
        handles = [
            Line2D([], [], marker="o", color=style.INK, linestyle="", markersize=7),
            Line2D([], [], color=style.INK, linewidth=1.2, marker="|", markersize=9),
        ]
        ax.legend(  # above the rows, under the subtitle
            handles,
            [
                label("robustness.legend.primary", lang),
                label("robustness.legend.range", lang, n=n_codings),
            ],
            loc="lower left",
            bbox_to_anchor=(-0.02, 1.0),
        )
        held = int(rows["holds_everywhere"].sum())
        years = sorted({int(p) for p in rows["plan"] if str(p).isdigit()})
        style.frame_figure(
            fig,
            label("robustness.chart_title", lang, held=held, total=len(rows), n=n_codings),
            label("robustness.chart_subtitle", lang),
            years,
            lang,
        )
        fig.draw_without_rendering()
    return fig
