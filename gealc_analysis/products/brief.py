"""The Executive Committee's two-page brief, typeset as a PDF with Typst.

Typst (the ``typst`` package on PyPI) compiles in milliseconds, embeds subsets of its fonts,
writes the PDF title and language, and gives byte-identical output for a fixed date: no
LaTeX installation, no browser, nothing downloaded at run time. The fonts are matplotlib's
DejaVu Sans (the charts' font, shipped inside the matplotlib wheel, covers Spanish), so the
brief and its charts read as one document.

The layout is a fixed Typst file, ``brief.typ`` beside this module; everything it prints
comes in as JSON through ``sys.inputs`` (:func:`brief_inputs`), never as source. Inside
Typst a data string is a string value, shown as written, so a title containing ``#``, ``*``,
``_``, ``$``, ``@``, ``<`` or ``\\`` can never become markup. The words come from the
findings of ``gealc_analysis.words.findings`` and the label catalogue.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
import typst
from matplotlib.figure import Figure

from gealc_analysis.charts import exposure as exposure_chart
from gealc_analysis.charts import files, plots
from gealc_analysis.core.outputs import write_bytes_atomically
from gealc_analysis.data.bundle import DataBundle
from gealc_analysis.measures import counts, funding
from gealc_analysis.measures import themes as theme_measures
from gealc_analysis.words import findings, i18n
from gealc_analysis.words import funding as funding_words
from gealc_analysis.words.provenance import provenance_line

TEMPLATE: Path = Path(__file__).resolve().with_name("brief.typ")
SOURCE_FILE = "brief.typ"
INPUT_NAME = "brief"  # the key of sys.inputs the template reads
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


# --------------------------------------------------------------------------- text


def brief_text(text: object) -> str:
    """A string as the brief prints it: "%" kept on its number's line (a non-breaking space,
    as Spanish typesetting asks), no carriage returns."""
    return str(text).replace(" %", f"{NON_BREAKING_SPACE}%").replace("\r", "")


def sentence_parts(markdown: str) -> list[dict[str, Any]]:
    """One sentence whose only markup is Markdown ``**bold**``, as the parts the template
    prints: ``{"text": …, "strong": bool}``. Nothing else in the text is markup."""
    parts = []
    position = 0
    for match in BOLD.finditer(markdown):
        if match.start() > position:
            parts.append({"text": brief_text(markdown[position : match.start()]), "strong": False})
        parts.append({"text": brief_text(match.group(1)), "strong": True})
        position = match.end()
    if position < len(markdown):
        parts.append({"text": brief_text(markdown[position:]), "strong": False})
    return parts


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


# --------------------------------------------------------------------------- inputs of the template


def table_cells(
    table: pd.DataFrame, baseline_year: int, compare_year: int, lang: str
) -> dict[str, list[Any]]:
    """The theme table as the template prints it: header, one row per theme, totals."""
    header = [
        i18n.label("brief.table.theme", lang),
        i18n.label("brief.table.areas", lang, year=baseline_year),
        str(baseline_year),
        i18n.label("brief.table.areas", lang, year=compare_year),
        str(compare_year),
        i18n.label("brief.table.change", lang),
    ]
    rows = [
        [
            getattr(row, f"theme_label_{lang}"),
            row.baseline_areas or "–",
            str(int(row.baseline_value)),
            row.compare_areas or "–",
            str(int(row.compare_value)),
            i18n.format_signed(float(row.change), lang),
        ]
        for row in table.itertuples(index=False)
    ]
    total = [
        i18n.label("brief.table.total", lang),
        "",
        str(int(table["baseline_value"].sum())),
        "",
        str(int(table["compare_value"].sum())),
        i18n.format_signed(float(table["change"].sum()), lang),
    ]
    return {
        "header": [brief_text(cell) for cell in header],
        "rows": [[brief_text(cell) for cell in row] for row in rows],
        "total": [brief_text(cell) for cell in total],
    }


def brief_inputs(
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
    table: Mapping[str, list[Any]],
    headings: Mapping[str, str],
    chart_height_cm: float,
) -> dict[str, str]:
    """``sys_inputs`` of ``brief.typ``: every word and number of the brief as one JSON text.

    ``charts`` are (file relative to the template, alt text) pairs; ``findings`` and
    ``exposure_lines`` Markdown sentences whose only markup is ``**bold**``.
    """
    data = {
        "title": brief_text(title),
        "subtitle": brief_text(subtitle),
        "lang": lang,
        "font": FONT,
        "date": {"year": date.year, "month": date.month, "day": date.day},
        "findings": [sentence_parts(sentence) for sentence in findings],
        "exposure": [sentence_parts(sentence) for sentence in exposure_lines],
        "caveat": brief_text(caveat),
        "provenance": brief_text(provenance_text),
        "charts": [{"path": path, "alt": brief_text(alt)} for path, alt in charts],
        "table": dict(table),
        "headings": {key: brief_text(text) for key, text in headings.items()},
        "chart_height_cm": chart_height_cm,
    }
    return {INPUT_NAME: json.dumps(data, ensure_ascii=False, sort_keys=True)}


# --------------------------------------------------------------------------- document


def _write_chart(fig: Figure, folder: Path, name: str) -> str:
    """Save a chart as SVG beside the template; return its path relative to the folder."""
    written = files.save_figure(fig, folder, name)
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
) -> Path:
    """Write the Executive Committee's brief of ``bundle`` (at most two A4 pages) to
    ``out_path``: the key findings and caveat of ``gealc_analysis.words.findings``, typeset by
    :func:`typeset_brief`. No file is read but the template and the fonts.
    """
    i18n.check_lang(lang)
    sentences = findings.key_findings(bundle, baseline_year, compare_year, lang)
    return typeset_brief(
        bundle,
        findings=sentences,
        caveat=findings.caveat(lang),
        baseline_year=baseline_year,
        compare_year=compare_year,
        lang=lang,
        out_path=out_path,
        provenance=provenance,
    )


def typeset_brief(
    bundle: DataBundle,
    *,
    findings: Sequence[str],
    caveat: str,
    baseline_year: int,
    compare_year: int,
    lang: str,
    out_path: Path | str,
    provenance: Mapping[str, Any],
    source_dir: Path | str | None = None,
) -> Path:
    """Typeset the brief with the given key ``findings`` (Markdown sentences) and ``caveat``.

    Besides them: the IDB exposure in the funding section's own terms, a theme-change chart
    and the exposure chart, a table of themes with their areas and counts in both plans, and
    a footer with the provenance line. Charts shrink (in height) until the brief fits on two
    pages; if not, ``BriefDoesNotFitError`` says so rather than cutting text. ``source_dir``
    keeps the template, its JSON inputs and the chart files there (to inspect or re-typeset
    them); by default they live in a temporary folder.
    """
    i18n.check_lang(lang)
    out_path = Path(out_path)
    plans, themes = bundle.plans, bundle.themes
    by_year = funding.exposure_by(plans, themes, FUNDER, by="year")
    years_shown = by_year[by_year["plan_year"].isin([baseline_year, compare_year])]
    compared = counts.compare_years(
        theme_measures.count_by_theme(plans, themes), baseline_year, compare_year, by="theme"
    )
    table = theme_counts(plans, themes, baseline_year, compare_year)

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
            "title": i18n.label("brief.title", lang, baseline=baseline_year, compare=compare_year),
            "subtitle": i18n.label("brief.subtitle", lang),
            "lang": lang,
            "date": build_date(provenance),
            "findings": list(findings),
            "exposure_lines": _bullet_lines(funding_words.summary(years_shown, lang)),
            "caveat": caveat,
            "provenance_text": provenance_line(provenance, lang),
            "charts": charts,
            "table": table_cells(table, baseline_year, compare_year, lang),
            "headings": {
                key: i18n.label(f"brief.heading.{key}", lang)
                for key in ("findings", "exposure", "table", "caveat")
            },
        }
        source_path = folder / SOURCE_FILE
        shutil.copyfile(TEMPLATE, source_path)
        for height in CHART_HEIGHTS_CM:
            inputs = brief_inputs(**common, chart_height_cm=height)
            if page_count(source_path, inputs) <= MAX_PAGES:
                break
        else:
            raise BriefDoesNotFitError(
                f"the brief needs more than {MAX_PAGES} pages even with charts "
                f"{CHART_HEIGHTS_CM[-1]} cm high; shorten the findings or the table"
            )
        (folder / "brief.json").write_text(inputs[INPUT_NAME] + "\n", encoding="utf-8")
        pdf = typst.compile(
            str(source_path), root=str(folder), sys_inputs=inputs, **_compile_options()
        )
    return write_bytes_atomically(out_path, pdf)


def _compile_options() -> dict[str, Any]:
    """Only the fonts shipped with the packages, so every machine typesets the same bytes."""
    return {"font_paths": [str(FONT_DIR)], "ignore_system_fonts": True}


def page_count(source_path: Path, inputs: Mapping[str, str]) -> int:
    """Pages the template typesets ``inputs`` to (read from the metadata it labels)."""
    found = typst.query(
        str(source_path),
        "<brief-pages>",
        field="value",
        root=str(source_path.parent),
        sys_inputs=dict(inputs),
        **_compile_options(),
    )
    return int(json.loads(found)[0])
