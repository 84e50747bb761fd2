"""Tables for people: human labels beside codes, and the reader's view a page shows.

Two forms of every measure's table:

* ``with_labels`` — the tidy frame to save and reuse: every code column keeps its codes and
  gains a ``<column>_label`` column right after it in the page's language (``theme`` +
  ``theme_label``, ``source`` + ``source_label``, area names of either plan from the themes
  crosswalk in ``area_label``).
* ``reader_view`` / ``reader_html`` — what a page shows: labels instead of codes (never a
  code), headers from the label catalogue (each header once), shares as percentages, the
  title and the fact the table is about first, the id columns marked (``ID_CLASS``) so the
  stylesheet keeps them from wrapping. A context column that holds one value in every row
  (the plan pair of a lineage list, the funder of an exposure table) is said once above the
  table instead of in each row. Each cell carries its column's header (``data-label``), so
  on a phone a table too wide to fit reads as one short list per row (``STACK_CLASS``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

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
# Columns a reader needs first, in this order: an activity's title, then the fact a list of
# activities is about, then where the row sits; the rest keep the frame's order after them.
KEY_COLUMNS: tuple[str, ...] = (
    "title_en",
    "title_es",
    "sole_source",
    "instrument",
    "other_resources",
    "plan_year",
    "activity_id",
    "source_ref",
    "area_code",
    "area_name",
    "theme",
    "source",
    "measure",
    "idb_only",
)
# Columns that place a row (which plans, which funder) rather than describe it: when one
# holds the same value in every row it is said once, above the table.
CONTEXT_COLUMNS: tuple[str, ...] = ("plan_year", "from_year", "to_year", "source")
# Columns holding ";"-joined area codes (theme_shifts): shown as "3.3, 3.9".
AREA_LIST_COLUMNS: tuple[str, ...] = ("baseline_areas", "compare_areas")
AREA_SEPARATOR = ";"  # as measures.themes.theme_shifts joins them
# Cell classes of the report stylesheet: ids never wrap ("code"), numbers align right ("num");
# text cells carry no class and stay left-aligned.
ID_CLASS = "code"
NUMBER_CLASS = "num"
TABLE_CLASS = "gealc-table"
# A table read as one list per row on a phone (the stylesheet's narrow-screen rule): any
# table with more columns than a phone shows side by side, or with long text beside others.
STACK_CLASS = "stack"
PHONE_COLUMNS = 3
PHONE_TEXT_CHARACTERS = 40
ONE_WORD_CHARACTERS = 24  # as pages.classify_table_cells marks a notebook's own tables


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
    if "area_label" in view:  # the crosswalk's name in lang: the plan's own column repeats it
        view = view.drop(columns=[f"area_name_{lang}"], errors="ignore")
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
    headers: dict[str, str] = {}
    for column in view.columns:  # a header shown twice names two columns one way: keep one
        if _header(column, lang) not in headers.values():
            headers[column] = _header(column, lang)
    view = view[list(headers)]
    columns = list(view.columns)
    for column in columns:
        view[column] = _formatted(view[column], column, lang)
    view = view.rename(columns=headers)
    return view, columns


def _context(view: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Move each context column holding one value in every row (of two rows or more) out of
    the table: the view without them, their columns, and "Header: value" for each."""
    said = [
        i
        for i, column in enumerate(columns)
        if column in CONTEXT_COLUMNS and len(view) > 1 and view.iloc[:, i].nunique() == 1
    ]
    context = [f"{view.columns[i]}: {_cell_text(view.iloc[0, i])}" for i in said]
    kept = [i for i in range(len(columns)) if i not in said]
    return view.iloc[:, kept], [columns[i] for i in kept], context


def reader_html(frame: pd.DataFrame, lang: str = "en", themes: pd.DataFrame | None = None) -> str:
    """The reader's view as an HTML table (``templates/reader_table.html.j2``, autoescaped)
    in a box that scrolls sideways when the table is wider than the page and can be reached
    with the keyboard; id columns marked ``ID_CLASS`` and number columns ``NUMBER_CLASS``
    (text cells carry no class); context columns with one value said once in the caption; a
    table too wide for a phone marked ``STACK_CLASS``."""
    view, columns = _view(frame, lang, themes)
    view, columns, context = _context(view, columns)
    rows = [[_cell_text(value) for value in row] for row in view.itertuples(index=False)]
    classes = [
        _cell_class(frame, column) or (ID_CLASS if _one_word(row[i] for row in rows) else "")
        for i, column in enumerate(columns)
    ]
    return markup.render(
        "reader_table.html.j2",
        table_class=" ".join([TABLE_CLASS] + ([STACK_CLASS] if _stacks(classes, rows) else [])),
        region_label=i18n.label("pages.table_region", lang),
        caption=" · ".join(context),
        classes=classes,
        header=[str(text) for text in view.columns],
        rows=rows,
    )


def _one_word(texts: Iterable[str]) -> bool:
    """Whether every cell of a column is one short word (a year, "yes", a code): kept
    unwrapped like an id, so the text columns beside it get the room."""
    return all(not re.search(r"\s", text) and len(text) <= ONE_WORD_CHARACTERS for text in texts)


def _stacks(classes: Sequence[str], rows: Sequence[Sequence[str]]) -> bool:
    """Whether a table is read as one list per row on a phone: more columns than a phone
    shows side by side, or long text beside other columns."""
    if len(classes) > PHONE_COLUMNS:
        return True
    longest = max((len(text) for row in rows for text in row), default=0)
    return len(classes) > 1 and longest > PHONE_TEXT_CHARACTERS


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
