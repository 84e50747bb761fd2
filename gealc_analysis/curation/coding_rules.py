"""The codebook's coding rules as functions: printed text in, codes out.

``data/CODEBOOK.md`` states each rule in words; this module states the same rules in
code so that (1) a test can prove every curated row follows them, and (2) a future draft
extractor can code a new plan's text the same way. When a curator departs from a rule,
the row's ``notes`` must say why — and the test lists such rows explicitly.
"""

from __future__ import annotations

import re
import unicodedata

import pycountry

from gealc_analysis.data import vocabulary

# Number words the plans use for counts of events (English and Spanish).
NUMBER_WORDS: dict[str, int] = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
}
# Fixed cadences and the events per year they imply.
CADENCES: dict[str, int] = {
    "semimonthly": 24,
    "monthly": 12,
    "trimestral": 4,
    "quarterly": 4,
    "mensual": 12,
    "quincenal": 24,
}
# Country names as the plans print them, when pycountry's English name differs.
COUNTRY_ALIASES: dict[str, str] = {
    "brasil": "BR",
    "peru": "PE",
    "perú": "PE",
    "méxico": "MX",
    "mexico": "MX",
    "panamá": "PA",
}


def fold(text: str) -> str:
    """Lower-case without accents, so 'Tiempo', 'tiempo' and 'Comité' match one pattern."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def code_timing(timing_original: str) -> str:
    """S1/S2 from the semester; year_round for annual or fixed cadences; tbd for 'A definir'.

    'A definir (4 al año)' is tbd: the plan promises a count but no date.
    """
    text = fold(timing_original)
    if text.startswith(("a definir", "to be defined", "tbd")):
        return "tbd"
    if re.match(r"^(1st|1er|first|primer)\b", text):
        return "S1"
    if re.match(r"^(2nd|2do|second|segundo)\b", text):
        return "S2"
    if re.match(r"^(annual|anual|trimestral|quarterly|semimonthly|monthly|mensual)\b", text):
        return "year_round"
    raise ValueError(f"no timing rule matches {timing_original!r}; extend the codebook")


def code_frequency(title: str, timing_original: str) -> int:
    """Events per year: a cadence word, '(N al año)', or a count opening the title; else 1."""
    folded_title, folded_timing = fold(title), fold(timing_original)
    per_year = re.search(r"\((\d+) al ano\)", folded_timing)
    if per_year:
        return int(per_year.group(1))
    for word, count in CADENCES.items():
        if folded_title.startswith(word) or folded_timing.startswith(word):
            return count
    leading = re.match(r"^(?:participacion en )?(\d+|[a-z]+)\b", folded_title)
    if leading:
        token = leading.group(1)
        if token.isdigit():
            return int(token)
        if token in NUMBER_WORDS:
            return NUMBER_WORDS[token]
    return 1


def code_venue_country(venue_original: str) -> str:
    """ISO alpha-2 code of a country named as the venue, else ''."""
    name = venue_original.strip().rstrip(".").strip()
    if fold(name) in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[fold(name)]
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return ""


def code_venue_mode(venue_original: str, title: str) -> str:
    """on_site if the venue or the title says on-site/presencial or a country is named;
    virtual for Virtual / Virtual exchanges / Intercambios virtuales; else tbd."""
    venue, folded_title = fold(venue_original), fold(title)
    on_site_words = r"\b(on-site|on site|presencial(es)?|in person)\b"
    if re.search(on_site_words, venue) or re.search(on_site_words, folded_title):
        return "on_site"
    if code_venue_country(venue_original):
        return "on_site"
    if re.search(r"\bvirtual(es)?\b", venue):
        return "virtual"
    return "tbd"


# (pattern on folded text, funding code) — order irrelevant, every match counts.
FUNDING_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\b(idb|bid)\b", "idb"),
    (r"\b(oas|oea)\b", "oas"),
    (r"\b(work ?group|grupos? de trabajo)\b", "working_group"),
    (r"\b(executive committee|comite ejecutivo)\b", "executive_committee"),
    (
        (
            r"\b(member countries|paises participantes|agencias participantes|"
            r"tiempo de trabajo de los paises)\b"
        ),
        "member_countries",
    ),
)


def code_funding(resources_original: str) -> str:
    """Every funding source the resources text names, as the canonical ';'-joined cell."""
    text = fold(resources_original)
    found = {code for pattern, code in FUNDING_PATTERNS if re.search(pattern, text)}
    return vocabulary.join_funding(found)


def code_idb_instrument(resources_original: str) -> str:
    """rpg for IDB's RPG funds, consultant for an IDB consultant, general for plain IDB/BID."""
    text = fold(resources_original)
    if not re.search(r"\b(idb|bid)\b", text):
        return ""
    if re.search(r"\brpg\b", text):
        return "rpg"
    if "consultant" in text or "consultor" in text:
        return "consultant"
    return "general"


# Keywords that suggest an activity type, tried in this order on the folded title (the first
# match wins; the product text is tried only when the title matches nothing). The order puts
# the specific before the general: "Three on-site workshops … (safe information exchange)" is
# a workshop, "Meeting documents" governance, "Election of authorities …" the meeting itself.
# This is a *guess* for drafts (``gealc-report draft`` flags every guessed type for review);
# the curated type is the codebook's table, decided by a person.
ACTIVITY_TYPE_KEYWORDS: tuple[tuple[str, str], ...] = (
    (
        "meeting",
        r"\b(election of authorities|realizacion de la reunion|holding of the meeting|"
        r"regional meetings|reuniones regionales)\b",
    ),
    (
        "working_group_meeting",
        r"\b(meetings?|reunion(es)?)\b.*\b(work ?group|working group|"
        r"grupos? de trabajo)\b",
    ),
    ("webinar", r"\bwebinars?\b"),
    ("workshop", r"\b(workshops?|talleres|taller)\b"),
    ("event", r"\b(gobcamp|hackathon|hackaton|\w*ckathon|seminars?|seminarios?)\b"),
    ("award", r"\b(awards?|premios?|excelgov|excelgob)\b"),
    (
        "governance",
        r"\b(action plan|plan de accion|meeting documents|documentos de la reunion|"
        r"position\w*|posicionamiento|articulat\w*|articular|strengthen\w*|"
        r"fortalec\w*|new working group|nuevo grupo de trabajo|strategy|estrategia)\b",
    ),
    (
        "web_content",
        r"\b(website|web|sitio web|platform|plataforma|social networks|"
        r"redes sociales)\b",
    ),
    (
        "study_or_document",
        r"\b(stud(y|ies)|estudios?|guides?|guias?|indicators?|indicadores?|"
        r"methodolog\w*|metodolog\w*|documents?|documentos?|reports?|informes?|"
        r"publications?|publicacion(es)?|research|investigacion|"
        r"trust(ed)? lists?|listas? de confianza)\b",
    ),
    ("exchange", r"\b(exchanges?|intercambios?|dialog(ue)?|dialogo|cooperation|cooperacion)\b"),
    ("meeting", r"\b(meetings?|reunion(es)?)\b"),
)


def guess_activity_type(title: str, product: str = "") -> str:
    """The activity type the title's keywords suggest (codebook table), else 'other'.

    A guess, not a rule: several types can share a word, so drafts flag it for review.
    """
    for text in (fold(title), fold(product)):
        for activity_type, pattern in ACTIVITY_TYPE_KEYWORDS:
            if re.search(pattern, text):
                return activity_type
    return "other"
