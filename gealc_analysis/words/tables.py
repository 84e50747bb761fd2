"""Tables for people: human labels beside codes, and the reader's view a page shows.

Two forms of every measure's table:

* ``with_labels`` — the tidy frame to save and reuse: every code column keeps its codes and
  gains a ``<column>_label`` column right after it in the page's language (``theme`` +
  ``theme_label``, ``source`` + ``source_label``, area names of either plan from the themes
  crosswalk in ``area_label``).
* ``reader_view`` / ``reader_html`` — what a page shows: labels instead of codes (never a
  code), headers from the label catalogue, shares as percentages, key columns first, and the
  id columns marked (``ID_CLASS``) so the stylesheet keeps them from wrapping.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from gealc_analysis.data import vocabulary
from gealc_analysis.words import i18n, markup
from gealc_analysis.words.narrative import PERCENT_DECIMALS, number, percent

# Columns of the measures' frames that hold codes of a vocabulary (labelled for display).
VOCABULARY_COLUMNS: dict[str, str] = {
    "source": "funding",
    "measure": "measure",
    "timing": "timing",
    "venue_mode": "venue",
    "activity_type": "activity_type",
    "instrument": "idb_instrument",
    "idb_instrument": "idb_instrument",
    "relation": "theme_relation",
    "resources": "resources",
}
# The lineage frames' relation column holds an activity's relation, not a theme's: its labels
# agree with "actividad" (the theme relations' with "tema"); a lineage frame has ``from_year``.
LINEAGE_RELATION_VOCABULARY = "lineage.relation"
LABEL_SUFFIX = "_label"
# Columns that identify a row: shown first (in this order) and never wrapped on a page.
ID_COLUMNS: tuple[str, ...] = ("activity_id", "source_ref", "area_code")
# Columns a reader needs first, in this order; the rest keep the frame's order after them.
KEY_COLUMNS: tuple[str, ...] = (
    "plan_year",
    "activity_id",
    "source_ref",
    "area_code",
    "area_name",
    "theme",
    "source",
    "measure",
    "instrument",
    "idb_only",
    "title_en",
    "title_es",
)
# Columns holding ";"-joined area codes (theme_shifts): shown as "3.3, 3.9".
AREA_LIST_COLUMNS: tuple[str, ...] = ("baseline_areas", "compare_areas")
AREA_SEPARATOR = ";"  # as measures.themes.theme_shifts joins them
# Cell classes of the report stylesheet: ids never wrap ("code"), numbers align right ("num");
# text cells carry no class and stay left-aligned.
ID_CLASS = "code"
NUMBER_CLASS = "num"
TABLE_CLASS = "gealc-table"


def area_names(themes: pd.DataFrame, lang: str = "en") -> dict[tuple[int, str], str]:
    """(plan_year, area_code) → the area's name in ``lang`` (themes.csv area_name_<lang>).

    Plans print their areas in their own language (2020 in English, 2024 in Spanish); the
    crosswalk carries both translations, so a page can name every area in its language.
    """
    column = f"area_name_{i18n.check_lang(lang)}"
    return {
        (int(row.plan_year), str(row.area_code)): str(getattr(row, column))
        for row in themes.itertuples(index=False)
    }


def theme_labels(themes: pd.DataFrame, lang: str = "en") -> dict[str, str]:
    """theme key → its label in ``lang`` (the latest year that has the theme names it)."""
    column = f"theme_label_{i18n.check_lang(lang)}"
    ordered = themes.assign(_year=themes["plan_year"].astype(int)).sort_values("_year")
    return {str(row.theme): str(getattr(row, column)) for row in ordered.itertuples(index=False)}


def _insert_after(frame: pd.DataFrame, column: str, name: str, values: Sequence[str]) -> None:
    frame.insert(frame.columns.get_loc(column) + 1, name, list(values))


def _code_text(vocabulary_name: str, code: object, lang: str) -> str:
    if pd.isna(code) or not str(code):
        return ""
    return i18n.code_label(vocabulary_name, str(code), lang)


def _vocabulary_of(column: str, frame: pd.DataFrame) -> str:
    """The vocabulary labelling ``column`` of ``frame`` (lineage relations for lineage frames)."""
    if column == "relation" and "from_year" in frame:
        return LINEAGE_RELATION_VOCABULARY
    return VOCABULARY_COLUMNS[column]


def with_labels(
    frame: pd.DataFrame, themes: pd.DataFrame | None = None, lang: str = "en"
) -> pd.DataFrame:
    """The tidy ``frame`` with a label column in ``lang`` beside each code column.

    ``theme_label_en``/``theme_label_es`` give way to one ``theme_label`` in ``lang``;
    ``area_label`` names each (plan_year, area_code) from the crosswalk (needs ``themes``).
    Codes are kept, so the table stays joinable with the curated data.
    """
    i18n.check_lang(lang)
    out = frame.copy()
    if "theme" in out:
        names = dict(theme_labels(themes, lang)) if themes is not None else {}
        if f"theme_label_{lang}" in out:
            names.update(
                zip(out["theme"].astype(str), out[f"theme_label_{lang}"].astype(str), strict=True)
            )
        out = out.drop(columns=[c for c in ("theme_label_en", "theme_label_es") if c in out])
        if names:
            _insert_after(
                out, "theme", "theme_label", [names.get(str(code), "") for code in out["theme"]]
            )
    if themes is not None and {"plan_year", "area_code"} <= set(out.columns):
        names = area_names(themes, lang)
        after = "area_name" if "area_name" in out else "area_code"
        _insert_after(
            out,
            after,
            "area_label",
            [
                names.get((int(year), str(code)), "") if pd.notna(year) else ""
                for year, code in zip(out["plan_year"], out["area_code"], strict=True)
            ],
        )
    for column in VOCABULARY_COLUMNS:
        if column in out:
            vocabulary_name = _vocabulary_of(column, out)
            _insert_after(
                out,
                column,
                column + LABEL_SUFFIX,
                [_code_text(vocabulary_name, code, lang) for code in out[column]],
            )
    if "funding_sources" in out:
        _insert_after(
            out,
            "funding_sources",
            "funding_sources" + LABEL_SUFFIX,
            [
                "; ".join(
                    i18n.code_label("funding", code, lang)
                    for code in vocabulary.split_funding(str(cell) if pd.notna(cell) else "")
                )
                for cell in out["funding_sources"]
            ],
        )
    return out


def reader_view(
    frame: pd.DataFrame, lang: str = "en", themes: pd.DataFrame | None = None
) -> pd.DataFrame:
    """A reader's view of a tidy frame: labelled headers, labels instead of codes, shares as %.

    Only for display; the saved CSV keeps codes and raw shares for reuse. Every code column
    shows its label under the code column's header; a code that cannot be labelled (a theme
    key without the crosswalk) is left out rather than shown. Area names are the crosswalk's
    in ``lang`` when ``themes`` is given. The other language's columns, and the printed
    title when the page's language has its own, are dropped. Key columns come first.
    """
    return _view(frame, lang, themes)[0]


def _view(
    frame: pd.DataFrame, lang: str, themes: pd.DataFrame | None
) -> tuple[pd.DataFrame, list[str]]:
    """The reader's view and the original column name of each of its columns."""
    labelled = with_labels(frame, themes, lang)
    other_lang = "es" if lang == "en" else "en"
    view = labelled.drop(columns=[c for c in labelled.columns if c.endswith(f"_{other_lang}")])
    # A frame that already carried its codes' labels per language (``resources_label_es``)
    # shows them once, under the code column's header.
    view = view.drop(
        columns=[f"{c}{LABEL_SUFFIX}_{lang}" for c in VOCABULARY_COLUMNS], errors="ignore"
    )
    if f"title_{lang}" in view:
        view = view.drop(columns=["title_original"], errors="ignore")
    shown_as = {"theme_label": "theme", "area_label": "area_name"}
    shown_as |= {column + LABEL_SUFFIX: column for column in VOCABULARY_COLUMNS}
    shown_as["funding_sources" + LABEL_SUFFIX] = "funding_sources"
    for label_column, code_column in shown_as.items():
        if label_column in view:
            view = view.drop(columns=[code_column], errors="ignore")
            view = view.rename(columns={label_column: code_column})
    if "theme" in view and "theme_label" not in labelled:
        view = view.drop(columns=["theme"])  # a bare theme key is a code: never shown
    first = [c for c in KEY_COLUMNS if c in view]
    view = view[first + [c for c in view.columns if c not in first]]
    columns = list(view.columns)
    for column in columns:
        view[column] = _formatted(view[column], column, lang)
    view = view.rename(columns={column: _header(column, lang) for column in columns})
    return view, columns


