"""EN/ES labels for charts and tables, read from one catalogue: ``labels.csv`` beside this file.

Every visible word of a chart comes from here, so a translation fix is a one-line edit of the
CSV and both languages always carry the same set of keys (the tests enforce it). Codes of the
controlled vocabularies are labelled under ``<prefix>.<code>`` keys (see ``VOCABULARIES``).

The funding codes are the exception: they are data, each labelled in its row of
``funding_codes.csv``, and a data folder may add one. Their ``funding.<code>`` labels are the
labels of the data the report is made from: the project's by default, a build's data folder
while it builds (:func:`labelling_funding_codes`), a notebook's data once it has it
(:func:`label_funding_codes`).
"""

from __future__ import annotations

import csv
import functools
import io
import math
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale
from babel import numbers as babel_numbers

from gealc_analysis.data import lineage, vocabulary
from gealc_analysis.measures.funding import RESOURCE_MIXES

if TYPE_CHECKING:
    import pandas as pd

SUPPORTED_LANGS: tuple[str, ...] = ("en", "es")
LABELS_FILE: Path = Path(__file__).resolve().parent / "labels.csv"
# The terminology list beside the catalogue: one term per concept per language, the synonyms
# the labels avoid, and the gender and number that the labels of a category agree with.
TERMS_FILE: Path = Path(__file__).resolve().parent / "terms.csv"
TERM_LIST_SEPARATOR = ";"
# Numbers: the CLDR decimal pattern (grouping every three digits) with the decimals asked
# for; Babel supplies each language's separators and percent sign spacing.
DECIMAL_PATTERN = "#,##0"
MINUS_SIGN = "\u2212"  # a true minus, as wide as the plus sign (not the hyphen-minus)


# Key prefix → the codes it must label; ``code_label`` and the catalogue test use it.
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "funding": vocabulary.FUNDING_SOURCES,
    "timing": vocabulary.TIMINGS,
    "venue": vocabulary.VENUE_MODES,
    "activity_type": vocabulary.ACTIVITY_TYPES,
    "idb_instrument": vocabulary.IDB_INSTRUMENTS,
    "theme_relation": vocabulary.THEME_RELATIONS,
    "lineage.relation": lineage.RELATIONS,
    "measure": vocabulary.FUNDING_MEASURES,
    "resources": RESOURCE_MIXES,
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
    text = (
        resources.files("gealc_analysis.words").joinpath("labels.csv").read_text(encoding="utf-8")
    )
    catalogue: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        key = row["key"]
        if key in catalogue:
            raise ValueError(f"Duplicate label key {key!r} in {LABELS_FILE}.")
        catalogue[key] = {lang: row.get(lang) or "" for lang in SUPPORTED_LANGS}
    # The funding codes' labels are data, beside each code and its kind (funding_codes.csv).
    for key in catalogue:
        if key.startswith(FUNDING_PREFIX):
            raise ValueError(
                f"Label key {key!r} is data: label the code in {vocabulary.FUNDING_CODES_FILE}."
            )
    return catalogue


FUNDING_PREFIX = "funding."
FundingLabels = Mapping[str, Mapping[str, str]]  # code → {lang: label}
# The process's funding labels (a notebook's data: label_funding_codes) and, over them, those
# of the build running in this thread (labelling_funding_codes): two builds in two threads
# of one process each label their own data.
_PROCESS_FUNDING_LABELS: list[FundingLabels] = [vocabulary.FUNDING_LABELS]
_BUILD_FUNDING_LABELS: ContextVar[FundingLabels | None] = ContextVar("funding_labels", default=None)


def label_funding_codes(codes: pd.DataFrame) -> None:
    """From now on, label the funding codes of ``codes`` (a notebook's data: the kernel runs
    one notebook, on one data folder)."""
    _PROCESS_FUNDING_LABELS[0] = vocabulary.funding_labels(codes.to_dict("records"))


@contextmanager
def labelling_funding_codes(codes: pd.DataFrame) -> Iterator[None]:
    """Within the block, in this thread, label the funding codes of ``codes`` (a build's
    data folder); the labels before it afterwards."""
    token = _BUILD_FUNDING_LABELS.set(vocabulary.funding_labels(codes.to_dict("records")))
    try:
        yield
    finally:
        _BUILD_FUNDING_LABELS.reset(token)


def _funding_labels() -> FundingLabels:
    return _BUILD_FUNDING_LABELS.get() or _PROCESS_FUNDING_LABELS[0]


def _funding_entry(key: str) -> Mapping[str, str] | None:
    return _funding_labels().get(key.removeprefix(FUNDING_PREFIX))


def every_label() -> dict[str, Mapping[str, str]]:
    """Every label the report may show, key → {lang: text}: the catalogue's and those of the
    funding codes in use (under ``funding.<code>``), for the checks of words and glyphs."""
    funding = {f"{FUNDING_PREFIX}{code}": texts for code, texts in _funding_labels().items()}
    return {**load_catalogue(), **funding}


