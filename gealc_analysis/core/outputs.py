"""Write the report's files: every file atomically (:func:`write_bytes_atomically`, the one
writer of the package), tables as deterministic bytes safe to open in a spreadsheet.

Deterministic so a rebuild that changes nothing produces no diff (and CI can check that);
atomic (a uniquely named temporary file in the same folder, flushed, then ``os.replace``) so
an interrupted build never leaves a half-written file that looks valid. Figures are drawn by
matplotlib under the report's style, so their files are written by
:mod:`gealc_analysis.charts.files` (with this writer). Every table is a CSV and an
.xlsx beside it (Excel opens the .xlsx with Spanish accents intact); in both, a text cell
that a spreadsheet would run as a formula is neutralised (OWASP, "CSV Injection").
"""

from __future__ import annotations

import datetime
import io
import os
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from gealc_analysis.core import paths

TABLE_DECIMALS = 6
# OWASP CSV-injection guidance: a cell starting with one of these may be run as a formula
# (or DDE command) by Excel, LibreOffice or Google Sheets; a leading apostrophe makes it text.
# Checked on the character class, not these exact bytes (see is_formula_like): after NFKC
# ("＝" is "=") and past leading spaces and invisible format characters (a zero-width space
# before "=" still starts a formula once a spreadsheet trims it).
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@")
# Control characters that trigger on their own, at the very start of a cell.
FORMULA_CONTROL_STARTS: tuple[str, ...] = ("\t", "\r")
# Unicode categories skipped before the first character that counts: format characters
# (zero-width space and joiners, BOM, bidi marks) and space separators (no-break spaces).
SKIPPED_CATEGORIES = frozenset({"Cf", "Zs"})
NEUTRALISING_PREFIX = "'"
# Fixed dates of the .xlsx (document properties and zip entries), so its bytes depend on the
# table alone. 1980-01-01 is the earliest date a zip entry can carry.
XLSX_TIMESTAMP = datetime.datetime(1980, 1, 1)
XLSX_SHEET_TITLE = "table"


def write_bytes_atomically(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` in one step: an interrupted write never leaves half a file.

    The bytes go to a temporary file with a unique name in the target's folder (so two
    writers of the same target never share it, and the final move stays on one file system),
    are flushed to disk (``fsync``), and the file is then moved over ``path``
    (``os.replace``, atomic on POSIX and Windows). The result is readable by everyone (0644),
    like any published file; the temporary file is removed if anything fails.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(0o644)  # mkstemp's files are private (0600); outputs are published
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        if error.filename is None and error.errno is not None:  # write() names no file
            raise OSError(error.errno, error.strerror, str(path)) from error
        raise
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def write_text_atomically(path: Path | str, text: str) -> Path:
    """:func:`write_bytes_atomically` for text: UTF-8, line endings written as given."""
    return write_bytes_atomically(path, text.encode("utf-8"))


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could run ``text`` as a formula.

    A tab or carriage return at the very start, or — after NFKC normalisation (full-width
    and small forms become ASCII) and past leading whitespace and format characters
    (categories Cf, Zs) — a first character among ``= + - @``.
    """
    if text.startswith(FORMULA_CONTROL_STARTS):
        return True
    for char in unicodedata.normalize("NFKC", text):
        if char.isspace() or unicodedata.category(char) in SKIPPED_CATEGORIES:
            continue
        return char in FORMULA_TRIGGERS
    return False


def neutralise_cell(value: Any) -> Any:
    """``value`` with a leading apostrophe if it is text a spreadsheet would run as a formula
    (:func:`is_formula_like`); the text itself is kept as written.

    Only text is touched: numbers (negative ones included) stay numbers.
    """
    if isinstance(value, str) and is_formula_like(value):
        return NEUTRALISING_PREFIX + value
    return value


def _is_text_column(column: pd.Series) -> bool:
    return not (
        pd.api.types.is_numeric_dtype(column)
        or pd.api.types.is_bool_dtype(column)
        or pd.api.types.is_datetime64_any_dtype(column)
    )


def safe_for_spreadsheets(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells and headers cannot start a formula (see above)."""
    safe = df.copy()
    for name in safe.columns:
        if _is_text_column(safe[name]):
            safe[name] = safe[name].astype(object).map(neutralise_cell, na_action="ignore")
    safe.columns = [neutralise_cell(str(name)) for name in safe.columns]
    return safe


def _rounded_floats(df: pd.DataFrame) -> pd.DataFrame:
    rounded = df.copy()
    floats = rounded.select_dtypes(include="float").columns
    # Rounding first and adding 0.0 turns -0.0 (from tiny negatives) into 0.0.
    rounded[floats] = rounded[floats].round(TABLE_DECIMALS) + 0.0
    return rounded


def table_csv_text(df: pd.DataFrame) -> str:
    """The CSV text of a table: no index, floats rounded to 6 decimals, "\\n" line endings,
    text cells neutralised against formula injection."""
    rounded = _rounded_floats(safe_for_spreadsheets(df))
    return rounded.to_csv(
        index=False, lineterminator=_line_end(rounded), float_format=f"%.{TABLE_DECIMALS}f"
    )


def _line_end(df: pd.DataFrame) -> str:
    """ "\\n", or "\\r\\n" when a text cell holds a carriage return.

    Python's csv writer quotes a field only for the characters of its line terminator, so
    with "\\n" a bare "\\r" inside a cell would end the row for every reader; with
    "\\r\\n" (RFC 4180's own ending) that cell is quoted and reads back whole.
    """
    for name in df.columns:
        column = df[name]
        if (
            _is_text_column(column)
            and column.map(lambda value: isinstance(value, str) and "\r" in value).any()
        ):
            return "\r\n"
    return "\n"


def _xlsx_value(value: Any) -> Any:
    """A cell value openpyxl writes as data: plain Python scalars, missing → empty cell."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def table_xlsx_bytes(df: pd.DataFrame) -> bytes:
    """The .xlsx of a table: one sheet, header row, same cells as the CSV, fixed bytes.

    Text is stored as text (never a formula, even after neutralising); the document's dates
    and every zip entry's date are :data:`XLSX_TIMESTAMP`, so two runs give the same bytes.
    """
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    table = _rounded_floats(safe_for_spreadsheets(df))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = XLSX_SHEET_TITLE
    sheet.append(list(table.columns))
    for row in table.itertuples(index=False, name=None):
        sheet.append([_xlsx_value(value) for value in row])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would take "=…" as a formula
    workbook.properties.creator = "gealc-report"
    workbook.properties.created = XLSX_TIMESTAMP
    workbook.properties.modified = XLSX_TIMESTAMP
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()  # save_workbook would stamp "now"
    return _zip_with_fixed_dates(raw.getvalue())


def _zip_with_fixed_dates(data: bytes) -> bytes:
    """The same zip, every entry dated :data:`XLSX_TIMESTAMP`, in the same order."""
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(fixed, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=XLSX_TIMESTAMP.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return fixed.getvalue()


def save_table(df: pd.DataFrame, output_dir: Path | str, name: str) -> Path:
    """Save ``df`` as ``<output_dir>/tables/<name>.csv`` (UTF-8) and ``<name>.xlsx`` beside
    it, both neutralised against formula injection; return the CSV's path."""
    folder = Path(output_dir) / paths.TABLES_DIR
    csv_bytes = table_csv_text(df).encode("utf-8")
    xlsx_bytes = table_xlsx_bytes(df)
    target = write_bytes_atomically(folder / f"{name}.csv", csv_bytes)
    write_bytes_atomically(folder / f"{name}.xlsx", xlsx_bytes)
    return target
