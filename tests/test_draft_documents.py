"""`gealc-report draft` on Word and PDF plans (issue 21).

The documents are made here, once per session, from the seed texts (``specimens``): a Word
file with automatic multi-level numbering and heading styles, a PDF with running header,
footer, page numbers and justified hyphenated text, a two-column PDF and a PDF listing the
activities in a table. Each is drafted and scored against the curated CSV of its plan with
``draft.score_draft``, as ``benchmarks/extractor.py`` does.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pdfplumber
import pytest

from gealc_analysis import cli
from gealc_analysis.core import paths
from gealc_analysis.curation import documents, draft, specimens
from gealc_analysis.data import load_plans, write_plan
from gealc_analysis.data.datapackage import raw_sources

SEEDS = draft.seed_plans()
CASES = [(year, layout) for year in sorted(SEEDS) for layout in specimens.LAYOUTS]


@pytest.fixture(scope="session")
def plan_documents(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, str], Path]:
    """Every seed plan in every layout, made once per session."""
    folder = tmp_path_factory.mktemp("plan-documents")
    return {
        (year, layout): specimens.make(layout, SEEDS[year], year, folder) for year, layout in CASES
    }


@pytest.fixture(scope="session")
def drafts(
    plan_documents: dict[tuple[int, str], Path], session_themes: pd.DataFrame
) -> dict[tuple[int, str], draft.Draft]:
    return {
        case: draft.draft_file(path, case[0], None, session_themes)
        for case, path in plan_documents.items()
    }


@functools.cache
def _curated_plans(year: int) -> pd.DataFrame:
    return load_plans(years=[year])


def curated_plan(year: int) -> pd.DataFrame:
    """The curated plan of ``year``, loaded once per process (25 tests compare with it), a
    private copy each time."""
    return _curated_plans(year).copy(deep=True)


def case_id(case: tuple[int, str]) -> str:
    return f"{case[0]}-{case[1]}"


# --------------------------------------------------------------------------- the targets


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_every_layout_of_every_seed_plan_meets_the_targets(drafts, case) -> None:
    """≥ 95 % of activities, no spurious row, ≥ 90 % on each coded field, every
    disagreement flagged (``DraftScore.target_failures``)."""
    result = drafts[case]
    score = draft.score_draft(result.frame, curated_plan(case[0]))
    assert not score.target_failures(), "\n".join(score.lines(case_id(case)))


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_every_layout_keeps_the_printed_wording(drafts, case) -> None:
    result = drafts[case]
    score = draft.score_draft(result.frame, curated_plan(case[0]), fields=draft.PRINTED_FIELDS)
    assert not score.disagreements, "\n".join(score.lines(case_id(case)))


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_every_row_says_where_the_document_prints_it(drafts, case) -> None:
    place = {
        "word": r"(paragraph \d+|table \d+, row \d+)",
        "pdf": r"page \d+, line \d+",
        "pdf-columns": r"page \d+, line \d+",
        "pdf-table": r"page \d+, table \d+, row \d+",
    }[case[1]]
    for cell in drafts[case].frame[draft.REVIEW_COLUMN]:
        assert re.fullmatch(rf".* \[{place}( to (page \d+, )?{place})?\]", cell), cell


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_a_draft_of_every_layout_validates_once_its_flagged_fields_are_filled(
    drafts, case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's "done when": the curator fills what is flagged, `validate` accepts it."""
    year = case[0]
    data_dir = tmp_path / "curated"
    shutil.copytree(paths.CURATED_DIR, data_dir)
    completed = draft.fill_flagged_from(drafts[case].frame, curated_plan(year))
    write_plan(completed, data_dir / f"plan_{year}.csv")
    assert cli.main(["validate", str(data_dir)]) == 0, capsys.readouterr().err


# --------------------------------------------------------------------------- the documents


