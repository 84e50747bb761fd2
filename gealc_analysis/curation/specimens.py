"""The seed plans typeset as the Secretariat receives plans: Word and PDF, in several layouts.

``draft`` must read a plan as a Word file or a PDF, and the seed texts (``data/raw``) are the
only plans with curated truth. So the tests and ``benchmarks/extractor.py`` make documents
from the seed texts, in the layouts that lose activities when converted by hand, and score
the drafts of those documents against the curated CSVs:

- ``word``: a .docx whose "3)", "3.1)", "3.1.1)" are Word's automatic multi-level list
  numbering (sections and areas through the Heading 1/2 styles, activities through the
  paragraph's own ``numPr``), not text; numbers automatic numbering cannot print (3.9ii,
  a number printed twice) are typed, as an author would, with the style's numbering off;
- ``pdf``: typeset by Typst with a running header, a footer with page numbers, justified
  and hyphenated text on small pages (many line breaks, many hyphenated words);
- ``pdf-columns``: the same on two columns;
- ``pdf-table``: each area's activities in a ruled table, one row per activity, a column
  per field (headed by the plan's own label), areas and semester headings between tables.

Nothing here decides what the drafter finds: the documents carry the seed's words.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gealc_analysis.curation import draft

LAYOUTS: tuple[str, ...] = ("word", "pdf", "pdf-columns", "pdf-table")
SUFFIX = {"word": ".docx", "pdf": ".pdf", "pdf-columns": ".pdf", "pdf-table": ".pdf"}
# The Word list's levels: section "3)", area "3.1)", activity "3.1.1)".
WORD_LEVEL_TEXT = ("%1)", "%1.%2)", "%1.%2.%3)")
WORD_NUM_ID = "90"  # an id python-docx's template does not use


@dataclass(frozen=True)
class Block:
    """One printed paragraph of a seed plan: its kind, its printed number, its words."""

    kind: str  # section | area | activity | heading | title | text | footnote
    number: str  # "3", "3.1", "3.1.1"; the footnote's number; "" otherwise
    text: str  # footnote marks kept as <sup>n</sup>


def blocks(text: str) -> list[Block]:
    """The seed text's paragraphs, classified; two activities printed on one line become
    two paragraphs (a list item each, as in a Word document)."""
    out: list[Block] = []
    for raw in draft.normalise_newlines(text).split("\n"):
        line = draft.clean_line(raw)
        if not line or draft.SEPARATOR_LINE.match(line):
            continue
        footnote = draft.FOOTNOTE_TEXT.match(line)
        section = re.match(r"^(\d+)\)\s+(.*)$", line)
        area = draft.AREA_LINE.match(line)
        starts = list(draft.ACTIVITY_START.finditer(line))
        if footnote:
            out.append(Block("footnote", footnote.group("n1") or footnote.group("n2"), line))
        elif area:
            out.append(Block("area", area.group("code"), area.group("name")))
        elif section:
            out.append(Block("section", section.group(1), section.group(2)))
        elif starts and starts[0].start() == 0:
            for index, start in enumerate(starts):
                end = starts[index + 1].start() if index + 1 < len(starts) else len(line)
                out.append(Block("activity", start.group("ref"), line[start.end() : end].strip()))
        elif draft.TIMING_HEADING.match(draft.coding_rules.fold(line)):
            out.append(Block("heading", "", line))
        elif draft.PLAN_TITLE_YEAR.search(line):
            out.append(Block("title", "", line))
        else:
            out.append(Block("text", "", line))
    return out


def segments(text: str) -> list[dict[str, object]]:
    """Text split at its footnote marks: [{"t": "Reuniones", "sup": False}, {"t": "2", …}]."""
    out: list[dict[str, object]] = []
    position = 0
    for mark in draft.FOOTNOTE_MARK.finditer(text):
        if mark.start() > position:
            out.append({"t": text[position : mark.start()], "sup": False})
        out.append({"t": mark.group("n1") or mark.group("n2"), "sup": True})
        position = mark.end()
    if position < len(text) or not out:
        out.append({"t": text[position:], "sup": False})
    return out


# --------------------------------------------------------------------------- Word


def _word_numbering_xml() -> str:
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:lvlText w:val="{text}"/><w:suff w:val="space"/><w:lvlJc w:val="left"/></w:lvl>'
        for level, text in enumerate(WORD_LEVEL_TEXT)
    )
    return (
        f'<w:abstractNum w:abstractNumId="{WORD_NUM_ID}">'
        f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
    )


def write_word(plan_text: str, path: Path) -> Path:
    """The plan as a .docx with automatic multi-level numbering and heading styles."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    document = docx.Document()
    numbering = document.part.numbering_part.element
    declared = f"<w:abstractNum {nsdecls('w')} "
    abstract = parse_xml(_word_numbering_xml().replace("<w:abstractNum ", declared, 1))
    first_num = numbering.find(qn("w:num"))
    if first_num is None:
        numbering.append(abstract)
    else:
        first_num.addprevious(abstract)  # abstractNum elements come before num elements
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{WORD_NUM_ID}">'
            f'<w:abstractNumId w:val="{WORD_NUM_ID}"/></w:num>'
        )
    )

    def number_properties(level: int | None) -> object:
        """numPr for a list level; level None: numbering off (numId 0)."""
        num_id = WORD_NUM_ID if level is not None else "0"
        return parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level or 0}"/>'
            f'<w:numId w:val="{num_id}"/></w:numPr>'
        )

    for level, name in ((0, "Heading 1"), (1, "Heading 2")):
        document.styles[name].element.get_or_add_pPr().append(number_properties(level))

    counters: list[int] = [0, 0, 0]

    def automatic(level: int, number: str) -> bool:
        """Whether Word's numbering prints ``number`` here; if so, advance the counters."""
        trial = counters[: level + 1]
        trial[level] += 1
        trial = [value or 1 for value in trial]
        if ".".join(map(str, trial)) != number:
            return False
        counters[: level + 1] = trial
        counters[level + 1 :] = [0] * (2 - level)
        return True

    def add(text: str, style: str | None = None, level: int | None = None, typed: str = ""):
        paragraph = document.add_paragraph(style=style)
        if typed:
            paragraph.add_run(typed + " ")
        for part in segments(text):
            run = paragraph.add_run(str(part["t"]))
            run.font.superscript = bool(part["sup"])
        return paragraph

    level_of = {"section": 0, "area": 1, "activity": 2}
    style_of = {"section": "Heading 1", "area": "Heading 2", "activity": None}
    for block in blocks(plan_text):
        if block.kind in level_of:
            level = level_of[block.kind]
            if automatic(level, block.number):
                paragraph = add(block.text, style_of[block.kind])
                if block.kind == "activity":
                    paragraph._p.get_or_add_pPr().append(number_properties(level))
            else:
                paragraph = add(block.text, style_of[block.kind], typed=f"{block.number})")
                if style_of[block.kind]:
                    paragraph._p.get_or_add_pPr().append(number_properties(None))
        elif block.kind == "heading":
            add(block.text, "Heading 3")
        elif block.kind == "title":
            add(block.text, "Title")
        else:
            add(block.text)
    fixed = datetime.datetime(2000, 1, 1)  # the same document bytes at every run
    document.core_properties.created = document.core_properties.modified = fixed
    document.save(str(path))
    return path


