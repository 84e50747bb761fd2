"""The Executive Committee's brief: two full A4 pages per language, real text in the reader's
locale, every text at least 8 pt at print size, charts that read in grey-scale, fonts
embedded, metadata set, and data strings printed verbatim (never read as Typst markup).

The measurements are made on the PDF as printed: pages rendered to grey images by poppler's
``pdftoppm`` (the fill), text sizes from the PDF's own text (pypdf), colours from the chart's
SVG that the brief embeds.
"""

from __future__ import annotations

import functools
import json
import math
import re
import shutil
import subprocess
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from frames import make_plans, make_themes
from matplotlib import colors
from pypdf import PdfReader

from gealc_analysis.charts import exposure
from gealc_analysis.data.bundle import DataBundle, load_bundle
from gealc_analysis.measures import findings as headline_measures
from gealc_analysis.measures import funding
from gealc_analysis.products import brief
from gealc_analysis.words import i18n
from gealc_analysis.words.markup import markdown_text
from gealc_analysis.words.provenance import provenance_line

MARKUP = 'A #title *with* _markup_ $x$ @ref <tag> back\\slash "quoted" [x]'
A4_PT = (595.28, 841.89)
FILL_DPI = 50
# A blank band counts as empty page when it is taller than this: more than any gap the layout
# leaves between two lines, list items or a heading and its text (about 0.3–0.45 cm), so the
# white between lines of text is not counted, a blank stretch of page is.
EMPTY_BAND_CM = 0.5
MAX_EMPTY = 0.15
INK_BELOW = 200  # a pixel darker than this (of 255) is ink, lighter is paper
MIN_GREY_STEP = 20.0  # CIE L* between any two fills of a chart, to tell them apart in grey


def pdf_text(path: Path) -> str:
    """All text of a PDF, whitespace (incl. non-breaking spaces) collapsed to one space."""
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def squeezed(text: str) -> str:
    """Text without any whitespace, to compare across line breaks."""
    return re.sub(r"\s+", "", text)


def page_images(path: Path, dpi: int = FILL_DPI) -> list[np.ndarray]:
    """Each page of a PDF as a grey image (rows × columns, 0 = black), by ``pdftoppm``."""
    out = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", str(path)], capture_output=True, check=True
    ).stdout
    images, position = [], 0
    while position < len(out):  # concatenated binary PGMs: "P5\nW H\n255\n" then the pixels
        fields: list[bytes] = []
        while len(fields) < 4:
            end = out.index(b"\n", position)
            fields += out[position:end].split()
            position = end + 1
        width, height = int(fields[1]), int(fields[2])
        pixels = np.frombuffer(out[position : position + width * height], dtype=np.uint8)
        images.append(pixels.reshape(height, width))
        position += width * height
    return images


def empty_fraction(image: np.ndarray, dpi: int = FILL_DPI) -> float:
    """The share of a page's text area left empty: the rows between the top and bottom
    margins (the footer sits in the bottom margin, so it is left out) that belong to blank
    bands taller than ``EMPTY_BAND_CM``."""
    per_cm = dpi / 2.54
    top = round(brief.MARGIN_CM["top"] * per_cm)
    bottom = image.shape[0] - round(brief.MARGIN_CM["bottom"] * per_cm)
    blank = (image[top:bottom] < INK_BELOW).sum(axis=1) == 0
    empty, run = 0, 0
    for row_blank in [*blank, False]:
        if row_blank:
            run += 1
            continue
        if run > EMPTY_BAND_CM * per_cm:
            empty += run
        run = 0
    return empty / len(blank)


def text_sizes(path: Path) -> list[list[float]]:
    """Per page, the printed size (pt) of every text run: the font size times the scale of
    the text and current transformation matrices (charts embedded as SVG keep their text as
    text, scaled by the figure's print scale)."""
    pages = []
    for page in PdfReader(path).pages:
        sizes: list[float] = []

        def visit(text, cm, tm, font, size, sizes=sizes):
            if not text.strip() or not size:
                return
            a, b, c, d = (
                tm[0] * cm[0] + tm[1] * cm[2],
                tm[0] * cm[1] + tm[1] * cm[3],
                tm[2] * cm[0] + tm[3] * cm[2],
                tm[2] * cm[1] + tm[3] * cm[3],
            )
            sizes.append(float(size) * math.sqrt(abs(a * d - b * c)))

        page.extract_text(visitor_text=visit)
        pages.append(sizes)
    return pages


