"""Every word a chart can print has a glyph in the charts' font, and matplotlib's
missing-glyph warnings stay off the console (issue 20, items 8 and 10).

A label with a character DejaVu Sans lacks would be drawn as an empty box; the tests catch
it here, on the label catalogue and on the data's labels, instead of every build printing
matplotlib's warning.
"""

from __future__ import annotations

import re
import warnings

import matplotlib.pyplot as plt
import pytest

from gealc_analysis.charts import files, style
from gealc_analysis.data import vocabulary
from gealc_analysis.data.bundle import load_bundle
from gealc_analysis.words import i18n

# Text columns of the data that charts print (axis labels, legends, titles), and the titles
# the brief prints in the same font (DejaVu Sans, embedded by Typst).
CHARTED_COLUMNS = {
    "themes": ("theme_label_en", "theme_label_es", "area_name", "area_name_en", "area_name_es"),
    "plans": ("area_name", "title_en", "title_es"),
}


def test_every_label_of_the_catalogue_has_a_glyph_in_the_chart_font() -> None:
    missing = {
        (key, lang): sorted(style.missing_glyphs(text))
        for key, texts in i18n.every_label().items()
        for lang, text in texts.items()
        if style.missing_glyphs(text)
    }
    assert not missing, missing


def test_every_label_of_the_data_has_a_glyph_in_the_chart_font() -> None:
    bundle = load_bundle()
    texts = [
        (f"{table}.{column}", str(value))
        for table, columns in CHARTED_COLUMNS.items()
        for column in columns
        for value in getattr(bundle, table)[column].dropna()
    ] + [
        (f"funding_codes.label_{lang}", text)
        for labels in vocabulary.FUNDING_LABELS.values()
        for lang, text in labels.items()
    ]
    missing = {(where, text): style.missing_glyphs(text) for where, text in texts}
    assert not {key: chars for key, chars in missing.items() if chars}


def test_missing_glyphs_names_only_what_the_font_lacks() -> None:
    assert style.missing_glyphs("Añoñ «ü» – 46,4\u00a0% → ¿") == set()
    assert style.missing_glyphs("ok \u4e2d \u3042") == {"\u4e2d", "\u3042"}


def test_a_chart_with_a_missing_glyph_warns_nobody(capsys: pytest.CaptureFixture[str]) -> None:
    """The warning is filtered where charts are drawn and saved (``style.style_context``),
    so neither a notebook's output nor the build's console shows it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with style.style_context():
            fig, ax = plt.subplots()
            ax.set_title("tema \u4e2d")
        files.figure_bytes(fig, "svg")
        files.figure_bytes(fig, "png")
        plt.close(fig)
    assert not [w for w in caught if "Glyph" in str(w.message)], [str(w.message) for w in caught]
    assert "Glyph" not in capsys.readouterr().err


def test_outside_the_report_style_the_warning_is_matplotlibs_own() -> None:
    """The filter is scoped: the same drawing outside the style still warns, so a test (or a
    person) drawing by hand sees it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.set_title("tema \u4e2d")
        fig.canvas.draw()
        plt.close(fig)
    messages = [str(w.message) for w in caught]
    assert any(re.search(style.GLYPH_WARNING, message) for message in messages), messages
