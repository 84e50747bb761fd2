"""The one look of every chart: layouts, sizes, colours, the title block and the source line.

Sizes. A page shows a chart inline, as SVG with real text, at its natural size: one point of
the chart is one CSS pixel on the page, whatever the screen. Each chart is drawn twice, in
two layouts (``LAYOUTS``): ``desktop`` (8.0 in = 576 px wide) and ``phone`` (4.9 in = 353 px,
narrower and taller, inside a 390 px screen's 358 px column); the page's stylesheet shows one
of them by a media query. Text sizes (``FONT_PT``) are 11 to 14 pt in both layouts, so chart
text is 11 to 14 CSS px on a desktop and on a phone, and never smaller than body text allows.
A chart function marked ``responsive`` can be drawn again in the other layout
(``in_layout``); it reads its width from ``figure_width()``.

Colour scheme — one meaning per colour (and per grey) across the whole report (``PALETTES``;
tests check that no colour serves two dimensions, that categories drawn together differ in
grey-scale lightness, and that text printed on a fill has a contrast of at least 4.5:1):

* **Plan years**: neutral greys, light for the earlier plan and near-black for the later one
  (``YEAR_COLOURS``), always with the year written beside the bar. These greys mean years
  only: no other chart fills with a grey. Ink (text, edges, axes, the main coding's dot) is
  black or the text grey.
* **Funding sources** (``FUNDING_COLOURS``): the cool family (blues and blue-greens).
* **Timing classes** (``TIMING_COLOURS``): the warm family (yellow, orange, vermillion).
* **IDB instruments** (``IDB_INSTRUMENT_COLOURS``): the pinks.
* **Change** (``CHANGE_COLOURS``): dark teal for an increase, light brown for a decrease.
* **Lineage relations** (``LINEAGE_COLOURS``): an olive ramp, darkest for continued; a dropped
  or new activity is a white stub with its own hatch (``LINEAGE_HATCHES``).
* **Heat maps**: one purple ramp (``SEQUENTIAL_CMAP``), light to dark, every cell printed in
  black or white, whichever contrasts more with the cell.

Hatches: ``///`` on white means *not specified by the plan* (to be defined, undated) and
nothing else; the lineage stubs use crosses (dropped) and horizontal lines (new). Every hatch
is drawn on white, so it reads in grey-scale.
"""

from __future__ import annotations

import contextvars
import functools
import textwrap
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import ParamSpec

import matplotlib as mpl
from matplotlib import font_manager, ft2font
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from gealc_analysis.words.i18n import format_years, label

# --- sizes ---------------------------------------------------------------------------------

FONT_FAMILY = "DejaVu Sans"  # ships with matplotlib; the report ships it too (``files``)


@dataclass(frozen=True)
class Layout:
    """One way of drawing every chart: its width in inches (1 pt = 1 CSS px on the page)."""

    name: str
    width_in: float


LAYOUTS: dict[str, Layout] = {
    "desktop": Layout("desktop", 8.0),  # 576 px: inside the 672 px text column
    "phone": Layout("phone", 4.9),  # 353 px: inside a 390 px screen less 2 × 16 px padding
}
DEFAULT_LAYOUT = "desktop"
PHONE_COLUMN_PX = 358  # a 390 px screen less 2 × 16 px of page padding
MIN_TEXT_PX = 10  # the smallest chart text on a 390 px phone, in CSS pixels
MAX_TEXT_PX = 16  # the largest chart text on a desktop, in CSS pixels (below the headings)
MIN_FONT_PT = 11
FONT_PT: dict[str, float] = {
    "title": 14,  # the finding (or what the chart shows), bold
    "subtitle": 12,  # the measure
    "text": 11,  # axis labels, ticks, legends, values printed on bars
    "source": 11,  # the source line
}
# Points of a text line (font size × line spacing), to reserve room for the title block.
LINE_SPACING = 1.25
FIGURE_WIDTH = LAYOUTS[DEFAULT_LAYOUT].width_in  # the width of a chart drawn outside a layout

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
    "member_countries": "#A6DBF0",  # lighter than the OAS blue in grey-scale too
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
    "increase": "#01665E",  # dark teal
    "decrease": "#D8B365",  # light brown: far from the teal in grey-scale too
    "no_change": "#F6E8C3",  # never visible (a zero bar); not a year grey
}

# Lineage relations (the flow chart): an olive ramp, dark to light by how much of an activity
# carried over; dropped and new activities are white stubs told apart by their hatch.
LINEAGE_COLOURS: dict[str, str] = {
    "continued": "#4B5716",
    "modified": "#8A9A3A",
    "merged": "#BCC67A",
    "split": "#E0E5B8",
    "dropped": "#FFFFFF",
    "new": "#FFFFFF",
}
LINEAGE_HATCHES: dict[str, str] = {"dropped": "xx", "new": "--"}  # lines: light pages
LINEAGE_EDGE = "#4B5716"  # hatch lines and edges of the white stubs

