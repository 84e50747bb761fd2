"""A plan as the Secretariat receives it (text, Word or PDF) → located lines for ``draft``.

The drafter (:mod:`gealc_analysis.curation.draft`) reads a plan line by line. A text or
Markdown file already is lines. A Word file and a PDF are not, and the conversion is where
activities get lost, so this module does it once, for both, with what a reader of the
printed page sees:

- **Word** (python-docx): the "3.1.1)" numbers are usually Word's automatic list numbering,
  absent from the paragraph text. They are recomputed from ``numbering.xml`` (the paragraph's
  or its style's ``numPr`` → ``abstractNum`` level: start, format, ``lvlText`` like
  ``%1.%2.%3)``), so each paragraph reads as printed. Tables are read row by row.
- **PDF** (words and their boxes through PDFium, ``pypdfium2``, fast enough for a 200-page
  plan; pages that draw rules through pdfplumber, whose table finder reads ruled tables):
  running headers and footers (rows repeated at the same height on most pages) and page
  numbers are dropped; two-column pages are split at their gutter and read left column
  first; physical lines are joined into paragraphs, and a word hyphenated at a line end is
  joined; ruled tables are read row by row, a row broken across pages joined again.

Superscript footnote numbers come out as ``<sup>n</sup>``, the form the drafter already
reads in Markdown exports. A table row whose first cell is an activity number becomes
``3.1.1) Title Lugar: … Fecha: …``: each cell after the title behind its column's header,
so the drafter's field labels find them. Every line keeps where it is printed ("page 3,
line 12", "paragraph 41", "table 2, row 5") for warnings and the review column.

Anything that is not a readable plan (encrypted or image-only PDF, corrupt .docx, another
file type) is a :class:`DocumentError` whose message says what to do.
"""

from __future__ import annotations

import itertools
import re
import statistics
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TEXT_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".markdown")
WORD_SUFFIX = ".docx"
PDF_SUFFIX = ".pdf"
SUPPORTED = (*TEXT_SUFFIXES, WORD_SUFFIX, PDF_SUFFIX)

# What opens a new paragraph whatever the spacing: a printed number "3)", "3.1)",
# "3.9ii.4)", or a footnote's text (its superscript number first).
ITEM_START = re.compile(r"^(?:\d+(?:\.\d+[a-z]{0,4}){0,2}\)(?=\s|$)|<sup>)")
ACTIVITY_CELL = re.compile(r"^(?P<ref>\d+\.\d+[a-z]{0,4}\.\d+)\)?\.?$")
# A line that only numbers the page: "7", "- 7 -", "Page 7", "Página 7 de 12", "7 / 12".
# (Single optional spaces: a line's words are joined by one space, and no run of blanks can
# make the pattern retry.)
PAGE_NUMBER = re.compile(
    r"^(?:(?:page|pag|pág|página|pagina|p\.) ?)?[-–—]? ?\d{1,4} ?[-–—]?"
    r"(?: ?(?:/|of|de) ?\d{1,4})?$",
    re.IGNORECASE,
)
HYPHENATED_WORD = re.compile(r"\w+(?:-\w+)+")
# Hyphens a typesetter puts at a line end: hyphen-minus, hyphen, soft hyphen.
LINE_END_HYPHENS = ("-", "\u2010", "\u00ad")


class DocumentError(ValueError):
    """A plan file that cannot be read as a plan; the message says why and what to do."""


@dataclass(frozen=True)
class PlanLines:
    """A plan's lines, and where each is printed (None: a text file, lines are numbered)."""

    lines: list[str]
    places: list[str] | None
    kind: str  # "text", "Word" or "PDF"