# --------------------------------------------------------------------------- PDF

TYPST_TEMPLATE = r"""
#let plan = json(bytes(sys.inputs.plan))
#set document(date: none)
#set page(
  width: 148mm, height: 210mm, margin: (x: 16mm, top: 22mm, bottom: 20mm),
  columns: plan.columns,
  header: [#set text(size: 8pt); #plan.header #h(1fr) #plan.year],
  footer: context [#set text(size: 8pt); #plan.footer #h(1fr)
    #counter(page).display("1 / 1", both: true)],
)
#set par(justify: true)
#set text(size: 10pt, lang: plan.lang, hyphenate: true)
#let segs(parts) = for part in parts {
  if part.sup { super(typographic: false, part.t) } else { part.t }
}
#for item in plan.items {
  if item.kind == "heading" {
    heading(level: item.level, numbering: none, outlined: false, segs(item.parts))
  } else if item.kind == "table" {
    set text(size: 8pt)
    table(
      columns: item.widths.map(w => if w == 0 { auto } else { w * 1fr }),
      stroke: 0.5pt,
      table.header(..item.header.map(cell => strong(cell))),
      ..item.rows.flatten().map(cell => segs(cell.parts)),
    )
  } else {
    par(segs(item.parts))
  }
}
"""

HEADING_LEVEL = {"title": 1, "section": 1, "area": 2, "heading": 3}