def test_the_word_documents_number_with_words_automatic_numbering(plan_documents) -> None:
    import docx

    document = docx.Document(str(plan_documents[2024, "word"]))
    own = [p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    numbered_by_style = [
        p for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")
    ]
    assert len([p for p in own if p._p.pPr.numPr.numId.val != 0]) >= 30  # activities
    assert len(numbered_by_style) >= 10  # sections and areas, numbered through their style
    assert not any(re.match(r"\d+\.\d+\.\d+\)", p.text) for p in own if p._p.pPr.numPr.numId.val)
    lines = documents.read_plan(plan_documents[2024, "word"]).lines
    assert "3.1.1) Taller regional de firma digital transfronteriza" in lines
    assert "3.9ii) Reunión ministerial y Reunión anual de la Red Gealc" in lines  # typed


@pytest.mark.parametrize("layout", ["pdf", "pdf-columns", "pdf-table"])
def test_the_pdfs_carry_what_makes_pdf_text_hard(plan_documents, layout: str) -> None:
    with pdfplumber.open(plan_documents[2020, layout]) as pdf:
        pages = [page.extract_text().splitlines() for page in pdf.pages]
        tables = sum(len(page.find_tables()) for page in pdf.pages)
    assert len(pages) >= 3
    assert all(lines[0].startswith("Red GEALC — Annual Work Plan") for lines in pages)
    for number, lines in enumerate(pages, start=1):
        assert re.fullmatch(rf"Approved by the Annual Assembly {number} / {len(pages)}", lines[-1])
    hyphenated = sum(line.endswith(("-", "\u00ad")) for lines in pages for line in lines)
    assert hyphenated >= 5
    assert (tables > 0) == (layout == "pdf-table")
    if layout == "pdf-columns":
        with pdfplumber.open(plan_documents[2020, layout]) as pdf:
            page = pdf.pages[1]
            rows = documents._rows(documents._words(page))
            assert documents._gutter(rows, float(page.width)) is not None


def test_running_lines_are_not_in_the_text_the_drafter_reads(plan_documents) -> None:
    lines = documents.read_plan(plan_documents[2024, "pdf"]).lines
    assert not any("Red GEALC — Plan Anual" in line or "Aprobado por" in line for line in lines)
    assert not any(re.fullmatch(r"\d+ / \d+", line) for line in lines)
    assert "3.1.1) Taller regional de firma digital transfronteriza" in lines


# --------------------------------------------------------------------------- pieces


@pytest.mark.parametrize(
    ("before", "after", "vocabulary", "joined"),
    [
        ("firma transfron-", "teriza digital", set(), "firma transfronteriza digital"),
        ("firma transfron\u00ad", "teriza", set(), "firma transfronteriza"),
        ("Three on-", "site workshops", {"on-site"}, "Three on-site workshops"),
        ("the Excel-", "Gov Awards", set(), "the ExcelGov Awards"),
        ("costs 10 -", "20", set(), "costs 10 - 20"),
        ("Lugar: Virtual.", "Fecha: Anual.", set(), "Lugar: Virtual. Fecha: Anual."),
    ],
)
def test_a_line_end_hyphen_joins_the_word_it_split(
    before: str, after: str, vocabulary: set[str], joined: str
) -> None:
    assert documents._join(before, after, vocabulary) == joined


@pytest.mark.parametrize(
    ("value", "fmt", "printed"),
    [
        (4, "decimal", "4"),
        (4, "lowerRoman", "iv"),
        (2, "upperRoman", "II"),
        (28, "lowerLetter", "bb"),
        (3, "upperLetter", "C"),
        (7, "decimalZero", "07"),
        (1, "bullet", ""),
    ],
)
def test_word_number_formats(value: int, fmt: str, printed: str) -> None:
    assert documents.format_number(value, fmt) == printed


def test_a_table_row_reads_as_an_activity_line_under_its_header() -> None:
    rows = [
        ["N.º", "Actividad", "Lugar", "Fecha", "Recursos"],
        ["3.1.1", "Taller regional", "Presencial.", "1er semestre.", "BID."],
        ["3.1.2)", "Webinar", "", "Anual.", "OEA."],
        ["Actividades anuales", "", "", "", ""],
    ]
    assert documents.table_lines(rows) == [
        (2, "3.1.1) Taller regional Lugar: Presencial. Fecha: 1er semestre. Recursos: BID."),
        (3, "3.1.2) Webinar Fecha: Anual. Recursos: OEA."),
        (4, "Actividades anuales"),
    ]
    continued = [["3.1.3", "Reunión", "Virtual.", "Anual.", "BID."]]
    broken = [["", "(continued) regional", "", "", ""], *continued]
    assert documents.table_layout(broken, rows[0]) == (rows[0], 0)  # not a header
    assert documents.table_layout(rows, None) == (rows[0], 1)
    assert documents.table_lines(continued, rows[0]) == [
        (1, "3.1.3) Reunión Lugar: Virtual. Fecha: Anual. Recursos: BID.")
    ]


# --------------------------------------------------------------------------- bad documents


def _encrypted_pdf(source: Path, target: Path) -> Path:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=str(source))
    writer.encrypt(user_password="secret", owner_password="owner")
    with target.open("wb") as stream:
        writer.write(stream)
    return target


