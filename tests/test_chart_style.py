"""The charts' look as rules: text on a fill has a contrast of at least 4.5:1, categories drawn
in one chart differ in grey-scale, greys mean plan years only, and an inlined chart is made
only of what the page's sanitiser keeps."""

from __future__ import annotations

import itertools

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import QuadMesh
from matplotlib.patches import PathPatch
from test_plots import count_by_theme_frame, semester_event_load_frame, semester_load_frame

from gealc_analysis.charts import files, lineage_flows, plots, robustness_ranges, style
from gealc_analysis.words import markup

# Every set of categories the report draws together, each a fill of its own.
DRAWN_TOGETHER: dict[str, dict[str, str]] = {
    "plan years": style.PALETTES["plan_year"],
    "funding sources": style.FUNDING_COLOURS,
    "timing classes": style.TIMING_COLOURS,
    "IDB instruments": style.IDB_INSTRUMENT_COLOURS,
    "change": {k: v for k, v in style.CHANGE_COLOURS.items() if k != "no_change"},
    "lineage relations": {
        r: c for r, c in style.LINEAGE_COLOURS.items() if r not in style.LINEAGE_HATCHES
    },
}


def test_contrast_ratio_matches_wcag_reference_values():
    assert style.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert style.contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert style.lightness("#FFFFFF") == pytest.approx(100.0)
    assert style.lightness("#000000") == pytest.approx(0.0)


@pytest.mark.parametrize("name", sorted(DRAWN_TOGETHER))
def test_text_printed_on_any_fill_of_the_report_has_a_contrast_of_4_5(name):
    for code, fill in DRAWN_TOGETHER[name].items():
        ink = style.text_colour_on(fill)
        assert style.contrast_ratio(ink, fill) >= style.MIN_CONTRAST, (name, code, fill, ink)


def test_text_on_every_shade_of_the_heat_map_ramp_has_a_contrast_of_4_5():
    cmap = matplotlib.colormaps[style.SEQUENTIAL_CMAP]
    for step in range(101):
        fill = matplotlib.colors.to_hex(cmap(step / 100))
        assert style.contrast_ratio(style.text_colour_on(fill), fill) >= style.MIN_CONTRAST, fill


@pytest.mark.parametrize("name", sorted(DRAWN_TOGETHER))
def test_categories_drawn_together_differ_in_grey_scale(name):
    fills = DRAWN_TOGETHER[name]
    for (a, fa), (b, fb) in itertools.combinations(fills.items(), 2):
        step = abs(style.lightness(fa) - style.lightness(fb))
        assert step >= style.MIN_LIGHTNESS_STEP, f"{name}: {a} and {b} print as one grey ({step})"


def test_hatches_mean_one_thing_each():
    """/// on white: not specified by the plan; crosses: dropped; lines: new. Never shared."""
    hatches = [style.UNSPECIFIED_HATCH, *style.LINEAGE_HATCHES.values()]
    assert len(set(hatches)) == len(hatches)
    assert all(style.LINEAGE_COLOURS[r] == "#FFFFFF" for r in style.LINEAGE_HATCHES)


def _greyish(colour) -> bool:
    r, g, b, _ = matplotlib.colors.to_rgba(colour)
    return max(r, g, b) - min(r, g, b) < 0.02 and 0.05 < r < 0.95


def test_the_lineage_and_robustness_charts_fill_nothing_with_a_grey(real_bundle_charts):
    """Greys are plan years: a relation or a range never wears one."""
    flow, ranges = real_bundle_charts
    for patch in flow.axes[0].patches:
        assert not _greyish(patch.get_facecolor()), patch
    for ax in ranges.axes:
        for line in ax.lines:
            assert not _greyish(line.get_color()), line
        for collection in ax.collections:
            for colour in collection.get_colors():
                assert not _greyish(colour)


@pytest.fixture(scope="module")
def real_bundle_charts():
    from gealc_analysis.data.bundle import load_bundle
    from gealc_analysis.measures import lineage, robustness
    from gealc_analysis.words import robustness as robustness_words

    bundle = load_bundle()
    links = bundle.lineage
    flow = lineage_flows.plot_theme_flow(
        lineage.theme_flows(links, bundle.plans),
        lineage.lineage_counts(links, bundle.plans),
        robustness_words.theme_labels(bundle.themes, None, "es"),
        lineage.theme_totals(bundle.plans),
        from_year=2020,
        to_year=2024,
        lang="es",
    )
    table = robustness.robustness(bundle.plans, bundle.themes, bundle.alternatives, 2020, 2024)
    return flow, robustness_ranges.plot_headline_ranges(table, lang="es")