# Ink: text, axes, edges, the robustness chart's dot and range (no fill, so no colour meaning).
INK = "#000000"

SEQUENTIAL_CMAP = "Purples"

# Every categorical palette of the report, by dimension (the disjointness test reads this).
PALETTES: dict[str, dict[str, str]] = {
    "plan_year": {str(year): colour for year, colour in YEAR_COLOURS.items()}
    | {f"other_{i}": colour for i, colour in enumerate(OTHER_YEAR_COLOURS)},
    "funding": FUNDING_COLOURS,
    "timing": {code: c for code, c in TIMING_COLOURS.items() if code not in UNSPECIFIED_CODES},
    "idb_instrument": IDB_INSTRUMENT_COLOURS,
    "change": CHANGE_COLOURS,
    "lineage": {r: c for r, c in LINEAGE_COLOURS.items() if r not in LINEAGE_HATCHES},
    "unspecified": {"tbd": UNSPECIFIED_FILL},
}

# rcParams of every chart; the font ships with matplotlib (DejaVu Sans covers Spanish accents)
# and with the report; the SVG hash salt and fixed dpi make saved files byte-identical.
STYLE_RC: dict[str, object] = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT_FAMILY],
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
    "svg.fonttype": "none",  # real text, drawn by the page in the shipped font
    "pdf.fonttype": 42,
    # Text is text: a "$" in a label from the data is a dollar sign, never mathtext.
    "text.parse_math": False,
}
# matplotlib's warning for a character its font lacks (drawn as an empty box). A label of the
# data with such a character is caught by the tests (``missing_glyphs``), not on the console
# of every build.
GLYPH_WARNING = r"Glyph \d+ .*missing from (current )?font"

# gid of the title and subtitle texts, so the alt text can be read back from a figure.
TITLE_GID = "chart-title"
SUBTITLE_GID = "chart-subtitle"
SOURCE_GID = "chart-source"


def apply_style() -> None:
    """Set the report style globally (for notebooks); charts also apply it themselves."""
    mpl.rcParams.update(STYLE_RC)
    warnings.filterwarnings("ignore", message=GLYPH_WARNING, category=UserWarning)


@contextmanager
def style_context() -> Iterator[None]:
    """The report style for one block only, so building a chart never changes global state
    (nor prints matplotlib's missing-glyph warnings, see ``GLYPH_WARNING``)."""
    with mpl.rc_context(STYLE_RC), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=GLYPH_WARNING, category=UserWarning)
        yield


@functools.cache
def _font_characters() -> frozenset[int]:
    """The code points the charts' font (``FONT_FAMILY``, shipped with matplotlib) draws."""
    path = font_manager.findfont(
        font_manager.FontProperties(family=FONT_FAMILY), fallback_to_default=False
    )
    return frozenset(ft2font.FT2Font(path).get_charmap())


def missing_glyphs(text: str) -> set[str]:
    """The characters of ``text`` (spaces and control characters aside) that the charts' font
    cannot draw: a chart would show an empty box for each."""
    return {
        char
        for char in text
        if char.isprintable() and not char.isspace() and ord(char) not in _font_characters()
    }


# --- layouts -------------------------------------------------------------------------------

P = ParamSpec("P")
_LAYOUT: contextvars.ContextVar[str] = contextvars.ContextVar("chart_layout", default="desktop")
# How each chart drawn by a ``responsive`` function was made, so it can be drawn again.
_BUILDERS: weakref.WeakKeyDictionary[Figure, Callable[[], Figure]] = weakref.WeakKeyDictionary()


def layout() -> Layout:
    """The layout charts are being drawn in (``desktop`` unless ``using_layout`` says)."""
    return LAYOUTS[_LAYOUT.get()]


def figure_width() -> float:
    """The width in inches of a chart drawn now."""
    return layout().width_in


def is_phone() -> bool:
    """Whether charts are being drawn for a phone (narrow and tall)."""
    return layout().name == "phone"


@contextmanager
def using_layout(name: str) -> Iterator[Layout]:
    """Draw charts in layout ``name`` inside the block."""
    if name not in LAYOUTS:
        raise ValueError(f"Unknown chart layout {name!r}; use one of {sorted(LAYOUTS)}.")
    token = _LAYOUT.set(name)
    try:
        yield LAYOUTS[name]
    finally:
        _LAYOUT.reset(token)