def lightness(colour: str) -> float:
    """CIE L* (0 black … 100 white) of a colour: what is left of it printed in grey."""
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in colors.to_rgb(colour)
    ]
    y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else y * 24389 / 27


def chart_fills(svg: str) -> set[str]:
    """The fill colours of a matplotlib SVG's patches (bars, legend keys), white left out."""
    fills = set()
    for group in re.findall(r'<g id="patch_\d+">(.*?)</g>', svg, flags=re.S):
        fills.update(re.findall(r"fill:\s*(#[0-9a-fA-F]{6})", group))
    return {fill.lower() for fill in fills} - {"#ffffff"}


def small_plans(title: str = "Workshop") -> pd.DataFrame:
    return make_plans(
        [
            {
                "plan_year": 2020,
                "area_code": "3.1",
                "theme": "t1",
                "funding_sources": "idb",
                "idb_instrument": "rpg",
                "title_en": title,
                "title_es": title,
            },
            {
                "plan_year": 2020,
                "area_code": "3.2",
                "theme": "t2",
                "funding_sources": "working_group",
            },
            {
                "plan_year": 2024,
                "area_code": "3.1",
                "theme": "t1",
                "source_ref": "3.1.1",
                "funding_sources": "idb;member_countries",
                "idb_instrument": "general",
            },
            {
                "plan_year": 2024,
                "area_code": "3.1",
                "theme": "t1",
                "source_ref": "3.1.2",
                "funding_sources": "oas",
            },
        ],
        categorical=False,
    )


def small_themes(label: str = "First theme") -> pd.DataFrame:
    return make_themes(
        [
            {
                "plan_year": 2020,
                "area_code": "3.1",
                "theme": "t1",
                "theme_label_en": label,
                "theme_label_es": label,
            },
            {"plan_year": 2020, "area_code": "3.2", "theme": "t2"},
            {
                "plan_year": 2024,
                "area_code": "3.1",
                "theme": "t1",
                "theme_label_en": label,
                "theme_label_es": label,
            },
        ],
        categorical=False,
    )


@functools.cache
def curated_bundle() -> DataBundle:
    return load_bundle()


@pytest.fixture
def real_bundle() -> DataBundle:
    return curated_bundle()


def words(
    sentences: list[str],
    *,
    numbers: tuple[tuple[str, str], ...] = (("41", "activities in 2024"), ("11 of 15", "IDB")),
    robustness: str = "Holds under every coding.",
    questions: tuple[str, ...] = ("Which instrument funds the **11**?",),
) -> brief.BriefWords:
    """Hand-made words of a brief (the renderers of words.findings make the real ones)."""
    return brief.BriefWords(
        numbers=numbers,
        findings=tuple((sentence, robustness) for sentence in sentences),
        questions=questions,
        caveat="Counts, not money.",
    )


def write(
    tmp_path: Path,
    lang: str,
    sentences: list[str],
    *,
    plans=None,
    themes=None,
    name: str = "brief.pdf",
    source_dir: Path | None = None,
    **word_options,
) -> Path:
    """The brief of the small plans with the given findings."""
    bundle = curated_bundle().replaced(
        plans=small_plans() if plans is None else plans,
        themes=small_themes() if themes is None else themes,
    )
    return brief.typeset_brief(
        bundle,
        words=words(sentences, **word_options),
        baseline_year=2020,
        compare_year=2024,
        lang=lang,
        out_path=tmp_path / lang / name,
        provenance={"build_date": "2024-05-01"},
        source_dir=source_dir,
    )


