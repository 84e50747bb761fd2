"""The Spanish report is Spanish: every catalogue key has both languages, no English word is
left in the Spanish column, one term per concept (the terminology list, ``terms.csv``), the
labels of a category agree with the noun they qualify, a number never parts from its unit,
and no template puts an article before a label it cannot know the gender or number of."""

from __future__ import annotations

import csv
import fnmatch
import re
from collections.abc import Mapping, Sequence

import pytest

from gealc_analysis.words.i18n import (
    LABELS_FILE,
    SUPPORTED_LANGS,
    Term,
    code_label,
    every_label,
    load_terms,
)

# English words that have no business in a Spanish label (whole words, any case).
ENGLISH_LEFTOVERS = (
    "the",
    "and",
    "of",
    "activity",
    "activities",
    "share",
    "source",
    "sources",
    "funding",
    "theme",
    "themes",
    "work area",
    "plan year",
    "to be defined",
    "year-round",
    "meeting",
    "workshop",
    "alone",
    "change",
    "events",
    "IDB",
    "OAS",
    "named",
    "per",
    "largest",
    "most",
)
# The Spanish endings of an adjective or participle by gender and number.
ENDINGS = {("m", "sg"): "o", ("f", "sg"): "a", ("m", "pl"): "os", ("f", "pl"): "as"}
INFLECTED = re.compile(r"(os|as|o|a)$")
# A number (or a placeholder holding one) and its unit are parted by a non-breaking space.
SPLITTABLE_UNIT = re.compile(r"(\d|\})[ ](%|p\. ?p\.)|p\. p\.")
# An article or contraction right before a placeholder assumes the label's gender and number.
ARTICLE_BEFORE_PLACEHOLDER = re.compile(r"\b(el|la|los|las|del|al|the)\s+\{(source|theme|label)")


def catalogue() -> list[dict[str, str]]:
    with LABELS_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def without_placeholders(text: str) -> str:
    return re.sub(r"\{[^}]*\}", " ", text)


def test_every_key_has_text_in_every_language():
    missing = [
        (row["key"], lang)
        for row in catalogue()
        for lang in SUPPORTED_LANGS
        if not (row.get(lang) or "").strip()
    ]
    assert missing == [], f"fill these in labels.csv: {missing}"


@pytest.mark.parametrize("word", ENGLISH_LEFTOVERS)
def test_spanish_labels_have_no_english_leftovers(word: str):
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)
    found = [row["key"] for row in catalogue() if pattern.search(without_placeholders(row["es"]))]
    assert found == [], f"English {word!r} in the Spanish text of {found}"


def synonyms_used(
    labels: Mapping[str, Mapping[str, str]], terms: Sequence[Term], lang: str
) -> list[tuple[str, str, str]]:
    """(key, synonym, term) for each label of ``lang`` that says a synonym the terms avoid.

    Whole words, any case; a phrase of ``allowed_es`` (a quote of the plan's translation) is
    taken out first."""
    found = []
    for key, texts in labels.items():
        for term in terms:
            text = without_placeholders(texts[lang])
            if lang == "es":
                for phrase in term.allowed_es:
                    text = text.replace(phrase, " ")
            for synonym in term.avoid(lang):
                pattern = rf"(?<![\w-]){re.escape(synonym)}(?![\w-])"
                if re.search(pattern, text, re.IGNORECASE):
                    found.append((key, synonym, term.term_en if lang == "en" else term.term_es))
    return found


def disagreements(
    labels: Mapping[str, Mapping[str, str]], terms: Sequence[Term]
) -> list[tuple[str, str, str]]:
    """(key, word, expected ending) for each inflected word of a category label that does not
    agree with the gender and number of the noun its category qualifies (``terms.csv``)."""
    found = []
    for term in terms:
        if not term.keys:
            continue
        ending = ENDINGS[(term.gender_es, term.number_es)]
        noun = term.term_es.lower()
        skip = {noun, noun + "s", noun + "es", *(word.lower() for word in term.invariant_es)}
        for key in sorted(labels):
            if not any(fnmatch.fnmatchcase(key, pattern) for pattern in term.keys):
                continue
            for word in re.findall(r"\w+", without_placeholders(labels[key]["es"]).lower()):
                inflected = INFLECTED.search(word)
                if word in skip or inflected is None or len(word) < 4:
                    continue
                if inflected.group(1) != ending:
                    found.append((key, word, ending))
    return found


