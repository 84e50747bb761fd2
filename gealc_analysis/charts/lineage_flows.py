"""The lineage chart: activities flowing from the earlier plan's themes to the next plan's.

Kept apart from ``plots`` (one module per concern); it uses the same ``style``, sizes, title
block and label catalogue. Bands are the lineage relations' olive ramp (continued darkest,
then modified, merged, split); dropped and new activities are white stubs, crossed and lined
(``style.LINEAGE_COLOURS`` / ``LINEAGE_HATCHES``): no grey, which means a plan year, and
every relation reads in grey-scale. Theme names wrap to the room the layout leaves beside the
flow, and each theme gets the height its name needs, so names never overlap.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from gealc_analysis.charts import style
from gealc_analysis.words.i18n import check_lang, label

NODE_WIDTH = 0.04
GAP = 0.6  # vertical space between nodes, in activities
UNIT_IN = 0.16  # inches per activity
X_LIMITS = (-0.9, 1.9)  # the flow runs from 0 to 1; theme names sit beside it
RELATIONS: tuple[str, ...] = ("continued", "modified", "merged", "split", "dropped", "new")
NODE_COLOUR = style.INK
STUB = 0.22  # length of the stub of a dropped or new activity, in axis units
TEXT_PT = style.FONT_PT["text"]


def _stack(
    keys: list[str], sizes: Mapping[str, float], slots: Mapping[str, float]
) -> tuple[dict[str, float], float]:
    """Bottom of each node stacked top-down, each centred in a slot as tall as its name needs,
    with a gap; and the bottom of the stack."""
    bottoms, top = {}, 0.0
    for key in keys:
        slot = max(sizes[key], slots[key])
        bottoms[key] = top - (slot + sizes[key]) / 2
        top -= slot + GAP
    return bottoms, top + GAP


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


@style.responsive
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
    activity leaves its theme as a short crossed stub, a new one enters its theme from a
    lined one; bands are coloured by relation.
    """
    check_lang(lang)
    pair = flows[(flows["from_year"] == from_year) & (flows["to_year"] == to_year)]
    if pair.empty:
        return _not_linked(from_year, to_year, lang)
    width = style.figure_width()
    name_in = width * (-X_LIMITS[0] - 0.04) / (X_LIMITS[1] - X_LIMITS[0])
    left = _nodes(theme_names, pair["from_theme"])
    right = _nodes(theme_names, pair["to_theme"])
    left_size = pair.groupby("from_theme")["n_links"].sum().to_dict()
    right_size = pair.groupby("to_theme")["n_links"].sum().to_dict()
    names = {
        (year, key): style.wrap_chars(
            f"{theme_names.get(key, key)} ({activities.get((year, key), 0)})", TEXT_PT, name_in
        )
        for year, keys in ((from_year, left), (to_year, right))
        for key in keys
    }
    line_units = TEXT_PT * 1.2 / 72 / UNIT_IN
    slots_l = {k: names[(from_year, k)].count("\n") * line_units + line_units for k in left}
    slots_r = {k: names[(to_year, k)].count("\n") * line_units + line_units for k in right}
    left_bottom, left_end = _stack(left, left_size, slots_l)
    right_bottom, right_end = _stack(right, right_size, slots_r)
    lowest = min(left_end, right_end)
    top = 1.6

    with style.style_context():
        fig = Figure(figsize=(width, UNIT_IN * (top - lowest + 0.5) + 0.3), layout="constrained")
        ax = fig.subplots()
        ax.set_axis_off()
        used = {("l", k): 0.0 for k in left} | {("r", k): 0.0 for k in right}
        rank_l, rank_r = {k: i for i, k in enumerate(left)}, {k: i for i, k in enumerate(right)}
        rank_rel = {r: i for i, r in enumerate(RELATIONS)}
        ordered = pair.assign(
            _l=pair["from_theme"].map(rank_l).fillna(-1),
            _r=pair["to_theme"].map(rank_r).fillna(len(right)),
            _rel=pair["relation"].map(rank_rel),
        )
        for row in ordered.sort_values(["_l", "_r", "_rel"]).itertuples(index=False):
            n = float(row.n_links)
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
                band = _band(NODE_WIDTH, (top_l - n, top_l), STUB, (top_l - n, top_l))
            elif not row.from_theme:  # new: a stub into the later theme
                band = _band(1.0 - STUB, (top_r - n, top_r), 1.0, (top_r - n, top_r))
            else:
                band = _band(NODE_WIDTH, (top_l - n, top_l), 1.0, (top_r - n, top_r))
            ax.add_patch(PathPatch(band, **_relation_style(row.relation)))
        for keys, bottoms, sizes, x, side, year in (
            (left, left_bottom, left_size, 0.0, "left", from_year),
            (right, right_bottom, right_size, 1.0, "right", to_year),
        ):
            for key in keys:
                _node(ax, x, bottoms[key], sizes[key], side, names[(year, key)])
        ax.set_xlim(*X_LIMITS)
        ax.set_ylim(lowest - 0.5, top)
        for x, year in ((0.0, from_year), (1.0, to_year)):
            ax.text(
                x + NODE_WIDTH / 2, 0.7, str(year), ha="center", fontweight="bold", fontsize=TEXT_PT
            )
        shown = [r for r in RELATIONS if r in set(pair["relation"])]
        handles = [Rectangle((0, 0), 1, 1, **_relation_style(r, legend=True)) for r in shown]
        ax.legend(  # below the flow, inside the layout (clear of the source line)
            handles,
            [label(f"lineage.relation.{r}", lang) for r in shown],
            loc="upper left",
            bbox_to_anchor=(0.0, 0.0),
            ncols=2 if style.is_phone() else 3,
            title=label("lineage.legend", lang),
            alignment="left",
        )
        style.frame_figure(
            fig,
            lineage_title(counts, from_year, to_year, lang),
            label("lineage.subtitle", lang),
            [from_year, to_year],
            lang,
        )
        fig.draw_without_rendering()
    return fig


