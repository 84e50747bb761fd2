"""The label catalogue: complete in both languages, covers every code, fails helpfully."""

from __future__ import annotations

import csv

import pytest

from gealc_analysis.data import vocabulary
from gealc_analysis.data import vocabulary as vocabulary_module
from gealc_analysis.words import i18n
from gealc_analysis.words.i18n import (
    LABELS_FILE,
    SUPPORTED_LANGS,
    MissingLabelError,
    code_label,
    format_number,
    format_percent,
    format_signed,
    format_years,
    label,
)


def catalogue_rows() -> list[dict[str, str]]:
    with LABELS_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_catalogue_has_exactly_the_columns_key_and_each_supported_language():
    with LABELS_FILE.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == ["key", *SUPPORTED_LANGS]


def test_every_key_has_every_language_filled():
    empty = [
        (row["key"], lang)
        for row in catalogue_rows()
        for lang in SUPPORTED_LANGS
        if not (row[lang] or "").strip()
    ]
    assert empty == []


def test_keys_are_unique():
    keys = [row["key"] for row in catalogue_rows()]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("vocabulary", "codes_tuple"),
    [
        ("funding", vocabulary.FUNDING_SOURCES),
        ("timing", vocabulary.TIMINGS),
        ("venue", vocabulary.VENUE_MODES),
        ("activity_type", vocabulary.ACTIVITY_TYPES),
        ("idb_instrument", vocabulary.IDB_INSTRUMENTS),
        ("theme_relation", vocabulary.THEME_RELATIONS),
    ],
)
def test_every_code_of_a_codes_py_vocabulary_has_a_label_in_both_languages(vocabulary, codes_tuple):
    assert i18n.VOCABULARIES[vocabulary] == codes_tuple  # labels follow codes.py, not a copy
    rows = {row["key"]: row for row in catalogue_rows()}
    if vocabulary == "funding":  # the funding codes' labels are data, beside each code
        rows = {
            f"funding.{code}": {"en": labels["en"], "es": labels["es"]}
            for code, labels in vocabulary_module.FUNDING_LABELS.items()
        }
    for code in codes_tuple:
        key = f"{vocabulary}.{code}"
        assert key in rows, f"{key} is missing from {LABELS_FILE}"
        for lang in SUPPORTED_LANGS:
            text = code_label(vocabulary, code, lang)
            assert text == rows[key][lang], f"{key} ({lang}) is not the catalogue's text"
            assert text != code and "_" not in text, f"{key} ({lang}) shows the raw code: {text}"


def test_every_funding_measure_has_a_readable_label_in_both_languages():
    for measure in vocabulary.FUNDING_MEASURES:
        english, spanish = (code_label("measure", measure, lang) for lang in ("en", "es"))
        assert english != measure and "_" not in english, f"measure {measure}: {english!r}"
        assert spanish != english, f"measure {measure} has no Spanish translation: {spanish!r}"


def test_funding_sources_use_the_agencies_own_acronyms_in_each_language():
    assert [code_label("funding", c, "en") for c in ("idb", "oas", "working_group")] == [
        "IDB",
        "OAS",
        "Working-group time",
    ]
    assert [code_label("funding", c, "es") for c in ("idb", "oas", "working_group")] == [
        "BID",
        "OEA",
        "Tiempo de los grupos de trabajo",
    ]


def test_spanish_labels_keep_their_accents():
    assert label("funding.member_countries", "es") == "Países miembros"
    assert label("activity_type.meeting", "es") == "Reunión"
    assert label("axis.plan_year", "es") == "Año del plan"


def test_source_line_fills_in_the_years():
    assert label("source_line", years="2020, 2024") == "Source: Red GEALC Work Plan 2020, 2024"
    assert (
        label("source_line", "es", years="2020") == "Fuente: Plan de Trabajo de la Red GEALC 2020"
    )


def test_label_without_arguments_returns_the_template_untouched():
    assert label("source_line") == "Source: Red GEALC Work Plan {years}"


def test_missing_key_error_names_the_key_and_the_file_to_edit():
    with pytest.raises(KeyError) as caught:
        label("title.no_such_chart", "es")
    assert isinstance(caught.value, MissingLabelError)
    message = str(caught.value)
    assert "'title.no_such_chart'" in message
    assert str(LABELS_FILE) in message


def test_missing_placeholder_names_the_placeholder():
    with pytest.raises(MissingLabelError, match="'years'"):
        label("source_line", "en", year=2020)