@pytest.mark.parametrize("lang", SUPPORTED_LANGS)
def test_labels_use_one_term_per_concept(lang: str):
    found = synonyms_used(every_label(), load_terms(), lang)
    assert found == [], f"say the report's term instead (key, synonym, term): {found}"


def test_category_labels_agree_with_the_noun_they_qualify():
    found = disagreements(every_label(), load_terms())
    assert found == [], f"(key, word, expected ending) per terms.csv: {found}"


def test_every_agreement_rule_names_existing_keys_and_a_gender_and_number():
    keys = list(every_label())
    for term in load_terms():
        if term.keys:
            assert (term.gender_es, term.number_es) in ENDINGS, term.concept
            for pattern in term.keys:
                assert fnmatch.filter(keys, pattern), f"{term.concept}: no key matches {pattern}"


def test_the_checks_catch_a_synonym_and_a_wrong_gender():
    terms = [
        Term(
            "cash", "cash", "recurso monetario", ("money",), ("en efectivo",), (), "m", "sg", (), ()
        ),
        Term(
            "semimonthly",
            "semimonthly",
            "quincenal",
            (),
            ("semimonthly",),
            ("Semimonthly en la traducción",),
            "",
            "",
            (),
            (),
        ),
        Term("activity", "activity", "actividad", (), (), (), "f", "sg", ("rel.*",), ("continúa",)),
    ]
    labels = {
        "a": {"en": "Only money", "es": "Solo en efectivo"},
        "b": {"en": "x", "es": "reuniones “quincenales” (Semimonthly en la traducción)"},
        "c": {"en": "x", "es": "reuniones semimonthly"},
        "rel.continued": {"en": "Continued", "es": "Continúa"},
        "rel.merged": {"en": "Merged", "es": "Fusionada"},
        "rel.split": {"en": "Split", "es": "Dividido"},
    }
    assert synonyms_used(labels, terms, "en") == [("a", "money", "cash")]
    assert synonyms_used(labels, terms, "es") == [
        ("a", "en efectivo", "recurso monetario"),
        ("c", "semimonthly", "quincenal"),
    ]
    assert disagreements(labels, terms) == [("rel.split", "dividido", "a")]


def test_a_number_never_parts_from_its_percent_sign_or_unit():
    found = [
        (key, lang)
        for key, texts in every_label().items()
        for lang in SUPPORTED_LANGS
        if SPLITTABLE_UNIT.search(texts[lang])
    ]
    assert found == [], f"join number and unit with a non-breaking space (U+00A0): {found}"


def test_to_be_defined_is_one_term_in_each_language():
    for vocabulary in ("timing", "venue"):
        assert code_label(vocabulary, "tbd", "en") == "To be defined"
        assert code_label(vocabulary, "tbd", "es") == "Por definir"


def test_no_template_puts_an_article_before_a_label():
    found = [
        (row["key"], lang)
        for row in catalogue()
        for lang in SUPPORTED_LANGS
        if ARTICLE_BEFORE_PLACEHOLDER.search(row[lang])
    ]
    assert found == [], f"rephrase so the label needs no article: {found}"


def test_theme_relations_agree_with_the_masculine_tema():
    # "Tema … Nueva/Fusionada" was wrong: tema is masculine
    relations = {
        code: code_label("theme_relation", code, "es")
        for code in ("new", "merged", "renamed", "split", "retired")
    }
    assert relations == {
        "new": "Nuevo",
        "merged": "Fusionado",
        "renamed": "Renombrado",
        "split": "Dividido",
        "retired": "Retirado",
    }
