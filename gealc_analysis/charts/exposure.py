"""The exposure chart: activities per plan that name the funder, name it as their only cash,
or as their only resource (numbers from :mod:`gealc_analysis.measures.funding`, words from
:mod:`gealc_analysis.words.funding`)."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from gealc_analysis.charts import style
from gealc_analysis.measures.funding import EXPOSURE_MEASURES, MEASURE_COUNT_COLUMNS
from gealc_analysis.words import i18n
from gealc_analysis.words.funding import finding_title, funder_words

TITLE_WRAP = 55  # characters per line of the chart title (it states the finding in full)


def plot_exposure(by_year: pd.DataFrame, *, lang: str = "en") -> Figure:
    """Activities per plan that name the funder, name it as their only cash, or as their only
    resource: bars per measure, the plans side by side in their colour and hatch.

    The title states the at-risk finding computed from the frame; counts print on the bars
    with the plan's total, since plans of different length are compared.
    """
    i18n.check_lang(lang)
    words = funder_words(str(by_year["source"].iloc[0]), lang)
    measures = [m for m in EXPOSURE_MEASURES if m != "fractional"]
    frame = by_year.sort_values("plan_year")
    years = [int(y) for y in frame["plan_year"]]
    with style.style_context():
        fig = Figure(
            figsize=(8.0, 1.9 + 0.55 * len(measures) * max(len(years), 1) / 2 + 0.6),
            layout="constrained",
        )
        ax = fig.subplots()
        span = 0.8
        width = span / max(len(years), 1)
        slots = np.arange(len(measures))
        for i, (_, row) in enumerate(frame.iterrows()):
            year = int(row["plan_year"])
            values = [int(row[MEASURE_COUNT_COLUMNS[m]]) for m in measures]
            fill = style.year_colour(year)
            bars = ax.barh(
                slots + width * (i + 0.5) - span / 2,
                values,
                width,
                facecolor=fill,
                hatch=style.year_hatch(year),
                edgecolor=style.hatch_colour(fill),
                linewidth=0.6,
            )
            texts = [
                i18n.label("exposure.bar", lang, n=v, total=int(row["n_activities"]))
                for v in values
            ]
            ax.bar_label(bars, labels=texts, padding=3, fontsize=8)
        ax.set_yticks(slots, [i18n.label(f"exposure.measure.{m}", lang, **words) for m in measures])
        ax.set_ylim(len(measures) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        ax.margins(x=0.2)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel(i18n.label("exposure.axis", lang))
        handles = [
            Patch(
                facecolor=style.year_colour(y),
                hatch=style.year_hatch(y),
                edgecolor=style.hatch_colour(style.year_colour(y)),
            )
            for y in years
        ]
        fig.legend(
            handles,
            [str(y) for y in years],
            title=i18n.label("legend.plan_year", lang),
            loc="outside right upper",
        )
        fig.suptitle(_wrapped(finding_title(frame, lang)), x=0.01, ha="left")
        ax.set_title(
            i18n.label("exposure.subtitle", lang),
            loc="left",
            fontsize=9,
            fontweight="normal",
            color=style.TEXT_GREY,
        )
        style.add_source_line(fig, years, lang)
        fig.draw_without_rendering()
    return fig


def _wrapped(text: str, width: int = TITLE_WRAP) -> str:
    return textwrap.fill(text, width)
