"""What a report notebook needs in one object: validated data, resolved parameters, and
``figure`` / ``table`` / ``say`` calls that both save the output and show it.

Keeping this here keeps the notebooks thin (parameters, narrative, calls) and makes every
notebook resolve its parameters the same way, whether the build or a person runs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from gealc_analysis import i18n, outputs, paths, tables
from gealc_analysis.handoff import load_validated
from gealc_analysis.years import comparison_years, parse_years


@dataclass
class Section:
    """One report section's data and parameters (see ``open_section``)."""

    name: str
    plans: pd.DataFrame
    themes: pd.DataFrame
    years: list[int]
    baseline_year: int
    compare_year: int
    lang: str
    output_dir: Path

    def figure(self, fig: Figure, name: str) -> None:
        """Save ``fig`` as PNG and SVG under ``output_dir/figures`` and show the saved PNG.

        Showing the file itself (not the live figure) means the report displays exactly
        the bytes a reader downloads, whatever matplotlib backend the kernel has.
        """
        from IPython.display import Image

        written = outputs.save_figure(fig, self.output_dir, name)
        plt.close(fig)
        png = next(path for path in written if path.suffix == ".png")
        _display(Image(data=png.read_bytes(), format="png"))

    def table(self, frame: pd.DataFrame, name: str) -> None:
        """Save the tidy ``frame`` as CSV under ``output_dir/tables`` and show its reader's
        view (labelled headers, codes as labels, shares as percentages in the page's
        language), so no notebook repeats the labelling call."""
        from IPython.display import HTML

        outputs.save_table(frame, self.output_dir, name)
        view = tables.reader_view(frame, self.lang)
        _display(HTML(view.to_html(index=False, border=0, classes="gealc-table", escape=True)))

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
        """Show narrative text (Markdown) computed from the data."""
        from IPython.display import Markdown

        _display(Markdown(markdown))


def _display(obj: object) -> None:
    """IPython's display when running in a kernel; a no-op in plain scripts and tests."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
        return
    if get_ipython() is not None:
        display(obj)


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
    """Load and validate the plans for a section and resolve its parameters.

    Defaults: every curated plan, baseline = earliest year, compare = latest year,
    output in ``reports/<name>``. A baseline or compare year outside ``years`` is an error
    that names the years available.
    """
    i18n.check_lang(lang)
    plans, themes = load_validated(data_dir, parse_years(years))  # the build's, or validated
    present = sorted(int(year) for year in plans["plan_year"].unique())
    baseline, compare = comparison_years(present, baseline_year, compare_year,
                                         among="loaded plan years")
    out = Path(output_dir) if output_dir is not None else paths.REPORTS_DIR / name
    return Section(name, plans, themes, present, baseline, compare, lang, out.resolve())