def normalise_newlines(text: str) -> str:
    """One ``\\n`` per line whatever the source (Windows ``\\r\\n``, old Mac ``\\r``), no BOM."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def read_plan(path: Path) -> PlanLines:
    """The lines of a plan file, by its extension (case ignored): .txt/.md, .docx, .pdf."""
    if not path.is_file():
        raise DocumentError(f"{path}: no such file (give the path of the plan)")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return read_text(path)
    if suffix == WORD_SUFFIX:
        return read_docx(path)
    if suffix == PDF_SUFFIX:
        return read_pdf(path)
    raise DocumentError(
        f"{path}: expected a plan as {', '.join(SUPPORTED[:-1])} or {SUPPORTED[-1]}, found "
        f"'{path.suffix or 'no'}' extension (save a .doc or .odt as .docx, or export the plan "
        "to PDF)"
    )


def read_text(path: Path) -> PlanLines:
    """A UTF-8 text or Markdown file, line by line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DocumentError(
            f"{path}: expected UTF-8 text, found byte "
            f"0x{error.object[error.start]:02x} at offset {error.start} "
            "(save the plan as UTF-8 text)"
        ) from None
    return PlanLines(normalise_newlines(text).split("\n"), None, "text")


# --------------------------------------------------------------------------- tables


def table_header(rows: Sequence[Sequence[str]]) -> list[str] | None:
    """A table's column headers ("No.", "Activity", "Venue" …), or None when its first row
    is an activity already (a table continued from the page before, its header not
    repeated)."""
    if not rows or not rows[0] or ACTIVITY_CELL.match(rows[0][0].strip()):
        return None
    return [cell.strip().rstrip(":").strip() for cell in rows[0]]


def table_lines(
    rows: Sequence[Sequence[str]], header: Sequence[str] | None = None
) -> list[tuple[int, str]]:
    """(row number, line) for each row of a table of activities, header row excluded.

    A row that starts with an activity number becomes "3.1.1) <title> <Header>: <cell> …",
    so a column headed "Lugar" reads as the field "Lugar:" (an empty cell is left out, like
    a field the plan does not print). Any other row (an area or a
    semester spanning the table) is its cells' text. A table without a header row of its own
    uses ``header``, the one of the table it continues.
    """
    header, start = table_layout(rows, header)
    numbered = [(index + 1, row_line(rows[index], header)) for index in range(start, len(rows))]
    return [(number, text) for number, text in numbered if text]


def row_line(row: Sequence[str], header: Sequence[str] | None) -> str:
    """One table row as the line the drafter reads (see :func:`table_lines`)."""
    cells = [cell.strip() for cell in row]
    number = ACTIVITY_CELL.match(cells[0]) if cells else None
    if number is None:
        return " ".join(dict.fromkeys(cell for cell in cells if cell))
    header = header or ()
    parts = [f"{number.group('ref')})", *cells[1:2]]
    for column, cell in enumerate(cells[2:], start=2):
        label = header[column] if column < len(header) else ""
        if cell:  # an empty cell prints nothing, as a plan that leaves a field out
            parts.append(f"{label}: {cell}" if label else cell)
    return " ".join(part for part in parts if part)


def table_layout(
    rows: Sequence[Sequence[str]], last: Sequence[str] | None
) -> tuple[list[str] | None, int]:
    """(the header that applies to a table, the index of its first data row).

    Its own header row; else, for a table broken across pages without its header repeated,
    the last table's header if it has as many columns. A first row with an empty first cell
    and not the last header is the rest of a row broken across the page, not a header.
    """
    own = table_header(rows)
    continued = last is not None and rows and len(rows[0]) == len(last)
    if own is not None and not (continued and not own[0] and own != list(last or ())):
        return own, 1
    return (list(last) if continued and last is not None else None), 0


