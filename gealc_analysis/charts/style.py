"""The one look of every chart: sizes, colours, the title block and the source line.

Sizes. Every chart is ``FIGURE_WIDTH`` inches wide (6.0 in) and every text is at least
``MIN_FONT_PT`` (11 pt). A page shows a chart at the column's width: on a 390 px phone the
column is about 358 px (``PHONE_COLUMN_PX``, the screen less the page's padding), so an inch
becomes 358 / 6.0 ≈ 60 px and 11 pt ≈ 9.1 px: the smallest text stays legible. One set of sizes
(``FONT_PT``) serves every chart, so text never jumps from page to page.

Colour scheme — one meaning per colour across the whole report (``PALETTES``; a test checks
that no colour serves two dimensions):

* **Plan years**: neutral greys, light for the earlier plan and near-black for the later one
  (``YEAR_COLOURS``), always with the year written beside the bar. A chart that compares years
  across categories (funding sources, instruments, activity types, venues, themes) draws the
  categories on an axis, names them there, and colours the bars by year only.
* **Funding sources** (``FUNDING_COLOURS``): the cool family (blues and blue-greens), for charts
  that show the sources as parts of a whole.
* **Timing classes** (``TIMING_COLOURS``): the warm family (yellow, orange, vermillion).
* **IDB instruments** (``IDB_INSTRUMENT_COLOURS``): the pinks.
* **Change** (``CHANGE_COLOURS``): teal for an increase, brown for a decrease.
* **Heat maps**: one purple ramp (``SEQUENTIAL_CMAP``), light to dark, every cell printed.

Hatching has one meaning everywhere: *not specified by the plan* (to be defined, undated).
It is drawn on a white fill (``UNSPECIFIED_FILL``), so it also reads in grey-scale. No other
bar is hatched; years and categories are told apart by their printed labels and lightness.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import matplotlib as mpl
from matplotlib.figure import Figure

from gealc_analysis.words.i18n import format_years, label

# --- sizes ---------------------------------------------------------------------------------

FIGURE_WIDTH = 6.0  # inches; every chart, so every chart scales the same way on a page
PHONE_COLUMN_PX = 358  # a 390 px screen less 2 × 16 px of page padding
MIN_TEXT_PX = 9  # the smallest text on a phone, in CSS pixels
MIN_FONT_PT = 11
FONT_PT: dict[str, float] = {
    "title": 14,  # the finding, bold
    "subtitle": 12,  # the measure
    "text": 11,  # axis labels, ticks, legends, values printed on bars
    "source": 11,  # the source line
}
# Points of a text line (font size × line spacing), to reserve room for the title block.
LINE_SPACING = 1.25
AVERAGE_CHAR_WIDTH = 0.58  # of the font size, DejaVu Sans mixed-case text (a safe upper bound)
BOLD_CHAR_WIDTH = 0.65

# --- colours -------------------------------------------------------------------------------

TEXT_GREY = "#555555"
GRID_GREY = "#DDDDDD"

# Plan years: greys by position among the known plans; further plans get a stable grey.
YEAR_COLOURS: dict[int, str] = {2020: "#ABABAB", 2024: "#3D3D3D"}
OTHER_YEAR_COLOURS: tuple[str, ...] = ("#6E6E6E", "#C9C9C9", "#262626", "#8C8C8C", "#595959")
YEAR_EDGE = "#1A1A1A"  # a thin dark edge keeps the lightest grey visible on white

FUNDING_COLOURS: dict[str, str] = {
    "executive_committee": "#1F4E79",
    "idb": "#0072B2",
    "member_countries": "#7FC8E8",
    "oas": "#56B4E9",
    "working_group": "#009E73",
}

UNSPECIFIED_FILL = "#FFFFFF"
UNSPECIFIED_HATCH = "///"
UNSPECIFIED_EDGE = "#3D3D3D"

TIMING_COLOURS: dict[str, str] = {
    "S1": "#E69F00",
    "S2": "#D55E00",
    "year_round": "#F0E442",
    "tbd": UNSPECIFIED_FILL,
}
# Codes of each dimension that mean "the plan does not say": white with the one hatch.
UNSPECIFIED_CODES: frozenset[str] = frozenset({"tbd"})

IDB_INSTRUMENT_COLOURS: dict[str, str] = {
    "rpg": "#CC79A7",
    "consultant": "#8E3B73",
    "general": "#EBC3DA",
}

CHANGE_COLOURS: dict[str, str] = {
    "increase": "#01665E",
    "decrease": "#8C510A",
    "no_change": "#F6E8C3",  # never visible (a zero bar); not a year grey
}

SEQUENTIAL_CMAP = "Purples"

# Every categorical palette of the report, by dimension (the disjointness test reads this).
PALETTES: dict[str, dict[str, str]] = {
    "plan_year": {str(year): colour for year, colour in YEAR_COLOURS.items()}
    | {f"other_{i}": colour for i, colour in enumerate(OTHER_YEAR_COLOURS)},
    "funding": FUNDING_COLOURS,
    "timing": {code: c for code, c in TIMING_COLOURS.items() if code not in UNSPECIFIED_CODES},
    "idb_instrument": IDB_INSTRUMENT_COLOURS,
    "change": CHANGE_COLOURS,
    "unspecified": {"tbd": UNSPECIFIED_FILL},
}

# rcParams of every chart; fonts ship with matplotlib (DejaVu Sans covers Spanish accents),
# the SVG hash salt and fixed dpi make saved files byte-identical across runs.
STYLE_RC: dict[str, object] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": FONT_PT["text"],
    "axes.titlesize": FONT_PT["text"],
    "axes.titleweight": "bold",
    "axes.labelsize": FONT_PT["text"],
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "axes.prop_cycle": mpl.cycler(color=[YEAR_EDGE]),
    "grid.color": GRID_GREY,
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": FONT_PT["text"],
    "legend.title_fontsize": FONT_PT["text"],
    "xtick.labelsize": FONT_PT["text"],
    "ytick.labelsize": FONT_PT["text"],
    "figure.titlesize": FONT_PT["title"],
    "figure.titleweight": "bold",
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "hatch.linewidth": 0.8,
    "svg.hashsalt": "gealc-report",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
}

# gid of the title and subtitle texts, so the alt text can be read back from a figure.
TITLE_GID = "chart-title"
SUBTITLE_GID = "chart-subtitle"
SOURCE_GID = "chart-source"


def apply_style() -> None:
    """Set the report style globally (for notebooks); charts also apply it themselves."""
    mpl.rcParams.update(STYLE_RC)


@contextmanager
def style_context() -> Iterator[None]:
    """The report style for one block only, so building a chart never changes global state."""
    with mpl.rc_context(STYLE_RC):
        yield


def year_colour(year: int) -> str:
    """The fixed grey of a plan year: known plans pinned, others by a stable rule."""
    year = int(year)
    return YEAR_COLOURS.get(year, OTHER_YEAR_COLOURS[year % len(OTHER_YEAR_COLOURS)])


def year_hatch(year: int) -> str:
    """The hatch of a plan year's bars: none. Years are told apart by grey and label; the one
    hatch of the report means "not specified by the plan" (``UNSPECIFIED_HATCH``)."""
    del year  # the same for every year, by design
    return ""


def hatch_colour(fill: str) -> str:
    """An edge or hatch colour that contrasts with ``fill`` (dark on light fills, else white)."""
    return UNSPECIFIED_EDGE if _luminance(fill) > 0.4 else "#FFFFFF"


def text_colour_on(fill: str) -> str:
    """Black or white, whichever has the higher WCAG contrast ratio on ``fill``."""
    luminance = _luminance(fill)
    on_white = 1.05 / (luminance + 0.05)
    on_black = (luminance + 0.05) / 0.05
    return "#000000" if on_black >= on_white else "#FFFFFF"


def _luminance(colour: str) -> float:
    """Relative luminance (WCAG) of a colour, 0 = black, 1 = white."""
    channels = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        for c in mpl.colors.to_rgb(colour)
    ]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def source_line_text(years: Iterable[int], lang: str = "en") -> str:
    """The source line in ``lang`` ("Source: Red GEALC Work Plan 2020, 2024"), every year named."""
    return label("source_line", lang, years=format_years(years))


def add_source_line(fig: Figure, years: Iterable[int], lang: str = "en") -> None:
    """Write only the source line, bottom left, and keep the layout clear of it — for a chart
    that lays out its own title; charts of ``plots`` call ``frame_figure`` instead."""
    text = wrap_to_width(source_line_text(years, lang), FONT_PT["source"], fig.get_figwidth())
    pad = 0.08
    fig.text(
        0.1 / fig.get_figwidth(),
        pad / fig.get_figheight(),
        text,
        ha="left",
        va="bottom",
        fontsize=FONT_PT["source"],
        color=TEXT_GREY,
        gid=SOURCE_GID,
    )
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        reserved = (2 * pad + _height_in(text, FONT_PT["source"])) / fig.get_figheight()
        engine.set(rect=(0, reserved, 1, 1 - reserved))


def wrap_to_width(text: str, fontsize: float, width_in: float, *, bold: bool = False) -> str:
    """``text`` wrapped so each line fits ``width_in`` inches at ``fontsize`` points."""
    char = BOLD_CHAR_WIDTH if bold else AVERAGE_CHAR_WIDTH
    chars = max(20, int(width_in * 72 / (fontsize * char)))
    lines = _wrap(text, chars)
    # Balance the lines: the narrowest width that needs no more lines (no one-word last line).
    for narrower in range(max(1, len(text) // len(lines)), chars):
        balanced = _wrap(text, narrower)
        if len(balanced) <= len(lines):
            return "\n".join(balanced)
    return "\n".join(lines)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def _height_in(text: str, fontsize: float) -> float:
    return (text.count("\n") + 1) * fontsize * LINE_SPACING / 72


def frame_figure(
    fig: Figure, title: str, subtitle: str, years: Iterable[int], lang: str = "en"
) -> None:
    """Write the title (the finding), the subtitle (the measure) and the source line.

    The three texts sit outside the plotting area, which constrained layout then fills:
    nothing overlaps and nothing is clipped, however many lines a long Spanish title takes.
    """
    width = fig.get_figwidth() - 0.2
    title = wrap_to_width(title, FONT_PT["title"], width, bold=True)
    subtitle = wrap_to_width(subtitle, FONT_PT["subtitle"], width)
    source = wrap_to_width(source_line_text(years, lang), FONT_PT["source"], width)
    height = fig.get_figheight()
    pad = 0.08
    top_in = (
        pad
        + _height_in(title, FONT_PT["title"])
        + 0.04
        + _height_in(subtitle, FONT_PT["subtitle"])
        + pad
    )
    bottom_in = pad + _height_in(source, FONT_PT["source"]) + pad
    x = 0.1 / fig.get_figwidth()
    fig.text(
        x,
        1 - pad / height,
        title,
        ha="left",
        va="top",
        fontsize=FONT_PT["title"],
        fontweight="bold",
        gid=TITLE_GID,
        linespacing=LINE_SPACING - 0.05,
    )
    subtitle_top = 1 - (pad + _height_in(title, FONT_PT["title"]) + 0.04) / height
    fig.text(
        x,
        subtitle_top,
        subtitle,
        ha="left",
        va="top",
        fontsize=FONT_PT["subtitle"],
        color=TEXT_GREY,
        gid=SUBTITLE_GID,
        linespacing=LINE_SPACING - 0.05,
    )
    fig.text(
        x,
        pad / height,
        source,
        ha="left",
        va="bottom",
        fontsize=FONT_PT["source"],
        color=TEXT_GREY,
        gid=SOURCE_GID,
    )
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        bottom, top = bottom_in / height, top_in / height
        engine.set(rect=(0, bottom, 1, 1 - top - bottom))


def figure_text(fig: Figure, gid: str) -> str:
    """The text with ``gid`` (title, subtitle, source line), unwrapped; "" when absent."""
    for text in fig.texts:
        if text.get_gid() == gid:
            return " ".join(text.get_text().split())
    return ""


def alt_text(fig: Figure) -> str:
    """A chart's alt text: its title (the finding) and its subtitle (the measure).

    A chart laid out without ``frame_figure`` gives its ``suptitle`` and its first panel's
    left title instead, so every chart shown by a section has an alt text.
    """
    title = figure_text(fig, TITLE_GID) or " ".join(fig.get_suptitle().split())
    subtitle = figure_text(fig, SUBTITLE_GID)
    if not subtitle and fig.axes:
        subtitle = " ".join(fig.axes[0].get_title(loc="left").split())
    parts = [title, subtitle]
    sentences = [p if p.endswith((".", "!", "?")) else f"{p}." for p in parts if p]
    return " ".join(sentences)
