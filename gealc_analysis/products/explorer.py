"""The researchers' activities explorer: one self-contained HTML page per language.

Every activity of every plan in one table (both titles, area, theme, timing, venue,
resources, printed number, year), searchable, filterable by year, area, theme and resource,
sortable, with a download of the filtered rows as CSV. The rows are written into the HTML
by Python (escaped), so the page reads even without JavaScript; a small hand-written script
(``explorer_assets/explorer.js``, inlined, nothing loaded from the network) filters, sorts
and exports. A hand-written table was chosen over DataTables because the page needs custom
filters, a safe CSV export (BOM, formula-injection guard) and a layout for 390 px that a
40-line script does more predictably than configuring a 600 KB bundle.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from gealc_analysis.core import outputs
from gealc_analysis.core.provenance import provenance_line as default_provenance_line
from gealc_analysis.data import crosswalk_in_order, vocabulary
from gealc_analysis.data.vocabulary import RESOURCE_KINDS, area_sort_key, split_funding
from gealc_analysis.words import i18n

ASSETS = "explorer_assets"

# The table's columns in display order: key (also the CSV's), and the label key of its header.
COLUMNS: tuple[str, ...] = (
    "plan_year",
    "source_ref",
    "title_en",
    "title_es",
    "area",
    "theme",
    "activity_type",
    "timing",
    "venue",
    "resources",
)


@dataclass(frozen=True)
class Row:
    """One activity as the explorer shows it: display texts plus the codes filters use."""

    cells: dict[str, str]
    sort_keys: dict[str, str]
    year: str
    area: str
    theme: str
    resources: tuple[str, ...]


def activity_rows(plans: pd.DataFrame, themes: pd.DataFrame, lang: str) -> list[Row]:
    """Every activity as display texts in ``lang`` (labels, localized area names), in plan
    order: year, then printed number in natural order (3.9 < 3.9i < 3.10)."""
    i18n.check_lang(lang)
    crosswalk = crosswalk_in_order(themes)
    area_names = {
        (int(r.plan_year), str(r.area_code)): str(getattr(r, f"area_name_{lang}"))
        for r in crosswalk.itertuples(index=False)
    }
    theme_labels = {
        str(r.theme): str(getattr(r, f"theme_label_{lang}"))
        for r in crosswalk.drop_duplicates("theme", keep="last").itertuples(index=False)
    }
    frame = plans.assign(_rank=plans["source_ref"].astype(str).map(area_sort_key))
    frame = frame.sort_values(["plan_year", "_rank", "activity_id"], kind="stable")
    rows = []
    for r in frame.itertuples(index=False):
        year, area_code, theme = int(r.plan_year), str(r.area_code), str(r.theme)
        codes = tuple(
            c for c in vocabulary.FUNDING_SOURCES if c in split_funding(_text(r.funding_sources))
        )
        venue = i18n.code_label("venue", str(r.venue_mode), lang)
        if _text(r.venue_country):
            venue = f"{venue} ({_text(r.venue_country)})"
        cells = {
            "plan_year": str(year),
            "source_ref": str(r.source_ref),
            "title_en": _text(r.title_en),
            "title_es": _text(r.title_es),
            "area": f"{area_code} {area_names.get((year, area_code), _text(r.area_name))}",
            "theme": theme_labels.get(theme, theme),
            "activity_type": i18n.code_label("activity_type", str(r.activity_type), lang),
            "timing": i18n.code_label("timing", str(r.timing), lang),
            "venue": venue,
            "resources": "; ".join(i18n.code_label("funding", c, lang) for c in codes),
        }
        rank = ".".join(f"{a:04d}{b:03d}{c}" for a, b, c in area_sort_key(str(r.source_ref)))
        rows.append(
            Row(
                cells=cells,
                sort_keys={"source_ref": rank},
                year=str(year),
                area=f"{year}|{area_code}",
                theme=theme,
                resources=codes,
            )
        )
    return rows


def _text(value: object) -> str:
    """A cell as text: missing values (None, NaN) become ""."""
    return "" if value is None or pd.isna(value) else str(value)


def _options(pairs: Sequence[tuple[str, str]]) -> str:
    return "".join(
        f'<option value="{html.escape(value)}">{html.escape(text)}</option>'
        for value, text in pairs
    )


def _filters(rows: Sequence[Row], themes: pd.DataFrame, lang: str) -> str:
    """The four filter menus, each listing only what occurs in the data."""
    everything = i18n.label("explorer.all", lang)
    years = sorted({row.year for row in rows})
    areas = list(dict.fromkeys((row.area, f"{row.year} · {row.cells['area']}") for row in rows))
    theme_order = list(dict.fromkeys(crosswalk_in_order(themes)["theme"].astype(str)))
    present_themes = {row.theme: row.cells["theme"] for row in rows}
    theme_pairs = [(t, present_themes[t]) for t in theme_order if t in present_themes]
    used = {code for row in rows for code in row.resources}
    groups = []
    for kind in ("cash", "staff_time"):
        codes = [c for c in vocabulary.FUNDING_SOURCES if RESOURCE_KINDS[c] == kind and c in used]
        if codes:
            pairs = [(c, i18n.code_label("funding", c, lang)) for c in codes]
            group = html.escape(i18n.label(f"explorer.kind.{kind}", lang))
            groups.append(f'<optgroup label="{group}">{_options(pairs)}</optgroup>')
    menus = [
        ("year", _options([(y, y) for y in years])),
        ("area", _options(areas)),
        ("theme", _options(theme_pairs)),
        ("resource", "".join(groups)),
    ]
    parts = []
    for name, options in menus:
        caption = html.escape(i18n.label(f"explorer.filter.{name}", lang))
        parts.append(
            f'<label class="control"><span>{caption}'
            f'</span><select data-filter="{name}"><option value="">{html.escape(everything)}'
            f"</option>{options}</select></label>"
        )
    return "\n".join(parts)


def _table(rows: Sequence[Row], lang: str) -> str:
    head = "".join(
        f'<th scope="col" aria-sort="none"><button type="button" data-column="{column}">'
        f"{html.escape(i18n.label(f'explorer.column.{column}', lang))}</button></th>"
        for column in COLUMNS
    )
    body = []
    for row in rows:
        cells = "".join(
            f'<td data-column="{column}"'
            + (
                f' data-sort="{html.escape(row.sort_keys[column])}"'
                if column in row.sort_keys
                else ""
            )
            + f">{html.escape(row.cells[column])}</td>"
            for column in COLUMNS
        )
        body.append(
            f'<tr data-year="{html.escape(row.year)}" data-area="{html.escape(row.area)}" '
            f'data-theme="{html.escape(row.theme)}" '
            f'data-resources="{html.escape(" ".join(row.resources))}">{cells}</tr>'
        )
    return (
        f'<table id="activities"><thead><tr>{head}</tr></thead>'
        f"<tbody>\n{chr(10).join(body)}\n</tbody></table>"
    )


def _asset(name: str) -> str:
    return (
        resources.files("gealc_analysis.products")
        .joinpath(ASSETS, name)
        .read_text(encoding="utf-8")
    )


def _script_safe(text: str) -> str:
    """JSON for an inline <script>: no "</script>" or "<!--" can end or bend the block."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def explorer_html(
    plans: pd.DataFrame,
    themes: pd.DataFrame,
    *,
    lang: str,
    provenance_text: str,
    twin_href: str | None = None,
) -> str:
    """The explorer page as one HTML string (styles and script inlined)."""
    rows = activity_rows(plans, themes, lang)
    years = sorted({row.year for row in rows})
    words = {
        key: i18n.label(f"explorer.{key}", lang)
        for key in ("search", "search_hint", "reset", "download", "sort_hint", "no_rows")
    }
    script_words = {
        "count": i18n.label("explorer.count", lang),
        "csv_name": i18n.label("explorer.csv_name", lang),
        "lang": lang,
    }
    twin = ""
    if twin_href:
        other = "es" if lang == "en" else "en"
        twin = (
            f'<a class="twin" href="{html.escape(twin_href)}" hreflang="{other}" '
            f'lang="{other}">{html.escape(i18n.label("explorer.twin", lang))}</a>'
        )
    title = i18n.label("explorer.title", lang)
    intro = i18n.label("explorer.intro", lang, n=len(rows), years=i18n.format_years(years))
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
{_asset("explorer.css")}
</style>
</head>
<body>
<header>
{twin}
<h1>{html.escape(title)}</h1>
<p>{html.escape(intro)}</p>
</header>
<main>
<form class="controls" role="search" onsubmit="return false">
<label class="control search"><span>{html.escape(words["search"])}</span>
<input type="search" id="search" placeholder="{html.escape(words["search_hint"])}"></label>
{_filters(rows, themes, lang)}
<div class="buttons">
<button type="reset" id="reset">{html.escape(words["reset"])}</button>
<button type="button" id="download">{html.escape(words["download"])}</button>
</div>
</form>
<p id="count" aria-live="polite">{
        html.escape(script_words["count"].format(shown=len(rows), total=len(rows)))
    }</p>
