"""The Spanish report is Spanish: every catalogue key has both languages, no English word is
left in the Spanish column, one term per concept, and no template puts an article before a
label it cannot know the gender or number of."""

from __future__ import annotations

import csv
import re

import pytest

from gealc_analysis.words.i18n import LABELS_FILE, SUPPORTED_LANGS, code_label

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
# Words that would break "one term per concept" in Spanish (the chosen term in brackets).
SPANISH_SYNONYMS_TO_AVOID = {
    "a definir": "por definir",
    "exposición": "dependencia",
    "período": "calendario",
}
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


def test_spanish_uses_one_term_per_concept():
    for avoid, chosen in SPANISH_SYNONYMS_TO_AVOID.items():
        found = [row["key"] for row in catalogue() if avoid in row["es"].lower()]
        assert found == [], f"{found} say {avoid!r}; the report's term is {chosen!r}"


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
