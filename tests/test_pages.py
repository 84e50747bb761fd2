"""The page-rendering helpers, on small hand-made inputs (no build, no browser)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
from markupsafe import Markup

from gealc_analysis.build import pages
from gealc_analysis.build.site import copy_data, landing_order, languages_to_build
from gealc_analysis.data.bundle import load_bundle
from gealc_analysis.words import i18n

# ------------------------------------------------------------------ links


def test_href_percent_encodes_path_parts() -> None:
    assert pages.href("01 a", "figures", "x y.png") == "01%20a/figures/x%20y.png"


# ------------------------------------------------------------------ sanitising


def test_a_section_body_is_sanitised_as_the_page_is_rendered() -> None:
    """Whatever the notebook wrote, the page keeps no script and no unsafe link, and keeps
    the in-page anchors of its headings."""
    body = (
        '<h2 id="A:-b">A: b<a class="anchor-link" href="#A:-b">¶</a></h2>'
        '<script>alert(1)</script><a href="javascript:alert(1)">x</a>'
    )
    chrome = pages.Chrome(
        lang="en", root="../", site_title="S", index=pages.Link("index.html", "I")
    )
    html = pages.section_page(chrome, pages.SectionPage(title="T", body_html=body))
    assert '<a class="anchor-link" href="#A:-b">¶</a>' in html
    assert "alert(1)" not in html and "javascript:" not in html


# ------------------------------------------------------------------ figures and tables


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("12", "num"),
        ("46.4%", "num"),
        ("46,4 %", "num"),
        ("46,4\u00a0%", "num"),
        ("−3", "num"),
        ("+2", "num"),
        ("1,234", "num"),
        ("0.81", "num"),
        ("3.1.4", "code"),
        ("2024-3.1.4", "code"),
        ("cross_border_services", "code"),
        ("Open data", None),
        ("", None),
    ],
)
def test_table_cells_are_classed_numbers_right_codes_unbroken(cell: str, kind: str) -> None:
    expected = f'<td class="{kind}">{cell}</td>' if kind else f"<td>{cell}</td>"
    assert pages.classify_table_cells(f"<td>{cell}</td>") == expected


def test_headers_of_all_number_columns_are_right_aligned() -> None:
    table = (
        "<table><thead><tr><th>Year</th><th>Area</th><th>n</th></tr></thead><tbody>"
        "<tr><td>2020</td><td>Open data</td><td>3</td></tr>"
        "<tr><td>2024</td><td>Cyber security</td><td>4</td></tr></tbody></table>"
    )
    html = pages.classify_table_cells(table)
    assert '<th class="num">Year</th><th>Area</th><th class="num">n</th>' in html


def test_table_links_use_titles_from_the_catalogue_and_offer_the_spreadsheet(
    tmp_path: Path,
) -> None:
    (tmp_path / "funding_dependence.csv").write_text("a\n", encoding="utf-8")
    (tmp_path / "funding_dependence.xlsx").write_bytes(b"x")
    (tmp_path / "unlabelled_table.csv").write_text("a\n", encoding="utf-8")
    links = pages.table_links(tmp_path, "03_f/tables", "es")
    assert links[0] == pages.TableLink(
        title=i18n.label("pages.table.funding_dependence", "es"),
        csv_href="03_f/tables/funding_dependence.csv",
        xlsx_href="03_f/tables/funding_dependence.xlsx",
    )
    assert links[1].title == "unlabelled_table" and links[1].xlsx_href is None


# ------------------------------------------------------------------ navigation


SECTIONS = [("01_a", "Overview"), ("02_b", "Areas"), ("03_c", "Funding")]


def test_pager_links_the_neighbours_and_stops_at_the_ends() -> None:
    assert pages.pager(SECTIONS, "01_a") == (None, pages.Link("02_b.html", "Areas"))
    assert pages.pager(SECTIONS, "02_b") == (
        pages.Link("01_a.html", "Overview"),
        pages.Link("03_c.html", "Funding"),
    )
    assert pages.pager(SECTIONS, "03_c") == (pages.Link("02_b.html", "Areas"), None)


def test_menu_marks_the_current_section() -> None:
    menu = pages.section_menu(SECTIONS, "02_b", prefix="../")
    assert [(link.href, link.current) for link in menu] == [
        ("../01_a.html", False),
        ("../02_b.html", True),
        ("../03_c.html", False),
    ]


def test_twin_link_points_at_the_same_page_in_the_other_language() -> None:
    twin = pages.twin_link(PurePosixPath("notebooks/01_a.html"), "en", ["en", "es"])
    assert twin == pages.Link(
        "../../es/notebooks/01_a.html", i18n.label("pages.this_page_in", "es"), lang="es"
    )
    assert (
        pages.twin_link(PurePosixPath("index.html"), "es", ["en", "es"]).href == "../en/index.html"
    )
    assert pages.twin_link(PurePosixPath("index.html"), "es", ["es"]) is None


def test_footer_links_every_curated_file_the_codebook_package_raw_and_provenance() -> None:
    files = [
        "data/CODEBOOK.md",
        "data/curated/plan_2020.csv",
        "data/curated/themes.csv",
        "data/datapackage.json",
        "data/raw/SOURCES.md",
        "data/raw/plan.txt",
    ]
    links = pages.footer_links(files, "es", "../", "provenance.json")
    assert [link.href for link in links] == [
        "../data/curated/plan_2020.csv",
        "../data/curated/themes.csv",
        "../data/CODEBOOK.md",
        "../data/datapackage.json",
        "../data/raw/SOURCES.md",
        "provenance.json",
    ]
    assert links[2].label == i18n.label("pages.footer.codebook", "es")
    assert [link.label for link in links[:2]] == ["plan_2020.csv", "themes.csv"]
    assert {link.group for link in links[:2]} == {i18n.label("pages.footer.curated", "es")}


def test_the_footer_shows_grouped_links_on_one_line() -> None:
    files = ["data/curated/plan_2020.csv", "data/curated/themes.csv", "data/CODEBOOK.md"]
    frame = pages.Chrome(
        lang="en",
        root="../",
        site_title="t",
        index=pages.Link("index.html", "i"),
        footer_links=pages.footer_links(files, "en", "../", None),
    )
    html = pages.section_page(frame, pages.SectionPage(title="t", body_html=""))
    assert (
        '<li>Curated data (CSV): <a href="../data/curated/plan_2020.csv">plan_2020.csv</a>'
        ' · <a href="../data/curated/themes.csv">themes.csv</a></li>'
    ) in html
    assert '<li><a href="../data/CODEBOOK.md">Codebook</a></li>' in html


# ------------------------------------------------------------------ pages


def chrome(lang: str = "en") -> pages.Chrome:
    return pages.Chrome(
        lang=lang,
        root="../",
        site_title="Plans <2020>",
        index=pages.Link("index.html", "Index"),
        provenance_line="gealc-report 0.1.0 · data <sha>",
    )


def front() -> pages.Front:
    return pages.Front(
        numbers=(
            pages.KeyNumber("41", "activities in 2024 <plan>"),
            pages.KeyNumber("11 of 15", "b"),
        ),
        chart=pages.Chart(
            Markup(
                '<figure class="gealc-figure"><svg aria-label="Only &lt;cash&gt;"></svg></figure>'
            ),
            "Only <cash>",
            pages.Link("03_c.html", "Funding"),
        ),
        findings=(
            pages.KeyFinding(
                "**13** of 28 <script>x</script>", "Holds under every coding.", "07_r.html"
            ),
            pages.KeyFinding("Second", "Depends on how X is read; see section 07.", ""),
        ),
        questions=("Which *instrument* funds the **11**?",),
        idb_list=pages.Link("03_c.html#idb-list", "The IDB list"),
    )


def test_index_page_opens_with_numbers_chart_findings_and_the_committee_block() -> None:
    html = pages.index_page(
        chrome(),
        title="Plans <2020>",
        parameters_line="Parameters: years 2020",
        front=front(),
        caveat="Plans are *plans*.",
        sections=[pages.IndexEntry("01_a.html", "Overview & <more>")],
    )
    order = ["key-numbers", "front-chart", "key-findings", 'id="committee"', "section-entry"]
    assert [html.index(part) for part in order] == sorted(html.index(part) for part in order)
    assert (
        '<span class="number">41</span> '
        '<span class="number-label">activities in 2024 &lt;plan&gt;</span>' in html
    )
    assert '<svg aria-label="Only &lt;cash&gt;"></svg>' in html  # the section's own markup
    assert '<a href="03_c.html">' in html
    assert "<li><strong>13</strong> of 28 &lt;script&gt;x&lt;/script&gt;" in html
    assert '<a class="robustness" href="07_r.html">Holds under every coding.</a>' in html
    assert '<span class="robustness">Depends on how X is read; see section 07.</span>' in html
    assert "<li>Which <em>instrument</em> funds the <strong>11</strong>?</li>" in html
    assert '<a class="idb-list" href="03_c.html#idb-list">The IDB list →</a>' in html
    assert '<p class="caveat">Plans are <em>plans</em>.</p>' in html
    assert "Overview &amp; &lt;more&gt;" in html and "<title>Plans &lt;2020&gt;</title>" in html
    assert '<link rel="stylesheet" href="../assets/report.css">' in html
    assert "gealc-report 0.1.0 · data &lt;sha&gt;" in html


def test_an_index_without_findings_leaves_the_front_blocks_out() -> None:
    html = pages.index_page(
        chrome("es"),
        title="Planes",
        parameters_line="p",
        front=pages.Front(),
        caveat=None,
        sections=[pages.IndexEntry("01_a.html", "Resumen")],
    )
    for part in ("key-numbers", "front-chart", "key-findings", 'id="committee"'):
        assert part not in html


def test_section_page_has_pager_menu_twin_and_table_links() -> None:
    frame = pages.Chrome(
        lang="es",
        root="../",
        site_title="Planes",
        index=pages.Link("index.html", "Índice"),
        twin=pages.Link("../en/02_b.html", "This page in English", lang="en"),
        menu=pages.section_menu(SECTIONS, "02_b"),
        previous=pages.Link("01_a.html", "Overview"),
        next=pages.Link("03_c.html", "Funding"),
    )
    page = pages.SectionPage(
        title="Areas",
        body_html="<p>body</p>",
        tables=(pages.TableLink("Tabla", "02_b/tables/t.csv", "02_b/tables/t.xlsx"),),
        notebook_href="notebooks/02_b.html",
    )
    html = pages.section_page(frame, page)
    assert '<html lang="es">' in html and "<p>body</p>" in html
    assert 'href="../en/02_b.html" hreflang="en" lang="en">This page in English</a>' in html
    assert '<a href="02_b.html" aria-current="page">Areas</a>' in html
    assert 'rel="prev" href="01_a.html"' in html and 'rel="next" href="03_c.html"' in html
    assert '<a href="02_b/tables/t.csv">CSV</a> · <a href="02_b/tables/t.xlsx">Excel</a>' in html
    assert i18n.label("pages.executed_notebook", "es") in html


def test_landing_page_offers_each_language_in_its_own_words() -> None:
    html = pages.landing_page(
        languages=["es", "en"],
        index_hrefs={"en": "en/index.html", "es": "es/index.html"},
        years_line="2020 → 2024",
        footer=(),
        provenance_line="p",
    )
    assert '<html lang="es">' in html
    assert html.index('<li lang="es">') < html.index('<li lang="en">')
    assert (
        f'<span class="title-other" lang="en">· {i18n.label("report.title", "en")}</span>' in html
    )
    for lang in ("en", "es"):
        assert f'<li lang="{lang}">' in html
        assert i18n.label("pages.landing.open", lang) in html
        assert f'href="{lang}/index.html"' in html


def test_the_landing_page_puts_spanish_first_whatever_the_catalogue_order() -> None:
    assert landing_order(("en", "es")) == ("es", "en")
    assert landing_order(("en",)) == ("en",)


def test_links_to_english_only_documents_say_so_on_spanish_pages() -> None:
    files = [
        "data/CODEBOOK.md",
        "data/CODEBOOK.html",
        "data/raw/SOURCES.md",
        "data/raw/SOURCES.html",
    ]
    spanish = pages.footer_links(files, "es", "../", None, "en")
    assert [(link.label, link.lang) for link in spanish] == [
        ("Libro de códigos (en inglés)", "en"),
        ("Fuentes originales (en inglés)", "en"),
    ]
    assert [link.href for link in spanish] == ["../data/CODEBOOK.html", "../data/raw/SOURCES.html"]
    english = pages.footer_links(files, "en", "../", None, "en")
    assert [(link.label, link.lang) for link in english] == [
        ("Codebook", None),
        ("Raw sources", None),
    ]
    frame = pages.Chrome(
        lang="es",
        root="../",
        site_title="t",
        index=pages.Link("index.html", "i"),
        footer_links=spanish,
    )
    html = pages.section_page(frame, pages.SectionPage(title="t", body_html=""))
    assert '<a href="../data/CODEBOOK.html" hreflang="en">Libro de códigos (en inglés)</a>' in html


def test_a_documents_tables_scroll_in_a_box_the_keyboard_reaches() -> None:
    html = pages.document_page(
        "# Codebook\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        title="CODEBOOK",
        root="../",
        lang="en",
        source_href="CODEBOOK.md",
    )
    assert '<div tabindex="0" class="table-box" role="region" aria-label="Table"><table>' in html
    assert "</table></div>" in html


def test_a_sections_table_boxes_stay_reachable_by_keyboard_after_sanitising() -> None:
    body = '<div class="table-box" tabindex="0" role="region" aria-label="T"><table></table></div>'
    html = pages.section_page(chrome(), pages.SectionPage(title="t", body_html=body))
    assert '<div tabindex="0" class="table-box" role="region" aria-label="T">' in html
    assert html.count("tabindex") == 1
    reordered = '<div aria-label="T" class="table-box" role="region"><table></table></div>'
    assert pages.focusable_boxes(reordered) == (
        '<div tabindex="0" aria-label="T" class="table-box" role="region"><table></table></div>'
    )
    hostile = '<div class="x" tabindex="5"><p tabindex="3">x</p></div>'
    assert "tabindex" not in pages.section_page(chrome(), pages.SectionPage("t", hostile))


def test_a_spanish_page_links_the_spanish_twin_of_a_document_when_there_is_one() -> None:
    files = ["data/CODEBOOK.es.html", "data/CODEBOOK.es.md", "data/CODEBOOK.html",
             "data/CODEBOOK.md", "data/raw/SOURCES.md"]  # fmt: skip
    spanish = pages.footer_links(files, "es", "", None, "en")
    assert [(link.href, link.label, link.lang) for link in spanish] == [
        ("data/CODEBOOK.es.html", "Libro de códigos", None),
        ("data/raw/SOURCES.md", "Fuentes originales (en inglés)", "en"),
    ]
    english = pages.footer_links(files, "en", "", None, "en")
    assert [link.href for link in english] == ["data/CODEBOOK.html", "data/raw/SOURCES.md"]


def test_links_to_a_sections_files_still_resolve_one_folder_down() -> None:
    body = '<p><a href="03_c/tables/t.csv">CSV</a> <a href="other.html">x</a></p>'
    assert pages.relink(body, "03_c/", "../03_c/") == (
        '<p><a href="../03_c/tables/t.csv">CSV</a> <a href="other.html">x</a></p>'
    )


def test_the_stylesheet_keeps_the_reading_rules() -> None:
    css = pages.stylesheet_text()
    for rule in (
        "max-width: 44rem",
        "max-width: 100%",
        "overflow-x: auto",
        "table.stack td::before { content: attr(data-label);",
        "td.num { text-align: right",
        "td.code { white-space: nowrap; }",
    ):
        assert rule in css, rule


# ------------------------------------------------------------------ build helpers


def test_languages_default_to_every_supported_one() -> None:
    assert languages_to_build(None) == i18n.SUPPORTED_LANGS
    assert languages_to_build("es") == ("es",)
    with pytest.raises(ValueError, match="Unsupported language"):
        languages_to_build("fr")


def test_copy_data_keeps_the_data_folders_layout(tmp_path: Path) -> None:
    root = tmp_path / "data"
    (root / "curated").mkdir(parents=True)
    (root / "curated" / "plan_2020.csv").write_text("x\n", encoding="utf-8")
    (root / "curated" / ".~lock").write_text("editor", encoding="utf-8")
    (root / "raw").mkdir()
    (root / "raw" / "SOURCES.md").write_text("s\n", encoding="utf-8")
    (root / "CODEBOOK.md").write_text("c\n", encoding="utf-8")
    copied = copy_data(root / "curated", tmp_path / "report")
    assert "data/curated/plan_2020.csv" in copied
    assert "data/raw/SOURCES.md" in copied and "data/CODEBOOK.md" in copied
    assert "data/curated/.~lock" not in copied
    assert "data/datapackage.json" in copied  # the project's own, when the data has none


def stub_products(monkeypatch: pytest.MonkeyPatch, calls: dict, brief_error: Exception | None):
    """The build's products module with brief and explorer writers that record their call."""
    import types

    from gealc_analysis.build import products
    from gealc_analysis.products import brief

    def write_brief(bundle, **kwargs):
        calls["brief"] = {"bundle": bundle, **kwargs}
        kwargs["out_path"].write_bytes(b"%PDF")
        if brief_error:
            raise brief_error
        return kwargs["out_path"]

    def write_explorer(bundle, **kwargs):
        calls["explorer"] = {"bundle": bundle, **kwargs}
        kwargs["out_path"].write_text("<html></html>", encoding="utf-8")
        return kwargs["out_path"]

    monkeypatch.setattr(
        products,
        "brief",
        types.SimpleNamespace(
            write_brief=write_brief, BriefDoesNotFitError=brief.BriefDoesNotFitError
        ),
    )
    monkeypatch.setattr(products, "explorer", types.SimpleNamespace(write_explorer=write_explorer))
    return products


