"""Draft a year's curated CSV from the plan's text for a curator to review (`gealc-report draft`).

Each year the Executive Committee approves a new plan as a document. Curating ~40 activities
by hand is slow and error-prone, so this module turns the plan (plain text, a Markdown
export, or a Word or PDF file read into located lines by :mod:`documents`) into a draft in
the curated contract's columns, plus ``needs_review``: the fields the extractor is unsure of
and where the row is printed. It never invents: every field keeps the printed text in its
``*_original`` column, codes come from ``coding_rules`` (the same functions the tests check the
curated rows against), translations are left empty, and a line that looks like an activity
but cannot be read is reported with its place (line; paragraph; page and line).

Every pattern runs in time linear in the line (no pattern retries a run of blanks from each
of its positions), and a line over ``MAX_LINE_CHARS`` or a text with more than
``MAX_ACTIVITIES`` numbers is refused before any pattern reads it (issue 20).

Two layouts are known (``data/raw/SOURCES.md``): the 2020 English one (semester headings above
the activities, fields run together on one line, sometimes two activities on one line) and
the 2024 Spanish Markdown one (headings of any depth, one ``Lugar:/Fecha:/Recursos:`` line
each in any order, footnotes and page breaks between a title and its fields). The parser
reads the text line by line and recognises *kinds of lines*, not positions, so both layouts
and their variations (blank lines, Windows line endings, heading levels) read the same.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pandas as pd
import yaml

from gealc_analysis.core import paths
from gealc_analysis.core.outputs import write_bytes_atomically, write_text_atomically
from gealc_analysis.curation import coding_rules, documents
from gealc_analysis.curation.documents import normalise_newlines
from gealc_analysis.data import PlanDataError, load_themes, vocabulary

REVIEW_COLUMN = "needs_review"
DRAFT_COLUMNS: tuple[str, ...] = (*vocabulary.PLAN_COLUMNS, REVIEW_COLUMN)
LANGUAGES: tuple[str, ...] = ("en", "es")
# The plan's own-language title column; the other one is a translation left to the curator.
OWN_TITLE_COLUMN = {"en": "title_en", "es": "title_es"}
TRANSLATED_TITLE_COLUMN = {"en": "title_es", "es": "title_en"}

# Targets of issue 13 for a seed plan's draft against its curated CSV.
TARGET_RECALL = 0.95
TARGET_PRECISION = 1.0  # "no spurious rows"
TARGET_AGREEMENT = 0.90
SCORED_FIELDS: tuple[str, ...] = ("area_code", "timing", "venue_mode", "funding_sources")
# The columns that keep the plan's own wording (no coding): a draft of a seed plan must equal
# the curated copy in every one of them, whatever layout the plan came in.
PRINTED_FIELDS: tuple[str, ...] = (
    "source_ref",
    "area_name",
    "title_original",
    "timing_original",
    "venue_original",
    "resources_original",
    "product",
    "participants",
)

# Printed field labels by column and language (the language also tells which title is own).
FIELD_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "product": {"en": ("Product",), "es": ("Producto",)},
    "participants": {"en": ("Participants",), "es": ("Participantes",)},
    "venue_original": {"en": ("Venue",), "es": ("Lugar", "Sede")},
    "resources_original": {"en": ("Resources",), "es": ("Recursos",)},
    "timing_original": {"en": ("Date",), "es": ("Fecha",)},
}
LABEL_COLUMN = {
    coding_rules.fold(label): column
    for column, by_lang in FIELD_LABELS.items()
    for labels in by_lang.values()
    for label in labels
}
LABEL_LANGUAGE = {
    coding_rules.fold(label): lang
    for by_lang in FIELD_LABELS.values()
    for lang, labels in by_lang.items()
    for label in labels
}
# A label as printed: "Venue:", "*Venue*:", "*Venue:*", "**Lugar:**" — not inside a word.
_LABEL_WORDS = "|".join(sorted(LABEL_COLUMN, key=len, reverse=True))
LABEL = re.compile(
    rf"(?<![^\W\d_])\*{{0,2}}(?P<label>{_LABEL_WORDS})\*{{0,2}}[ \t]*:[ \t]*\*{{0,2}}[ \t]*",
    re.IGNORECASE,
)

# Printed numbers: "3) Áreas de trabajo" (a section), "3.9ii) Reunión …" (an area),
# "3.9ii.4) Realización …" (an activity), anywhere on a line when preceded by a space.
_AREA = r"\d+\.\d+[a-z]{0,4}"
SECTION_LINE = re.compile(r"^\d+\)\s+\S")
AREA_LINE = re.compile(rf"^(?P<code>{_AREA})\)\s+(?P<name>\S.*)$")
ACTIVITY_START = re.compile(rf"(?:^|(?<=\s))(?P<ref>{_AREA}\.\d+)\)(?=\s|$)")
# "3.1.9 Taller", "3.1.9. Taller", "3.1.9- Taller": an activity number without its ")".
MALFORMED_ACTIVITY = re.compile(rf"^(?P<ref>{_AREA}\.\d+)(?!\d|\))")
OBJECTIVE_LINE = re.compile(r"^(objective|objetivo)s?\s*:", re.IGNORECASE)
SEPARATOR_LINE = re.compile(r"^(-{3,}|\*{3,}|_{3,})$")
# Footnote text ("<sup>2</sup> Las reuniones …", "[^2]: …") and markers in running text.
FOOTNOTE_TEXT = re.compile(r"^(?:<sup>(?P<n1>\d+)</sup>|\[\^(?P<n2>\d+)\]:)\s*(?P<text>.*)$")
FOOTNOTE_MARK = re.compile(r"<sup>(?P<n1>\d+)</sup>|\[\^(?P<n2>\d+)\]")
# 2020-style timing sub-headings: "1st. Semester Activities", "Annual Activities",
# "Actividades del 2do. semestre", "Actividades anuales".
TIMING_HEADING = re.compile(
    r"^(actividades\s+(del\s+)?)?"
    r"((1st|2nd|first|second|1er|2do|primer|segundo)\.?\s+(semester|semestre)|annual|anuales?)"
    r"(\s+activities)?\s*[:.]?$"
)
# A venue that says it is not decided yet; anything else coded tbd is worth a second look.
UNDECIDED_VENUE = re.compile(
    r"^(to be (defined|determined)|a definir|por definir|"
    r"a determinar|tbd)\b"
)
# A count the frequency rule may have missed: a small number (not a year) or a number word.
COUNT_MENTION = re.compile(
    r"(?<![\d.])\b([2-9]|[1-9]\d)\b(?![\d.])|\b(two|three|four|five|six|seven|eight|nine|"
    r"ten|twelve|twice|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce)\b"
)
# The plan's title: "2020 WORK PLAN", "PLAN DE TRABAJO 2024", "Work Plan 2021".
PLAN_TITLE_YEAR = re.compile(
    r"(?i)^(?:(?P<before>\d{4})\s+work\s+plan|"
    r"(?:work\s+plan|plan\s+de\s+trabajo)\s+(?P<after>\d{4}))$"
)
# Where a resources text lists several sources: "X y Y", "X and Y", "X, Y".
# The look-behind starts a match only at the first space of a run, so a long run of spaces
# costs one pass, not one per space (issue 20: quadratic patterns).
RESOURCE_PARTS = re.compile(r",|;|(?<!\s)\s+(?:and|y|e)\s+")
# A plan's line is a paragraph at most (the seeds' longest: ~550 characters); far longer
# "lines" are not a plan's text, and refusing them keeps every pass over a line cheap.
MAX_LINE_CHARS = 20_000
# A plan prints about 40 activities; a text with thousands of numbers is not a plan.
MAX_ACTIVITIES = 5_000


class DraftInputError(ValueError):
    """A problem the person running ``draft`` can fix (missing file, unknown language …)."""


@dataclass(frozen=True)
class DraftWarning:
    """Something in the plan the extractor could not use, located by line.

    ``line`` counts the lines read (a text file's line number); ``where`` is the place in a
    Word or PDF document ("page 3, line 12", "paragraph 41"), empty for a text file.
    """

    line: int
    message: str
    unparsed: bool = False  # a line that looks like an activity but gave no row
    where: str = ""

    @property
    def place(self) -> str:
        return self.where or str(self.line)

    def located(self, source: str) -> str:
        if self.where:
            return f"{source}: {self.where}: {self.message}"
        return f"{source}:{self.line}: {self.message}"


@dataclass
class Draft:
    """A drafted plan: one row per printed activity, and what the curator must look at."""

    year: int
    lang: str
    frame: pd.DataFrame  # DRAFT_COLUMNS, every cell text
    warnings: list[DraftWarning]

    @property
    def unparsed_lines(self) -> list[str]:
        """Where each line that looks like an activity but gave no row is."""
        return [warning.place for warning in self.warnings if warning.unparsed]

    def flag_counts(self) -> Counter[str]:
        """How many rows flag each field."""
        return Counter(name for cell in self.frame[REVIEW_COLUMN] for name in flagged_fields(cell))

    def summary(self, source: str, out: str | None = None) -> str:
        """The one line the command prints: what was found and what needs a person."""
        flags = self.flag_counts()
        flagged_rows = sum(bool(flagged_fields(cell)) for cell in self.frame[REVIEW_COLUMN])
        detail = ", ".join(
            f"{name} {count}"
            for name, count in sorted(flags.items(), key=lambda item: (-item[1], item[0]))
        )
        unparsed = ", ".join(self.unparsed_lines) or "none"
        return (
            f"draft {self.year} ({self.lang}) from {source}: "
            f"{len(self.frame)} activities in {self.frame['area_code'].nunique()} areas; "
            f"{sum(flags.values())} fields flagged in {flagged_rows} rows ({detail}); "
            f"{len(self.warnings)} warnings; unparsed lines: {unparsed}"
            + (f"; wrote {out}" if out else "")
        )


def review_cell(fields: Iterable[str], where: str) -> str:
    """The ``needs_review`` cell: the flagged columns, then where the plan prints the row.

    ``"title_es;activity_type [page 3, line 12]"``: the curator reads which fields to check
    and where to look; :func:`flagged_fields` reads the columns back.
    """
    return ";".join(fields) + f" [{where}]"


def flagged_fields(cell: str) -> list[str]:
    """The columns a ``needs_review`` cell flags (its location, in brackets, left out)."""
    names, _, _ = cell.partition(" [")
    return [name for name in names.split(";") if name]


# --------------------------------------------------------------------------- reading lines


def clean_line(raw: str) -> str:
    """A line without layout: Markdown heading marks, bold, escapes, list bullets, trailing
    spaces (Markdown's line break). What is left is the printed words."""
    line = raw.strip()
    line = re.sub(r"^#{1,6}(\s+|$)", "", line)
    line = _without_closing_hashes(line)
    line = line.replace("**", "").replace("__", "")
    line = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|>~])", r"\1", line)
    line = re.sub(r"^[-+*]\s+(?=\d)", "", line)
    return line.strip()