@dataclass(frozen=True)
class Term:
    """One concept of the terminology list (``terms.csv``): the report's one term for it in
    each language, the synonyms no label may use (``allowed_es``: quoted phrases, such as the
    plan translation's own word, that may contain one), and, for a concept whose labelled
    categories qualify it (``keys``: label-key patterns), its Spanish gender (``m``/``f``) and
    number (``sg``/``pl``), which those labels agree with (``invariant_es``: words that do
    not inflect, such as the verb "continúa")."""

    concept: str
    term_en: str
    term_es: str
    avoid_en: tuple[str, ...]
    avoid_es: tuple[str, ...]
    allowed_es: tuple[str, ...]
    gender_es: str
    number_es: str
    keys: tuple[str, ...]
    invariant_es: tuple[str, ...]

    def avoid(self, lang: str) -> tuple[str, ...]:
        """The synonyms the labels of ``lang`` never use for this concept."""
        return self.avoid_en if check_lang(lang) == "en" else self.avoid_es


@functools.cache
def load_terms() -> tuple[Term, ...]:
    """Read ``terms.csv`` once, in file order; its ``;``-separated cells become tuples."""
    text = resources.files("gealc_analysis.words").joinpath("terms.csv").read_text(encoding="utf-8")

    def listed(cell: str | None) -> tuple[str, ...]:
        return tuple(part.strip() for part in (cell or "").split(TERM_LIST_SEPARATOR) if part)

    return tuple(
        Term(
            concept=row["concept"],
            term_en=row["term_en"],
            term_es=row["term_es"],
            avoid_en=listed(row["avoid_en"]),
            avoid_es=listed(row["avoid_es"]),
            allowed_es=listed(row["allowed_es"]),
            gender_es=row["gender_es"] or "",
            number_es=row["number_es"] or "",
            keys=listed(row["keys"]),
            invariant_es=listed(row["invariant_es"]),
        )
        for row in csv.DictReader(io.StringIO(text))
    )


def label(key: str, lang: str = "en", **fmt: object) -> str:
    """The ``lang`` text of ``key``, with ``{placeholders}`` filled from ``fmt`` when given."""
    check_lang(lang)
    if key.startswith(FUNDING_PREFIX):
        entry = _funding_entry(key)
        if entry is None or not entry.get(lang):
            raise MissingLabelError(
                f"No {lang!r} label for the funding code {key.removeprefix(FUNDING_PREFIX)!r}: "
                f"give it one in the data's {vocabulary.FUNDING_CODES_FILE} (label_{lang})."
            )
    else:
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


def _rounded(value: float | None, decimals: int) -> Decimal | None:
    """``value`` rounded as Python's ``f"{value:.{decimals}f}"`` rounds it; None for NaN/None.

    Rounding here (not in Babel, which rounds half-even on the decimal text) keeps every
    number the report printed before Babel did the formatting; -0 becomes 0.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    number = Decimal(f"{value:.{decimals}f}")
    return abs(number) if number == 0 else number


def _with_decimals(pattern: str, decimals: int) -> str:
    """A CLDR number pattern with exactly ``decimals`` fraction digits ("#,##0" → "#,##0.0")."""
    if decimals <= 0:
        return pattern
    head, zero, tail = pattern.rpartition("0")
    return f"{head}{zero}.{'0' * decimals}{tail}"


def format_number(value: float, lang: str = "en", decimals: int = 0) -> str:
    """A number in ``lang``'s convention (Babel/CLDR): "1,234.5" in English, "1.234,5" in
    Spanish; exactly ``decimals`` decimals; a true minus sign; NaN → empty; never "-0"."""
    check_lang(lang)
    number = _rounded(value, decimals)
    if number is None:
        return ""
    text = babel_numbers.format_decimal(
        abs(number), format=_with_decimals(DECIMAL_PATTERN, decimals), locale=lang
    )
    return f"{MINUS_SIGN}{text}" if number < 0 else text


def format_percent(share: float, lang: str = "en", decimals: int = 0) -> str:
    """A share in [0, 1] as a percentage in ``lang``'s convention (Babel/CLDR): "46%" in
    English, "46 %" in Spanish with a non-breaking space, so the sign never wraps alone."""
    check_lang(lang)
    percent = _rounded(None if share is None else share * 100, decimals)
    if percent is None:
        return ""
    pattern = Locale.parse(lang).percent_formats[None].pattern
    return babel_numbers.format_percent(
        percent / 100, format=_with_decimals(pattern, decimals), locale=lang
    )


def format_signed(value: float, lang: str = "en", decimals: int = 0) -> str:
    """A change with an explicit sign (+3, −2, 0), using the true minus sign (U+2212)."""
    number = _rounded(value, decimals)
    if number is None:
        return ""
    magnitude = format_number(abs(number), lang, decimals)  # abs: the sign is added here
    if number == 0:
        return magnitude
    return f"+{magnitude}" if number > 0 else f"{MINUS_SIGN}{magnitude}"