# --------------------------------------------------------------------------- Word


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"))
_ROMAN += ((50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(number: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while number >= value:
            out, number = out + letters, number - value
    return out


def _letters(number: int) -> str:
    """Word's lowerLetter: a … z, then aa, bb … (the letter repeated)."""
    if number <= 0:
        return ""
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def format_number(value: int, number_format: str) -> str:
    """One level's counter as Word prints it for ``w:numFmt``."""
    if number_format == "lowerRoman":
        return _roman(value)
    if number_format == "upperRoman":
        return _roman(value).upper()
    if number_format == "lowerLetter":
        return _letters(value)
    if number_format == "upperLetter":
        return _letters(value).upper()
    if number_format == "decimalZero":
        return f"{value:02d}"
    if number_format in ("none", "bullet"):
        return ""
    return str(value)  # decimal and the formats a plan does not use


@dataclass(frozen=True)
class _Level:
    start: int
    number_format: str
    text: str  # lvlText: "%1.%2)"
    suffix: str  # what follows the number: tab, space or nothing


@dataclass
class WordNumbering:
    """Word's automatic list numbering (``numbering.xml``), replayed paragraph by paragraph.

    Counters belong to the abstract list (``abstractNum``), as in Word: every ``num`` that
    points to it continues one list, unless it overrides a level's start. A level's counter
    restarts when a level above it advances.
    """

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    abstract_of: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    @classmethod
    def from_document(cls, document: Any) -> WordNumbering:
        from docx.oxml.ns import qn

        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return numbering  # no numbering part: no automatic numbers

        def value(element: Any, tag: str, default: str = "") -> str:
            child = element.find(qn(tag)) if element is not None else None
            return child.get(qn("w:val"), default) if child is not None else default

        for abstract in root.iter(qn("w:abstractNum")):
            levels = {}
            for level in abstract.iter(qn("w:lvl")):
                start = value(level, "w:start", "0")
                levels[int(level.get(qn("w:ilvl"), "0"))] = _Level(
                    int(start) if start.isdigit() else 0,
                    value(level, "w:numFmt", "decimal"),
                    value(level, "w:lvlText", ""),
                    value(level, "w:suff", "tab"),
                )
            numbering.levels[abstract.get(qn("w:abstractNumId"), "")] = levels
        for num in root.iter(qn("w:num")):
            num_id = num.get(qn("w:numId"), "")
            numbering.abstract_of[num_id] = value(num, "w:abstractNumId")
            for override in num.iter(qn("w:lvlOverride")):
                start = value(override, "w:startOverride")
                if start.isdigit():
                    level = int(override.get(qn("w:ilvl"), "0"))
                    numbering.overrides.setdefault(num_id, {})[level] = int(start)
        return numbering

    def label(self, num_id: str, level: int) -> str:
        """The printed number of the next paragraph of list ``num_id`` at ``level``, with
        the separator Word puts after it ("3.1.1) "); "" when there is no such list."""
        abstract = self.abstract_of.get(num_id)
        levels = self.levels.get(abstract or "", {})
        if abstract is None or level not in levels:
            return ""
        counters = self.counters.setdefault(abstract, {})
        starts = {lvl: spec.start for lvl, spec in levels.items()}
        if num_id not in self.used:
            self.used.add(num_id)
            for lvl, start in self.overrides.get(num_id, {}).items():
                starts[lvl] = start
                counters[lvl] = start - 1
        counters[level] = counters.get(level, starts[level] - 1) + 1
        for deeper in [lvl for lvl in counters if lvl > level]:
            del counters[deeper]
        for upper in range(level):
            counters.setdefault(upper, starts.get(upper, 1))
        spec = levels[level]

        def number(match: re.Match[str]) -> str:
            lvl = int(match.group(1)) - 1
            fmt = levels[lvl].number_format if lvl in levels else "decimal"
            return format_number(counters.get(lvl, 1), fmt)

        printed = re.sub(r"%([1-9])", number, spec.text)
        if not printed:
            return ""
        return printed + ("" if spec.suffix == "nothing" else " ")


def _numbering_of(paragraph: Any) -> tuple[str, int] | None:
    """(numId, level) of a paragraph's automatic number: its own ``numPr`` or its style's
    (heading styles carry the numbering of a multi-level list); None when unnumbered."""
    from docx.oxml.ns import qn

    candidates = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    num_id: str | None = None
    level: int | None = None
    for properties in candidates:
        numbering = properties.find(qn("w:numPr")) if properties is not None else None
        if numbering is None:
            continue
        num = numbering.find(qn("w:numId"))
        lvl = numbering.find(qn("w:ilvl"))
        if num_id is None and num is not None:
            num_id = num.get(qn("w:val"))
        if level is None and lvl is not None:
            level = int(lvl.get(qn("w:val"), "0"))
    if num_id is None or num_id == "0":  # numId 0: numbering switched off here
        return None
    return num_id, level or 0


def _paragraph_text(paragraph: Any) -> str:
    """A paragraph's text as printed: superscript digits as ``<sup>n</sup>`` (footnotes)."""
    parts = []
    for item in paragraph.iter_inner_content():
        runs = item.runs if hasattr(item, "runs") else [item]
        for run in runs:
            text = run.text
            if run.font.superscript and text.strip().isdigit():
                text = f"<sup>{text.strip()}</sup>"
            parts.append(text)
    return "".join(parts)


def read_docx(path: Path) -> PlanLines:
    """A Word plan: body paragraphs and tables in order, numbers as Word prints them."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml import etree

    try:
        document = docx.Document(str(path))
        numbering = WordNumbering.from_document(document)
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        etree.Error,
        KeyError,
        ValueError,
        AttributeError,  # python-docx on a zip whose parts are not Word's
        TypeError,
    ) as error:
        raise DocumentError(
            f"{path}: not a readable Word .docx file ({type(error).__name__}: {error}); "
            "open it in Word or LibreOffice and save it again as .docx"
        ) from None

    def text_of(paragraph: Any) -> str:
        numbered = _numbering_of(paragraph)
        label = numbering.label(*numbered) if numbered else ""
        return (label + _paragraph_text(paragraph)).strip()

    lines: list[str] = []
    places: list[str] = []
    paragraphs = tables = 0
    header: list[str] | None = None
    for element in document.element.body.iterchildren():
        tag = etree.QName(element).localname
        if tag == "p":
            paragraphs += 1
            text = text_of(Paragraph(element, document))
            if text:
                lines.append(text)
                places.append(f"paragraph {paragraphs}")
        elif tag == "tbl":
            tables += 1
            rows = []
            for row in Table(element, document).rows:
                cells = list(dict.fromkeys(row.cells))  # a merged cell is listed once per column
                rows.append([" ".join(filter(None, map(text_of, c.paragraphs))) for c in cells])
            for number, text in table_lines(rows, header):
                lines.append(text)
                places.append(f"table {tables}, row {number}")
            header = table_layout(rows, header)[0]
    return PlanLines(lines, places, "Word")


# --------------------------------------------------------------------------- PDF


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str


@dataclass
class _Line:
    """A printed line: its words left to right, the column it is in, its place."""

    words: list[_Word]
    column: int  # 0: full width, 1: left column, 2: right column
    page: int
    number: int  # on its page, top to bottom, left column before right

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(word.top for word in self.words)

    @property
    def bottom(self) -> float:
        return max(word.bottom for word in self.words)

    @property
    def size(self) -> float:
        return statistics.median(word.size for word in self.words)

    @property
    def font(self) -> str:
        """The font most of the line is printed in (a heading's bold, the body's regular)."""
        weight: Counter[str] = Counter()
        for word in self.words:
            weight[word.font] += len(word.text)
        return weight.most_common(1)[0][0]

    @property
    def text(self) -> str:
        out = ""
        for word in self.words:
            if word.text.startswith("<sup>") or not out:
                out += word.text
            else:
                out += " " + word.text
        return out

    @property
    def place(self) -> str:
        return f"page {self.page}, line {self.number}"


def _rows(words: list[_Word]) -> list[list[_Word]]:
    """Words grouped into printed rows: overlapping heights, top to bottom, left to right.

    A superscript sits higher than its line but overlaps it, so it joins its line.
    """
    rows: list[list[_Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        for row in reversed(rows[-3:]):
            top, bottom = min(w.top for w in row), max(w.bottom for w in row)
            overlap = min(bottom, word.bottom) - max(top, word.top)
            if overlap >= 0.5 * min(word.bottom - word.top, bottom - top):
                row.append(word)
                break
        else:
            rows.append([word])
    return [_mark_superscripts(sorted(row, key=lambda w: w.x0)) for row in rows]


def _gutter(rows: list[list[_Word]], width: float) -> float | None:
    """The middle of the blank vertical band between two columns, if the page has two.

    Looked for in the middle half of the page: the widest band of x that no row's word
    covers (a few full-width rows may cross it), with many rows on each side and the right
    column's rows starting at one left edge, as set columns do (a gap that happens to line
    up in one column of justified text does not).
    """
    if len(rows) < 6:
        return None
    low, high = int(width * 0.25), int(width * 0.75)
    steps = [0] * (high - low + 2)  # +1 where a row's run of words starts, -1 after it ends
    for row in rows:
        runs: list[list[int]] = []
        for word in row:  # left to right: merge overlapping words into runs
            start, end = max(low, int(word.x0)), min(high, int(word.x1))
            if start > end:
                continue
            if runs and start <= runs[-1][1] + 1:
                runs[-1][1] = max(runs[-1][1], end)
            else:
                runs.append([start, end])
        for start, end in runs:
            steps[start - low] += 1
            steps[end - low + 1] -= 1
    coverage = list(itertools.accumulate(steps[:-1]))  # rows covering each x
    allowed = max(1, len(rows) // 10)
    best: tuple[int, int] | None = None
    run_start = None
    for offset, count in enumerate([*coverage, allowed + 1]):
        if count <= allowed and run_start is None:
            run_start = offset
        elif count > allowed and run_start is not None:
            if best is None or offset - run_start > best[1] - best[0]:
                best = (run_start, offset)
            run_start = None
    if best is None or best[1] - best[0] < 6:
        return None
    middle = low + (best[0] + best[1]) / 2
    starts = [round(next(w.x0 for w in row if w.x0 >= middle)) for row in rows
              if any(w.x0 >= middle for w in row)]  # fmt: skip
    lefts = sum(1 for row in rows if any(w.x1 <= middle for w in row))
    if len(starts) < 3 or lefts < 3:
        return None
    _, count = Counter(starts).most_common(1)[0]
    if count < 0.6 * len(starts):
        return None
    return middle


def _reading_order(rows: list[list[_Word]], gutter: float | None) -> Iterator:
    """(column, words) in reading order: each band of two-column rows left column first,
    full-width rows (a word across the gutter's middle) where they are."""
    if gutter is None:
        yield from ((0, row) for row in rows)
        return
    left: list[list[_Word]] = []
    right: list[list[_Word]] = []
    for row in rows:
        if any(w.x0 < gutter < w.x1 for w in row):
            yield from ((1, r) for r in left)
            yield from ((2, r) for r in right)
            left, right = [], []
            yield 0, row
            continue
        left_words = [w for w in row if w.x1 <= gutter]
        right_words = [w for w in row if w.x0 >= gutter]
        if left_words:
            left.append(left_words)
        if right_words:
            right.append(right_words)
    yield from ((1, r) for r in left)
    yield from ((2, r) for r in right)


def _words(page: Any) -> list[_Word]:
    """The page's words with their font size (a change of size splits a word, so a
    footnote's superscript number is a word of its own)."""
    raw = page.extract_words(
        extra_attrs=["size", "fontname"], keep_blank_chars=False, use_text_flow=False
    )
    return [
        _Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], float(w["size"]), w["fontname"])
        for w in raw
    ]


def _mark_superscripts(row: list[_Word]) -> list[_Word]:
    """A row with its raised, smaller digits written ``<sup>n</sup>`` (footnote marks)."""
    size = max(word.size for word in row)
    baseline = max(word.bottom for word in row if word.size == size)
    for word in row:
        raised = word.bottom < baseline - 0.15 * size
        if word.text.isdigit() and word.size < 0.85 * size and raised:
            word.text = f"<sup>{word.text}</sup>"
    return row


def _inside(word: _Word, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    middle_x, middle_y = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return x0 <= middle_x <= x1 and top <= middle_y <= bottom


# A table as read: (its top, rows of cells, each cell its printed lines).
_Table = tuple[float, list[list[list[str]]]]


@dataclass
class _Page:
    number: int
    lines: list[_Line]
    tables: list[_Table]


def _plumber_page(page: Any, number: int) -> _Page:
    """A page with rules (a table, maybe): pdfplumber's words and ruled tables."""
    words = _words(page)
    tables: list[_Table] = []
    for table in page.find_tables():
        tables.append((table.bbox[1], _table_cells(words, table)))
        words = [word for word in words if not _inside(word, table.bbox)]
    return _layout(words, tables, float(page.width), number)


def _layout(words: list[_Word], tables: list[_Table], width: float, number: int) -> _Page:
    """A page's printed lines in reading order, from its words (tables taken out)."""
    rows = _rows(words)
    gutter = _gutter(rows, width)
    lines = [
        _Line(row, column, number, index)
        for index, (column, row) in enumerate(_reading_order(rows, gutter), start=1)
    ]
    return _Page(number, lines, tables)


_WORD_BREAKS = frozenset(" \t\r\n\x00")
# How PDFium reports a hyphen the typesetter put at a line end (per character, in a text run).
_PDFIUM_SOFT_HYPHENS = ("\x02", "\ufffe")


def _pdfium_words(page: Any) -> list[_Word]:
    """A page's words through PDFium (C, fast): characters joined while on one baseline, in
    one size, with no gap; each word's font read at its first character."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    height = page.get_height()
    textpage = page.get_textpage()
    handle = textpage.raw
    count = pdfium_c.FPDFText_CountChars(handle)
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    pdfium_c.FPDFText_GetText(
        handle, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    )
    chars = buffer.raw[: 2 * count].decode("utf-16-le", errors="replace")
    char_box, font_size = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetFontSize
    box = pdfium_c.FS_RECTF()
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    words: list[_Word] = []
    current: _Word | None = None
    for index, char in enumerate(chars):
        if char in _PDFIUM_SOFT_HYPHENS:
            if current is not None:
                current.text += "\u00ad"
            current = None
            continue
        if char in _WORD_BREAKS:
            current = None
            continue
        char_box(handle, index, box)
        size = font_size(handle, index)
        top, bottom = height - box.top, height - box.bottom
        if (
            current is not None
            and abs(current.size - size) < 0.01
            and abs(current.bottom - bottom) < 0.5
            and box.left > current.x0 - 0.5  # kerning and ligatures overlap: still one word
            and box.left - current.x1 < 0.15 * size
        ):
            current.text += char
            current.x1, current.top = max(current.x1, box.right), min(current.top, top)
            continue
        pdfium_c.FPDFText_GetFontInfo(handle, index, name, len(name), ctypes.byref(flags))
        current = _Word(char, box.left, box.right, top, bottom, size, name.value.decode("latin-1"))
        words.append(current)
    textpage.close()
    return words


def _has_rules(page: Any) -> bool:
    """Whether a page draws lines or boxes (path objects): only such a page can hold a
    ruled table, and only it needs pdfplumber's slower table finder."""
    import pypdfium2.raw as pdfium_c

    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2))