def _without_closing_hashes(line: str) -> str:
    """``line`` without a Markdown heading's closing ``###`` (after a space).

    String methods, not a ``\\s+#+$`` pattern: that pattern retries the whole run of spaces
    from each of its spaces, so a long run took minutes (issue 20).
    """
    hashless = line.rstrip("#")
    if hashless != line and hashless[-1:].isspace():
        return hashless.rstrip()
    return line


def collect_footnotes(lines: Iterable[str]) -> dict[str, str]:
    """Footnote number → its text, wherever the footnote is printed."""
    notes: dict[str, str] = {}
    for raw in lines:
        match = FOOTNOTE_TEXT.match(clean_line(raw))
        if match:
            notes.setdefault(match.group("n1") or match.group("n2"), match.group("text").strip())
    return notes


def strip_footnote_marks(text: str) -> tuple[str, list[str]]:
    """Text without ``<sup>n</sup>`` markers, and the footnote numbers it cited."""
    cited = [m.group("n1") or m.group("n2") for m in FOOTNOTE_MARK.finditer(text)]
    return FOOTNOTE_MARK.sub("", text).strip(), cited


@dataclass(frozen=True)
class PrintedField:
    """One labelled field as printed: the column it fills, its label and its value."""

    column: str
    label: str
    value: str
    label_repeated: bool = False  # "*Venue*: Venue: Virtual." — the value keeps "Venue: "


