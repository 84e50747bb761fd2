"""The section API: what a notebook shows is safe HTML built here — narrative Markdown with
raw HTML escaped and only safe links, figures with their finding as alt text, tables with
labels beside codes in the saved CSV and a labelled reader's view on the page."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from test_plots import venue_mix_frame
from test_tables import areas_frame, themes

from gealc_analysis.charts import plots, style
from gealc_analysis.data.bundle import DataBundle
from gealc_analysis.notebook import section
from gealc_analysis.words import markup as markup_module


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML a section displays, captured instead of sent to a kernel."""
    captured: list[str] = []
    monkeypatch.setattr(section, "_display_html", captured.append)
    return captured


def make_section(tmp_path: Path, lang: str = "es") -> section.Section:
    bundle = DataBundle(
        data_dir=tmp_path,
        years=(2020, 2024),
        plans=pd.DataFrame(),
        themes=themes(),
        lineage=pd.DataFrame(),
        alternatives=pd.DataFrame(),
        theme_kinds=pd.DataFrame(),
        funding_codes=pd.DataFrame(),
    )
    return section.Section("02_test", bundle, [2020, 2024], 2020, 2024, lang, tmp_path)


@pytest.mark.parametrize(
    "hostile",
    [
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
    ],
)
def test_say_escapes_raw_html_from_the_data(tmp_path: Path, shown: list[str], hostile: str):
    make_section(tmp_path).say(f"**Tema**: {hostile}")
    (markup,) = shown
    assert "<strong>Tema</strong>" in markup
    assert "<img" not in markup and "<script" not in markup and "<a href" not in markup
    assert "&lt;" in markup


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
    ],
)
def test_say_turns_unsafe_link_schemes_into_dead_links(tmp_path: Path, shown: list[str], url):
    make_section(tmp_path).say(f"[codebook]({url})")
    (markup,) = shown
    hrefs = re.findall(r'href="([^"]*)"', markup)  # a tab breaks the link: plain text then
    assert not hrefs, f"unsafe link kept: {markup}"  # the sanitiser drops the href
    assert "codebook" in markup


@pytest.mark.parametrize("url", ["../data/CODEBOOK.md", "#notes"])
def test_say_keeps_links_inside_the_report(tmp_path: Path, shown: list[str], url: str):
    make_section(tmp_path).say(f"[codebook]({url})")
    assert f'href="{url}"' in shown[0]


@pytest.mark.parametrize("url", ["https://www.redgealc.org", "mailto:info@example.org"])
def test_say_links_nowhere_outside_the_report(tmp_path: Path, shown: list[str], url: str):
    """A section page references nothing outside the report (issue 20, item 3)."""
    make_section(tmp_path).say(f"[codebook]({url})")
    assert "href" not in shown[0] and "codebook" in shown[0]


def test_figure_shows_the_chart_inline_as_svg_in_both_layouts_with_its_finding_as_alt(
    tmp_path, shown
):
    fig = plots.plot_venue_mix(venue_mix_frame(), lang="es")
    expected_alt = plots.chart_title(fig) + ". " + plots.chart_subtitle(fig) + "."
    make_section(tmp_path).figure(fig, "venue_mix")
    assert (tmp_path / "figures" / "venue_mix.png").is_file(), "the PNG stays as a download"
    saved = (tmp_path / "figures" / "venue_mix.svg").read_text(encoding="utf-8")
    (markup,) = shown
    assert markup.startswith('<figure class="gealc-figure" data-figure="venue_mix"><svg ')
    svgs = re.findall(r"<svg [^>]*>", markup)
    assert len(svgs) == 2
    assert 'class="chart chart-desktop"' in svgs[0] and 'class="chart chart-phone"' in svgs[1]
    for tag in svgs:
        assert 'role="img"' in tag and f'aria-label="{expected_alt}"' in tag
    assert markup.count(f"<title>{expected_alt}</title>") == 2
    # desktop at its design width in CSS px (1 pt = 1 px), the phone one narrower
    widths = [float(re.search(r' width="([0-9.]+)"', tag).group(1)) for tag in svgs]
    assert widths == [pytest.approx(lay.width_in * 72, abs=0.01) for lay in style.LAYOUTS.values()]
    assert plots.chart_title(fig).split()[0] in saved, "the saved SVG keeps real text"
    # what the page's sanitiser keeps is the whole chart (nothing of it is dropped)
    assert str(markup_module.sanitize(markup)).count("<text") == markup.count("<text")
    assert "style=" not in markup and "<style" not in markup
    ids = re.findall(r' id="([^"]+)"', markup)
    assert len(ids) == len(set(ids)), "two layouts of a chart share no id"
    assert all(i.startswith(("venue_mix-desktop-", "venue_mix-phone-")) for i in ids)


def test_figure_alt_text_given_by_hand_is_escaped(tmp_path: Path, shown: list[str]):
    fig = plots.plot_venue_mix(venue_mix_frame())
    make_section(tmp_path).figure(fig, "venue_mix", alt='"><script>alert(1)</script>')
    assert "<script>" not in shown[0]
    assert 'aria-label="&quot;&gt;&lt;script&gt;' in shown[0]


def test_table_saves_labels_beside_codes_and_shows_the_labelled_view(tmp_path, shown):
    make_section(tmp_path, "en").table(areas_frame(), "activities_by_area")
    saved = pd.read_csv(tmp_path / "tables" / "activities_by_area.csv")
    assert list(saved.columns) == [
        "plan_year",
        "area_code",
        "area_name",
        "area_label",
        "theme",
        "theme_label",
        "n_activities",
    ]
    assert saved["theme"].tolist()[0] == "cross_border_services"


def test_spanish_table_saves_spanish_headers_and_labels_and_shows_the_labelled_view(
    tmp_path, shown
):
    make_section(tmp_path, "es").table(areas_frame(), "activities_by_area")
    saved = pd.read_csv(tmp_path / "tables" / "activities_by_area.csv")
    assert list(saved.columns) == [
        "Año del plan",
        "Área",
        "Área de trabajo",
        "Tema",
        "Actividades",
    ]
    assert saved["Tema"].tolist()[0] == "Servicios transfronterizos"
    (markup,) = shown
    assert "cross_border_services" not in markup
    assert "Servicios transfronterizos" in markup
    assert '<td class="code" data-label="Área">3.1</td>' in markup


def test_labelled_gives_charts_area_names_in_the_sections_language(tmp_path: Path):
    labelled = make_section(tmp_path, "es").labelled(areas_frame())
    assert labelled["area_label"].tolist()[0] == "Servicios transfronterizos"  # 2020 printed EN


def test_a_chart_laid_out_elsewhere_gets_its_suptitle_and_panel_title_as_alt_text():
    from matplotlib.figure import Figure

    from gealc_analysis.charts import style

    fig = Figure()
    ax = fig.subplots()
    fig.suptitle("13 of 28 activities\nin 2020")
    ax.set_title("Activities per plan", loc="left")
    assert style.alt_text(fig) == "13 of 28 activities in 2020. Activities per plan."
