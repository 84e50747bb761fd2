"""The one look of every chart: Okabe–Ito colours, grey-scale-safe hatches, fonts, source line.

Colours are fixed per code (a funding source or a plan year is the same colour in every chart
of the report) and come from the Okabe–Ito palette, which stays distinguishable for the common
forms of colour blindness. Hatches make bars distinguishable when the report is printed in grey.
A chart whose bars are filled by a category (funding source, IDB instrument) tells the plan
years apart by the year's hatch alone, and keys the years with grey swatches of those hatches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import matplotlib as mpl
from matplotlib.figure import Figure

from gealc_analysis import vocabulary
from gealc_analysis.i18n import format_years, label

# Okabe & Ito (2008), "Color Universal Design", the eight colours by name.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GREY = "#999999"  # the neutral grey usually paired with Okabe–Ito for "unknown / to be defined"
LIGHT_GREY = "#DDDDDD"
TEXT_GREY = "#555555"

# Funding sources and IDB instruments have a colour but no hatch of their own: their charts
# name each on the axis and keep the hatch for the plan year (``year_hatch``).
FUNDING_COLOURS: dict[str, str] = {
    "executive_committee": OKABE_ITO["reddish_purple"],
    "idb": OKABE_ITO["blue"],
    "member_countries": OKABE_ITO["orange"],
    "oas": OKABE_ITO["vermillion"],
    "working_group": OKABE_ITO["bluish_green"],
}

TIMING_COLOURS: dict[str, str] = {
    "S1": OKABE_ITO["blue"],
    "S2": OKABE_ITO["orange"],
    "year_round": OKABE_ITO["bluish_green"],
    "tbd": GREY,
}
TIMING_HATCHES: dict[str, str] = {"S1": "", "S2": "//", "year_round": "..", "tbd": "xx"}

VENUE_COLOURS: dict[str, str] = {
    "virtual": OKABE_ITO["sky_blue"],
    "on_site": OKABE_ITO["vermillion"],
    "tbd": GREY,
}
VENUE_HATCHES: dict[str, str] = {"virtual": "", "on_site": "//", "tbd": "xx"}

IDB_INSTRUMENT_COLOURS: dict[str, str] = {
    "rpg": OKABE_ITO["blue"],
    "consultant": OKABE_ITO["sky_blue"],
    "general": OKABE_ITO["reddish_purple"],
}

# Eleven types but eight Okabe–Ito colours: the last three reuse a hue and differ by hatch,
# so every type stays unique in colour *and* in grey-scale.
ACTIVITY_TYPE_COLOURS: dict[str, str] = {
    "workshop": OKABE_ITO["orange"],
    "webinar": OKABE_ITO["sky_blue"],
    "meeting": OKABE_ITO["bluish_green"],
    "working_group_meeting": OKABE_ITO["yellow"],
    "study_or_document": OKABE_ITO["blue"],
    "web_content": OKABE_ITO["vermillion"],
    "event": OKABE_ITO["reddish_purple"],
    "award": OKABE_ITO["black"],
    "exchange": OKABE_ITO["sky_blue"],
    "governance": OKABE_ITO["bluish_green"],
    "other": GREY,
}
ACTIVITY_TYPE_HATCHES: dict[str, str] = {
    **{code: "" for code in vocabulary.ACTIVITY_TYPES},
    "exchange": "//",
    "governance": "\\\\",
    "other": "xx",
}

# Increase / decrease of a diverging change chart: a pair that is not a colour of the two
# known plans (so it never reads as a year key), with a hatch unused by the known plans on
# "decrease" (bluish green and reddish purple have almost the same grey value).
CHANGE_COLOURS: dict[str, str] = {
    "increase": OKABE_ITO["bluish_green"],
    "decrease": OKABE_ITO["reddish_purple"],
    "no_change": GREY,
}
CHANGE_HATCHES: dict[str, str] = {"increase": "", "decrease": "..", "no_change": ""}

# Plan years: the two known plans are pinned; any other year gets a stable colour from the
# rest of the palette by ``year mod 6`` — six consecutive years never share a colour.
KNOWN_YEAR_COLOURS: dict[int, str] = {2020: OKABE_ITO["blue"], 2024: OKABE_ITO["orange"]}
OTHER_YEAR_COLOURS: tuple[str, ...] = (
    OKABE_ITO["bluish_green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["yellow"],
    OKABE_ITO["black"],
)
KNOWN_YEAR_HATCHES: dict[int, str] = {2020: "", 2024: "//"}
OTHER_YEAR_HATCHES: tuple[str, ...] = ("..", "\\\\", "xx", "--", "++", "oo")

# Fill of the year key (legend swatches) in charts whose bars are filled by category colour:
# neutral, so the key says "the hatch is the year" and never suggests a category colour.
YEAR_KEY_FILL = GREY

HATCH_COLOUR = "#FFFFFF"  # white hatch lines read on every Okabe–Ito fill except yellow
HATCH_COLOUR_ON_LIGHT = "#333333"

# rcParams of every chart; fonts ship with matplotlib (DejaVu Sans covers Spanish accents),
# the SVG hash salt and fixed dpi make saved files byte-identical across runs.
STYLE_RC: dict[str, object] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "axes.prop_cycle": mpl.cycler(color=list(OKABE_ITO.values())),
    "grid.color": LIGHT_GREY,
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "legend.title_fontsize": 9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "figure.titlesize": 13,
    "figure.titleweight": "bold",
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "hatch.linewidth": 0.8,
    "svg.hashsalt": "gealc-report",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
}

SOURCE_LINE_FONTSIZE = 8


# Sequential ramp for heatmaps: one hue, lightness rising with the value (grey-scale safe).
SEQUENTIAL_CMAP = "Blues"


def apply_style() -> None:
    """Set the report style globally (for notebooks); charts also apply it themselves."""
    mpl.rcParams.update(STYLE_RC)


@contextmanager
def style_context() -> Iterator[None]:
    """The report style for one block only, so building a chart never changes global state."""
    with mpl.rc_context(STYLE_RC):
        yield


def year_colour(year: int) -> str:
    """The fixed colour of a plan year: known plans pinned, others by a stable rule."""
    year = int(year)
    return KNOWN_YEAR_COLOURS.get(year, OTHER_YEAR_COLOURS[year % len(OTHER_YEAR_COLOURS)])


def year_hatch(year: int) -> str:
    """The fixed hatch of a plan year, so year bars differ in grey-scale too."""
    year = int(year)
    return KNOWN_YEAR_HATCHES.get(year, OTHER_YEAR_HATCHES[year % len(OTHER_YEAR_HATCHES)])


def hatch_colour(fill: str) -> str:
    """A hatch colour that contrasts with ``fill`` (dark on light fills, white otherwise)."""
    return HATCH_COLOUR_ON_LIGHT if _luminance(fill) > 0.6 else HATCH_COLOUR


def text_colour_on(fill: str) -> str:
    """Black or white, whichever has the higher WCAG contrast ratio on ``fill``.

    The two ratios are equal at a luminance of about 0.18; above it black reads better
    (so orange, sky blue and green get black text, blue and black get white).
    """
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
    """Write the source line in the bottom-left corner and keep the layout clear of it."""
    text = source_line_text(years, lang)
    fig.text(
        0.01, 0.01, text, ha="left", va="bottom", fontsize=SOURCE_LINE_FONTSIZE, color=TEXT_GREY
    )
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        height_in = fig.get_figheight()
        reserved = min(0.2, (SOURCE_LINE_FONTSIZE * 2.2 / 72) / height_in)
        engine.set(rect=(0, reserved, 1, 1 - reserved))