def _relation_style(relation: str, *, legend: bool = False) -> dict[str, object]:
    """Fill, hatch and edge of a band (or its legend key) of ``relation``."""
    hatch = style.LINEAGE_HATCHES.get(relation, "")
    return {
        "facecolor": style.LINEAGE_COLOURS[relation],
        "hatch": hatch,
        "edgecolor": style.LINEAGE_EDGE if hatch or legend else "white",
        "linewidth": 0.6 if hatch or legend else 0.5,
    }


def _nodes(theme_names: Mapping[str, str], present: pd.Series) -> list[str]:
    """Themes on one side, in crosswalk order (the "" of new / dropped is not a node)."""
    found = set(present.astype(str))
    return [t for t in theme_names if t in found]


def _node(ax: object, x: float, bottom: float, size: float, side: str, text: str) -> None:
    """One theme node (a black bar) with its name and the plan's activity count beside it."""
    ax.add_patch(  # type: ignore[attr-defined]
        Rectangle((x, bottom), NODE_WIDTH, size, facecolor=NODE_COLOUR, edgecolor=NODE_COLOUR)
    )
    left = side == "left"
    ax.text(  # type: ignore[attr-defined]
        x - 0.02 if left else x + NODE_WIDTH + 0.02,
        bottom + size / 2,
        text,
        ha="right" if left else "left",
        va="center",
        fontsize=TEXT_PT,
        linespacing=1.1,
    )


@style.responsive
def _not_linked(from_year: int, to_year: int, lang: str) -> Figure:
    """A placeholder chart saying the two plans have no lineage yet."""
    with style.style_context():
        fig = Figure(figsize=(style.figure_width(), 0.2), layout="constrained")
        text = (
            label("lineage.single_plan", lang, year=from_year)
            if from_year == to_year
            else label("lineage.not_linked", lang, from_year=from_year, to_year=to_year)
        )
        style.frame_figure(fig, text.replace("`", ""), "", [from_year, to_year], lang)
        fig.draw_without_rendering()
    return fig
