"""The researchers' activities explorer: one self-contained HTML page per language.

Every activity of every plan in one table (both titles, area, theme, timing, venue,
resources, printed number, year), searchable, filterable by year, area, theme and resource,
sortable, with a download of the filtered rows as CSV. The page is rendered by the report's
one Jinja environment (``templates/explorer.html.j2``, autoescaped; the script's words go in
with ``|tojson``): the rows are in the HTML, so the page reads even without JavaScript, and a
small script (``templates/explorer.js``, inlined, nothing loaded from the network) filters,
sorts and exports. A hand-written table was chosen over DataTables because the page needs custom
filters, a safe CSV export (BOM, formula-injection guard) and a layout for 390 px that a
40-line script does more predictably than configuring a 600 KB bundle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from gealc_analysis.core.outputs import write_text_atomically
from gealc_analysis.data import crosswalk_in_order
from gealc_analysis.data.bundle import DataBundle
from gealc_analysis.data.vocabulary import RESOURCE_KINDS, area_sort_key, split_funding
from gealc_analysis.words import i18n, markup
from gealc_analysis.words.provenance import provenance_line

# The table's columns in display order: key (also the CSV's), and the label key of its header.
# The two titles come in the page's language first (``columns``): on a phone the first title
# is the one a reader sees without scrolling sideways.
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


TITLE_COLUMNS: tuple[str, ...] = ("title_en", "title_es")
# The mark on a title that is a translation made for this report (see ``translation_notes``).
TRANSLATED_MARK = "\u2020"  # dagger


def columns(lang: str) -> tuple[str, ...]:
    """``COLUMNS`` with the title in ``lang`` before the other language's title."""
    first = f"title_{i18n.check_lang(lang)}"
    titles = (first, *(column for column in TITLE_COLUMNS if column != first))
    out: list[str] = []
    for column in COLUMNS:
        if column in TITLE_COLUMNS:
            if column == TITLE_COLUMNS[0]:
                out.extend(titles)
        else:
            out.append(column)
    return tuple(out)


@dataclass(frozen=True)
class Row:
    """One activity as the explorer shows it: display texts plus the codes filters use.

    ``translated`` names the title columns that are not the plan's own text but a translation
    made for this report (the plan was printed in the other language)."""

    cells: dict[str, str]
    sort_keys: dict[str, str]
    year: str
    area: str
    theme: str
    resources: tuple[str, ...]
    translated: frozenset[str] = frozenset()


def plan_languages(plans: pd.DataFrame) -> dict[int, str]:
    """Plan year → the language the plan was printed in, read from the data: the language
    whose title column repeats ``title_original`` (the plan's text, verbatim) in the most
    rows; the other title is the curators' translation (data/CODEBOOK.md). A year where no
    title repeats the printed one, or two tie, is left out (its titles are not marked)."""
    languages: dict[int, str] = {}
    for year, rows in plans.groupby("plan_year", sort=True):
        printed = rows["title_original"].astype(str)
        matches = {
            lang: int((rows[f"title_{lang}"].astype(str) == printed).sum())
            for lang in i18n.SUPPORTED_LANGS
        }
        best = max(matches.values())
        winners = [lang for lang, n in matches.items() if n == best]
        if best > 0 and len(winners) == 1:
            languages[int(year)] = winners[0]
    return languages


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
    printed_in = plan_languages(plans)
    frame = plans.assign(_rank=plans["source_ref"].astype(str).map(area_sort_key))
    frame = frame.sort_values(["plan_year", "_rank", "activity_id"], kind="stable")
    rows = []
    for r in frame.itertuples(index=False):
        year, area_code, theme = int(r.plan_year), str(r.area_code), str(r.theme)
        codes = tuple(sorted(set(split_funding(_text(r.funding_sources)))))  # canonical order
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
                translated=frozenset(
                    column
                    for column in TITLE_COLUMNS
                    if year in printed_in and column != f"title_{printed_in[year]}"
                ),
            )
        )
    return rows


def translation_notes(rows: Sequence[Row], plans: pd.DataFrame, lang: str) -> list[str]:
    """The legend of the translation mark, one line per kind of translated title that occurs:
    titles translated back from a plan that survives only in English (a translation of its
    Spanish original), and English titles translated from a plan printed in Spanish."""
    printed_in = plan_languages(plans)
    notes = []
    for source_lang, key in (
        ("en", "explorer.translated.back"),
        ("es", "explorer.translated.forward"),
    ):
        years = sorted(
            {
                int(row.year)
                for row in rows
                if row.translated and printed_in.get(int(row.year)) == source_lang
            }
        )
        if years:
            notes.append(
                i18n.label(key, lang, mark=TRANSLATED_MARK, years=i18n.format_years(years))
            )
    return notes