def _table_cells(words: list[_Word], table: Any) -> list[list[list[str]]]:
    """A ruled table's rows: each cell's printed lines, top to bottom."""
    return [
        [
            [_Line(row, 0, 0, 0).text for row in _rows([w for w in words if _inside(w, box)])]
            for box in row.cells
            if box is not None
        ]
        for row in table.rows
    ]


def _running_lines(pages: list[_Page]) -> set[tuple[int, int]]:
    """(page, line number) of running headers, footers and page numbers.

    A running line is among the top or bottom two rows of its page and prints the same text
    (digits aside: "Page 3" = "Page 4") at the same height on at least half the pages; a row
    that is only a page number is one wherever it is at the top or bottom.
    """

    def key(line: _Line) -> tuple[str, int]:
        # heights within 2 pt are one place (the two PDF readers round differently)
        return re.sub(r"\d+", "#", line.text), round(line.top / 4)

    edges = []
    for page in pages:
        by_height = sorted(page.lines, key=lambda line: line.top)
        edges.append(by_height if len(by_height) <= 4 else by_height[:2] + by_height[-2:])
    seen = Counter(key(line) for lines in edges for line in lines)
    repeated = {k for k, count in seen.items() if count >= max(2, len(pages) / 2)}
    return {
        (line.page, line.number)
        for lines in edges
        for line in lines
        if key(line) in repeated or PAGE_NUMBER.match(line.text)
    }