def reader_html(frame: pd.DataFrame, lang: str = "en", themes: pd.DataFrame | None = None) -> str:
    """The reader's view as an HTML table (``templates/reader_table.html.j2``, autoescaped);
    id columns marked ``ID_CLASS`` and number columns ``NUMBER_CLASS``; text cells carry no
    class."""
    view, columns = _view(frame, lang, themes)
    return markup.render(
        "reader_table.html.j2",
        table_class=TABLE_CLASS,
        classes=[_cell_class(frame, column) for column in columns],
        header=[str(text) for text in view.columns],
        rows=[[_cell_text(value) for value in row] for row in view.itertuples(index=False)],
    )


def _cell_class(frame: pd.DataFrame, column: str) -> str:
    if column in ID_COLUMNS:
        return ID_CLASS
    if (
        column in frame
        and pd.api.types.is_numeric_dtype(frame[column])
        and not pd.api.types.is_bool_dtype(frame[column])
        and column != "plan_year"
    ):
        return NUMBER_CLASS
    return ""


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def _formatted(values: pd.Series, column: str, lang: str) -> list[str] | pd.Series:
    """Display text of one column: percentages, signed changes, yes/no, decimals."""
    if column == "share" or column.endswith("_share") or column.startswith("share_"):
        return [percent(value, lang) for value in values]
    if column == "pct_change":
        return [
            i18n.format_signed(value * 100, lang, PERCENT_DECIMALS) if pd.notna(value) else ""
            for value in values
        ]
    if column == "change" and pd.api.types.is_numeric_dtype(values):
        return [
            i18n.format_signed(value, lang, 0 if float(value).is_integer() else 2)
            for value in values
        ]
    if column in AREA_LIST_COLUMNS:
        return [
            ", ".join(str(value).split(AREA_SEPARATOR)) if pd.notna(value) else ""
            for value in values
        ]
    if pd.api.types.is_bool_dtype(values):
        return [i18n.label("column.yes" if value else "column.no", lang) for value in values]
    if pd.api.types.is_float_dtype(values):
        return [_decimal(value, lang) for value in values]
    return values


def _decimal(value: float, lang: str) -> str:
    """Whole numbers print whole; others with up to two decimals (12.5, not 12.50)."""
    if pd.isna(value):
        return ""
    if float(value).is_integer():
        return number(value, lang, 0)
    return number(value, lang, 1 if round(value, 2) == round(value, 1) else 2)


def _header(column: str, lang: str) -> str:
    """The catalogue's header for a column, or the column name when it has none."""
    try:
        return i18n.label(f"column.{column}", lang)
    except KeyError:
        return column