# Words as long as the planned headlines (3–5 numbers, <= 5 findings of <= 35 words, 1–3
# questions), to typeset the real data's chart and list around them.
FULL_WORDS = {
    "en": words(
        [
            "The 2024 plan lists **41** activities against **28** in 2020 (+13), partly because "
            "it itemises meetings that 2020 grouped under one activity.",
            "Of the activities that name any cash, those whose only cash is the IDB go from "
            "**13 of 13** in 2020 to **11 of 15** in 2024.",
            "The 2024 plan names no IDB instrument for its **11** activities that name the IDB; "
            "in 2020, **12 of 13** named one.",
            "About **17 of 28** activities of 2020 carry over into 2024; the rest end or merge.",
            "Data governance and artificial intelligence has activities in 2024 and none in 2020.",
        ],
        numbers=(
            ("41", "activities in the 2024 plan (28 in 2020)"),
            ("11 of 15", "activities naming any cash whose only cash is the IDB"),
            ("0 of 11", "activities naming the IDB that name an instrument"),
            ("17 of 28", "2020 activities carried over (15–19)"),
            ("124", "events a year in 2020 (52–124)"),
        ),
        robustness="Depends on how resource kinds are read; see section 07.",
        questions=(
            "Which IDB instrument funds the **11** activities of 2024 that name the IDB but "
            "no instrument?",
            "Do the meetings the 2024 plan itemises one by one stand for more work, or the "
            "same work written out?",
        ),
    ),
    "es": words(
        [
            "El plan 2024 enumera **41** actividades frente a **28** en 2020 (+13), en parte "
            "porque detalla reuniones que 2020 agrupaba en una sola actividad.",
            "De las actividades que nombran algún recurso monetario, aquellas cuyo único "
            "recurso monetario es el BID pasan de **13 de 13** en 2020 a **11 de 15** en 2024.",
            "El plan 2024 no nombra ningún instrumento del BID en sus **11** actividades que "
            "nombran al BID; en 2020, **12 de 13** nombraban uno.",
            "Unas **17 de 28** actividades de 2020 continúan en 2024; las demás terminan o se "
            "fusionan.",
            "Gobernanza de datos e inteligencia artificial tiene actividades en 2024 y ninguna "
            "en 2020.",
        ],
        numbers=(
            ("41", "actividades en el plan 2024 (28 en 2020)"),
            ("11 de 15", "actividades con recurso monetario cuyo único es el BID"),
            ("0 de 11", "actividades que nombran al BID y un instrumento"),
            ("17 de 28", "actividades de 2020 que continúan (15–19)"),
            ("124", "eventos al año en 2020 (52–124)"),
        ),
        robustness="Depende de cómo se lean los tipos de recurso; véase la sección 07.",
        questions=(
            "¿Qué instrumento del BID financia las **11** actividades de 2024 que nombran al "
            "BID sin instrumento?",
            "¿Las reuniones que el plan 2024 detalla una por una son más trabajo, o el mismo "
            "trabajo escrito en detalle?",
        ),
    ),
}


@functools.cache
def full_brief(lang: str, folder: Path) -> Path:
    """The brief of the real data with words as long as the planned ones, typeset once per
    language; its sources (template, inputs, chart) kept beside it."""
    return brief.typeset_brief(
        curated_bundle(),
        words=FULL_WORDS[lang],
        baseline_year=2020,
        compare_year=2024,
        lang=lang,
        out_path=folder / lang / "brief.pdf",
        provenance={"build_date": "2024-05-01"},
        source_dir=folder / lang / "source",
    )


@pytest.fixture(scope="module")
def full_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("full-brief")


# --------------------------------------------------------------------------- words and markup


def test_bold_markdown_becomes_strong_parts_and_nothing_else_is_markup():
    assert brief.sentence_parts("a **b** c 5 %") == [
        {"text": "a ", "strong": False},
        {"text": "b", "strong": True},
        {"text": " c 5\u00a0%", "strong": False},
    ]
    # data values enter a sentence escaped (words.markup.markdown_text): printed as typed,
    # their "**" included, as the page shows them
    typed = "5 * 3 _x_ **y** [l](http://e.org) \\ 1."
    assert brief.sentence_parts(f"{markdown_text(typed)} **{markdown_text(typed)}**") == [
        {"text": f"{typed} ", "strong": False},
        {"text": typed, "strong": True},
    ]


def test_a_key_number_prints_its_first_word_large_and_the_rest_beside_it():
    assert brief.number_parts("11 of 15") == {"lead": "11", "rest": "of 15"}
    assert brief.number_parts("41") == {"lead": "41", "rest": ""}
    # five wide numbers share the row at a smaller size than three short ones
    wide = [("1234567 de 9876543", "x")] * 5
    assert brief.number_size_pt(wide) < brief.number_size_pt([("41", "x")] * 3)
    assert brief.number_size_pt([("41", "x")] * 3) == brief.NUMBER_PT