def responsive(func: Callable[P, Figure]) -> Callable[P, Figure]:
    """Mark a chart function whose figure can be drawn again in another layout
    (``in_layout``): the function and its arguments are remembered with the figure."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Figure:
        fig = func(*args, **kwargs)
        _BUILDERS[fig] = functools.partial(func, *args, **kwargs)
        return fig

    return wrapper


def in_layout(fig: Figure, name: str) -> Figure:
    """``fig`` drawn in layout ``name`` by the chart function that made it; ``fig`` itself
    when it was made by other code (it is then shown scaled to fit)."""
    builder = _BUILDERS.get(fig)
    if builder is None:
        return fig
    with using_layout(name):
        return builder()


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


MIN_CONTRAST = 4.5  # WCAG AA for text: every text printed on a fill
MIN_LIGHTNESS_STEP = 8.0  # CIE L*: categories drawn together differ at least this in grey-scale


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def lightness(colour: str) -> float:
    """CIE L* of a colour (0 black to 100 white): how it prints in grey-scale."""
    y = _luminance(colour)
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else y * 24389 / 27


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


@functools.lru_cache(maxsize=65536)
def text_width_in(text: str, fontsize: float, *, bold: bool = False) -> float:
    """Width in inches of one line of ``text`` in the report's font (measured, not guessed).

    Remembered: wrapping balances lines by measuring the same words at many widths, and
    measuring glyph outlines was about a fifth of a notebook's time.
    """
    prop = FontProperties(family=FONT_FAMILY, size=fontsize, weight="bold" if bold else "normal")
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)
    return float(width) / 72


_TEXT_TO_PATH = TextToPath()


def wrap_to_width(text: str, fontsize: float, width_in: float, *, bold: bool = False) -> str:
    """``text`` wrapped so each line fits ``width_in`` inches at ``fontsize`` points, the
    lines balanced (the narrowest width that needs no more lines: no one-word last line)."""
    lines = _wrap_measured(text, fontsize, width_in, bold)
    low, high = 0.3 * width_in, width_in
    for _ in range(12):
        middle = (low + high) / 2
        if len(_wrap_measured(text, fontsize, middle, bold)) <= len(lines):
            high = middle
        else:
            low = middle
    return "\n".join(_wrap_measured(text, fontsize, high, bold))


def _wrap_measured(text: str, fontsize: float, width_in: float, bold: bool) -> list[str]:
    """Greedy wrap at spaces by measured width (a word longer than a line stays whole)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if current and text_width_in(candidate, fontsize, bold=bold) > width_in:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return lines


def wrap_chars(text: str, fontsize: float, width_in: float) -> str:
    """``text`` wrapped to ``width_in`` by a character count (for labels drawn many times)."""
    chars = max(8, int(width_in / text_width_in("n" * 10, fontsize) * 10))
    return "\n".join(_wrap(text, chars))


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def _height_in(text: str, fontsize: float) -> float:
    return (text.count("\n") + 1) * fontsize * LINE_SPACING / 72


def frame_figure(
    fig: Figure, title: str, subtitle: str, years: Iterable[int], lang: str = "en"
) -> None:
    """Write the title (the finding), the subtitle (the measure) and the source line.

    The three texts sit outside the plotting area: the figure grows by their height (its
    height so far is the body's), so a long Spanish title that wraps onto more lines on a
    phone takes room of its own instead of squeezing the chart, and is never cut.
    """
    width = fig.get_figwidth() - 0.2
    title = wrap_to_width(title, FONT_PT["title"], width, bold=True)
    subtitle = wrap_to_width(subtitle, FONT_PT["subtitle"], width) if subtitle else ""
    source = wrap_to_width(source_line_text(years, lang), FONT_PT["source"], width)
    pad = 0.08
    title_in = _height_in(title, FONT_PT["title"])
    subtitle_in = _height_in(subtitle, FONT_PT["subtitle"]) + 0.04 if subtitle else 0.0
    top_in = pad + title_in + subtitle_in + pad
    bottom_in = pad + _height_in(source, FONT_PT["source"]) + pad
    height = fig.get_figheight() + top_in + bottom_in
    fig.set_figheight(height)
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
    if subtitle:
        fig.text(
            x,
            1 - (pad + title_in + 0.04) / height,
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
    """A chart's alt text: its title (the finding) and its subtitle (the measure); a chart
    without a finding worth stating has its title (what it shows) alone.

    A chart laid out without ``frame_figure`` gives its ``suptitle`` and its first panel's
    left title instead, so every chart shown by a section has an alt text.
    """
    framed = figure_text(fig, TITLE_GID)
    title = framed or " ".join(fig.get_suptitle().split())
    subtitle = figure_text(fig, SUBTITLE_GID)
    if not framed and fig.axes:  # a framed chart without a finding has its title alone
        subtitle = " ".join(fig.axes[0].get_title(loc="left").split())
    parts = [title, subtitle]
    sentences = [p if p.endswith((".", "!", "?")) else f"{p}." for p in parts if p]
    return " ".join(sentences)