def _numbered(block: Block) -> str:
    if block.kind in ("section", "area", "activity"):
        return f"{block.number}) {block.text}"
    return block.text


def _paragraph_items(plan_blocks: list[Block]) -> list[dict[str, object]]:
    return [
        {"kind": "heading", "level": HEADING_LEVEL[b.kind], "parts": segments(_numbered(b))}
        if b.kind in HEADING_LEVEL
        else {"kind": "par", "parts": segments(_numbered(b))}
        for b in plan_blocks
    ]


def _table_items(plan_blocks: list[Block]) -> list[dict[str, object]]:
    """Paragraphs as in the other layouts, each run of activities as one ruled table: the
    number, the title, then one column per field label the plan prints (its own words)."""
    labels: dict[str, str] = {}  # column → the first label the plan prints for it
    activities: list[tuple[Block, str, dict[str, str]]] = []
    items: list[dict[str, object]] = []
    pending: list[tuple[Block, list[str]]] = []

    def flush() -> None:
        for block, texts in pending:
            title, fields = draft.split_fields(" ".join([block.text, *texts]))
            for printed in fields:
                labels.setdefault(printed.column, printed.label)
            values = {}
            for printed in fields:
                values.setdefault(printed.column, printed.value)  # a repeated label kept
            activities.append((block, title, values))
        if pending:
            items.append({"kind": "table", "activities": list(activities)})
        pending.clear()
        activities.clear()

    footnotes: list[Block] = []  # printed between a title and its fields: after the table
    for block in plan_blocks:
        is_field = block.kind == "text" and bool(draft.LABEL.match(block.text))
        if block.kind == "activity":
            pending.append((block, []))
        elif is_field and pending:
            pending[-1][1].append(block.text)
        elif block.kind == "footnote" and pending:
            footnotes.append(block)
        else:
            flush()
            items.extend(_paragraph_items([*footnotes, block]))
            footnotes.clear()
    flush()
    items.extend(_paragraph_items(footnotes))
    columns = list(labels)
    for item in items:
        if item["kind"] != "table":
            continue
        rows = [
            [{"parts": segments(text)} for text in (block.number, title)]
            + [{"parts": segments(values.get(column, ""))} for column in columns]
            for block, title, values in item.pop("activities")  # type: ignore[union-attr]
        ]
        item.update(
            header=["No.", "", *(labels[column] for column in columns)],
            rows=rows,
            widths=[0, 3] + [2] * len(columns),
        )
    return items


def write_pdf(plan_text: str, path: Path, layout: str, year: int, lang: str) -> Path:
    """The plan typeset by Typst in one of the PDF layouts (see the module's docstring)."""
    import typst

    plan_blocks = blocks(plan_text)
    items = _table_items(plan_blocks) if layout == "pdf-table" else _paragraph_items(plan_blocks)
    header = {"en": "Red GEALC — Annual Work Plan", "es": "Red GEALC — Plan Anual de Trabajo"}
    footer = {"en": "Approved by the Annual Assembly", "es": "Aprobado por la Asamblea Anual"}
    document = {
        "items": items,
        "columns": 2 if layout == "pdf-columns" else 1,
        "lang": lang,
        "year": str(year),
        "header": header[lang],
        "footer": footer[lang],
    }
    source = path.with_suffix(".typ")
    source.write_text(TYPST_TEMPLATE, encoding="utf-8")
    try:
        pdf = typst.compile(str(source), sys_inputs={"plan": json.dumps(document)})
    finally:
        source.unlink(missing_ok=True)
    path.write_bytes(pdf)
    return path


WRITERS: dict[str, Callable[[str, Path, int, str], Path]] = {
    "word": lambda text, path, year, lang: write_word(text, path),
    "pdf": lambda text, path, year, lang: write_pdf(text, path, "pdf", year, lang),
    "pdf-columns": lambda text, path, year, lang: write_pdf(text, path, "pdf-columns", year, lang),
    "pdf-table": lambda text, path, year, lang: write_pdf(text, path, "pdf-table", year, lang),
}


def make(layout: str, plan: Path, year: int, folder: Path) -> Path:
    """The seed plan ``plan`` (its text) as a document of ``layout`` in ``folder``."""
    lang = draft.language_of(plan) or "en"
    target = folder / f"plan-{year}-{layout}{SUFFIX[layout]}"
    return WRITERS[layout](plan.read_text(encoding="utf-8"), target, year, lang)