def test_the_typst_source_is_the_fixed_template_and_the_data_comes_as_json(tmp_path):
    """No data string is ever part of the Typst source: the source typeset is the packaged
    template byte for byte; the words are in the JSON inputs beside it."""
    source = tmp_path / "source"
    write(tmp_path, "en", [f"About **{markdown_text(MARKUP)}**."], source_dir=source)
    assert (source / "brief.typ").read_bytes() == brief.TEMPLATE.read_bytes()
    assert MARKUP not in brief.TEMPLATE.read_text(encoding="utf-8")
    inputs = json.loads((source / "brief.json").read_text(encoding="utf-8"))
    assert {"text": MARKUP, "strong": True} in inputs["findings"][0]["sentence"]


def test_spanish_brief_prints_its_words_spanish_numbers_list_and_metadata(tmp_path):
    sentences = ["El número de actividades pasó de **28** a **41** (+46,4 %)."]
    path = write(
        tmp_path,
        "es",
        sentences,
        numbers=(("41", "actividades en 2024"), ("11 de 15", "solo el BID")),
        robustness="Se mantiene con cualquier codificación.",
        questions=("¿Qué instrumento financia las **11**?",),
    )
    reader = PdfReader(path)
    assert len(reader.pages) == 2
    text = pdf_text(path)
    for expected in (
        "+46,4 %",
        "actividades en 2024",
        "11 de 15",
        "Se mantiene con cualquier codificación.",
        "¿Qué instrumento financia las 11?",
        i18n.label("brief.heading.questions", "es"),
        # the IDB list: the 2020 activity whose only resource is the IDB, under its instrument
        i18n.label(
            "brief.list.group",
            "es",
            year=2020,
            instrument=i18n.code_label("idb_instrument", "rpg", "es"),
            n=1,
        ),
        "Workshop",
        f"{brief.LIST_SECTION}.html",
    ):
        assert squeezed(expected) in squeezed(text), expected
    assert reader.metadata.title == i18n.label("brief.title", "es", baseline=2020, compare=2024)
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert squeezed(provenance_line({"build_date": "2024-05-01"}, "es")) in squeezed(text)


def test_english_brief_uses_english_number_format(tmp_path):
    path = write(tmp_path, "en", ["Activities went from **28** to **41** (+46.4%)."])
    text = pdf_text(path)
    assert "+46.4%" in text
    assert squeezed(i18n.label("brief.heading.list", "en")) in squeezed(text)
    assert PdfReader(path).trailer["/Root"]["/Lang"] == "en"


def test_the_list_names_each_activity_whose_only_cash_is_the_idb_once(real_bundle):
    listed = funding.at_risk_activities(real_bundle.plans, brief.FUNDER)
    for lang in i18n.SUPPORTED_LANGS:
        table = brief.idb_list(real_bundle, lang)
        rows = [row for group in table["groups"] for row in group["rows"]]
        assert len(rows) == len(listed)
        assert sorted(row[1] for row in rows) == sorted(
            brief.brief_text(t) for t in listed[f"title_{lang}"]
        )
        assert len(table["header"]) == len(rows[0])


def test_every_font_is_embedded(tmp_path):
    reader = PdfReader(write(tmp_path, "es", ["Año **1**."]))
    names = []
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            names.append(str(font["/BaseFont"]))
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), (
                f"font {font['/BaseFont']} is not embedded"
            )
    assert any("DejaVuSans" in name for name in names), names


def test_markup_in_data_strings_is_printed_as_written(tmp_path):
    sentence = f"Finding about **{markdown_text(MARKUP)}**."
    path = write(tmp_path, "en", [sentence], plans=small_plans(title=MARKUP))
    text = squeezed(pdf_text(path))
    assert text.count(squeezed(MARKUP)) >= 2  # the finding and the IDB list


def test_longest_findings_stay_on_page_one_at_a_smaller_size_and_no_text_is_cut(tmp_path):
    long = [
        (
            "From 2020 to 2024 the activities of a long-named theme went from **28** to "
            "**41** (+46.4%), a sentence long enough to wrap over several lines. "
        )
        * 2
        for _ in range(5)
    ]
    short_source, long_source = tmp_path / "short", tmp_path / "long"
    write(tmp_path, "en", ["Short."], source_dir=short_source, name="short.pdf")
    path = write(tmp_path, "en", long, source_dir=long_source)
    assert len(PdfReader(path).pages) == 2
    text = squeezed(pdf_text(path))
    for sentence in long:
        assert squeezed(sentence.replace("**", "")) in text

    def body_pt(folder: Path) -> float:
        return json.loads((folder / "brief.json").read_text(encoding="utf-8"))["body_pt"]

    assert body_pt(long_source) < body_pt(short_source) == brief.BODY_PT[0]


