"""The Executive Committee's two-page brief, typeset as a PDF with Typst.

Typst (the ``typst`` package on PyPI) compiles a generated ``.typ`` source in milliseconds,
embeds subsets of its fonts, writes the PDF title and language, and gives byte-identical
output for a fixed date: no LaTeX installation, no browser, nothing downloaded at run time.
The fonts are matplotlib's DejaVu Sans (the charts' font, shipped inside the matplotlib
wheel, covers Spanish), so the brief and its charts read as one document.

Every data string reaches Typst as a *string literal* (``typst_string``), never as markup,
so a title containing ``#``, ``*``, ``_``, ``$``, ``@``, ``<`` or ``\\`` prints as written.
The words come from the findings of ``gealc_analysis.words.findings`` and the label catalogue.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import matplotlib
import pandas as pd
import typst
from matplotlib.figure import Figure

from gealc_analysis.charts import exposure as exposure_chart
from gealc_analysis.charts import plots
from gealc_analysis.core import outputs
from gealc_analysis.core.provenance import provenance_line as default_provenance_line
from gealc_analysis.data.bundle import DataBundle
from gealc_analysis.measures import counts, funding
from gealc_analysis.measures import themes as theme_measures
from gealc_analysis.words import findings as key_findings_module
from gealc_analysis.words import funding as funding_words
from gealc_analysis.words import i18n

FONT_DIR = Path(matplotlib.__file__).resolve().parent / "mpl-data" / "fonts" / "ttf"
FONT = "DejaVu Sans"
MAX_PAGES = 2
# Chart heights (cm) tried in turn until the brief fits on MAX_PAGES: a height, not a width,
# bounds a tall chart (one bar per theme) as well as a wide one; the width follows.
CHART_HEIGHTS_CM: tuple[float, ...] = (9.0, 8.0, 7.0, 6.0, 5.0)
BOLD = re.compile(r"\*\*(.+?)\*\*")
NON_BREAKING_SPACE = "\u00a0"
FUNDER = "idb"  # the brief reports the promoting organization's exposure


class BriefDoesNotFitError(RuntimeError):
    """The brief needs more than two pages even with the smallest charts."""


# --------------------------------------------------------------------------- Typst text


def typst_string(text: str) -> str:
    """``text`` as a Typst string literal: printed verbatim, never read as markup.

    Only the backslash, the double quote and line breaks need escaping inside a literal;
    "%" keeps its number on the same line (a non-breaking space, as Spanish typesetting asks).
    """
    text = str(text).replace(" %", f"{NON_BREAKING_SPACE}%")
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")
    return f'"{escaped}"'


def typst_inline(markdown: str) -> str:
    """A Typst content block for one sentence whose only markup is Markdown ``**bold**``."""
    parts = []
    position = 0
    for match in BOLD.finditer(markdown):
        if match.start() > position:
            parts.append(f"#{typst_string(markdown[position : match.start()])}")
        parts.append(f"#strong({typst_string(match.group(1))})")
        position = match.end()
    if position < len(markdown):
        parts.append(f"#{typst_string(markdown[position:])}")
    return "[" + "".join(parts) + "]"


def _bullet_lines(markdown: str) -> list[str]:
    """The items of a Markdown bullet list (or the whole text when it has no bullets)."""
    lines = [line.strip() for line in markdown.splitlines() if line.strip()]
    return [line[2:] if line.startswith("- ") else line for line in lines]


# --------------------------------------------------------------------------- inputs


def build_date(provenance: Mapping[str, Any]) -> dt.date:
    """The date printed in the PDF's metadata: the provenance's build date, so two builds
    of the same data give the same bytes (SOURCE_DATE_EPOCH, else 1 January 1980)."""
    value = provenance.get("build_date")
    if value:
        return dt.date.fromisoformat(str(value)[:10])
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date(1980, 1, 1)


def theme_counts(
    plans: pd.DataFrame, themes: pd.DataFrame, baseline_year: int, compare_year: int
) -> pd.DataFrame:
    """Per theme present in either plan: its areas and activities in both, and the change.

    Columns: theme, theme_label_en, theme_label_es, baseline_areas, baseline_value,
    compare_areas, compare_value, change. Themes absent from both plans are left out.
    """
    per_theme = theme_measures.count_by_theme(plans, themes)
    compared = counts.compare_years(per_theme, baseline_year, compare_year, by="theme")
    shifts = theme_measures.theme_shifts(themes, baseline_year, compare_year)
    areas = shifts.set_index("theme")[["baseline_areas", "compare_areas"]]
    out = compared.join(areas, on="theme")
    out = out[(out["baseline_value"] > 0) | (out["compare_value"] > 0)]
    for column in ("baseline_areas", "compare_areas"):
        out[column] = out[column].fillna("").str.replace(";", ", ")
    columns = [
        "theme",
        "theme_label_en",
        "theme_label_es",
        "baseline_areas",
        "baseline_value",
        "compare_areas",
        "compare_value",
        "change",
    ]
    return out[columns].reset_index(drop=True)


# --------------------------------------------------------------------------- document


def _table_source(table: pd.DataFrame, baseline_year: int, compare_year: int, lang: str) -> str:
    header = [
        i18n.label("brief.table.theme", lang),
        i18n.label("brief.table.areas", lang, year=baseline_year),
        str(baseline_year),
        i18n.label("brief.table.areas", lang, year=compare_year),
        str(compare_year),
        i18n.label("brief.table.change", lang),
    ]
    cells = [f"table.header({', '.join(f'[*#{typst_string(h)}*]' for h in header)})"]
    for row in table.itertuples(index=False):
        values = [
            getattr(row, f"theme_label_{lang}"),
            row.baseline_areas or "–",
            str(int(row.baseline_value)),
            row.compare_areas or "–",
            str(int(row.compare_value)),
            i18n.format_signed(float(row.change), lang),
        ]
        cells.append(", ".join(f"[#{typst_string(v)}]" for v in values))
    totals = [
        i18n.label("brief.table.total", lang),
        "",
        str(int(table["baseline_value"].sum())),
        "",
        str(int(table["compare_value"].sum())),
        i18n.format_signed(float(table["change"].sum()), lang),
    ]
    cells.append(", ".join(f"[*#{typst_string(v)}*]" for v in totals))
    body = ",\n  ".join(cells)
    return (
        "#table(\n  columns: (1fr, auto, auto, auto, auto, auto),\n"
        "  align: (left, left, right, left, right, right),\n"
        "  stroke: (x: none, y: 0.4pt + luma(200)), inset: (x: 4pt, y: 3pt),\n"
        f"  {body}\n)"
    )


def typst_source(
    *,
    title: str,
    subtitle: str,
    lang: str,
    date: dt.date,
    findings: Sequence[str],
    exposure_lines: Sequence[str],
    caveat: str,
    provenance_text: str,
    charts: Sequence[tuple[str, str]],
    table: str,
    chart_height_cm: float,
    headings: Mapping[str, str],
) -> str:
    """The whole brief as Typst source: page setup, text, charts (file, alt text), table."""
    findings_list = ",\n  ".join(typst_inline(f) for f in findings)
    exposure_list = ",\n  ".join(typst_inline(f) for f in exposure_lines)
    chart_blocks = [
        f"#figure(image({typst_string(path)}, height: {chart_height_cm}cm, "
        f"alt: {typst_string(alt)}))"
        for path, alt in charts
    ]
    first_chart, *other_charts = chart_blocks
    return f"""\