<p class="hint">{html.escape(words["sort_hint"])}</p>
<div class="table-box" tabindex="0">
{_table(rows, lang)}
<p id="no-rows" hidden>{html.escape(words["no_rows"])}</p>
</div>
</main>
<footer><p>{html.escape(provenance_text)}</p></footer>
<script type="application/json" id="explorer-words">{
        _script_safe(json.dumps(script_words, ensure_ascii=False))
    }</script>
<script>
{_asset("explorer.js")}
</script>
</body>
</html>
"""


def write_explorer(
    plans: pd.DataFrame,
    themes: pd.DataFrame,
    *,
    lang: str,
    out_path: Path | str,
    provenance: Mapping[str, Any],
    twin_href: str | None = None,
    provenance_line: Callable[[Mapping[str, Any], str], str] | None = None,
) -> Path:
    """Write the explorer page for ``lang`` to ``out_path`` (atomically) and return the path.

    ``twin_href`` links the same page in the other language; ``provenance`` (from
    ``gealc_analysis.core.provenance.build_provenance``) is stated in the footer through
    ``provenance_line`` (default: the provenance module's own).
    """
    line = (provenance_line or default_provenance_line)(provenance, lang)
    page = explorer_html(plans, themes, lang=lang, provenance_text=line, twin_href=twin_href)
    data = page.encode("utf-8")
    return outputs._write_atomically(Path(out_path), lambda handle: handle.write(data))