def test_a_brief_that_cannot_fit_two_pages_fails_instead_of_cutting(tmp_path):
    too_many = ["A finding that repeats itself to fill the page. " * 12] * 40
    with pytest.raises(brief.BriefDoesNotFitError, match="more than one page"):
        write(tmp_path, "en", too_many)
    assert not (tmp_path / "en" / "brief.pdf").exists()


def test_same_inputs_give_byte_identical_pdfs(tmp_path):
    first = write(tmp_path, "es", ["Uno **1**."], name="a.pdf").read_bytes()
    second = write(tmp_path, "es", ["Uno **1**."], name="b.pdf").read_bytes()
    assert first == second


def test_a_chart_prints_no_smaller_than_its_smallest_text_allows(real_bundle):
    by_year = funding.exposure_by(real_bundle.plans, real_bundle.themes, "idb", by="year")
    fig = exposure.plot_exposure(by_year, lang="en")
    scales = brief.chart_scales(fig)
    assert scales == sorted(scales, reverse=True)
    assert min(scales) * brief.smallest_text_pt(fig) >= brief.MIN_PRINT_PT
    assert max(scales) <= brief.MAX_CHART_SCALE


def test_the_stand_in_a_scale_is_tried_with_has_the_size_of_the_chart_at_that_scale(real_bundle):
    """The scales are tried with an empty SVG of the chart's size (``stand_in_svg``) and the
    chart is saved only for the one taken: typst lays the page out from the size alone, so
    the stand-in's must be the chart's, at every scale the chart lays out at."""
    by_year = funding.exposure_by(real_bundle.plans, real_bundle.themes, "idb", by="year")
    fig = exposure.plot_exposure(by_year, lang="en")

    def size_pt(svg: bytes) -> tuple[float, float]:
        found = re.search(rb'<svg[^>]*?width="([0-9.]+)pt"[^>]*?height="([0-9.]+)pt"', svg, re.S)
        assert found, svg[:200]
        return float(found[1]), float(found[2])

    tried = 0
    for scale in brief.chart_scales(fig):
        height_in = brief.chart_height_in(fig, scale)
        printed = brief.print_chart(fig, scale)
        assert (height_in is None) == (printed is None), scale
        if printed is None:
            continue
        tried += 1
        svg, printed_height_in = printed
        assert printed_height_in == height_in
        chart_w, chart_h = size_pt(svg)
        stand_w, stand_h = size_pt(brief.stand_in_svg(height_in))
        # the chart is printed TEXT_WIDTH_IN wide: its aspect ratio is the stand-in's
        assert stand_w / stand_h == pytest.approx(chart_w / chart_h, rel=1e-4), scale
        assert stand_h == pytest.approx(height_in * 72, abs=1e-3)  # written to 1/1000 pt
    assert tried, "the chart lays out at some scale"


@pytest.mark.filterwarnings("ignore:a kernel client's deprecation:DeprecationWarning")
def test_another_threads_warnings_do_not_decide_how_the_chart_lays_out(real_bundle):
    """The build lays the brief's chart out while its notebooks' threads run, and warning
    filters are the process's: what another thread warns of meanwhile (a kernel client's
    deprecation) is caught with the figure's own warnings and must not count as one. (A CI
    run failed so: the chart laid out when a scale was chosen, and not when it was saved.)"""
    by_year = funding.exposure_by(real_bundle.plans, real_bundle.themes, "idb", by="year")
    fig = exposure.plot_exposure(by_year, lang="en")
    scale = next(s for s in brief.chart_scales(fig) if brief.chart_height_in(fig, s))
    quiet = brief.chart_height_in(fig, scale)
    stop = threading.Event()

    def warn_meanwhile() -> None:
        while not stop.is_set():
            warnings.warn("a kernel client's deprecation", DeprecationWarning, stacklevel=1)
            time.sleep(0.0005)

    elsewhere = threading.Thread(target=warn_meanwhile, daemon=True)
    elsewhere.start()
    try:
        noisy = [brief.chart_height_in(fig, scale) for _ in range(3)]
        printed = brief.print_chart(fig, scale)
    finally:
        stop.set()
        elsewhere.join()
    assert noisy == [quiet] * 3
    assert printed is not None and printed[1] == quiet


