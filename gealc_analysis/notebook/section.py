"""What a report notebook needs in one object: validated data, resolved parameters, and
``figure`` / ``table`` / ``say`` calls that both save the output and show it.

Keeping this here keeps the notebooks thin (parameters, narrative, calls) and makes every
notebook resolve its parameters the same way, whether the build or a person runs it.

Everything a section shows is HTML built here, escaped by construction: narrative Markdown is
rendered with raw HTML escaped and sanitised (``words.markup.markdown_html``), tables are
escaped cell by cell (``tables.reader_html``), and a figure is inline SVG written by
``charts.files.inline_svg`` (text escaped by the XML writer; only the elements and attributes
the page's sanitiser keeps). Text from the data (a crosswalk label, a title) can never run in
a reader's browser.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from gealc_analysis.charts import files, style
from gealc_analysis.core import outputs, paths
from gealc_analysis.core.years import comparison_years, parse_years
from gealc_analysis.data.bundle import DataBundle
from gealc_analysis.notebook.handoff import load_validated
from gealc_analysis.words import exports, i18n, markup, tables

FIGURE_CLASS = "gealc-figure"


def markdown_html(markdown: str) -> str:
    """Markdown → HTML with every raw tag escaped and only safe links (``words.markup``)."""
    return str(markup.markdown_html(markdown))


def figure_html(layouts: dict[str, str], name: str) -> str:
    """``<figure>`` holding one inline SVG per layout (``charts.style.LAYOUTS``); the page's
    stylesheet shows the desktop one on wide screens and the phone one on narrow ones.
    ``data-figure`` names the saved files, so a front page can show the same figure."""
    inner = "".join(layouts.values())
    return f'<figure class="{FIGURE_CLASS}" data-figure="{html.escape(name)}">{inner}</figure>'


def figure_layouts(fig: Figure, name: str, alt: str, svg: bytes) -> dict[str, str]:
    """The inline SVG of ``fig`` in every layout: the desktop one from the saved file ``svg``,
    the others drawn again by the chart's function (``style.in_layout``)."""
    layouts: dict[str, str] = {}
    for layout in style.LAYOUTS:
        if layout == style.DEFAULT_LAYOUT:
            data = svg
        else:
            other = style.in_layout(fig, layout)
            data = files.figure_bytes(other, "svg")
            if other is not fig:
                plt.close(other)
        layouts[layout] = files.inline_svg(
            data, alt=alt, prefix=f"{name}-{layout}", css_class=f"chart chart-{layout}"
        )
    return layouts


@dataclass
class Section:
    """One report section's data and parameters (see ``open_section``).

    ``bundle`` is everything the section may read (plans, crosswalk, lineage, alternative
    codings, theme kinds), loaded and validated once; ``plans`` and ``themes`` are its two
    main frames. A section never opens a data file.
    """

    name: str
    bundle: DataBundle
    years: list[int]
    baseline_year: int
    compare_year: int
    lang: str
    output_dir: Path

    @property
    def plans(self) -> pd.DataFrame:
        """The plans loaded (one row per activity)."""
        return self.bundle.plans

    @property
    def themes(self) -> pd.DataFrame:
        """The themes crosswalk."""
        return self.bundle.themes

    def figure(self, fig: Figure, name: str, alt: str | None = None) -> None:
        """Save ``fig`` as PNG and SVG under ``output_dir/figures`` and show it inline as SVG,
        in the desktop layout and in the phone layout (the page shows the one that fits).

        The chart's text stays text, drawn by the page in the report's font at one CSS pixel
        per point, so it reads at the same size on a phone as on a desktop. The alt text is
        the chart's title (its finding) and subtitle (its measure) unless ``alt`` is given;
        it is in the page's language because the chart is.
        """
        made = files.figure_files(fig)
        files.write_figure_files(made, self.output_dir, name)
        text = alt if alt is not None else style.alt_text(fig)
        layouts = figure_layouts(fig, name, text, made["svg"])
        plt.close(fig)
        _display_html(figure_html(layouts, name))

    def labelled(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with labels beside its codes in the section's language (area names of
        either plan from the crosswalk), for charts and exports."""
        return tables.with_labels(frame, self.themes, self.lang)

    def table(self, frame: pd.DataFrame, name: str) -> None:
        """Save ``frame`` under ``output_dir/tables`` in the section's language (English: the
        tidy frame with labels beside its codes; Spanish: Spanish headers, labels instead of
        codes, ``words.exports``) and show its reader's view (labelled headers, labels
        instead of codes, shares as percentages in the page's language, key columns first)."""
        outputs.save_table(
            exports.export_table(frame, self.themes, self.lang), self.output_dir, name
        )
        _display_html(tables.reader_html(frame, self.lang, self.themes))

    def headline(self, markdown: str) -> None:
        """Show the section's key findings and save them for the index page.

        Written to ``output_dir/summary.md``; the build puts it under the section's entry
        of ``index.html``, so the front page states the findings, not only links to them.
        """
        self.output_dir.mkdir(parents=True, exist_ok=True)
        target = self.output_dir / paths.SUMMARY_FILE
        target.write_text(markdown.rstrip() + "\n", encoding="utf-8")
        self.say(markdown)

    def say(self, markdown: str) -> None:
        """Show narrative text (Markdown computed from the data) as escaped, safe HTML."""
        _display_html(markdown_html(markdown))


def _display_html(markup: str) -> None:
    """Show HTML when running in a kernel; a no-op in plain scripts and tests."""
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
        return
    if get_ipython() is not None:
        display(HTML(markup))


def open_section(
    name: str,
    *,
    data_dir: str | Path | None = None,
    output_dir: str | Path | None = None,
    years: object = None,
    baseline_year: int | None = None,
    compare_year: int | None = None,
    lang: str = "en",
) -> Section:
    """The data of a section (the build's bundle, else loaded and validated from
    ``data_dir``) and its resolved parameters.

    Defaults: every curated plan, baseline = earliest year, compare = latest year,
    output in ``reports/<name>``. A baseline or compare year outside ``years`` is an error
    that names the years available. From then on the labels of the funding codes are those
    of this data (a data folder may add a code, labelled in its ``funding_codes.csv``).
    """
    i18n.check_lang(lang)
    bundle = load_validated(data_dir, parse_years(years))  # the build's, or validated here
    i18n.label_funding_codes(bundle.funding_codes)
    present = list(bundle.years)
    baseline, compare = comparison_years(
        present, baseline_year, compare_year, among="loaded plan years"
    )
    out = Path(output_dir) if output_dir is not None else paths.REPORTS_DIR / name
    return Section(name, bundle, present, baseline, compare, lang, out.resolve())
