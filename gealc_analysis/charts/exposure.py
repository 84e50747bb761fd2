"""The exposure chart: activities per plan that name the funder, name it as their only cash,
or as their only resource (numbers from :mod:`gealc_analysis.measures.funding`, words from
:mod:`gealc_analysis.words.funding`).

Drawn like every comparison of years in ``plots``: each measure named on its own line, one bar
per plan in the plan's grey with "n of N" printed past it, the report's sizes and title block.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from gealc_analysis.charts import plots
from gealc_analysis.measures.funding import EXPOSURE_MEASURES, MEASURE_COUNT_COLUMNS
from gealc_analysis.words import i18n
from gealc_analysis.words.funding import finding_title, funder_words


@plots.styled
def plot_exposure(by_year: pd.DataFrame, *, lang: str = "en") -> Figure:
    """Activities per plan that name the funder, name it as their only cash, or as their only
    resource: per measure, one bar per plan.

    The title states the finding computed from the frame; counts print on the bars with the
    plan's total ("13 of 28"), since plans of different length are compared.
    """
    words = funder_words(str(by_year["source"].iloc[0]), lang)
    measures = [m for m in EXPOSURE_MEASURES if m != "fractional"]
    frame = by_year.sort_values("plan_year")
    years = [int(y) for y in frame["plan_year"]]
    totals = {int(row.plan_year): int(row.n_activities) for row in frame.itertuples()}
    long = pd.DataFrame(
        [
            (int(row["plan_year"]), m, float(row[MEASURE_COUNT_COLUMNS[m]]))
            for _, row in frame.iterrows()
            for m in measures
        ],
        columns=["plan_year", "measure", "n"],
    )
    headers = [i18n.label(f"exposure.measure.{m}", lang, **words) for m in measures]
    fig, (ax,) = plots.new_figure(plots.bar_height(plots.rows_height(measures, headers, years)))
    plots.year_bars(
        ax,
        long,
        category="measure",
        categories=measures,
        headers=headers,
        value="n",
        years=years,
        lang=lang,
        bar_text=lambda year, n: i18n.label("exposure.bar", lang, n=int(n), total=totals[year]),
    )
    ax.margins(x=0.25)  # "13 of 28" is longer than a bare count
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(i18n.label("exposure.axis", lang))
    title = finding_title(frame, lang)
    return plots.finish(fig, title, i18n.label("exposure.subtitle", lang), years, lang)
