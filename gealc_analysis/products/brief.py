"""The Executive Committee's brief: two A4 pages per language, typeset as a PDF with Typst.

Page 1 is what a reader takes away in a minute: the key numbers, large, each with a one-line
label; the findings, each with its one-line robustness; the questions the data raises for the
Committee; the caveat. Page 2 is the IDB: the exposure chart, drawn at the brief's print size
(text never below ``MIN_PRINT_PT``), and the activities that name the IDB as their only cash
resource (or, when they do not fit, where the list is). The words are those of
``gealc_analysis.words.findings`` rendering ``gealc_analysis.measures.findings.headlines``, so
the brief and the index say the same things.

Typst (the ``typst`` package on PyPI) compiles in milliseconds, embeds subsets of its fonts,
writes the PDF title and language, and gives byte-identical output for a fixed date. The fonts
are matplotlib's DejaVu Sans (the charts' font, shipped inside the matplotlib wheel), so the
brief and its charts read as one document; charts go in as SVG with real text, so their text
stays text in the PDF.

Each page is filled by sizing, never by cutting: page 1's type size is the largest of
``BODY_PT`` that keeps page 1 on one page; page 2's chart is printed at the largest scale of
``chart_scales`` that keeps the page whole (with the list, else with the link to it). The
layout is a fixed Typst file, ``brief.typ`` beside this module; everything it prints comes in
as JSON through ``sys.inputs`` (:func:`brief_inputs`), never as source, so a title containing
``#``, ``*``, ``_``, ``$``, ``@``, ``<`` or ``\\`` can never become markup.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import shutil
import tempfile
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import matplotlib
import numpy as np
import typst
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text

from gealc_analysis.charts import exposure as exposure_chart
from gealc_analysis.charts import files, style
from gealc_analysis.core.outputs import write_bytes_atomically
from gealc_analysis.core.provenance import source_date_epoch
from gealc_analysis.data.bundle import DataBundle
from gealc_analysis.measures import findings as headline_measures
from gealc_analysis.measures import funding
from gealc_analysis.measures.findings import Headlines
from gealc_analysis.words import findings as findings_words
from gealc_analysis.words import funding as funding_words
from gealc_analysis.words import i18n
from gealc_analysis.words.markup import inline_parts
from gealc_analysis.words.provenance import provenance_line

TEMPLATE: Path = Path(__file__).resolve().with_name("brief.typ")
SOURCE_FILE = "brief.typ"
INPUT_NAME = "brief"  # the key of sys.inputs the template reads
FONT_DIR = Path(matplotlib.__file__).resolve().parent / "mpl-data" / "fonts" / "ttf"
FONT = "DejaVu Sans"
MAX_PAGES = 2
NON_BREAKING_SPACE = "\u00a0"
T = TypeVar("T")
FUNDER = "idb"  # the brief reports the promoting organization's exposure
# The section whose page carries the full list with its downloads (a link beside the brief).
LIST_SECTION = "03_funding_dependence"

# --- print sizes ------------------------------------------------------------------------------
PAGE_WIDTH_CM = 21.0  # A4
MARGIN_CM: dict[str, float] = {"x": 1.6, "top": 1.4, "bottom": 1.6}
TEXT_WIDTH_IN = (PAGE_WIDTH_CM - 2 * MARGIN_CM["x"]) / 2.54
MIN_PRINT_PT = 8.0  # the smallest text of the brief, charts included, at print size
LIST_PT = 8.5  # the IDB list: many rows, still above the smallest print size
# Page 1's type sizes tried in turn, largest first: the first that keeps page 1 on one page.
BODY_PT: tuple[float, ...] = tuple(16.5 - 0.25 * step for step in range(31))  # 16.5 … 9 pt
MAX_CHART_SCALE = 1.3  # a chart printed larger than its design size by at most this
CHART_SCALE_STEP = 0.05
NUMBER_PT = 30.0  # the large numbers, at most (smaller when 5 wide numbers share the row)
NUMBER_GUTTER_CM = 0.5
# Average advance of a bold DejaVu Sans character, in ems (digits are 0.70; a safe bound).
BOLD_ADVANCE_EM = 0.72


class BriefDoesNotFitError(RuntimeError):
    """The brief needs more than two pages even at the smallest type and chart sizes."""


# --------------------------------------------------------------------------- words


@dataclass(frozen=True)
class BriefWords:
    """What the brief says, in one language: rendered by :func:`brief_words`.

    ``numbers``: (number, one-line label) pairs; ``findings``: (sentence, robustness line)
    pairs, sentences in Markdown whose only markup is ``**bold**``; ``questions``: sentences
    of the same kind; ``caveat``: one line.
    """

    numbers: tuple[tuple[str, str], ...]
    findings: tuple[tuple[str, str], ...]
    questions: tuple[str, ...]
    caveat: str


def brief_words(headlines: Headlines, lang: str) -> BriefWords:
    """The words of ``headlines`` in ``lang``, by the renderers of ``words.findings`` only."""
    i18n.check_lang(lang)
    return BriefWords(
        numbers=tuple(
            (findings_words.number_text(n, lang), findings_words.number_label(n, lang))
            for n in headlines.numbers
        ),
        findings=tuple(
            (findings_words.finding_sentence(f, lang), findings_words.robustness_line(f, lang))
            for f in headlines.findings
        ),
        questions=tuple(findings_words.question_sentence(q, lang) for q in headlines.questions),
        caveat=findings_words.caveat(lang),
    )


def brief_text(text: object) -> str:
    """A string as the brief prints it: "%" kept on its number's line (a non-breaking space,
    as Spanish typesetting asks), no carriage returns."""
    return str(text).replace(" %", f"{NON_BREAKING_SPACE}%").replace("\r", "")


def sentence_parts(markdown: str) -> list[dict[str, Any]]:
    """One sentence of ``words.findings`` (Markdown whose only markup is ``**bold**``; data
    values in it escaped) as the parts the template prints: ``{"text": …, "strong": bool}``.

    Read as the pages read it (``markup.inline_parts``), so an escaped label prints as the
    data has it and nothing else in the text is markup."""
    return [{"text": brief_text(text), "strong": strong} for text, strong in inline_parts(markdown)]


def number_parts(text: str) -> dict[str, str]:
    """A key number as the template prints it: its first word large ("11"), the rest beside
    it at label size ("of 15"), so "11 of 15" and "41" read at the same height."""
    lead, _, rest = brief_text(text).strip().partition(" ")
    return {"lead": lead, "rest": rest}


def number_size_pt(numbers: Sequence[tuple[str, str]]) -> float:
    """The large numbers' type size: ``NUMBER_PT``, or less when the widest first word would
    not fit its share of the row (one column per number)."""
    if not numbers:
        return NUMBER_PT
    column_pt = ((PAGE_WIDTH_CM - 2 * MARGIN_CM["x"]) / len(numbers) - NUMBER_GUTTER_CM) * 72 / 2.54
    # the rest ("of 15") takes about a third of the lead's size per character
    widest = max(
        len(parts["lead"]) + len(parts["rest"]) / 3
        for parts in (number_parts(number) for number, _ in numbers)
    )
    return min(NUMBER_PT, column_pt / (max(widest, 1.0) * BOLD_ADVANCE_EM))


# --------------------------------------------------------------------------- the IDB list


def idb_list(bundle: DataBundle, lang: str) -> dict[str, Any]:
    """The activities of every plan that name the IDB as their only cash resource, as the
    template prints them: the header (number, title, other resources named) and one group of
    rows per plan and IDB instrument, headed by both and how many activities it holds."""
    listed = funding_words.at_risk_table(
        funding.at_risk_activities(bundle.plans, FUNDER, bundle.funding_codes), bundle.themes, lang
    )
    header = [
        i18n.label(f"brief.list.{column}", lang) for column in ("number", "activity", "other")
    ]
    groups = []
    for (year, instrument), rows in listed.groupby(["plan_year", "instrument"], sort=False):
        named = i18n.code_label("idb_instrument", str(instrument), lang) if instrument else "–"
        heading = i18n.label(
            "brief.list.group", lang, year=int(year), instrument=named, n=len(rows)
        )
        cells = [
            [str(row.source_ref), str(getattr(row, f"title_{lang}")), str(row.other_resources)]
            for row in rows.itertuples(index=False)
        ]
        groups.append(
            {
                "heading": brief_text(heading),
                "rows": [[brief_text(cell) for cell in row] for row in cells],
            }
        )
    return {"header": [brief_text(cell) for cell in header], "groups": groups}


# --------------------------------------------------------------------------- charts at print size


def smallest_text_pt(fig: Figure) -> float:
    """The smallest type size (points) of the visible texts of ``fig`` at its design size."""
    sizes = [
        float(text.get_fontsize())
        for text in fig.findobj(Text)
        if text.get_visible() and text.get_text().strip()
    ]
    return min(sizes) if sizes else MIN_PRINT_PT


def chart_scales(fig: Figure) -> list[float]:
    """The print scales (printed size / design size) a chart may take, largest first: never
    so small that its smallest text falls below ``MIN_PRINT_PT``, never above
    ``MAX_CHART_SCALE``."""
    smallest = MIN_PRINT_PT / smallest_text_pt(fig)
    scales = np.arange(MAX_CHART_SCALE, smallest - 1e-9, -CHART_SCALE_STEP)
    return [round(float(scale), 3) for scale in scales]


def chart_height_in(fig: Figure, scale: float) -> float | None:
    """The printed height in inches of ``fig`` laid out to print ``TEXT_WIDTH_IN`` wide at
    ``scale`` (its text at ``scale`` × its design size), or None when it does not lay out
    cleanly at that width: the layout engine gives up, a text sticks out of the figure, or the
    figure's own texts and legends (title, subtitle, source, legend) overlap.

    The figure is laid out again at ``TEXT_WIDTH_IN / scale`` inches wide and its own height,
    so the chart spans the text column at every scale. Its SVG is made only for the scale
    the brief takes (:func:`print_chart`): the layout is what decides, and a save draws the
    figure again.
    """
    return _at_print_width(fig, scale, save=False)[1]


def print_chart(fig: Figure, scale: float) -> tuple[bytes, float] | None:
    """``fig`` laid out to print ``TEXT_WIDTH_IN`` wide at ``scale`` (see
    :func:`chart_height_in`): the SVG, with real text, and its printed height in inches; None
    when it does not lay out cleanly at that width."""
    svg, height_in = _at_print_width(fig, scale, save=True)
    return None if svg is None or height_in is None else (svg, height_in)


def _at_print_width(fig: Figure, scale: float, *, save: bool) -> tuple[bytes | None, float | None]:
    width, height = fig.get_size_inches()
    with (
        style.style_context(),
        matplotlib.rc_context({"svg.fonttype": "none"}),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        # A missing glyph is a test's business (``style.missing_glyphs``), not a layout's.
        warnings.filterwarnings("ignore", message=style.GLYPH_WARNING, category=UserWarning)
        fig.set_size_inches(TEXT_WIDTH_IN / scale, height)
        try:
            fig.draw_without_rendering()
            clean = not _figure_warnings(caught) and _laid_out_cleanly(fig)
            buffer = io.BytesIO()
            if clean and save:
                fig.savefig(buffer, format="svg", metadata=files.FIGURE_METADATA["svg"])
        finally:
            fig.set_size_inches(width, height)
    if not clean:
        return None, None
    return (files.stable_svg_ids(buffer.getvalue()) if save else None), height * scale


_MATPLOTLIB_DIR = Path(matplotlib.__file__).resolve().parent


def _figure_warnings(caught: Sequence[warnings.WarningMessage]) -> list[warnings.WarningMessage]:
    """The warnings of laying the figure out: raised in matplotlib, or by it on behalf of this
    module, its caller (``warn_external``). Warning filters are the process's, so what other
    threads warn of meanwhile is caught too: the build lays the chart out while its
    notebooks' threads run, and a kernel client's deprecation says nothing of the figure."""
    return [
        caught_warning
        for caught_warning in caught
        if Path(caught_warning.filename).resolve() == Path(__file__).resolve()
        or _MATPLOTLIB_DIR in Path(caught_warning.filename).resolve().parents
    ]


def stand_in_svg(height_in: float) -> bytes:
    """An empty SVG of the printed chart's size (``TEXT_WIDTH_IN`` × ``height_in``): what
    typst reads of a chart to lay the page out, while the scale is still being chosen."""
    width_pt, height_pt = TEXT_WIDTH_IN * 72, height_in * 72
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_pt:.3f}pt" '
        f'height="{height_pt:.3f}pt" viewBox="0 0 {width_pt:.3f} {height_pt:.3f}"/>\n'
    ).encode("ascii")


def _laid_out_cleanly(fig: Figure) -> bool:
    """Nothing of ``fig`` outside it, and no two of its figure-level texts and legends
    overlapping."""
    box = fig.get_tightbbox()  # inches
    if box.x0 < -0.01 or box.x1 > fig.get_figwidth() + 0.01:
        return False
    renderer = fig._get_renderer()  # noqa: SLF001 - the renderer the layout was drawn with
    own = [
        child.get_window_extent(renderer)
        for child in fig.get_children()
        if isinstance(child, (Text, Legend))
        and child.get_visible()
        and (not isinstance(child, Text) or child.get_text().strip())
    ]
    return not any(a.overlaps(b) for i, a in enumerate(own) for b in own[i + 1 :])


def largest_fitting(candidates: Sequence[T], fits: Callable[[T], bool]) -> T | None:
    """The first of ``candidates`` (largest first) that ``fits``, or None; ``fits`` is called
    last with it. Whatever fits, every smaller candidate fits too (a smaller chart leaves more
    room; a smaller chart is a wider figure, which lays out at least as cleanly), so the
    candidates are bisected: a few typesettings, not one per candidate."""
    low, high = 0, len(candidates)  # the first that fits is in candidates[low:high], or none
    while low < high:
        middle = (low + high) // 2
        if fits(candidates[middle]):
            high = middle
        else:
            low = middle + 1
    if low == len(candidates) or not fits(candidates[low]):
        return None
    return candidates[low]


# --------------------------------------------------------------------------- inputs


def build_date(provenance: Mapping[str, Any]) -> dt.date:
    """The date printed in the PDF's metadata: the provenance's build date, so two builds
    of the same data give the same bytes (SOURCE_DATE_EPOCH, else 1 January 1980)."""
    value = provenance.get("build_date")
    if value:
        return dt.date.fromisoformat(str(value)[:10])
    epoch = source_date_epoch()  # the one reading of it (validated: 1970–2100)
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, tz=dt.UTC).date()
    return dt.date(1980, 1, 1)


def brief_inputs(
    *,
    title: str,
    subtitle: str,
    lang: str,
    date: dt.date,
    words: BriefWords,
    headings: Mapping[str, str],
    provenance_text: str,
    chart: Mapping[str, Any] | None,
    idb_list: Mapping[str, Any],
    list_link: Mapping[str, str],
    show_list: bool,
    body_pt: float,
) -> dict[str, str]:
    """``sys_inputs`` of ``brief.typ``: every word and number of the brief as one JSON text.

    ``chart``: {path relative to the template, alt, height_cm} or None; ``idb_list``:
    {header, rows}; ``list_link``: {text, href}; ``show_list``: print the list (else only
    the link to it); ``body_pt``: page 1's type size.
    """
    data = {
        "title": brief_text(title),
        "subtitle": brief_text(subtitle),
        "lang": lang,
        "font": FONT,
        "date": {"year": date.year, "month": date.month, "day": date.day},
        "margin_cm": MARGIN_CM,
        "numbers": [
            number_parts(number) | {"label": brief_text(label)} for number, label in words.numbers
        ],
        "number_pt": number_size_pt(words.numbers),
        "findings": [
            {"sentence": sentence_parts(sentence), "robustness": brief_text(robustness)}
            for sentence, robustness in words.findings
        ],
        "questions": [sentence_parts(question) for question in words.questions],
        "caveat": brief_text(words.caveat),
        "headings": {key: brief_text(text) for key, text in headings.items()},
        "provenance": brief_text(provenance_text),
        "chart": dict(chart) | {"alt": brief_text(chart["alt"])} if chart else None,
        "list": dict(idb_list),
        "list_link": {key: brief_text(value) for key, value in list_link.items()},
        "show_list": show_list,
        "body_pt": body_pt,
        "list_pt": LIST_PT,
    }
    return {INPUT_NAME: json.dumps(data, ensure_ascii=False, sort_keys=True)}


# --------------------------------------------------------------------------- document


def write_brief(
    bundle: DataBundle,
    *,
    baseline_year: int,
    compare_year: int,
    lang: str,
    out_path: Path | str,
    provenance: Mapping[str, Any],
    headlines: Headlines | None = None,
) -> Path:
    """Write the Executive Committee's brief of ``bundle`` (two A4 pages) to ``out_path``:
    the headlines of ``measures.findings`` in the words of ``words.findings``, typeset by
    :func:`typeset_brief`. No file is read but the template and the fonts. ``headlines``:
    those of ``bundle`` for these years when the caller has them already (a build computes
    them once for every language's index and brief).
    """
    i18n.check_lang(lang)
    if headlines is None:
        headlines = headline_measures.headlines(bundle, baseline_year, compare_year)
    return typeset_brief(
        bundle,
        words=brief_words(headlines, lang),
        baseline_year=baseline_year,
        compare_year=compare_year,
        lang=lang,
        out_path=out_path,
        provenance=provenance,
    )


def typeset_brief(
    bundle: DataBundle,
    *,
    words: BriefWords,
    baseline_year: int,
    compare_year: int,
    lang: str,
    out_path: Path | str,
    provenance: Mapping[str, Any],
    source_dir: Path | str | None = None,
) -> Path:
    """Typeset the brief: ``words`` on page 1; on page 2 the IDB exposure chart of ``bundle``
    and its list of activities that name the IDB as their only cash resource.

    Page 1 takes the largest type of ``BODY_PT`` that keeps it on one page; page 2 the largest
    chart scale that keeps the chart and the whole list on it, else the chart and the link to
    the list. Nothing is cut: when even the smallest sizes need a third page,
    ``BriefDoesNotFitError`` says so. ``source_dir`` keeps the template, its JSON inputs and
    the chart there (to inspect or re-typeset them); by default they live in a temporary
    folder.
    """
    i18n.check_lang(lang)
    out_path = Path(out_path)
    by_year = funding.exposure_by(
        bundle.plans, bundle.themes, FUNDER, by="year", codes=bundle.funding_codes
    )
    years_shown = by_year[by_year["plan_year"].isin([baseline_year, compare_year])]
    fig = exposure_chart.plot_exposure(years_shown, lang=lang)
    alt = style.alt_text(fig) or funding_words.finding_title(years_shown, lang)
    common = {
        "title": i18n.label("brief.title", lang, baseline=baseline_year, compare=compare_year),
        "subtitle": i18n.label("brief.subtitle", lang),
        "lang": lang,
        "date": build_date(provenance),
        "words": words,
        "headings": {
            key: i18n.label(f"brief.heading.{key}", lang)
            for key in ("findings", "questions", "caveat", "exposure", "list")
        },
        "provenance_text": provenance_line(provenance, lang),
        "idb_list": idb_list(bundle, lang),
        "list_link": {
            "text": i18n.label("brief.list.link", lang, href=f"{LIST_SECTION}.html"),
            "href": f"{LIST_SECTION}.html",
        },
    }
    with tempfile.TemporaryDirectory(prefix="gealc-brief-") as scratch:
        folder = Path(source_dir) if source_dir is not None else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        source_path = folder / SOURCE_FILE
        shutil.copyfile(TEMPLATE, source_path)
        chart_path = folder / "exposure.svg"

        body_pt = _page_one_size(
            source_path,
            lambda pt: brief_inputs(**common, chart=None, show_list=False, body_pt=pt),
        )
        chosen: dict[str, str] = {}

        def fits(show_list: bool, chart: Mapping[str, Any] | None) -> bool:
            inputs = brief_inputs(**common, chart=chart, show_list=show_list, body_pt=body_pt)
            chosen.clear()
            chosen.update(inputs)
            return _pages(source_path, inputs) == (1, MAX_PAGES)

        laid_out = functools.cache(functools.partial(chart_height_in, fig))

        def fits_with_chart(show_list: bool, scale: float) -> bool:
            height_in = laid_out(scale)
            if height_in is None:  # does not lay out cleanly at this scale
                return False
            # typst lays the page out from the chart's size alone: a stand-in of that size
            # while the scale is chosen; the chart itself for the one taken (below).
            chart_path.write_bytes(stand_in_svg(height_in))
            chart = {"path": chart_path.name, "alt": alt, "height_cm": height_in * 2.54}
            return fits(show_list, chart | {"scale": scale})

        # The list with the chart, else the link with the chart; the chart goes only when it
        # prints at no scale or even its smallest leaves no room for the link.
        scales = chart_scales(fig)
        placed = any(
            largest_fitting(scales, functools.partial(fits_with_chart, show_list)) is not None
            for show_list in (True, False)
        ) or any(fits(show_list, None) for show_list in (True, False))
        if not placed:
            raise BriefDoesNotFitError(
                "page 2 of the brief needs more than one page even without its chart and "
                "with the list left to its link"
            )
        inputs = chosen
        taken = json.loads(inputs[INPUT_NAME])["chart"]  # of the last fits(), the one taken
        if taken is not None:
            printed = print_chart(fig, taken["scale"])
            assert printed is not None, "a chart is taken only at a scale it lays out at"
            chart_path.write_bytes(printed[0])
        (folder / "brief.json").write_text(inputs[INPUT_NAME] + "\n", encoding="utf-8")
        pdf = typst.compile(
            str(source_path), root=str(folder), sys_inputs=inputs, **_compile_options()
        )
    return write_bytes_atomically(out_path, pdf)


def _page_one_size(source_path: Path, inputs_at: Callable[[float], dict[str, str]]) -> float:
    """The largest of ``BODY_PT`` at which page 1 (numbers, findings, questions, caveat)
    stays on one page."""
    size = largest_fitting(BODY_PT, lambda pt: _pages(source_path, inputs_at(pt))[0] == 1)
    if size is None:
        raise BriefDoesNotFitError(
            f"page 1 of the brief needs more than one page even at {BODY_PT[-1]} pt; "
            "shorten the findings"
        )
    return size


def _compile_options() -> dict[str, Any]:
    """Only the fonts shipped with the packages, so every machine typesets the same bytes."""
    return {"font_paths": [str(FONT_DIR)], "ignore_system_fonts": True}


def _pages(source_path: Path, inputs: Mapping[str, str]) -> tuple[int, int]:
    """(page on which page 1's content ends, pages in all) of ``inputs`` typeset."""
    found = typst.query(
        str(source_path),
        "<brief-pages>",
        field="value",
        root=str(source_path.parent),
        sys_inputs=dict(inputs),
        **_compile_options(),
    )
    value = json.loads(found)[0]
    return int(value["page_one_ends"]), int(value["pages"])