def test_brief_and_explorer_are_written_from_the_bundle_and_linked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: dict[str, dict] = {}
    products = stub_products(monkeypatch, calls, brief_error=None)
    bundle = load_bundle()
    links = products.write_products(
        tmp_path,
        bundle=bundle,
        baseline_year=2020,
        compare_year=2024,
        lang="es",
        languages=["en", "es"],
        prov={"data_sha256": "x"},
    )
    assert [link.href for link in links] == ["brief.pdf", "explorer.html"]
    assert links[0].label == i18n.label("pages.product.brief", "es")
    assert calls["brief"]["bundle"] is bundle and calls["explorer"]["bundle"] is bundle
    assert calls["brief"]["lang"] == "es" and calls["brief"]["provenance"] == {"data_sha256": "x"}
    assert calls["explorer"]["twin_href"] == "../en/explorer.html"


def write_en_products(products, folder: Path, said: list[str]):
    return products.write_products(
        folder,
        bundle=load_bundle(),
        baseline_year=2020,
        compare_year=2024,
        lang="en",
        languages=["en"],
        prov={},
        progress=said.append,
    )


def test_a_brief_that_does_not_fit_fails_the_build_naming_the_labels_to_shorten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All or nothing (issue 20, item 4): no report is published without its brief; the
    error is the user's to fix (exit 2) and names the data the findings quote."""
    from gealc_analysis.build.errors import EXIT_USER, BuildError
    from gealc_analysis.products.brief import BriefDoesNotFitError

    calls: dict[str, dict] = {}
    products = stub_products(monkeypatch, calls, BriefDoesNotFitError("page 1 needs 2 pages"))
    said: list[str] = []
    with pytest.raises(BuildError) as raised:
        write_en_products(products, tmp_path, said)
    message = str(raised.value)
    assert raised.value.exit_code == EXIT_USER
    assert "brief.pdf cannot be written: page 1 needs 2 pages" in message
    themes = load_bundle().themes
    longest = max(themes["theme_label_en"], key=len)
    assert f"{longest!r} ({len(longest)} characters)" in message and "themes.csv" in message
    assert "explorer" not in calls and said == []


