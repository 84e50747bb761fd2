"""The reader's view of a tidy analysis frame: labelled headers, codes as labels, shares as %.

The saved CSV of a table keeps codes and raw shares for reuse; what a page shows is this
view, built from the label catalogue so both languages label the same columns.
"""

from __future__ import annotations

import pandas as pd

from gealc_analysis import i18n, vocabulary
from gealc_analysis.narrative import PERCENT_DECIMALS, number, percent


def reader_view(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A reader's view of a tidy frame: labelled headers, codes as labels, shares as %.

    Only for display; the saved CSV keeps codes and raw shares for reuse. Theme keys give
    way to the theme labels of ``lang``; the other language's columns are dropped.
    """
    other_lang = "es" if lang == "en" else "en"
    view = frame.drop(columns=[c for c in frame.columns if c.endswith(f"_{other_lang}")])
    if f"theme_label_{lang}" in view:
        view = view.drop(columns=["theme"], errors="ignore")
    for column, vocabulary_name in VOCABULARY_COLUMNS.items():
        if column in view:
            view[column] = [i18n.code_label(vocabulary_name, str(code), lang)
                            if pd.notna(code) and str(code) else "" for code in view[column]]
    if "funding_sources" in view:
        view["funding_sources"] = [
            "; ".join(i18n.code_label("funding", code, lang)
                      for code in vocabulary.split_funding(cell))
            for cell in view["funding_sources"]
        ]
    for column in view.columns:
        view[column] = _formatted(view[column], column, lang)
    return view.rename(columns={column: _header(column, lang) for column in view.columns})


# Columns of analysis frames that hold codes of a vocabulary (labelled for display).
VOCABULARY_COLUMNS: dict[str, str] = {
    "source": "funding", "measure": "measure", "timing": "timing", "venue_mode": "venue",
    "activity_type": "activity_type", "instrument": "idb_instrument",
    "idb_instrument": "idb_instrument", "relation": "theme_relation",
}


def _formatted(values: pd.Series, column: str, lang: str) -> list[str] | pd.Series:
    """Display text of one column: percentages, signed changes, yes/no, decimals."""
    if column == "share" or column.endswith("_share") or column.startswith("share_"):
        return [percent(value, lang) for value in values]
    if column == "pct_change":
        return [i18n.format_signed(value * 100, lang, PERCENT_DECIMALS) if pd.notna(value)
                else "" for value in values]
    if pd.api.types.is_bool_dtype(values):
        return [i18n.label("column.yes" if value else "column.no", lang) for value in values]
    if pd.api.types.is_float_dtype(values):
        return [number(value, lang, 0 if float(value).is_integer() else 2) for value in values]
    return values


def _header(column: str, lang: str) -> str:
    """The catalogue's header for a column, or the column name when it has none."""
    try:
        return i18n.label(f"column.{column}", lang)
    except KeyError:
        return column