def test_unsupported_language_is_rejected_with_the_supported_list():
    with pytest.raises(ValueError, match=r"Unsupported language 'pt'.*'en', 'es'"):
        label("funding.idb", "pt")


def test_unknown_vocabulary_is_rejected():
    with pytest.raises(ValueError, match="Unknown vocabulary"):
        code_label("colour", "idb")


def test_years_are_listed_once_in_ascending_order():
    assert format_years([2024, 2020, 2024]) == "2020, 2024"
    assert format_years([2024, 2020, 2022]) == "2020, 2022, 2024"


NBSP = "\u00a0"
MINUS = "\u2212"


def test_numbers_use_the_decimal_mark_of_the_language():
    assert format_number(0.8249, "en", 2) == "0.82"
    assert format_number(6.5, "es", 1) == "6,5"
    assert format_number(-0.0001, "en", 1) == "0.0"  # never "-0.0"
    assert format_number(float("nan"), "en") == ""


def test_numbers_group_thousands_in_each_language():
    assert format_number(1234567.891, "en", 1) == "1,234,567.9"
    assert format_number(1234567.891, "es", 1) == "1.234.567,9"
    assert format_number(999, "es") == "999"


def test_negative_numbers_use_a_true_minus_sign():
    assert format_number(-3.5, "en", 1) == f"{MINUS}3.5"
    assert format_number(-1234, "es") == f"{MINUS}1.234"


def test_numbers_round_as_the_report_always_did():
    # Python's rounding of the binary value, not Babel's half-even on the decimal text:
    # 0.165 is stored as 0.16500000000000000777…, so it rounds up.
    assert format_number(0.165, "en", 2) == "0.17"
    assert format_number(2.5, "en") == "2"  # an exact tie rounds to even, as f"{2.5:.0f}"


def test_percentages_follow_each_language_convention():
    assert format_percent(0.5, "en") == "50%"
    assert format_percent(0.5, "es") == f"50{NBSP}%"  # RAE: a space that never breaks
    assert format_percent(0.125, "es", 1) == f"12,5{NBSP}%"
    assert format_percent(0.46428, "en") == "46%"
    assert format_percent(float("nan"), "es") == ""


def test_spanish_percent_sign_never_starts_a_line():
    text = format_percent(0.464, "es")
    assert " " not in text and NBSP in text, repr(text)


def test_signed_changes_use_plus_and_a_true_minus_sign():
    assert [format_signed(v) for v in (3, -2, 0)] == ["+3", f"{MINUS}2", "0"]
    assert format_signed(1.5, "es", 1) == "+1,5"
    assert format_signed(-0.04, "en", 1) == "0.0"  # rounds to zero: no sign
    assert format_signed(-1234.5, "es", 1) == f"{MINUS}1.234,5"


def test_a_builds_data_labels_its_funding_codes_within_the_build_only():
    import pandas as pd

    codes = pd.DataFrame(
        {
            "code": ["caf", "idb"],
            "kind": ["cash", "cash"],
            "label_en": ["CAF", "IDB (data)"],
            "label_es": ["CAF (es)", "BID (datos)"],
        }
    )
    project_idb = code_label("funding", "idb", "en")
    with i18n.labelling_funding_codes(codes):
        assert code_label("funding", "caf", "es") == "CAF (es)"
        assert code_label("funding", "idb", "en") == "IDB (data)"  # the data's, not the project's
        assert "funding.caf" in i18n.every_label()
    assert code_label("funding", "idb", "en") == project_idb
    with pytest.raises(
        MissingLabelError, match=r"funding code 'caf'.*funding_codes\.csv \(label_en\)"
    ):
        code_label("funding", "caf", "en")


def test_the_catalogue_refuses_a_funding_code_label_of_its_own(monkeypatch):
    monkeypatch.setattr(
        i18n.resources, "files", lambda _package: FakeFiles("key,en,es\nfunding.idb,IDB,BID\n")
    )
    i18n.load_catalogue.cache_clear()
    try:
        with pytest.raises(
            ValueError, match="'funding.idb' is data: label the code in funding_codes.csv"
        ):
            i18n.load_catalogue()
    finally:
        monkeypatch.undo()
        i18n.load_catalogue.cache_clear()


class FakeFiles:
    """``importlib.resources.files(...)`` of a package whose ``labels.csv`` is ``text``."""

    def __init__(self, text: str) -> None:
        self.text = text

    def joinpath(self, _name: str) -> FakeFiles:
        return self

    def read_text(self, encoding: str) -> str:
        return self.text