def split_fields(text: str) -> tuple[str, list[PrintedField]]:
    """Split a run of text at its field labels.

    Returns the text before the first label (a title, or nothing) and the labelled fields in
    printed order. A label printed twice in a row ("*Venue*: Venue: Virtual.") is one field
    whose value keeps the second label, verbatim, as the codebook asks.
    """
    matches = list(LABEL.finditer(text))
    lead = text[: matches[0].start()] if matches else text
    fields: list[PrintedField] = []
    index = 0
    while index < len(matches):
        match = matches[index]
        column = LABEL_COLUMN[coding_rules.fold(match.group("label"))]
        value_start, following = match.end(), index + 1
        repeated = (
            following < len(matches)
            and not text[value_start : matches[following].start()].strip()
            and LABEL_COLUMN[coding_rules.fold(matches[following].group("label"))] == column
        )
        if repeated:
            value_start, following = matches[following].start(), following + 1
        value_end = matches[following].start() if following < len(matches) else len(text)
        fields.append(
            PrintedField(
                column, match.group("label"), clean_value(text[value_start:value_end]), repeated
            )
        )
        index = following
    return clean_value(lead), fields


def clean_value(text: str) -> str:
    """A field's printed value without surrounding spaces or stray emphasis asterisks."""
    return text.strip().strip("*").strip()


def guess_language(text: str) -> str | None:
    """'en' or 'es' from the field labels the plan prints; None when it prints none."""
    votes = Counter(
        LABEL_LANGUAGE[coding_rules.fold(m.group("label"))] for m in LABEL.finditer(text)
    )
    if not votes or votes["en"] == votes["es"]:
        return None
    return max(votes, key=lambda lang: votes[lang])


# --------------------------------------------------------------------------- parsing


@dataclass
class _Area:
    code: str
    name: str
    line: int


