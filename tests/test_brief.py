"""The Executive Committee's brief: two A4 pages at most, real text in the reader's locale,
fonts embedded, metadata set, and data strings printed verbatim (never read as Typst markup)."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from frames import make_plans, make_themes
from pypdf import PdfReader

from gealc_analysis.data.bundle import DataBundle, load_bundle
from gealc_analysis.products import brief
from gealc_analysis.words import findings, i18n
from gealc_analysis.words.provenance import provenance_line

MARKUP = 'A #title *with* _markup_ $x$ @ref <tag> back\\slash "quoted" [x]'


def pdf_text(path: Path) -> str:
    """All text of a PDF, whitespace (incl. non-breaking spaces) collapsed to one space."""
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def squeezed(text: str) -> str:
    """Text without any whitespace, to compare across line breaks."""
    return re.sub(r"\s+", "", text)


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


def write(
    tmp_path: Path,
    lang: str,
    sentences: list[str],
    *,
    plans=None,
    themes=None,
    name: str = "brief.pdf",
    source_dir: Path | None = None,
) -> Path:
    """The brief of the small plans with the given key findings (the real ones are tested on
    the real data below)."""
    bundle = curated_bundle().replaced(
        plans=small_plans() if plans is None else plans,
        themes=small_themes() if themes is None else themes,
    )
    return brief.typeset_brief(
        bundle,
        findings=sentences,
        caveat="Counts, not money.",
        baseline_year=2020,
        compare_year=2024,
        lang=lang,
        out_path=tmp_path / lang / name,
        provenance={"build_date": "2024-05-01"},
        source_dir=source_dir,
    )


def test_bold_markdown_becomes_strong_parts_and_nothing_else_is_markup():
    assert brief.sentence_parts("a **b** c 5 %") == [
        {"text": "a ", "strong": False},
        {"text": "b", "strong": True},
        {"text": " c 5\u00a0%", "strong": False},
    ]
    assert brief.sentence_parts("5 * 3 _x_") == [{"text": "5 * 3 _x_", "strong": False}]


def test_the_typst_source_is_the_fixed_template_and_the_data_comes_as_json(tmp_path):
    """No data string is ever part of the Typst source: the source typeset is the packaged
    template byte for byte; the words are in the JSON inputs beside it."""
    source = tmp_path / "source"
    write(tmp_path, "en", [f"About **{MARKUP}**."], source_dir=source)
    assert (source / "brief.typ").read_bytes() == brief.TEMPLATE.read_bytes()
    assert MARKUP not in brief.TEMPLATE.read_text(encoding="utf-8")
    inputs = json.loads((source / "brief.json").read_text(encoding="utf-8"))
    assert {"text": MARKUP, "strong": True} in inputs["findings"][0]


def test_spanish_brief_has_two_pages_at_most_spanish_numbers_as_text_and_metadata(tmp_path):
    sentences = ["El número de actividades pasó de **28** a **41** (+46,4 %)."]
    path = write(tmp_path, "es", sentences)
    reader = PdfReader(path)
    assert 1 <= len(reader.pages) <= 2
    text = pdf_text(path)
    assert "+46,4 %" in text
    # the exposure lines are computed: 1 of 2 activities (50,0 %) name the IDB in 2020
    assert "1 de 2 actividades (50,0 %) nombran al BID como recurso" in text
    assert reader.metadata.title == i18n.label("brief.title", "es", baseline=2020, compare=2024)
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert squeezed(provenance_line({"build_date": "2024-05-01"}, "es")) in squeezed(text)


def test_english_brief_uses_english_number_format(tmp_path):
    path = write(tmp_path, "en", ["Activities went from **28** to **41** (+46.4%)."])
    text = pdf_text(path)
    assert "+46.4%" in text
    assert "1 of 2 activities (50.0%) name the IDB as a resource" in text
    assert PdfReader(path).trailer["/Root"]["/Lang"] == "en"


def test_every_font_is_embedded(tmp_path):
    reader = PdfReader(write(tmp_path, "es", ["Año **1**."]))
    names = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            names.append(str(font["/BaseFont"]))
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), (
                f"font {font['/BaseFont']} is not embedded"
            )
    assert any("DejaVuSans" in name for name in names), names


def test_markup_in_data_strings_is_printed_as_written(tmp_path):
    path = write(
        tmp_path, "en", [f"Finding about **{MARKUP}**."], themes=small_themes(label=MARKUP)
    )
    text = squeezed(pdf_text(path))
    assert text.count(squeezed(MARKUP)) >= 2  # the finding and the theme table


def test_longest_findings_stay_on_two_pages_and_no_text_is_cut(tmp_path):
    long = [
        (
            "From 2020 to 2024 the activities of a long-named theme went from **28** to "
            "**41** (+46.4%), a sentence long enough to wrap over several lines. "
        )
        * 3
        for _ in range(6)
    ]
    long_label = "A very long theme label that wraps over more than one line " * 2
    path = write(tmp_path, "en", long, themes=small_themes(label=long_label))
    assert len(PdfReader(path).pages) <= 2
    text = squeezed(pdf_text(path))
    for sentence in long:
        assert squeezed(sentence.replace("**", "")) in text


def test_a_brief_that_cannot_fit_two_pages_fails_instead_of_cutting(tmp_path):
    too_many = ["A finding that repeats itself to fill the page. " * 12] * 40
    with pytest.raises(brief.BriefDoesNotFitError, match="more than 2 pages"):
        write(tmp_path, "en", too_many)
    assert not (tmp_path / "en" / "brief.pdf").exists()


def test_same_inputs_give_byte_identical_pdfs(tmp_path):
    first = write(tmp_path, "es", ["Uno **1**."], name="a.pdf").read_bytes()
    second = write(tmp_path, "es", ["Uno **1**."], name="b.pdf").read_bytes()
    assert first == second


def test_theme_table_lists_areas_and_counts_in_both_plans():
    table = brief.theme_counts(small_plans(), small_themes(), 2020, 2024)
    assert table["theme"].tolist() == ["t1", "t2"]
    assert table["baseline_value"].tolist() == [1, 1]
    assert table["compare_value"].tolist() == [2, 0]
    assert table["baseline_areas"].tolist() == ["3.1", "3.2"]
    assert table["compare_areas"].tolist() == ["3.1", ""]


@pytest.mark.slow
def test_the_brief_of_the_real_data_states_its_key_findings_on_two_pages(tmp_path, real_bundle):
    years = real_bundle.years
    path = brief.write_brief(
        real_bundle,
        baseline_year=years[0],
        compare_year=years[-1],
        lang="en",
        out_path=tmp_path / "brief.pdf",
        provenance={"build_date": "2024-05-01"},
    )
    assert 1 <= len(PdfReader(path).pages) <= 2
    text = squeezed(pdf_text(path))
    sentences = findings.key_findings(real_bundle, years[0], years[-1], "en")
    for sentence in sentences:
        assert squeezed(sentence.replace("**", "")) in text, sentence
