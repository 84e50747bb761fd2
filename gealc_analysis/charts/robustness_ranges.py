"""The robustness chart: each headline count under the main coding and its range across every
combination of contested coding decisions.

Kept apart from ``plots`` (one module per concern) with the report's ``style`` and labels.
Only black and greys: the chart adds no colour meaning to the palette and reads in grey-scale.
"""

from __future__ import annotations

import textwrap

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
RANGE_COLOUR = "#9E9E9E"
WRAP = 44


def plot_headline_ranges(table: pd.DataFrame, *, lang: str = "en") -> Figure:
    """One row per count headline and plan: a grey bar from its minimum to its maximum over
    all codings and a black dot at the main coding's value; a headline that holds everywhere
    is a dot alone. The title states how many of these counts hold under every coding."""
    check_lang(lang)
    rows = table[(table["kind"] == KIND_COUNT) & table["headline"].isin(COUNT_HEADLINES)]
    rows = rows.assign(_rank=rows["headline"].map({h: i for i, h in enumerate(COUNT_HEADLINES)}))
    rows = rows.sort_values(["_rank", "plan"], kind="stable").reset_index(drop=True)
    n_codings = int(table["n_codings"].max()) if len(table) else 1
    with style.style_context():
        fig = Figure(figsize=(7.5, 1.6 + 0.38 * len(rows)), layout="constrained")
        ax = fig.subplots()
        positions = list(range(len(rows)))[::-1]
        for y, row in zip(positions, rows.itertuples(index=False), strict=True):
            if row.min_value != row.max_value:
                ax.plot(
                    [row.min_value, row.max_value],
                    [y, y],
                    color=RANGE_COLOUR,
                    linewidth=6,
                    solid_capstyle="butt",
                )
                for value in {row.min_value, row.max_value} - {row.primary_value}:
                    ax.annotate(
                        format_number(value, lang),
                        (value, y),
                        xytext=(0, 7),
                        textcoords="offset points",
                        ha="center",
                        fontsize=7.5,
                        color=style.TEXT_GREY,
                    )
            ax.plot([row.primary_value], [y], marker="o", color="black", markersize=6)
            ax.annotate(
                format_number(row.primary_value, lang),
                (row.primary_value, y),
                xytext=(6, -3),
                textcoords="offset points",
                fontsize=8,
            )
        ax.set_yticks(positions)
        ax.set_yticklabels(
            [
                textwrap.fill(
                    f"{label(f'robustness.headline.{row.headline}', lang)} ({row.plan})", WRAP
                )
                for row in rows.itertuples(index=False)
            ],
            fontsize=8,
        )
        ax.set_xlabel(label("robustness.axis.count", lang))
        ax.set_xlim(left=0)
        ax.grid(axis="y", visible=False)
        handles = [
            Line2D([], [], marker="o", color="black", linestyle="", markersize=6),
            Line2D([], [], color=RANGE_COLOUR, linewidth=6),
        ]
        ax.legend(
            handles,
            [
                label("robustness.legend.primary", lang),
                label("robustness.legend.range", lang, n=n_codings),
            ],
            loc="lower right",
            fontsize=8,
        )
        held = int(rows["holds_everywhere"].sum())
        fig.suptitle(
            textwrap.fill(
                label("robustness.chart_title", lang, held=held, total=len(rows), n=n_codings), 70
            ),
            x=0.01,
            ha="left",
        )
        ax.set_title(
            textwrap.fill(label("robustness.chart_subtitle", lang), 70),
            loc="left",
            fontsize=9,
            color=style.TEXT_GREY,
            fontweight="normal",
        )
        years = sorted({int(p) for p in rows["plan"] if str(p).isdigit()})
        style.add_source_line(fig, years, lang)
        fig.draw_without_rendering()
    return fig
