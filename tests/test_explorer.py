"""The activities explorer: every activity, escaped, offline, filterable and exportable
(the filtering and CSV download exercised in headless Chromium at 390 and 1280 px)."""

from __future__ import annotations

import csv
import functools
import html
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from frames import make_plans, make_themes

from gealc_analysis.data.bundle import DataBundle, load_bundle
from gealc_analysis.products import explorer
from gealc_analysis.words import i18n

HOSTILE = '<script>alert("x")</script> & <b>bold</b>'
FORMULA = '=HYPERLINK("http://example.com","click")'


def small_plans() -> pd.DataFrame:
    """2020: three activities (one hostile title, one formula-like title, IDB in two);
    2024: two activities, one naming the IDB."""
    return make_plans(
        [
            {
                "plan_year": 2020,
                "area_code": "3.1",
                "theme": "t1",
                "source_ref": "3.1.1",
                "title_en": HOSTILE,
                "title_es": "Gestión del conocimiento",
                "funding_sources": "idb",
                "idb_instrument": "rpg",
            },
            {
                "plan_year": 2020,
                "area_code": "3.1",
                "theme": "t1",
                "source_ref": "3.1.2",
                "title_en": FORMULA,
                "title_es": "Fórmula",
                "funding_sources": "working_group",
            },
            {
                "plan_year": 2020,
                "area_code": "3.2",
                "theme": "t2",
                "source_ref": "3.2.1",
                "title_en": "Webinar",
                "title_es": "Seminario web",
                "funding_sources": "idb;member_countries",
                "idb_instrument": "general",
            },
            {
                "plan_year": 2024,
                "area_code": "3.1",
                "theme": "t1",
                "source_ref": "3.1.10",
                "title_en": "Tenth",
                "title_es": "Décimo",
                "funding_sources": "oas",
            },
            {
                "plan_year": 2024,
                "area_code": "3.1",
                "theme": "t1",
                "source_ref": "3.1.2",
                "title_en": "Second",
                "title_es": "Segundo",
                "funding_sources": "idb",
                "idb_instrument": "general",
                "venue_mode": "on_site",
                "venue_country": "CR",
            },
        ],
        categorical=False,
    )


def small_themes() -> pd.DataFrame:
    return make_themes(
        [
            {
                "plan_year": 2020,
                "area_code": "3.1",
                "theme": "t1",
                "area_name_en": "Borders",
                "area_name_es": "Fronteras",
                "theme_label_en": "Borders <theme>",
            },
            {"plan_year": 2020, "area_code": "3.2", "theme": "t2"},
            {
                "plan_year": 2024,
                "area_code": "3.1",
                "theme": "t1",
                "area_name_en": "Borders",
                "area_name_es": "Fronteras",
                "theme_label_en": "Borders <theme>",
            },
        ],
        categorical=False,
    )


@functools.cache
def curated_bundle() -> DataBundle:
    return load_bundle()


def write(folder: Path, lang: str = "en", bundle: DataBundle | None = None) -> Path:
    """The explorer of ``bundle`` (default: the small plans), with a provenance record whose
    version holds markup."""
    if bundle is None:
        bundle = curated_bundle().replaced(plans=small_plans(), themes=small_themes())
    return explorer.write_explorer(
        bundle,
        lang=lang,
        out_path=folder / lang / "explorer.html",
        provenance={"build_date": "2024-05-01", "version": "<commit>"},
        twin_href="../other/explorer.html",
    )


def test_rows_are_in_plan_order_with_labels_in_the_page_language():
    rows = explorer.activity_rows(small_plans(), small_themes(), "es")
    assert [(r.year, r.cells["source_ref"]) for r in rows] == [
        ("2020", "3.1.1"),
        ("2020", "3.1.2"),
        ("2020", "3.2.1"),
        ("2024", "3.1.2"),
        ("2024", "3.1.10"),
    ]
    assert rows[0].cells["area"] == "3.1 Fronteras"
    assert rows[2].cells["resources"] == "BID; Países miembros"
    assert rows[3].cells["venue"] == f"{i18n.code_label('venue', 'on_site', 'es')} (CR)"
    assert rows[2].resources == ("idb", "member_countries")


def test_every_data_string_is_escaped(tmp_path):
    page = write(tmp_path).read_text(encoding="utf-8")
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "Borders &lt;theme&gt;" in page
    assert "gealc-report &lt;commit&gt;" in page and "2024-05-01" in page
    assert page.count("<script") == 2  # the words (JSON) and the explorer's own script


def test_page_loads_nothing_from_the_network(tmp_path):
    page = write(tmp_path).read_text(encoding="utf-8")
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)
    assert "@import" not in page


def test_page_words_come_from_the_catalogue_in_each_language(tmp_path):
    for lang in ("en", "es"):
        page = write(tmp_path, lang).read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in page
        for key in (
            "explorer.title",
            "explorer.download",
            "explorer.filter.resource",
            "explorer.column.resources",
        ):
            assert i18n.label(key, lang) in page, (lang, key)


def test_filter_menus_offer_what_occurs_in_the_data(tmp_path):
    page = write(tmp_path).read_text(encoding="utf-8")
    assert '<option value="2020|3.2">' in page and '<option value="2024|3.1">' in page
    assert '<option value="oas">OAS</option>' in page
    assert 'value="executive_committee"' not in page  # named by no activity here
    assert '<optgroup label="Cash">' in page and '<optgroup label="Staff time">' in page


def test_the_real_plans_are_all_listed(tmp_path):
    page = write(tmp_path, "es", bundle=curated_bundle()).read_text(encoding="utf-8")
    assert page.count("<tr data-year=") == len(curated_bundle().plans)