#set document(title: {typst_string(title)}, date: datetime(year: {date.year}, \
month: {date.month}, day: {date.day}))
#set text(lang: "{lang}", font: "{FONT}", size: 9.5pt)
#set par(justify: false, leading: 0.55em, spacing: 0.8em)
#set page(paper: "a4", margin: (x: 1.7cm, top: 1.5cm, bottom: 2cm), footer: context [
  #set text(size: 7pt, fill: luma(90))
  #{typst_string(provenance_text)} #h(1fr) #counter(page).display("1 / 1", both: true)
])
#show heading: set text(size: 11pt)
#show heading: set block(above: 1em, below: 0.6em)
#text(size: 16pt, weight: "bold")[#{typst_string(title)}]
#v(-0.4em)
#text(size: 10pt, fill: luma(70))[#{typst_string(subtitle)}]

= #{typst_string(headings["findings"])}
#list(
  {findings_list}
)

= #{typst_string(headings["table"])}
{table}
{first_chart}

= #{typst_string(headings["exposure"])}
#list(
  {exposure_list}
)
{chr(10).join(other_charts)}

= #{typst_string(headings["caveat"])}
#{typst_string(caveat)}

#context [#metadata(counter(page).final().first()) <brief-pages>]
"""


def _write_chart(fig: Figure, folder: Path, name: str) -> str:
    """Save a chart as SVG beside the .typ source; return its file name."""
    written = outputs.save_figure(fig, folder, name)
    svg = next(path for path in written if path.suffix == ".svg")
    return svg.relative_to(folder).as_posix()


def write_brief(
    bundle: DataBundle,
    *,
    baseline_year: int,
    compare_year: int,
    lang: str,
    out_path: Path | str,
    provenance: Mapping[str, Any],
    findings: ModuleType | Any | None = None,
    provenance_line: Callable[[Mapping[str, Any], str], str] | None = None,
    source_dir: Path | str | None = None,
) -> Path:
    """Write the Executive Committee's brief (at most two A4 pages) to ``out_path``.

    Key findings and caveat from ``findings`` (default: ``gealc_analysis.words.findings``), the
    IDB exposure in the funding section's own terms, a theme-change chart and the exposure
    chart, a table of themes with their areas and counts in both plans, and a footer with
    the provenance line. Charts shrink (in height) until the brief fits on two pages; if not,
    ``BriefDoesNotFitError`` says so rather than cutting text. ``source_dir`` keeps the
    Typst source and chart files there (to inspect or re-typeset them); by default they live
    in a temporary folder.
    """
    i18n.check_lang(lang)
    findings = findings if findings is not None else key_findings_module
    provenance_line = provenance_line or default_provenance_line
    out_path = Path(out_path)

    plans, themes = bundle.plans, bundle.themes
    key_findings = list(findings.key_findings(bundle, baseline_year, compare_year, lang))
    caveat = str(findings.caveat(lang))
    by_year = funding.exposure_by(plans, themes, FUNDER, by="year")
    years_shown = by_year[by_year["plan_year"].isin([baseline_year, compare_year])]
    exposure_lines = _bullet_lines(funding_words.summary(years_shown, lang))
    compared = counts.compare_years(
        theme_measures.count_by_theme(plans, themes), baseline_year, compare_year, by="theme"
    )
    table = theme_counts(plans, themes, baseline_year, compare_year)
    title = i18n.label("brief.title", lang, baseline=baseline_year, compare=compare_year)

    with tempfile.TemporaryDirectory(prefix="gealc-brief-") as scratch:
        folder = Path(source_dir) if source_dir is not None else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        charts = [
            (
                _write_chart(plots.plot_theme_change(compared, lang=lang), folder, "themes"),
                i18n.label("brief.alt.themes", lang, baseline=baseline_year, compare=compare_year),
            ),
            (
                _write_chart(
                    exposure_chart.plot_exposure(years_shown, lang=lang), folder, "exposure"
                ),
                funding_words.finding_title(years_shown, lang),
            ),
        ]
        common = {
            "title": title,
            "subtitle": i18n.label("brief.subtitle", lang),
            "lang": lang,
            "date": build_date(provenance),
            "findings": key_findings,
            "exposure_lines": exposure_lines,
            "caveat": caveat,
            "provenance_text": provenance_line(provenance, lang),
            "charts": charts,
            "table": _table_source(table, baseline_year, compare_year, lang),
            "headings": {
                key: i18n.label(f"brief.heading.{key}", lang)
                for key in ("findings", "exposure", "table", "caveat")
            },
        }
        source_path = folder / "brief.typ"
        for height in CHART_HEIGHTS_CM:
            source_path.write_text(typst_source(**common, chart_height_cm=height), encoding="utf-8")
            if page_count(source_path) <= MAX_PAGES:
                break
        else:
            raise BriefDoesNotFitError(
                f"the brief needs more than {MAX_PAGES} pages even with charts "
                f"{CHART_HEIGHTS_CM[-1]} cm high; shorten the findings or the table"
            )
        pdf = typst.compile(str(source_path), root=str(folder), **_compile_options())
    return outputs_write(out_path, pdf)


def _compile_options() -> dict[str, Any]:
    """Only the fonts shipped with the packages, so every machine typesets the same bytes."""
    return {"font_paths": [str(FONT_DIR)], "ignore_system_fonts": True}


def page_count(source_path: Path) -> int:
    """Pages the Typst source typesets to (read from the metadata it labels)."""
    found = typst.query(
        str(source_path),
        "<brief-pages>",
        field="value",
        root=str(source_path.parent),
        **_compile_options(),
    )
    return int(json.loads(found)[0])


def outputs_write(path: Path, data: bytes) -> Path:
    """Write bytes atomically (a failed build never leaves half a PDF)."""
    return outputs._write_atomically(path, lambda handle: handle.write(data))


def render_png(source_path: Path, out_pattern: Path, ppi: int = 80) -> None:
    """Typeset a .typ source to one PNG per page (``{p}`` in the name), for a visual check."""
    typst.compile(
        str(source_path),
        output=str(out_pattern),
        format="png",
        ppi=ppi,
        root=str(source_path.parent),
        **_compile_options(),
    )
