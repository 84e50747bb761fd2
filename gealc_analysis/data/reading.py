"""CSV → text cells with the line each record starts on; nothing typed, nothing lost.

Reading is kept apart from checking: a cell that is not a number yet must still be shown
to the person who typed it, so every cell stays text here and the source line of every
record is kept for the messages.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from gealc_analysis.data.errors import Problem
from gealc_analysis.data.files import display_path, entry_problem

HEADER_LINE = 1


@dataclass
class RawTable:
    """A CSV read as text, with the source line where each record starts.

    ``rows`` holds the records with as many fields as the header (the others are reported
    and left out); many tables' rows are joined into one frame without a frame per file.
    """

    path: Path
    header: list[str]
    rows: list[list[str]]
    lines: list[int]  # lines[i] = line number of rows[i] in the file

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The rows as a frame of str cells, index 0..n-1 (empty if there is no header)."""
        if not self.header:
            return pd.DataFrame()
        return pd.DataFrame(self.rows, columns=self.header, dtype="str")


def read_raw_table(path: Path, expected_columns: Sequence[str]) -> tuple[RawTable, list[Problem]]:
    """Read a CSV as text cells, reporting file, encoding, header and field-count problems.

    Never raises for what is in (or instead of) the file: a folder, an unreadable file,
    bytes that are not UTF-8 or a broken quote all come back as located problems.
    """
    shown = display_path(path)
    unsafe = entry_problem(path, path.parent)  # never read a FIFO or a file elsewhere
    if unsafe is not None:
        return _empty(path), [unsafe]
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        return _empty(path), [Problem(shown, 0, "file", "a CSV file", "a folder")]
    except OSError as error:
        return _empty(path), [
            Problem(shown, 0, "file", "a readable CSV file", error.strerror or type(error).__name__)
        ]
    text, problems = _decode(shown, data)
    records, lines, header, csv_problems = _records(shown, text)
    problems += csv_problems

    if not header:
        problems.append(Problem(shown, HEADER_LINE, "header", "a header row", ""))
    else:
        problems.extend(_header_problems(shown, header, expected_columns))

    # A row with the wrong number of fields (a stray quote or comma) is reported once and
    # left out of the cell checks: its cells are shifted, and checking them would bury the
    # one real problem under a cascade of misleading ones.
    width = len(header)
    rows: list[list[str]] = []
    kept_lines: list[int] = []
    for record, (line, last) in zip(records, lines, strict=True):
        if len(record) != width:
            found = f"{len(record)} fields"
            if last != line:
                found += f" (a quoted cell opened on this line runs to line {last})"
            problems.append(Problem(shown, line, "row", f"{width} fields like the header", found))
            continue
        rows.append(record)
        kept_lines.append(line)
    return RawTable(path, header, rows, kept_lines), problems


def _empty(path: Path) -> RawTable:
    return RawTable(path, [], [], [])


def _decode(shown: str, data: bytes) -> tuple[str, list[Problem]]:
    try:
        text = data.decode("utf-8")
        problems: list[Problem] = []
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        bad = data[error.start : error.start + 1].hex()
        problems = [Problem(shown, line, "file", "UTF-8 text", f"byte 0x{bad}")]
        text = data.decode("utf-8", errors="replace")
    if "\x00" in text:  # the csv module cannot read NUL; a text file has none
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(Problem(shown, line, "file", "text without NUL characters", "byte 0x00"))
        text = text.replace("\x00", "")
    return text.removeprefix("\ufeff"), problems


def _records(
    shown: str, text: str
) -> tuple[list[list[str]], list[tuple[int, int]], list[str], list[Problem]]:
    """Records after the header, each with its first and last line; blank lines skipped.

    A broken quote is reported on the line where the record holding it starts (where the
    quote was opened), not on the line where the reader gave up.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    text_lines = text.splitlines(keepends=True) if '"' in text else []
    records: list[list[str]] = []
    lines: list[tuple[int, int]] = []
    header: list[str] = []
    previous_end = 0
    problems: list[Problem] = []
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not header:
                header = record
                continue
            if not "".join(record).strip():
                continue  # blank line: ignored, like csv readers everywhere
            if any('"' in cell for cell in record):
                problems += _bare_quotes(
                    shown, header, record, text_lines[start - 1 : reader.line_num], start
                )
            records.append(record)
            lines.append((start, reader.line_num))
    except csv.Error as error:
        start = previous_end + 1
        problems.append(
            Problem(
                shown,
                start,
                "file",
                "well-formed CSV",
                _quote_trouble(str(error), start, reader.line_num),
            )
        )
    return records, lines, header, problems


def _bare_quotes(
    shown: str, header: list[str], record: list[str], source: list[str], line: int
) -> list[Problem]:
    """A quote inside a cell that is not itself quoted: csv readers keep it as text, but it
    is almost always a typing slip (a quote opened and never closed), so it is reported."""
    written = "".join(source)
    problems = []
    for number, cell in enumerate(record):
        if '"' in cell and f'"{cell.replace(chr(34), chr(34) * 2)}"' not in written:
            column = header[number] if number < len(header) else f"field {number + 1}"
            problems.append(
                Problem(
                    shown,
                    line,
                    column,
                    'a quote only around a whole cell (a quote inside a cell is written "")',
                    cell,
                )
            )
    return problems


def _quote_trouble(error: str, start: int, end: int) -> str:
    if "unexpected end of data" in error:
        return f"a quote opened on this line and never closed (read to line {end})"
    if end != start:
        return f"{error} (in a quoted cell opened on this line, at line {end})"
    return error


def _header_problems(shown: str, header: list[str], expected: Sequence[str]) -> list[Problem]:
    problems = []
    missing = [c for c in expected if c not in header]
    unexpected = [c for c in header if c not in expected]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if missing:
        problems.append(
            Problem(shown, HEADER_LINE, "header", f"column(s) {', '.join(missing)}", "none such")
        )
    for column in unexpected:
        problems.append(
            Problem(shown, HEADER_LINE, "header", "only the columns of the codebook", column)
        )
    for column in duplicated:
        problems.append(Problem(shown, HEADER_LINE, "header", "each column once", column))
    if not missing and not unexpected and not duplicated and list(header) != list(expected):
        problems.append(
            Problem(
                shown,
                HEADER_LINE,
                "header",
                f"columns in the order {', '.join(expected)}",
                ", ".join(header),
            )
        )
    return problems
