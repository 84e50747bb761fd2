"""The lineage chart: activities flowing from the earlier plan's themes to the next plan's.

Kept apart from ``plots`` (one module per concern); it uses the same ``style`` and label
catalogue. Bands are shades of grey by relation (continued darkest, then modified, then
merged/split), so the chart adds no colour meaning to the report's palette and reads in
grey-scale as printed.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from gealc_analysis.charts import style
from gealc_analysis.words.i18n import check_lang, label

NODE_WIDTH = 0.04
GAP = 0.6  # vertical space between nodes, in activities
RELATION_GREYS: dict[str, str] = {
    "continued": "#4D4D4D",
    "modified": "#8C8C8C",
    "merged": "#BDBDBD",
    "split": "#BDBDBD",
    "dropped": "#E0E0E0",
    "new": "#E0E0E0",
}
NODE_COLOUR = "#333333"
WRAP = 26  # characters per line of a theme name beside its node
TITLE_WRAP = 70
SUBTITLE_WRAP = 95
STUB = 0.22  # length of the stub of a dropped or new activity, in axis units
STUB_RELATIONS = ("dropped", "new")


def _stack(keys: list[str], sizes: Mapping[str, float]) -> dict[str, float]:
    """Bottom of each node when nodes are stacked top-down with a gap."""
    bottoms, top = {}, 0.0
    for key in keys:
        top -= sizes[key]
        bottoms[key] = top
        top -= GAP
    return bottoms


def _band(x0: float, y0: tuple[float, float], x1: float, y1: tuple[float, float]) -> MplPath:
    """A smooth band from the segment y0 at x0 to the segment y1 at x1 (cubic Béziers)."""
    mid = (x0 + x1) / 2
    vertices = [
        (x0, y0[1]),
        (mid, y0[1]),
        (mid, y1[1]),
        (x1, y1[1]),
        (x1, y1[0]),
        (mid, y1[0]),
        (mid, y0[0]),
        (x0, y0[0]),
        (x0, y0[1]),
    ]
    codes = [
        MplPath.MOVETO,
        MplPath.CURVE4,
        MplPath.CURVE4,
        MplPath.CURVE4,
        MplPath.LINETO,
        MplPath.CURVE4,
        MplPath.CURVE4,
        MplPath.CURVE4,
        MplPath.CLOSEPOLY,
    ]
    return MplPath(vertices, codes)


def lineage_title(counts: pd.DataFrame, from_year: int, to_year: int, lang: str) -> str:
    """The finding the chart shows, from ``lineage.lineage_counts``: what carried over."""
    rows = counts[(counts["from_year"] == from_year) & (counts["to_year"] == to_year)]
    by = rows.set_index("relation")
    n_earlier, n_later = int(by["n_earlier"].sum()), int(by["n_later"].sum())
    carried = n_earlier - int(by.at["dropped", "n_earlier"])
    return label(
        "lineage.title",
        lang,
        carried=carried,
        n_earlier=n_earlier,
        from_year=from_year,
        new=int(by.at["new", "n_later"]),
        n_later=n_later,
        to_year=to_year,
    )


def plot_theme_flow(
    flows: pd.DataFrame,
    counts: pd.DataFrame,
    theme_names: Mapping[str, str],
    activities: Mapping[tuple[int, str], int],
    *,
    from_year: int,
    to_year: int,
    lang: str = "en",
) -> Figure:
    """Activity links from ``from_year`` themes (left) to ``to_year`` themes (right).

    ``flows`` is ``lineage.theme_flows``, ``counts`` ``lineage.lineage_counts`` (for the
    title), ``theme_names`` maps theme keys to names in crosswalk order and ``activities``
    (plan_year, theme) to the plan's number of activities (the node labels). A dropped
    activity leaves its theme as a short hatched stub, a new one enters its theme from one;
    bands are shaded by relation.
    """
    check_lang(lang)
    pair = flows[(flows["from_year"] == from_year) & (flows["to_year"] == to_year)]
    if pair.empty:
        return _not_linked(from_year, to_year, lang)
    left = _nodes(theme_names, pair["from_theme"])
    right = _nodes(theme_names, pair["to_theme"])
    left_size = pair.groupby("from_theme")["n_links"].sum().to_dict()
    right_size = pair.groupby("to_theme")["n_links"].sum().to_dict()
    left_bottom, right_bottom = _stack(left, left_size), _stack(right, right_size)

    height = max(5.0, 0.16 * max(sum(left_size.values()), sum(right_size.values())) + 3.0)
    with style.style_context():
        fig = Figure(figsize=(7.5, height), layout="constrained")
        ax = fig.subplots()
        ax.set_axis_off()
        used = {("l", k): 0.0 for k in left} | {("r", k): 0.0 for k in right}
        rank_l, rank_r = {k: i for i, k in enumerate(left)}, {k: i for i, k in enumerate(right)}
        rank_rel = {r: i for i, r in enumerate(RELATION_GREYS)}
        ordered = pair.assign(
            _l=pair["from_theme"].map(rank_l).fillna(-1),
            _r=pair["to_theme"].map(rank_r).fillna(len(right)),
            _rel=pair["relation"].map(rank_rel),
        )
        for row in ordered.sort_values(["_l", "_r", "_rel"]).itertuples(index=False):
            n = float(row.n_links)
            grey, hatch = RELATION_GREYS[row.relation], ""
            if row.from_theme:
                top_l = (
                    left_bottom[row.from_theme]
                    + left_size[row.from_theme]
                    - used[("l", row.from_theme)]
                )
                used[("l", row.from_theme)] += n
            if row.to_theme:
                top_r = (
                    right_bottom[row.to_theme]
                    + right_size[row.to_theme]
                    - used[("r", row.to_theme)]
                )
                used[("r", row.to_theme)] += n
            if not row.to_theme:  # dropped: a stub out of the earlier theme
                band, hatch = _band(NODE_WIDTH, (top_l - n, top_l), STUB, (top_l - n, top_l)), "//"
            elif not row.from_theme:  # new: a stub into the later theme
                band, hatch = _band(1.0 - STUB, (top_r - n, top_r), 1.0, (top_r - n, top_r)), "//"
            else:
                band = _band(NODE_WIDTH, (top_l - n, top_l), 1.0, (top_r - n, top_r))
            ax.add_patch(
                PathPatch(band, facecolor=grey, edgecolor="white", linewidth=0.5, hatch=hatch)
            )
        for keys, bottoms, sizes, x, side, year in (
            (left, left_bottom, left_size, 0.0, "left", from_year),
            (right, right_bottom, right_size, 1.0, "right", to_year),
        ):
            for key in keys:
                _node(
                    ax,
                    x,
                    bottoms[key],
                    sizes[key],
                    side,
                    f"{theme_names.get(key, key)} ({activities.get((year, key), 0)})",
                )
        lowest = min([*left_bottom.values(), *right_bottom.values()])
        ax.set_xlim(-0.9, 1.95)
        ax.set_ylim(lowest - 0.5, 1.6)
        for x, year in ((0.0, from_year), (1.0, to_year)):
            ax.text(x + NODE_WIDTH / 2, 0.7, str(year), ha="center", fontweight="bold")
        shown = [r for r in RELATION_GREYS if r in set(pair["relation"])]
        handles = [
            Rectangle(
                (0, 0),
                1,
                1,
                facecolor=RELATION_GREYS[r],
                edgecolor=NODE_COLOUR,
                linewidth=0.4,
                hatch="//" if r in STUB_RELATIONS else "",
            )
            for r in shown
        ]
        ax.legend(
            handles,
            [label(f"lineage.relation.{r}", lang) for r in shown],
            loc="lower left",
            ncols=1,
            title=label("lineage.legend", lang),
        )
        fig.suptitle(_wrapped(lineage_title(counts, from_year, to_year, lang)), x=0.01, ha="left")
        ax.set_title(
            textwrap.fill(label("lineage.subtitle", lang), SUBTITLE_WRAP),
            loc="left",
            fontsize=9,
            color=style.TEXT_GREY,
            fontweight="normal",
        )
        style.add_source_line(fig, [from_year, to_year], lang)
        fig.draw_without_rendering()
    return fig


def _nodes(theme_names: Mapping[str, str], present: pd.Series) -> list[str]:
    """Themes on one side, in crosswalk order (the "" of new / dropped is not a node)."""
    found = set(present.astype(str))
    return [t for t in theme_names if t in found]


def _node(ax: object, x: float, bottom: float, size: float, side: str, name: str) -> None:
    """One theme node (a dark bar) with its name and the plan's activity count."""
    ax.add_patch(
        Rectangle(
            (x, bottom),
            NODE_WIDTH,
            size,  # type: ignore[attr-defined]
            facecolor=NODE_COLOUR,
            edgecolor=NODE_COLOUR,
        )
    )
    text = textwrap.fill(name, WRAP)
    if side == "left":
        ax.text(
            x - 0.02,
            bottom + size / 2,
            text,
            ha="right",
            va="center",  # type: ignore
            fontsize=8.5,
        )
    else:
        ax.text(
            x + NODE_WIDTH + 0.02,
            bottom + size / 2,
            text,
            ha="left",  # type: ignore
            va="center",
            fontsize=8.5,
        )


def _wrapped(title: str) -> str:
    return textwrap.fill(title, TITLE_WRAP)


def _not_linked(from_year: int, to_year: int, lang: str) -> Figure:
    """A placeholder chart saying the two plans have no lineage yet."""
    with style.style_context():
        fig = Figure(figsize=(7.5, 2.0), layout="constrained")
        ax = fig.subplots()
        ax.set_axis_off()
        text = (
            label("lineage.single_plan", lang, year=from_year)
            if from_year == to_year
            else label("lineage.not_linked", lang, from_year=from_year, to_year=to_year)
        )
        fig.suptitle(_wrapped(text.replace("`", "")), x=0.01, ha="left")
        style.add_source_line(fig, [from_year, to_year], lang)
        fig.draw_without_rendering()
    return fig