def test_lineage_bands_use_the_relation_colours_and_stubs_their_hatch(real_bundle_charts):
    flow, _ = real_bundle_charts
    bands = [p for p in flow.axes[0].patches if isinstance(p, PathPatch)]
    fills = {(matplotlib.colors.to_hex(p.get_facecolor()), p.get_hatch() or "") for p in bands}
    expected = {
        (style.LINEAGE_COLOURS[r].lower(), style.LINEAGE_HATCHES.get(r, ""))
        for r in style.LINEAGE_COLOURS
    }
    assert fills <= expected
    assert ("#ffffff", "xx") in fills and ("#ffffff", "--") in fills


@pytest.mark.parametrize(
    ("plot", "frame"),
    [
        (plots.plot_semester_load, semester_load_frame),
        (plots.plot_semester_event_load, semester_event_load_frame),
    ],
)
def test_values_printed_on_stacked_segments_contrast_with_the_segment(plot, frame):
    fig = plot(frame())
    checked = 0
    for text in fig.axes[0].texts:
        box = text.get_bbox_patch()
        if text.get_text() and box is not None:
            fill = matplotlib.colors.to_hex(box.get_facecolor())
            ink = matplotlib.colors.to_hex(text.get_color())
            assert style.contrast_ratio(ink, fill) >= style.MIN_CONTRAST, (text.get_text(), fill)
            checked += 1
    assert checked >= 2


def test_heat_map_percentages_contrast_with_their_cell():
    fig = plots.plot_theme_heatmap(count_by_theme_frame(), lang="es")
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    (mesh,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
    n_columns = len(ax.get_xticks())
    cells = mesh.get_facecolors()
    texts = [t for t in ax.texts if t.get_text()]
    assert len(texts) == len(cells)
    for text in texts:
        x, y = text.get_position()
        fill = matplotlib.colors.to_hex(cells[int(y) * n_columns + int(x)])
        ink = matplotlib.colors.to_hex(text.get_color())
        assert style.contrast_ratio(ink, fill) >= style.MIN_CONTRAST, (text.get_text(), fill)


def test_an_inlined_chart_is_made_only_of_what_the_page_sanitiser_keeps():
    assert files.SVG_ELEMENTS <= markup.SVG_TAGS
    page_attributes = markup.SVG_ATTRIBUTES | markup.ALLOWED_ATTRIBUTES["*"]
    assert files.SVG_ATTRIBUTES <= page_attributes


def test_the_chart_font_ships_in_the_stylesheet_the_same_every_build():
    css = files.font_face_css()
    assert css == files.font_face_css()
    assert css.count("@font-face") == 2
    assert f'font-family: "{style.FONT_FAMILY}"' in css
    assert "font-weight: bold" in css and "data:font/woff;base64," in css
    assert "http" not in css, "nothing downloads"


def test_the_sanitiser_keeps_chart_svg_but_nothing_that_leaves_the_page_or_runs():
    hostile = (
        '<svg viewBox="0 0 10 10" width="10" role="img" aria-label="a" onload="x()" style="x">'
        '<title>a</title><defs><clipPath id="c-p1"><rect x="1" width="2" height="2"/></clipPath>'
        '</defs><g clip-path="url(#c-p1)"><path d="M 0 0 L 1 1" fill="url(https://evil/x)"/>'
        '<use href="#c-m1" x="1"/><use href="https://evil/#x"/>'
        '<text x="1" y="2" font-size="11px" fill="#000">Hi &lt;b&gt;</text></g>'
        "<script>alert(1)</script><foreignObject><p>q</p></foreignObject>"
        '<animate attributeName="href" to="javascript:alert(1)"/><image href="x.png"/></svg>'
    )
    clean = str(markup.sanitize(hostile))
    assert '<g clip-path="url(#c-p1)">' in clean and '<use href="#c-m1" x="1">' in clean
    assert '<text x="1" y="2" font-size="11px" fill="#000">Hi &lt;b&gt;</text>' in clean
    for gone in ("onload", "style=", "evil", "<script", "alert", "<foreignObject", "<animate",
                 "<image"):  # fmt: skip
        assert gone not in clean, gone