def _joint(previous: str, following: str, vocabulary: set[str]) -> tuple[str, str]:
    """How two printed lines of one paragraph join: (the first line as it stays, what goes
    between). A hyphen at the end of the first joins the word it split ("transfron-" +
    "teriza"), unless the document prints that word with its hyphen elsewhere ("on-" +
    "site", printed "on-site"): PDF readers do not tell a typesetter's hyphen from a word's.
    """
    if (
        previous.endswith(LINE_END_HYPHENS)
        and len(previous) > 1
        and previous[-2].isalpha()
        and following[:1].isalpha()
    ):
        head = previous[:-1]
        tail = re.match(r"\w+", following)
        compound = f"{_last_word(head)}-{tail.group(0) if tail else ''}".casefold()
        return head + ("-" if compound in vocabulary else ""), ""
    return previous, " "


def _last_word(text: str) -> str:
    """The word characters that end ``text`` (a loop, not ``\\w+$``, which retries a long
    run of word characters from each of its positions)."""
    index = len(text)
    while index and (text[index - 1].isalnum() or text[index - 1] == "_"):
        index -= 1
    return text[index:]


def _join(previous: str, following: str, vocabulary: set[str]) -> str:
    """Two printed lines of one paragraph as one (see :func:`_joint`)."""
    head, between = _joint(previous, following, vocabulary)
    return head + between + following


