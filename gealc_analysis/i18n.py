"""EN/ES labels for charts and tables, read from one catalogue: ``labels.csv`` beside this file.

Every visible word of a chart comes from here, so a translation fix is a one-line edit of the
CSV and both languages always carry the same set of keys (the tests enforce it). Codes of the
controlled vocabularies are labelled under ``<prefix>.<code>`` keys (see ``VOCABULARIES``).
"""

from __future__ import annotations

import csv
import functools
import io
import math
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from gealc_analysis import vocabulary

SUPPORTED_LANGS: tuple[str, ...] = ("en", "es")
LABELS_FILE: Path = Path(__file__).resolve().parent / "labels.csv"


# Key prefix → the codes it must label; ``code_label`` and the catalogue test use it.
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "funding": vocabulary.FUNDING_SOURCES,
    "timing": vocabulary.TIMINGS,
    "venue": vocabulary.VENUE_MODES,
    "activity_type": vocabulary.ACTIVITY_TYPES,
    "idb_instrument": vocabulary.IDB_INSTRUMENTS,
    "theme_relation": vocabulary.THEME_RELATIONS,
    "measure": vocabulary.FUNDING_MEASURES,
}


class MissingLabelError(KeyError):
    """A key is not in the catalogue; the message says which key and which file to edit."""

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return str(self.args[0])


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported; fail early with the supported list otherwise."""
    if lang not in SUPPORTED_LANGS:
        raise ValueError(f"Unsupported language {lang!r}; use one of {SUPPORTED_LANGS}.")
    return lang


@functools.cache
def load_catalogue() -> dict[str, dict[str, str]]:
    """Read ``labels.csv`` once: key → {lang: text}. Duplicate keys are an error, not a merge."""
    text = resources.files("gealc_analysis").joinpath("labels.csv").read_text(encoding="utf-8")
    catalogue: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        key = row["key"]
        if key in catalogue:
            raise ValueError(f"Duplicate label key {key!r} in {LABELS_FILE}.")
        catalogue[key] = {lang: row.get(lang) or "" for lang in SUPPORTED_LANGS}
    return catalogue


def label(key: str, lang: str = "en", **fmt: object) -> str:
    """The ``lang`` text of ``key``, with ``{placeholders}`` filled from ``fmt`` when given."""
    check_lang(lang)
    entry = load_catalogue().get(key)
    if entry is None or not entry[lang]:
        raise MissingLabelError(
            f"No {lang!r} label for key {key!r}: add it to {LABELS_FILE} (columns key,en,es)."
        )
    text = entry[lang]
    if not fmt:
        return text
    try:
        return text.format(**fmt)
    except KeyError as err:
        raise MissingLabelError(
            f"Label {key!r} needs placeholder {err.args[0]!r}; pass it as label(..., "
            f"{err.args[0]}=...)."
        ) from err


def code_label(vocabulary: str, code: str, lang: str = "en") -> str:
    """Label of one controlled-vocabulary code, e.g. ``code_label("funding", "idb", "es")``."""
    if vocabulary not in VOCABULARIES:
        raise ValueError(f"Unknown vocabulary {vocabulary!r}; use one of {sorted(VOCABULARIES)}.")
    return label(f"{vocabulary}.{code}", lang)


def format_years(years: Iterable[int]) -> str:
    """Plan years as the source line lists them: unique, ascending, comma-separated."""
    return ", ".join(str(year) for year in sorted({int(year) for year in years}))


def format_number(value: float, lang: str = "en", decimals: int = 0) -> str:
    """A number with the decimal mark of ``lang`` (Spanish uses a comma); NaN → empty."""
    check_lang(lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:.{decimals}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]  # never print "-0"
    return text.replace(".", ",") if lang == "es" else text


def format_percent(share: float, lang: str = "en", decimals: int = 0) -> str:
    """A share in [0, 1] as a percentage; Spanish separates the sign with a space (RAE)."""
    number = format_number(share * 100, lang, decimals)
    if not number:
        return ""
    return f"{number} %" if lang == "es" else f"{number}%"


def format_signed(value: float, lang: str = "en", decimals: int = 0) -> str:
    """A change with an explicit sign (+3, −2, 0), using the true minus sign."""
    number = format_number(abs(value), lang, decimals)
    if not number or float(number.replace(",", ".")) == 0:
        return number
    return f"+{number}" if value > 0 else f"−{number}"