# --------------------------------------------------------------------------- the printed pages


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
@pytest.mark.parametrize("lang", i18n.SUPPORTED_LANGS)
def test_two_full_a4_pages(lang, full_folder):
    """Exactly two A4 pages, neither more than 15 % empty (blank bands taller than half a
    centimetre, within the page margins), with the large numbers, findings, robustness
    lines, questions and caveat on page 1 and the IDB's chart and list on page 2."""
    path = full_brief(lang, full_folder)
    reader = PdfReader(path)
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert tuple(round(float(v), 1) for v in page.mediabox[2:]) == tuple(
            round(v, 1) for v in A4_PT
        )
    for number, image in enumerate(page_images(path), start=1):
        assert empty_fraction(image) <= MAX_EMPTY, (lang, number, empty_fraction(image))
    page_one = squeezed(reader.pages[0].extract_text().replace("\u00a0", " "))
    content = FULL_WORDS[lang]
    for number, label in content.numbers:
        assert squeezed(number) in page_one and squeezed(label) in page_one
    for sentence, robustness in content.findings:
        assert squeezed(sentence.replace("**", "")) in page_one
        assert squeezed(robustness) in page_one
    for question in content.questions:
        assert squeezed(question.replace("**", "")) in page_one
    assert squeezed(content.caveat) in page_one
    page_two = squeezed(reader.pages[1].extract_text())
    inputs = json.loads((full_folder / lang / "source" / "brief.json").read_text("utf-8"))
    assert inputs["chart"] is not None and inputs["show_list"]
    assert squeezed(i18n.label("brief.heading.list", lang)) in page_two
    titles = funding.at_risk_activities(curated_bundle().plans, brief.FUNDER)[f"title_{lang}"]
    for title in titles:
        assert squeezed(title) in page_two, title


@pytest.mark.parametrize("lang", i18n.SUPPORTED_LANGS)
def test_every_text_prints_at_8_pt_or_more_charts_included(lang, full_folder):
    path = full_brief(lang, full_folder)
    sizes = text_sizes(path)
    inputs = json.loads((full_folder / lang / "source" / "brief.json").read_text("utf-8"))
    svg = (full_folder / lang / "source" / inputs["chart"]["path"]).read_text("utf-8")
    chart_texts = re.findall(r"<text\b", svg)
    assert chart_texts, "the chart's text is embedded as text, so its size can be read"
    assert len(sizes[1]) > len(chart_texts)  # page 2's runs include the chart's
    for number, page in enumerate(sizes, start=1):
        assert min(page) >= brief.MIN_PRINT_PT - 0.01, (lang, number, min(page))


@pytest.mark.parametrize("lang", i18n.SUPPORTED_LANGS)
def test_the_chart_reads_in_grey_scale(lang, full_folder):
    """Every two fills of the chart differ by at least 20 in lightness (CIE L*), so a
    grey-scale print still tells them apart."""
    full_brief(lang, full_folder)
    inputs = json.loads((full_folder / lang / "source" / "brief.json").read_text("utf-8"))
    svg = (full_folder / lang / "source" / inputs["chart"]["path"]).read_text("utf-8")
    fills = sorted(chart_fills(svg), key=lightness)
    assert len(fills) >= 2, fills  # the plans, one fill each
    steps = [lightness(b) - lightness(a) for a, b in zip(fills, fills[1:], strict=False)]
    assert min(steps) >= MIN_GREY_STEP, dict(zip(fills, map(lightness, fills), strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("lang", i18n.SUPPORTED_LANGS)
def test_the_brief_of_the_real_data_states_its_headlines_on_two_pages(tmp_path, real_bundle, lang):
    years = real_bundle.years
    path = brief.write_brief(
        real_bundle,
        baseline_year=years[0],
        compare_year=years[-1],
        lang=lang,
        out_path=tmp_path / "brief.pdf",
        provenance={"build_date": "2024-05-01"},
    )
    assert len(PdfReader(path).pages) == 2
    text = squeezed(pdf_text(path))
    content = brief.brief_words(headline_measures.headlines(real_bundle, years[0], years[-1]), lang)
    for number, label in content.numbers:
        assert squeezed(number) in text and squeezed(label) in text
    for sentence, robustness in content.findings:
        assert squeezed(sentence.replace("**", "")) in text, sentence
        assert squeezed(robustness) in text
    for number, image in enumerate(page_images(path), start=1):
        assert empty_fraction(image) <= MAX_EMPTY, (lang, number, empty_fraction(image))