def _join_lines(texts: Sequence[str], vocabulary: set[str] | None = None) -> str:
    """A paragraph's printed lines as one text; linear in its length (pieces joined once)."""
    pieces: list[str] = []
    for text in texts:
        if pieces:
            pieces[-1], between = _joint(pieces[-1], text, vocabulary or set())
            pieces.append(between)
        pieces.append(text)
    return "".join(pieces)


def _paragraph_break(previous: _Line, line: _Line, right_edge: dict) -> bool:
    """Whether ``line`` starts a new paragraph after ``previous`` (in reading order).

    In one column: a larger gap than the line spacing (baselines more than 1.6 × the text
    size apart), another text size or font (a heading) or an item number opening the line. Across a
    column or page break the paragraph goes on only if the line before the break fills its
    column (justified text ends a paragraph with a shorter line).
    """
    if ITEM_START.match(line.text) or abs(line.size - previous.size) > 0.1 * previous.size:
        return True
    if line.font != previous.font:
        return True
    if (line.page, line.column) == (previous.page, previous.column):
        return line.bottom - previous.bottom > 1.6 * previous.size or line.top < previous.top
    edge = right_edge.get((previous.page, previous.column), previous.x1)
    return previous.x1 < edge - 2


def read_pdf(path: Path) -> PlanLines:
    """A PDF plan's paragraphs in reading order, running headers and footers dropped."""
    pages = _open_pdf_pages(path)
    if not any(page.lines or page.tables for page in pages):
        raise DocumentError(
            f"{path}: the PDF has no text layer (a scanned document?); run OCR on it outside "
            "this tool (for example ocrmypdf) and draft the PDF that makes, or the plan's "
            "Word file"
        )
    running = _running_lines(pages)
    body = [
        [line for line in page.lines if (line.page, line.number) not in running] for page in pages
    ]
    right_edge: dict[tuple[int, int], float] = {}
    for lines in body:
        for line in lines:
            key = (line.page, line.column)
            right_edge[key] = max(right_edge.get(key, 0.0), line.x1)
    printed = [line.text for lines in body for line in lines]
    printed += [text for page in pages for _, rows in page.tables for row in rows for cell in row
                for text in cell]  # fmt: skip
    vocabulary = {  # the hyphenated words the document prints whole
        token.casefold()
        for text in printed
        for token in (word.strip(".,;:()[]\"'«»“”") for word in text.split())
        if "-" in token and HYPHENATED_WORD.fullmatch(token)
    }
    out_lines: list[list[str]] = []  # each paragraph's pieces, joined once at the end
    places: list[str] = []
    previous: _Line | None = None  # the last text line, while its paragraph may go on
    header: list[str] | None = None
    last_row: tuple[int, list[str]] | None = None  # (its line, its cells) of the last table row
    for page, lines in zip(pages, body, strict=True):
        items: list[tuple[float, str, _Line | list[str], bool]] = [
            (line.top, line.place, line, False) for line in lines
        ]
        for index, (top, rows) in enumerate(page.tables, start=1):
            cells = [[_join_lines(cell, vocabulary) for cell in row] for row in rows]
            header, first = table_layout(cells, header)
            items.extend(
                (
                    top + number / 1000,
                    f"page {page.number}, table {index}, row {number + 1}",
                    row,
                    number == first,  # may be the rest of the last page's last row
                )
                for number, row in enumerate(cells[first:], start=first)
            )
        if page.tables:  # tables sit between text lines by height
            items.sort(key=lambda item: item[0])
        for _, place, item, first_row in items:
            if isinstance(item, _Line):
                last_row = None
                if previous and not _paragraph_break(previous, item, right_edge):
                    pieces = out_lines[-1]
                    pieces[-1], between = _joint(pieces[-1], item.text, vocabulary)
                    pieces.extend((between, item.text))
                else:
                    out_lines.append([item.text])
                    places.append(place)
                previous = item
                continue
            previous = None
            if last_row is not None and item and not item[0] and first_row:
                # a row broken across the page: its rest, without its number, continues it
                merged = [
                    _join(before, after, vocabulary) if before and after else before or after
                    for before, after in zip(last_row[1], item, strict=False)
                ]
                out_lines[last_row[0]] = [row_line(merged, header)]
                last_row = (last_row[0], merged)
                continue
            text = row_line(item, header)
            if text:
                out_lines.append([text])
                places.append(place)
                last_row = (len(out_lines) - 1, item)
    return PlanLines(["".join(pieces) for pieces in out_lines], places, "PDF")


