"""The tables a section exports (CSV and .xlsx), in the words of the section's language.

The English export is the tidy frame with a label column beside each code column
(``tables.with_labels``): codes and raw numbers, for reuse. Every other language's export is
for a reader of that language: the labels take the place of the codes (ids such as the
activity id, the printed number and the area number stay), the other language's text columns
leave (both titles stay: each is data), yes/no are words, and every header comes from the
label catalogue (``column.<name>``), as on the page. Numbers stay numbers (shares in [0, 1])
so a spreadsheet can compute with them. The data package's CSVs (``data/curated``) are the
data and stay in English; this is only the section's view of them.
"""

from __future__ import annotations

import pandas as pd

from gealc_analysis.words import i18n, tables

SOURCE_LANG = "en"  # the language of the tidy frames' column names and codes
# Text columns that are data in both languages: kept, each under its own header.
BOTH_LANGUAGES: tuple[str, ...] = ("title_en", "title_es")


def export_table(
    frame: pd.DataFrame, themes: pd.DataFrame | None = None, lang: str = "en"
) -> pd.DataFrame:
    """The table a section saves for ``lang`` (see the module's docstring).

    A column the catalogue has no ``column.<name>`` header for keeps its name (a reader's
    frame whose headers are already words passes through unchanged).
    """
    labelled = tables.with_labels(frame, themes, lang)
    if i18n.check_lang(lang) == SOURCE_LANG:
        return labelled
    out = labelled.copy()
    others = [other for other in i18n.SUPPORTED_LANGS if other != lang]
    out = out.drop(
        columns=[
            column
            for column in out.columns
            if column not in BOTH_LANGUAGES
            and any(column.endswith(f"_{other}") for other in others)
        ]
    )
    # Labels given per language by a measure's words (``resources_label_es``) are the same
    # as the label column ``with_labels`` adds: one is enough.
    out = out.drop(
        columns=[f"{c}{tables.LABEL_SUFFIX}_{lang}" for c in tables.VOCABULARY_COLUMNS],
        errors="ignore",
    )
    shown_as = {"theme_label": "theme", "area_label": "area_name"}
    shown_as |= {c + tables.LABEL_SUFFIX: c for c in tables.VOCABULARY_COLUMNS}
    shown_as["funding_sources" + tables.LABEL_SUFFIX] = "funding_sources"
    for label_column, code_column in shown_as.items():
        if label_column in out:
            out = out.drop(columns=[code_column], errors="ignore")
            out = out.rename(columns={label_column: code_column})
    if "theme" in out and "theme_label" not in labelled:
        out = out.drop(columns=["theme"])  # a bare theme key is a code
    # A column in the export's language beside its labelled twin (``area_name_es`` beside
    # ``area_name`` from the crosswalk) says the same thing: shown once.
    out = out.drop(
        columns=[
            c for c in out.columns if c.removesuffix(f"_{lang}") in out and c.endswith(f"_{lang}")
        ]
    )
    for column in out.columns:
        if pd.api.types.is_bool_dtype(out[column]):
            out[column] = [
                i18n.label("column.yes" if value else "column.no", lang) for value in out[column]
            ]
    first, other = f"title_{lang}", [c for c in BOTH_LANGUAGES if c != f"title_{lang}"]
    if first in out and all(c in out for c in other):  # the reader's language's title first
        at = min(out.columns.get_loc(c) for c in (first, *other))
        rest = [c for c in out.columns if c not in (first, *other)]
        out = out[[*rest[:at], first, *other, *rest[at:]]]
    return out.rename(columns={column: header(column, lang) for column in out.columns})


def header(column: str, lang: str) -> str:
    """The catalogue's header of ``column`` in ``lang``, or the name itself when it has none."""
    try:
        return i18n.label(f"column.{column}", lang)
    except i18n.MissingLabelError:
        return column