def test_same_inputs_give_byte_identical_pages(tmp_path):
    first = write(tmp_path / "a").read_bytes()
    second = write(tmp_path / "b").read_bytes()
    assert first == second


def test_the_title_in_the_page_language_comes_first():
    assert explorer.columns("es")[:4] == ("plan_year", "source_ref", "title_es", "title_en")
    assert explorer.columns("en")[:4] == ("plan_year", "source_ref", "title_en", "title_es")
    assert sorted(explorer.columns("es")) == sorted(explorer.COLUMNS)


def test_the_page_heads_the_spanish_title_first_in_spanish(tmp_path):
    page = write(tmp_path, "es").read_text(encoding="utf-8")
    spanish = page.index(f'data-column="title_es">{i18n.label("explorer.column.title_es", "es")}')
    english = page.index(f'data-column="title_en">{i18n.label("explorer.column.title_en", "es")}')
    assert spanish < english


def test_plan_language_is_the_title_that_repeats_the_printed_text():
    plans = curated_bundle().plans
    assert explorer.plan_languages(plans) == {2020: "en", 2024: "es"}
    # no title repeats the printed one (the small plans): no language, no mark
    assert explorer.plan_languages(small_plans()) == {}
    assert all(
        not row.translated for row in explorer.activity_rows(small_plans(), small_themes(), "es")
    )


def test_translated_titles_are_marked_and_the_mark_is_explained_in_each_language(tmp_path):
    bundle = curated_bundle()
    for lang in ("en", "es"):
        rows = explorer.activity_rows(bundle.plans, bundle.themes, lang)
        marked = {(row.year, column) for row in rows for column in row.translated}
        assert marked == {("2020", "title_es"), ("2024", "title_en")}
        assert (
            sum("title_es" in row.translated for row in rows)
            == (bundle.plans.plan_year == 2020).sum()
        )
        page = write(tmp_path / lang, lang, bundle=bundle).read_text(encoding="utf-8")
        notes = [
            html.unescape(note)
            for note in re.findall(r'<p class="hint translation-note">(.*?)</p>', page)
        ]
        assert notes == [
            i18n.label(
                "explorer.translated.back", lang, mark=explorer.TRANSLATED_MARK, years="2020"
            ),
            i18n.label(
                "explorer.translated.forward", lang, mark=explorer.TRANSLATED_MARK, years="2024"
            ),
        ]
        assert page.count('<span class="mark">') == len(bundle.plans)
        assert i18n.label("explorer.translated.cell", lang) in page


# --------------------------------------------------------------------------- browser


def _download_rows(page) -> list[list[str]]:
    with page.expect_download() as info:
        page.click("#download")
    data = Path(info.value.path()).read_bytes()
    assert data.startswith("\ufeff".encode()), "the CSV starts with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("width", [390, 1280])
def test_browser_filters_sorts_and_downloads_the_filtered_rows(browser, tmp_path, width):
    path = write(tmp_path)
    page = browser.new_page(viewport={"width": width, "height": 900}, accept_downloads=True)
    try:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri())
        visible = "#activities tbody tr:not([hidden])"
        assert page.locator(visible).count() == 5
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"

        page.select_option('select[data-filter="year"]', "2020")
        assert page.locator(visible).count() == 3
        page.select_option('select[data-filter="resource"]', "idb")
        assert page.locator(visible).count() == 2
        assert page.text_content("#count") == "2 of 5 activities shown"

        rows = _download_rows(page)
        assert rows[0][:3] == ["Year", "No.", "Title (English)"]
        assert [row[1] for row in rows[1:]] == ["3.1.1", "3.2.1"]
        assert rows[1][2] == HOSTILE  # text, exactly as the plan has it
        assert rows[1][3] == "Gestión del conocimiento"

        page.fill("#search", "gestion")  # accents and case do not matter
        assert page.locator(visible).count() == 1
        page.click("#reset")
        page.wait_for_function(
            "document.querySelectorAll('#activities tbody tr:not([hidden])').length == 5"
        )

        page.fill("#search", "hyperlink")
        rows = _download_rows(page)
        assert rows[1][2] == "'" + FORMULA, "a formula-like cell is defused"

        page.click("#reset")
        page.click('th button[data-column="source_ref"]')
        order = page.locator("#activities tbody tr td:nth-child(2)").all_text_contents()
        assert order == ["3.1.1", "3.1.2", "3.1.2", "3.1.10", "3.2.1"]
        page.click('th button[data-column="source_ref"]')
        assert (
            page.get_attribute('th:has(button[data-column="source_ref"])', "aria-sort")
            == "descending"
        )
        assert errors == []
    finally:
        page.close()


def test_browser_real_spanish_page_fits_a_phone_and_exports_titles_without_the_mark(
    browser, tmp_path
):
    path = write(tmp_path, "es", bundle=curated_bundle())
    page = browser.new_page(viewport={"width": 390, "height": 900}, accept_downloads=True)
    try:
        page.goto(path.as_uri())
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 390px"
        first_title = page.locator("#activities thead th").nth(2).text_content()
        assert first_title == i18n.label("explorer.column.title_es", "es")
        page.select_option('select[data-filter="year"]', "2020")
        rows = _download_rows(page)
        assert rows[0][2] == i18n.label("explorer.column.title_es", "es")
        spanish_2020 = set(curated_bundle().plans.query("plan_year == 2020")["title_es"])
        assert {row[2] for row in rows[1:]} == spanish_2020  # no mark in the export
    finally:
        page.close()