def _text(value: object) -> str:
    """A cell as text: missing values (None, NaN) become ""."""
    return "" if value is None or pd.isna(value) else str(value)


def _filters(
    rows: Sequence[Row], themes: pd.DataFrame, lang: str, resource_kinds: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The four filter menus, each listing only what occurs in the data; the resources
    grouped by their kind (``resource_kinds``: code → kind, from the data's funding codes)."""
    years = sorted({row.year for row in rows})
    areas = list(dict.fromkeys((row.area, f"{row.year} · {row.cells['area']}") for row in rows))
    theme_order = list(dict.fromkeys(crosswalk_in_order(themes)["theme"].astype(str)))
    present_themes = {row.theme: row.cells["theme"] for row in rows}
    theme_pairs = [(t, present_themes[t]) for t in theme_order if t in present_themes]
    used = {code for row in rows for code in row.resources}
    groups = []
    for kind in ("cash", "staff_time"):
        codes = sorted(c for c in used if resource_kinds[c] == kind)
        if codes:
            groups.append(
                {
                    "label": i18n.label(f"explorer.kind.{kind}", lang),
                    "options": [(c, i18n.code_label("funding", c, lang)) for c in codes],
                }
            )
    menus = {
        "year": ([(y, y) for y in years], []),
        "area": (areas, []),
        "theme": (theme_pairs, []),
        "resource": ([], groups),
    }
    return [
        {
            "name": name,
            "caption": i18n.label(f"explorer.filter.{name}", lang),
            "options": options,
            "groups": menu_groups,
        }
        for name, (options, menu_groups) in menus.items()
    ]


def explorer_html(
    plans: pd.DataFrame,
    themes: pd.DataFrame,
    *,
    lang: str,
    provenance_text: str,
    twin_href: str | None = None,
    resource_kinds: Mapping[str, str] = RESOURCE_KINDS,
) -> str:
    """The explorer page as one HTML string (styles and script inlined), rendered by the
    report's one Jinja environment (``templates/explorer.html.j2``). ``resource_kinds``:
    each funding code's kind, from the data's funding codes (the project's by default)."""
    rows = activity_rows(plans, themes, lang)
    years = sorted({row.year for row in rows})
    words = {
        key: i18n.label(f"explorer.{key}", lang)
        for key in ("all", "search", "search_hint", "reset", "download", "sort_hint", "no_rows")
    }
    script_words = {
        "count": i18n.label("explorer.count", lang),
        "csv_name": i18n.label("explorer.csv_name", lang),
        "lang": lang,
    }
    other = next(other for other in i18n.SUPPORTED_LANGS if other != lang)
    twin = (
        {"href": twin_href, "lang": other, "label": i18n.label("explorer.twin", lang)}
        if twin_href
        else None
    )
    return markup.render(
        "explorer.html.j2",
        lang=lang,
        title=i18n.label("explorer.title", lang),
        intro=i18n.label("explorer.intro", lang, n=len(rows), years=i18n.format_years(years)),
        twin=twin,
        words=words,
        filters=_filters(rows, themes, lang, resource_kinds),
        count=script_words["count"].format(shown=len(rows), total=len(rows)),
        columns=[
            (column, i18n.label(f"explorer.column.{column}", lang)) for column in columns(lang)
        ],
        rows=rows,
        mark=TRANSLATED_MARK,
        mark_text=i18n.label("explorer.translated.cell", lang),
        translation_notes=translation_notes(rows, plans, lang),
        provenance_text=provenance_text,
        script_words=script_words,
    )


def write_explorer(
    bundle: DataBundle,
    *,
    lang: str,
    out_path: Path | str,
    provenance: Mapping[str, Any],
    twin_href: str | None = None,
) -> Path:
    """Write the explorer page for ``lang`` to ``out_path`` (atomically) and return the path.

    ``twin_href`` links the same page in the other language; ``provenance`` (from
    ``gealc_analysis.core.provenance.build_provenance``) is stated in the footer. Every
    activity of the bundle's plans is a row; no file is read.
    """
    page = explorer_html(
        bundle.plans,
        bundle.themes,
        lang=lang,
        provenance_text=provenance_line(provenance, lang),
        twin_href=twin_href,
        resource_kinds=bundle.resource_kinds,
    )
    return write_text_atomically(Path(out_path), page)