def test_a_product_the_disk_refuses_fails_the_build_with_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from gealc_analysis.build.errors import EXIT_USER, BuildError

    full = OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "brief.pdf"))
    products = stub_products(monkeypatch, {}, brief_error=full)
    with pytest.raises(BuildError) as raised:
        write_en_products(products, tmp_path, [])
    assert raised.value.exit_code == EXIT_USER
    assert f"cannot write {tmp_path / 'brief.pdf'}: No space left on device" in str(raised.value)


def test_a_brief_that_breaks_is_an_internal_error_not_a_skipped_product(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in the brief is not the user's to fix: it propagates (the build keeps the
    failed folder and exits 1), and no index is written that leaves the brief out."""
    products = stub_products(monkeypatch, {}, brief_error=RuntimeError("a bug"))
    with pytest.raises(RuntimeError, match="a bug"):
        write_en_products(products, tmp_path, [])


# ------------------------------------------------------------------ the index's front


def hand_made_headlines():
    """Headlines as measures.findings makes them, built by hand (numbers invented for the
    test: only the wording and the links are under test here)."""
    from gealc_analysis.measures.findings import Figure, Finding, Headlines, KeyNumber, Question

    def figure(plan: str, value: float, base: float = float("nan"), holds: bool = True):
        depends = () if holds else ("idb_consultant",)
        return Figure("h", plan, value, value, value, base, holds, depends, ())

    a0, a1 = figure("2020", 13, 13), figure("2024", 11, 15, holds=False)
    return Headlines(
        baseline_year=2020,
        compare_year=2024,
        numbers=(
            KeyNumber("n_activities", figure("2024", 41)),
            KeyNumber("idb_only_cash_of_cash", a1),
            KeyNumber("n_events", figure("2024", 47)),
        ),
        findings=(
            Finding("idb_only_cash", {"a0": a0, "a1": a1}, {}, False, ("idb_consultant",), "03_c"),
        ),
        questions=(Question("idb_instrument", {"n": figure("2024", 11)}),),
    )


SHOWN_FIGURE = (
    '<figure class="gealc-figure" data-figure="exposure">'
    '<svg class="chart chart-desktop" role="img" aria-label="Only cash &lt;IDB&gt;">'
    "<title>Only cash &lt;IDB&gt;</title><script>alert(1)</script></svg></figure>"
)


def test_the_front_words_the_headlines_and_links_only_sections_the_report_holds() -> None:
    from gealc_analysis.build.index import IndexSection, front
    from gealc_analysis.words import findings as finding_words

    headlines = hand_made_headlines()
    sections = [
        IndexSection(
            "03_funding_dependence",
            "Funding",
            figures=("exposure.png",),
            figure_markup={"exposure": SHOWN_FIGURE},
        ),
        IndexSection("07_robustness", "Robustness"),
    ]
    shown = front(headlines, "es", sections)
    assert [number.number for number in shown.numbers] == ["41", "11 de 15", "47"]
    assert shown.numbers[0].label == finding_words.number_label(headlines.numbers[0], "es")
    (finding,) = shown.findings
    assert finding.sentence == finding_words.finding_sentence(headlines.findings[0], "es")
    assert finding.robustness == finding_words.robustness_line(headlines.findings[0], "es")
    assert finding.robustness_href == "07_robustness.html"
    assert shown.questions == (finding_words.question_sentence(headlines.questions[0], "es"),)
    assert shown.chart is not None
    assert shown.chart.alt == "Only cash <IDB>"
    assert shown.chart.section == pages.Link("03_funding_dependence.html", "Funding")
    assert 'aria-label="Only cash &lt;IDB&gt;"' in shown.chart.html
    assert "<script" not in shown.chart.html  # sanitised like a section page
    assert shown.idb_list == pages.Link(
        "03_funding_dependence.html#idb-list", i18n.label("pages.idb_list", "es")
    )
    alone = front(headlines, "en", [])  # a partial build: no section to link
    assert alone.chart is None and alone.idb_list is None
    assert alone.findings[0].robustness_href == ""


def test_the_front_chart_is_the_figure_its_section_showed() -> None:
    import nbformat

    from gealc_analysis.build.index import figure_markup
    from gealc_analysis.notebook.section import figure_html

    shown = figure_html({"desktop": "<svg aria-label='A &amp; B'></svg>"}, "exposure")
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [
        nbformat.v4.new_output("display_data", {"text/html": "<p>before</p>" + shown}),
        nbformat.v4.new_output("display_data", {"text/html": shown.replace("A &amp;", "C")}),
    ]
    notebook.cells = [cell]
    assert figure_markup(notebook) == {"exposure": shown}  # the first time it is shown