def _scanned_pdf(target: Path) -> Path:
    import typst

    source = target.with_suffix(".typ")
    source.write_text("#rect(width: 80%, height: 40%, fill: gray)\n#pagebreak()\n#rect()\n")
    target.write_bytes(typst.compile(str(source)))
    return target


def _docx_without_body(target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return target


BAD_DOCUMENTS = {
    "encrypted.pdf": (
        lambda tmp, docs: _encrypted_pdf(docs[2020, "pdf"], tmp / "encrypted.pdf"),
        "the PDF is encrypted",
    ),
    "scanned.pdf": (
        lambda tmp, docs: _scanned_pdf(tmp / "scanned.pdf"),
        "has no text layer (a scanned document?); run OCR on it outside this tool",
    ),
    "corrupt.pdf": (
        lambda tmp, docs: _write(tmp / "corrupt.pdf", b"%PDF-1.7\n\x00garbage"),
        "not a readable PDF",
    ),
    "corrupt.docx": (
        lambda tmp, docs: _write(tmp / "corrupt.docx", b"PK\x03\x04 not really a zip"),
        "not a readable Word .docx file",
    ),
    "empty-zip.docx": (
        lambda tmp, docs: _docx_without_body(tmp / "empty-zip.docx"),
        "not a readable Word .docx file",
    ),
    "plan.odt": (
        lambda tmp, docs: _write(tmp / "plan.odt", b"PK"),
        "expected a plan as .txt, .md, .markdown, .docx or .pdf, found '.odt'",
    ),
    "plan": (lambda tmp, docs: _write(tmp / "plan", b"3.1.1) x"), "found 'no' extension"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_a_bad_document_exits_2_with_what_to_do(
    name: str, plan_documents, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, message = BAD_DOCUMENTS[name]
    path = make(tmp_path, plan_documents)
    assert cli.main(["draft", str(path), "--year", "2020"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"draft: {path}: ") and message in err, err
    assert "Traceback" not in err


def test_the_extension_is_read_whatever_its_case(
    plan_documents, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upper = tmp_path / "PLAN-2024.PDF"
    upper.write_bytes(plan_documents[2024, "pdf"].read_bytes())
    assert cli.main(["draft", str(upper), "--year", "2024"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str, keep_default_na=False)
    assert len(frame) == len(curated_plan(2024))


# --------------------------------------------------------------------------- --add-source


def _data_copy(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, root)
    return root


def test_add_source_copies_the_plan_into_raw_and_lists_its_checksum(
    plan_documents, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _data_copy(tmp_path)
    plan = tmp_path / "plan-de-trabajo-2030.docx"
    plan.write_bytes(plan_documents[2024, "word"].read_bytes())
    out = tmp_path / "plan_2030.draft.csv"
    arguments = ["draft", str(plan), "--year", "2030", "--out", str(out)]
    assert cli.main([*arguments, "--data-dir", str(root / "curated"), "--add-source"]) == 0
    assert f"added {root / 'raw' / plan.name}" in capsys.readouterr().out
    assert (root / "raw" / plan.name).read_bytes() == plan.read_bytes()
    entry = raw_sources(root)[2030]  # the checksum is verified on reading
    assert (entry["path"], entry["language"], entry["title"]) == (plan.name, "es", "")
    assert raw_sources(root)[2020] == raw_sources()[2020]  # the others as they were
    # a second time: the year is listed, nothing is replaced
    before = (root / "raw" / "sources.yaml").read_bytes()
    assert (
        cli.main([*arguments, "--force", "--data-dir", str(root / "curated"), "--add-source"]) == 2
    )
    assert "already exists; a raw source is never replaced" in capsys.readouterr().err
    assert (root / "raw" / "sources.yaml").read_bytes() == before


def test_without_add_source_nothing_is_written_into_the_data_folder(
    plan_documents, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _data_copy(tmp_path)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    plan = plan_documents[2020, "pdf-columns"]
    assert (
        cli.main(["draft", str(plan), "--year", "2020", "--data-dir", str(root / "curated")]) == 0
    )
    capsys.readouterr()
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


# --------------------------------------------------------------------------- size


@pytest.mark.slow  # typesets and drafts ~190 pages: seconds (the full suite runs it)
def test_a_200_page_plan_drafts_every_activity(
    tmp_path: Path, session_themes: pd.DataFrame
) -> None:
    """The 2024 plan printed 22 times over (~190 pages): every activity is drafted, each
    repeat with its own id. (The lead times it: a few seconds, against ~40 s when every
    page went through pdfplumber.)"""
    import pypdfium2

    copies = 22
    text = SEEDS[2024].read_text(encoding="utf-8") * copies
    path = specimens.write_pdf(text, tmp_path / "long.pdf", "pdf", 2024, "es")
    assert len(pypdfium2.PdfDocument(str(path))) >= 180
    result = draft.draft_file(path, 2024, None, session_themes)
    assert len(result.frame) == copies * len(curated_plan(2024))
    assert result.frame["activity_id"].is_unique
    assert not [w for w in result.warnings if w.unparsed]


# --------------------------------------------------------------------------- Word pieces


def _numbered_docx(path: Path) -> Path:
    """A small Word plan: a table of activities, an activity number Word cannot read
    (typed without its ")"), and a list restarted by a level override in roman numerals."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77">'
            '<w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="decimal"/>'
            '<w:lvlText w:val="%1)"/><w:suff w:val="space"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/>'
            '<w:lvlText w:val="%1.9%2)"/><w:suff w:val="space"/></w:lvl></w:abstractNum>'
        )
    )
    for num_id, start in (("77", None), ("78", 2)):
        override = (
            f'<w:lvlOverride w:ilvl="1"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            if start
            else ""
        )
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                f'<w:abstractNumId w:val="77"/>{override}</w:num>'
            )
        )

    def numbered(text: str, num_id: str, level: int) -> None:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
                f'<w:numId w:val="{num_id}"/></w:numPr>'
            )
        )

    numbered("Áreas de trabajo", "77", 0)  # "3)"
    numbered("Nuevos grupos", "77", 1)  # "3.9i)"
    document.add_paragraph("3.9i.1 Crear un grupo sin paréntesis")
    numbered("Reunión ministerial", "78", 1)  # restarted at 2: "3.9ii)"
    table = document.add_table(rows=3, cols=5)
    for row, cells in zip(
        table.rows,
        [
            ["N.º", "Actividad", "Lugar", "Fecha", "Recursos"],
            ["3.9ii.1", "Plan de Acción", "Brasil.", "2do semestre.", "BID."],
            ["3.9ii.2)", "Elección de autoridades", "Virtual.", "Anual.", "OEA."],
        ],
        strict=True,
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.save(str(path))
    return path


def test_word_numbering_overrides_roman_levels_tables_and_unparsed_lines(
    tmp_path: Path, session_themes: pd.DataFrame
) -> None:
    path = _numbered_docx(tmp_path / "plan.docx")
    plan = documents.read_plan(path)
    assert plan.lines[:4] == [
        "3) Áreas de trabajo",
        "3.9i) Nuevos grupos",
        "3.9i.1 Crear un grupo sin paréntesis",
        "3.9ii) Reunión ministerial",
    ]
    result = draft.draft_file(path, 2024, "es", session_themes)
    assert list(result.frame["activity_id"]) == ["2024-3.9ii.1", "2024-3.9ii.2"]
    first = result.frame.iloc[0]
    assert (first["venue_original"], first["timing"], first["funding_sources"]) == (
        "Brasil.",
        "S2",
        "idb",
    )
    assert first[draft.REVIEW_COLUMN].endswith("[table 1, row 2]")
    assert result.unparsed_lines == ["paragraph 3"]
    [warning] = [w for w in result.warnings if w.unparsed]
    assert warning.located(str(path)).startswith(f"{path}: paragraph 3: '3.9i.1 Crear")


def test_an_unreadable_activity_line_of_a_pdf_is_reported_by_page_and_line(
    tmp_path: Path, session_themes: pd.DataFrame
) -> None:
    text = "3.1) Área\n\n3.1.1) Taller\n\nLugar: Virtual.\n\n3.1.2 Sin paréntesis\n"
    path = specimens.write_pdf(text, tmp_path / "plan.pdf", "pdf", 2030, "es")
    result = draft.draft_file(path, 2030, "es", session_themes)
    assert list(result.frame["activity_id"]) == ["2030-3.1.1"]
    assert result.frame.iloc[0][draft.REVIEW_COLUMN].endswith("[page 1, line 3 to page 1, line 4]")
    assert result.unparsed_lines == ["page 1, line 5"]  # line 1 is the running header