def _open_pdf_pages(path: Path) -> list[_Page]:
    """Every page's lines and tables: text through PDFium (a 200-page plan in about a
    second), pages with rules through pdfplumber, whose table finder reads ruled tables."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) in (pdfium_c.FPDF_ERR_PASSWORD, 6):  # 6: security
            raise DocumentError(_encrypted(path, error)) from None
        raise DocumentError(_unreadable(path, error)) from None
    pages: dict[int, _Page] = {}
    ruled: list[int] = []
    try:
        for number, page in enumerate(document, start=1):
            if _has_rules(page):
                ruled.append(number)
            else:
                pages[number] = _layout(_pdfium_words(page), [], page.get_width(), number)
            page.close()
    finally:
        document.close()
    if ruled:
        pages.update(_plumber_pages(path, ruled))
    return [pages[number] for number in sorted(pages)]


def _plumber_pages(path: Path, numbers: list[int]) -> dict[int, _Page]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(path, pages=numbers) as pdf:
            return {
                number: _plumber_page(page, number)
                for number, page in zip(numbers, pdf.pages, strict=True)
            }
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise DocumentError(_encrypted(path, error)) from None
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise DocumentError(_encrypted(path, cause)) from None
        raise DocumentError(_unreadable(path, cause)) from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as error:
        raise DocumentError(_unreadable(path, error)) from None


def _encrypted(path: Path, error: BaseException) -> str:
    return (
        f"{path}: the PDF is encrypted ({type(error).__name__}); save an unprotected copy "
        "(or use the plan's Word file) and draft that"
    )


def _unreadable(path: Path, error: BaseException) -> str:
    return (
        f"{path}: not a readable PDF ({type(error).__name__}: {error}); export the plan "
        "to PDF again, or draft its Word file"
    )