@dataclass
class _Activity:
    """An activity as read, before coding: printed texts and where they came from."""

    ref: str
    line: int  # index of its number's line; last_line: of the last line it was read from
    area: _Area
    title: str
    timing_heading: tuple[str, int] | None
    fields: dict[str, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    last_line: int = 0


class _Parser:
    """Reads a plan's lines into activities; one pass, state = current area/heading/activity.

    ``places`` says where each line is printed in a Word or PDF document ("page 3, line 12");
    None for a text file, whose lines are their own numbers.
    """

    def __init__(self, lines: list[str], places: list[str] | None = None) -> None:
        self.lines = lines
        self.places = places
        self.footnotes = collect_footnotes(self.lines)
        self.areas: dict[str, _Area] = {}
        self.area: _Area | None = None
        self.timing_heading: tuple[str, int] | None = None
        self.current: _Activity | None = None
        self.orphan = False  # inside a malformed activity: its fields are not anyone's
        self.activities: list[_Activity] = []
        self.warnings: list[DraftWarning] = []

    def where(self, line: int) -> str:
        return self.places[line - 1] if self.places is not None else ""

    def location(self, activity: _Activity) -> str:
        """Where the plan prints an activity, for the review column."""
        first, last = activity.line, max(activity.line, activity.last_line)
        if self.places is None:
            return f"line {first}" if first == last else f"lines {first}-{last}"
        start, end = self.where(first), self.where(last)
        return start if start == end else f"{start} to {end}"

    def warn(self, line: int, message: str, unparsed: bool = False) -> None:
        self.warnings.append(DraftWarning(line, message, unparsed, self.where(line)))

    def close(self) -> None:
        self.current = None
        self.orphan = False

    def parse(self) -> list[_Activity]:
        for number, raw in enumerate(self.lines, start=1):
            line = clean_line(raw)
            self.read_line(number, line)
            if self.current is not None and not self.orphan and _part_of_activity(line):
                self.current.last_line = number
            if len(self.activities) > MAX_ACTIVITIES:
                raise DraftInputError(
                    f"{self.where(number) or f'line {number}'}: more than {MAX_ACTIVITIES} "
                    "activity numbers; a plan prints about 40 (is this the plan's text?)"
                )
        return self.activities

    def read_line(self, number: int, line: str) -> None:
        if not line or SEPARATOR_LINE.match(line) or FOOTNOTE_TEXT.match(line):
            return  # page breaks and footnotes sit anywhere, even inside an activity
        if OBJECTIVE_LINE.match(line):
            self.close()
            return
        area = AREA_LINE.match(line)
        if area and not LABEL.search(area.group("name")):
            self.close()
            name, _ = strip_footnote_marks(area.group("name"))
            self.area = _Area(area.group("code"), name, number)
            self.areas.setdefault(self.area.code, self.area)
            self.timing_heading = None
            return
        if SECTION_LINE.match(line):
            self.close()
            self.area = None
            self.timing_heading = None
            return
        if TIMING_HEADING.match(coding_rules.fold(line)):
            self.close()
            self.timing_heading = (line, number)
            return
        starts = list(ACTIVITY_START.finditer(line))
        if not starts or starts[0].start() > 0:
            malformed = MALFORMED_ACTIVITY.match(line) if self.area else None
            if malformed:
                self.close()
                self.orphan = True
                self.warn(
                    number,
                    f"'{_shorten(line)}' looks like activity "
                    f"{malformed.group('ref')} but the number is not followed by ')'; "
                    "no row drafted: add it by hand",
                    unparsed=True,
                )
                return
            self.continue_activity(number, line[: starts[0].start()] if starts else line)
        for index, start in enumerate(starts):
            end = starts[index + 1].start() if index + 1 < len(starts) else len(line)
            self.start_activity(
                number,
                start.group("ref"),
                line[start.end() : end],
                same_line_as=starts[index - 1].group("ref") if index else None,
            )

    def start_activity(self, number: int, ref: str, rest: str, same_line_as: str | None) -> None:
        self.orphan = False
        title, fields = split_fields(rest)
        title, cited = strip_footnote_marks(title)
        area, area_in_doubt = self.area_for(ref, number)
        activity = _Activity(ref, number, area, title, self.timing_heading, footnotes=cited)
        if area_in_doubt:
            activity.flags.update({"area_code", "area_name"})
        if same_line_as:
            activity.notes.append(f"Printed on the same line as {same_line_as}.")
        if not title:
            activity.flags.add("title_original")
            self.warn(number, f"activity {ref} has no title after its number")
        self.current = activity
        self.activities.append(activity)
        self.add_fields(number, fields)

    def area_for(self, ref: str, number: int) -> tuple[_Area, bool]:
        """The area an activity belongs to (its number's prefix, named by its heading), and
        whether that is in doubt: the number does not belong to the heading above it."""
        code = ref.rsplit(".", 1)[0]
        if self.area is not None and self.area.code == code:
            return self.area, False
        if self.area is None:
            self.warn(number, f"activity {ref} is printed before any area heading")
        else:
            self.warn(
                number,
                f"activity {ref} is printed under area {self.area.code}; "
                f"drafted in area {code}, as its number says",
            )
        return self.areas.get(code, _Area(code, "", 0)), True

    def continue_activity(self, number: int, text: str) -> None:
        if self.orphan:
            return
        lead, fields = split_fields(text)
        if self.current is None:
            if fields:
                self.warn(number, f"field '{fields[0].label}' outside any activity; not used")
            return  # area preambles and prose between areas
        last = next(reversed(self.current.fields), "title_original")
        if lead and last != "title_original" and not self.current.fields[last]:
            value, cited = strip_footnote_marks(lead)  # "Lugar:" here, its value below
            self.current.fields[last] = value
            self.current.footnotes.extend(cited)
            self.current.flags.add(last)
        elif lead:
            self.current.flags.add(last)
            self.warn(
                number,
                f"text '{_shorten(lead)}' inside activity {self.current.ref} "
                f"belongs to no field; not used ({last} flagged)",
            )
        self.add_fields(number, fields)

    def add_fields(self, number: int, fields: list[PrintedField]) -> None:
        activity = self.current
        assert activity is not None
        for printed in fields:
            value, cited = strip_footnote_marks(printed.value)
            activity.footnotes.extend(cited)
            if printed.label_repeated:
                activity.flags.add(printed.column)
                activity.notes.append(
                    f"The plan prints the label '{printed.label}' twice; "
                    f"{printed.column} keeps the second as printed."
                )
            if activity.fields.get(printed.column):
                activity.flags.add(printed.column)
                self.warn(
                    number,
                    f"activity {activity.ref} prints '{printed.label}' twice; "
                    f"kept the first, '{_shorten(value)}' not used",
                )
                continue
            if printed.column in activity.fields or not value:
                activity.flags.add(printed.column)  # an empty label, maybe filled below
            activity.fields[printed.column] = value


def _part_of_activity(line: str) -> bool:
    """Whether a line read inside an activity is its text (not a blank, a page break or a
    footnote printed there), so the activity's location spans it."""
    return bool(line) and not SEPARATOR_LINE.match(line) and not FOOTNOTE_TEXT.match(line)


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------- coding


def _code_row(
    activity: _Activity,
    where: str,
    year: int,
    lang: str,
    themes: dict[tuple[int, str], dict],
    footnotes: dict[str, str],
    seen: Counter[str],
) -> dict[str, str]:
    """One activity → one draft row, coded by the codebook's rule functions."""
    flags = set(activity.flags)
    notes = list(activity.notes)
    row = dict.fromkeys(vocabulary.PLAN_COLUMNS, "")
    seen[activity.ref] += 1
    suffix = vocabulary.repeat_suffix(seen[activity.ref])
    if suffix:
        flags.add("activity_id")
        notes.append(
            f"The plan prints the number {activity.ref} more than once; this is "
            f"occurrence {seen[activity.ref]} (activity_id suffix {suffix})."
        )
    area_code = activity.area.code
    row.update(
        plan_year=str(year),
        activity_id=f"{year}-{activity.ref}{suffix}",
        source_ref=activity.ref,
        area_code=area_code,
        area_name=activity.area.name,
        title_original=activity.title,
    )
    if not row["area_name"]:
        flags.add("area_name")
    crosswalk = themes.get((year, area_code))
    if crosswalk is None:
        flags.add("theme")
    else:
        row["theme"] = crosswalk["theme"]
        if row["area_name"] != crosswalk["area_name"]:
            flags.add("area_name")
            notes.append(f"themes.csv names area {area_code} '{crosswalk['area_name']}'.")
    row[OWN_TITLE_COLUMN[lang]] = activity.title
    flags.add(TRANSLATED_TITLE_COLUMN[lang])  # no machine translation: a person writes it
    row.update(
        {
            column: activity.fields.get(column, "")
            for column in ("venue_original", "resources_original", "product", "participants")
        }
    )
    row["activity_type"] = coding_rules.guess_activity_type(activity.title, row["product"])
    flags.add("activity_type")
    _code_timing(row, activity, flags, notes)
    _code_venue(row, flags)
    _code_resources(row, flags)
    for number in dict.fromkeys(activity.footnotes):
        notes.append(f"Footnote {number} of the plan: {footnotes.get(number, '(text not found)')}")
    row["notes"] = " ".join(notes)
    row[REVIEW_COLUMN] = review_cell((c for c in vocabulary.PLAN_COLUMNS if c in flags), where)
    return row


def _code_timing(
    row: dict[str, str], activity: _Activity, flags: set[str], notes: list[str]
) -> None:
    """The activity's own date field wins; else the semester heading above it (2020)."""
    heading = activity.timing_heading[0] if activity.timing_heading else ""
    printed = activity.fields.get("timing_original") or heading
    row["timing_original"] = printed
    frequency = coding_rules.code_frequency(activity.title, printed)
    row["frequency_per_year"] = str(frequency)
    count = COUNT_MENTION.search(coding_rules.fold(f"{activity.title} {printed}"))
    if frequency == 1 and count:
        flags.add("frequency_per_year")
        notes.append(f"'{count.group(0)}' may be a count the frequency rule does not read.")
    if not printed:
        flags.update({"timing", "timing_original"})
        return
    try:
        row["timing"] = coding_rules.code_timing(printed)
    except ValueError:
        flags.update({"timing", "timing_original"})
        return
    if heading and printed != heading and _timing_or_none(heading) != row["timing"]:
        flags.add("timing")
        notes.append(f"The heading above says '{heading}'; the date field says '{printed}'.")


def _timing_or_none(text: str) -> str | None:
    try:
        return coding_rules.code_timing(text)
    except ValueError:
        return None


def _code_venue(row: dict[str, str], flags: set[str]) -> None:
    venue = row["venue_original"]
    if not venue:
        flags.update({"venue_original", "venue_mode"})
        row["venue_mode"] = coding_rules.code_venue_mode("", row["title_original"])
        return
    row["venue_mode"] = coding_rules.code_venue_mode(venue, row["title_original"])
    row["venue_country"] = coding_rules.code_venue_country(venue)
    if row["venue_mode"] == "tbd" and not UNDECIDED_VENUE.match(coding_rules.fold(venue)):
        flags.add("venue_mode")  # not "to be defined": a place or mode the rules do not know


def _code_resources(row: dict[str, str], flags: set[str]) -> None:
    resources = row["resources_original"]
    if not resources:
        flags.update({"resources_original", "funding_sources", "idb_instrument"})
        return
    row["funding_sources"] = coding_rules.code_funding(resources)
    row["idb_instrument"] = coding_rules.code_idb_instrument(resources)
    if not row["funding_sources"] or unrecognised_resource_parts(resources):
        flags.add("funding_sources")


def unrecognised_resource_parts(resources: str) -> list[str]:
    """Parts of a resources text (split at 'and', 'y', commas) that code to no source.

    ``code_funding`` finds every source it knows anywhere in the text; a part it finds
    nothing in ("fondos CAF") may be a source the codebook does not list yet.
    """
    parts = [part.strip(" .") for part in RESOURCE_PARTS.split(resources)]
    return [part for part in parts if part and not coding_rules.code_funding(part)]


# --------------------------------------------------------------------------- public API


def printed_plan_year(lines: list[str]) -> tuple[int, int] | None:
    """(line, year) of the title's "2020 WORK PLAN" / "PLAN DE TRABAJO 2024", if printed."""
    for number, raw in enumerate(lines, start=1):
        match = PLAN_TITLE_YEAR.search(clean_line(raw))
        if match:
            return number, int(match.group("before") or match.group("after"))
    return None


def themes_by_area(themes: pd.DataFrame | None) -> dict[tuple[int, str], dict]:
    """(plan_year, area_code) → crosswalk row, from a loaded ``themes.csv``."""
    if themes is None:
        return {}
    return {
        (int(row["plan_year"]), str(row["area_code"])): row for row in themes.to_dict("records")
    }


def draft_plan(
    text: str, year: int, lang: str | None = None, themes: pd.DataFrame | None = None
) -> Draft:
    """Draft the rows of a plan from its text. ``lang`` None: guessed from the field labels."""
    return draft_lines(normalise_newlines(text).split("\n"), year, lang, themes)


def draft_lines(
    lines: list[str],
    year: int,
    lang: str | None = None,
    themes: pd.DataFrame | None = None,
    places: list[str] | None = None,
) -> Draft:
    """Draft the rows of a plan from its lines; ``places`` locate them in a Word or PDF
    document (None: the lines of a text file). ``lang`` None: guessed from the labels."""
    if not 1000 <= year <= 9999:
        raise DraftInputError(f"--year: expected the plan's four-digit year, found {year}")
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:  # before any pattern reads it
            place = places[number - 1] if places is not None else f"line {number}"
            raise DraftInputError(
                f"{place}: a line of {len(line)} characters; a plan's line is at most "
                f"{MAX_LINE_CHARS} (is this the plan's text?)"
            )
    language = lang or guess_language("\n".join(lines))
    if language not in LANGUAGES:
        raise DraftInputError(
            "cannot tell the plan's language from its field labels "
            "(Venue/Resources or Lugar/Recursos); give --lang en or --lang es"
        )
    parser = _Parser(lines, places)
    activities = parser.parse()
    printed = printed_plan_year(parser.lines)
    if printed and printed[1] != year:
        parser.warn(
            printed[0],
            f"the plan's title names the year {printed[1]}, the draft is for {year}: check --year",
        )
    crosswalk = themes_by_area(themes)
    seen: Counter[str] = Counter()
    rows = [
        _code_row(
            activity, parser.location(activity), year, language, crosswalk, parser.footnotes, seen
        )
        for activity in activities
    ]
    frame = pd.DataFrame(rows, columns=list(DRAFT_COLUMNS), dtype="str")
    return Draft(year, language, frame, sorted(parser.warnings, key=lambda w: w.line))


def draft_file(
    path: Path | str, year: int, lang: str | None = None, themes: pd.DataFrame | None = None
) -> Draft:
    """Draft from a plan file: text or Markdown, Word (.docx) or PDF (``documents``).

    A missing, unreadable or unsupported file is a DraftInputError that says why.
    """
    try:
        plan = documents.read_plan(Path(path))
    except documents.DocumentError as error:
        raise DraftInputError(str(error)) from None
    return draft_lines(plan.lines, year, lang, themes, plan.places)


def draft_csv(frame: pd.DataFrame) -> str:
    """The draft as CSV text in the curated files' canonical form (``data.write_plan``):
    UTF-8, ``\\n`` line endings, minimal quoting, DRAFT_COLUMNS in order."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(DRAFT_COLUMNS)
    writer.writerows(frame[list(DRAFT_COLUMNS)].astype(str).itertuples(index=False, name=None))
    return buffer.getvalue()


def refuse_out(out: Path, plan: Path, data_dir: Path | None, *, force: bool = False) -> None:
    """Raise DraftInputError unless ``out`` is a safe place for a draft.

    The curator's files are never a draft's target, whatever ``--data-dir`` says: not the
    plan being drafted, nothing inside the project's ``data/`` folder (curated, raw,
    schemas, sources), the ``--data-dir`` folder or the ``raw/`` folder beside it, not a
    folder. An existing file elsewhere
    is replaced only with ``force`` (``--force``). Symlinks are resolved first, so a link
    into ``data/`` is refused like the path it points to.
    """
    if out.is_dir():
        raise DraftInputError(f"{out}: is a folder; --out names the CSV file to write")
    if not out.parent.is_dir():
        raise DraftInputError(f"{out.parent}: no such folder for --out")
    target = out.resolve()
    if target == plan.resolve():
        raise DraftInputError(f"{out}: is the plan being drafted; write the draft elsewhere")
    protected = [paths.DATA_DIR.resolve()]
    if data_dir is not None:  # and the raw folder beside it, where --add-source writes
        protected += [Path(data_dir).resolve(), (Path(data_dir).parent / "raw").resolve()]
    for folder in protected:
        if target == folder or folder in target.parents:
            raise DraftInputError(
                f"{out}: will not overwrite a file of the curated folder with a draft "
                f"(it is inside {folder}); write it elsewhere and review it first"
            )
    if (out.exists() or out.is_symlink()) and not force:
        raise DraftInputError(f"{out}: already exists; pass --force to replace it")


def write_draft(frame: pd.DataFrame, path: Path | str) -> Path:
    """Write the draft CSV atomically: ``write_text_atomically`` makes a uniquely named
    temporary file beside it (``mkstemp``: O_CREAT|O_EXCL|O_NOFOLLOW, so never through a
    planted symlink), removes it on any failure, and ``os.replace``-s it over ``path`` (which
    replaces a symlink itself, never the file it points to). A file that cannot be written
    (permissions, a full disk) is a DraftInputError naming it."""
    try:
        return write_text_atomically(Path(path), draft_csv(frame))
    except OSError as error:
        raise DraftInputError(
            f"{path}: cannot write the draft ({error.strerror or error}); choose another --out"
        ) from None


def run(
    plan: Path,
    year: int,
    lang: str | None = None,
    out: Path | None = None,
    data_dir: Path | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    *,
    force: bool = False,
    add_source: bool = False,
) -> Draft:
    """What ``gealc-report draft`` does: draft, warn on stderr, write, print one summary line.

    With no ``out`` the CSV goes to stdout and the summary to stderr, so it can be piped.
    ``add_source`` (``--add-source``, the one way ``draft`` writes into the data folder)
    also copies the plan file into the raw folder and lists it in ``sources.yaml``.
    Raises DraftInputError for what the person can fix.
    """
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    raw_dir = (Path(data_dir).parent if data_dir is not None else paths.DATA_DIR) / "raw"
    if out is not None:
        refuse_out(out, plan, data_dir, force=force)
    if add_source:
        refuse_source(plan, year, raw_dir)
    try:
        themes = load_themes(data_dir)
    except PlanDataError as error:
        message = f"the themes crosswalk is needed for the theme column:\n{error}"
        raise DraftInputError(message) from None
    result = draft_file(plan, year, lang, themes)
    if result.frame.empty:
        raise DraftInputError(
            f"{plan}: no activity numbers like '3.1.1)' found; is this a "
            "Red GEALC work plan (text, Markdown, Word or PDF)?"
        )
    for warning in result.warnings:
        print(warning.located(str(plan)), file=stderr)
    if out is None:
        stdout.write(draft_csv(result.frame))
        print(result.summary(str(plan), "stdout"), file=stderr)
    else:
        write_draft(result.frame, out)
        print(result.summary(str(plan), str(out)), file=stdout)
    if add_source:
        registry = record_source(plan, year, result.lang, raw_dir)
        print(
            f"added {raw_dir / plan.name} to {registry}: fill in its title, assembly and "
            f"date there and in {raw_dir / 'SOURCES.md'}",
            file=stderr if out is None else stdout,
        )
    return result


SOURCES_FILE = "sources.yaml"


def refuse_source(plan: Path, year: int, raw_dir: Path) -> None:
    """Raise DraftInputError unless ``plan`` can be added as the raw source of ``year``:
    raw sources are never replaced, so neither the year nor the file name may be taken."""
    registry = raw_dir / SOURCES_FILE
    if not registry.is_file() or registry.is_symlink():
        raise DraftInputError(f"{registry}: no list of raw sources to add the plan to")
    if plan.resolve().parent == raw_dir.resolve():
        raise DraftInputError(
            f"{plan}: is in the raw folder already; draft it without --add-source"
        )
    target = raw_dir / plan.name
    if target.exists() or target.is_symlink():
        raise DraftInputError(
            f"{target}: already exists; a raw source is never replaced (rename the plan file)"
        )
    listed = yaml.safe_load(registry.read_text(encoding="utf-8")) or []
    if any(isinstance(entry, dict) and entry.get("year") == year for entry in listed):
        raise DraftInputError(f"{registry}: already lists a source for {year}")


def record_source(plan: Path, year: int, lang: str, raw_dir: Path) -> Path:
    """Copy ``plan`` into ``raw_dir`` and append its entry, with its SHA-256, to
    ``sources.yaml`` (appended as text: the file's comments and order stay). Title, assembly
    and date are left empty for the curator: nothing is invented."""
    data = plan.read_bytes()
    write_bytes_atomically(raw_dir / plan.name, data)
    entry = {
        "year": year,
        "path": plan.name,
        "title": "",
        "assembly": "",
        "date": "",
        "language": lang,
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    registry = raw_dir / SOURCES_FILE
    text = registry.read_text(encoding="utf-8")
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False)
    write_text_atomically(registry, text + ("" if text.endswith("\n") else "\n") + block)
    return registry


def seed_plans(raw_dir: Path | None = None) -> dict[int, Path]:
    """The plans' raw texts by year, from their file names (``…-2020.en.txt``)."""
    folder = raw_dir or paths.RAW_DIR
    found: dict[int, Path] = {}
    for path in sorted(folder.glob("*.txt")):
        match = re.search(r"(?<!\d)(\d{4})(?!\d)", path.name)
        if match:
            found[int(match.group(1))] = path
    return found


def language_of(path: Path) -> str | None:
    """'en' / 'es' from a file name like ``plan.es.txt``; None when it does not say."""
    suffixes = [suffix.lstrip(".") for suffix in path.suffixes]
    return next((suffix for suffix in suffixes if suffix in LANGUAGES), None)


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Disagreement:
    activity_id: str
    column: str
    drafted: str
    curated: str
    flagged: bool


@dataclass(frozen=True)
class DraftScore:
    """How a draft compares with the curated CSV of the same plan."""

    n_curated: int
    n_drafted: int
    n_matched: int
    missing: tuple[str, ...]  # curated activity_ids the draft lacks
    spurious: tuple[str, ...]  # drafted activity_ids the curated file lacks
    agreement: dict[str, float]  # per scored field, over matched rows
    disagreements: tuple[Disagreement, ...]

    @property
    def recall(self) -> float:
        return self.n_matched / self.n_curated if self.n_curated else 1.0

    @property
    def precision(self) -> float:
        return self.n_matched / self.n_drafted if self.n_drafted else 1.0

    @property
    def unflagged(self) -> tuple[Disagreement, ...]:
        return tuple(d for d in self.disagreements if not d.flagged)

    def target_failures(self) -> list[str]:
        """Each missed target of issue 13, in words; empty when the draft meets them all."""
        failures = []
        if self.recall < TARGET_RECALL:
            failures.append(
                f"recall {self.recall:.1%} < {TARGET_RECALL:.0%}; missing {', '.join(self.missing)}"
            )
        if self.precision < TARGET_PRECISION:
            failures.append(f"spurious rows: {', '.join(self.spurious)}")
        for column, value in self.agreement.items():
            if value < TARGET_AGREEMENT:
                failures.append(f"{column} agreement {value:.1%} < {TARGET_AGREEMENT:.0%}")
        failures.extend(
            f"{d.activity_id}: {d.column} drafted {d.drafted!r}, curated "
            f"{d.curated!r}, not flagged in {REVIEW_COLUMN}"
            for d in self.unflagged
        )
        return failures

    def lines(self, label: str) -> list[str]:
        """A readable report, one fact a line."""
        flagged = len(self.disagreements) - len(self.unflagged)
        out = [
            f"{label}: {self.n_drafted} drafted, {self.n_curated} curated, "
            f"{self.n_matched} matched; recall {self.recall:.1%}, "
            f"precision {self.precision:.1%}"
        ]
        out += [
            f"  {column:<16} agreement {value:6.1%}" for column, value in self.agreement.items()
        ]
        out.append(f"  disagreements {len(self.disagreements)}, flagged {flagged}")
        out += [
            f"    {d.activity_id} {d.column}: drafted {d.drafted!r}, curated {d.curated!r}"
            f"{'' if d.flagged else '  NOT FLAGGED'}"
            for d in self.disagreements
        ]
        return out


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as the text a CSV holds (typed frames from load_plans included)."""
    text = frame.astype("object").where(frame.notna(), "")
    return text.map(str)


def score_draft(
    draft: pd.DataFrame, curated: pd.DataFrame, fields: Iterable[str] = SCORED_FIELDS
) -> DraftScore:
    """Compare a draft with the curated rows of the same plan, matched on activity_id.

    Recall: curated activities the draft found; precision: drafted rows that are real.
    Agreement per field over matched rows; each disagreement records whether the draft
    flagged that field in ``needs_review`` (a flagged miss costs the curator nothing).
    """
    drafted = _as_text(draft).set_index("activity_id", drop=False)
    truth = _as_text(curated).set_index("activity_id", drop=False)
    matched = [aid for aid in truth.index if aid in drafted.index]
    agreement: dict[str, float] = {}
    disagreements: list[Disagreement] = []
    for column in fields:
        same = 0
        for aid in matched:
            mine, theirs = drafted.at[aid, column], truth.at[aid, column]
            if mine == theirs:
                same += 1
                continue
            review = drafted.at[aid, REVIEW_COLUMN] if REVIEW_COLUMN in drafted else ""
            disagreements.append(
                Disagreement(aid, column, mine, theirs, column in flagged_fields(review))
            )
        agreement[column] = same / len(matched) if matched else 0.0
    return DraftScore(
        n_curated=len(truth),
        n_drafted=len(drafted),
        n_matched=len(matched),
        missing=tuple(aid for aid in truth.index if aid not in drafted.index),
        spurious=tuple(aid for aid in drafted.index if aid not in truth.index),
        agreement=agreement,
        disagreements=tuple(disagreements),
    )


def fill_flagged_from(draft: pd.DataFrame, curated: pd.DataFrame) -> pd.DataFrame:
    """The draft with every flagged field taken from the curated rows: what a curator's
    review produces when the curated file is the truth. Returns PLAN_COLUMNS only."""
    truth = _as_text(curated).set_index("activity_id", drop=False)
    filled = _as_text(draft)
    for index, row in filled.iterrows():
        if row["activity_id"] not in truth.index:
            continue  # a row the curated file lacks stays as drafted; validation will tell
        for column in flagged_fields(row[REVIEW_COLUMN]):
            filled.at[index, column] = truth.at[row["activity_id"], column]
    return filled[list(vocabulary.PLAN_COLUMNS)]
