"""Write figures and tables of the report: deterministic bytes, written atomically, safe to
open in a spreadsheet.

Deterministic so a rebuild that changes nothing produces no diff (and CI can check that);
atomic (a temporary file in the same folder, then ``os.replace``) so an interrupted build
never leaves a half-written figure or table that looks valid. Every table is a CSV and an
.xlsx beside it (Excel opens the .xlsx with Spanish accents intact); in both, a text cell
that a spreadsheet would run as a formula is neutralised (OWASP, "CSV Injection").
"""

from __future__ import annotations

import datetime
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd
from matplotlib.figure import Figure

from gealc_analysis.charts import style
from gealc_analysis.core import paths

FIGURE_DPI = 150
FIGURE_FORMATS: tuple[str, ...] = ("png", "svg")
# Metadata that would otherwise embed the matplotlib version banner or the build date.
FIGURE_METADATA: dict[str, dict[str, None]] = {"png": {"Software": None}, "svg": {"Date": None}}
TABLE_DECIMALS = 6
# Ids matplotlib generates in SVG (clip paths "p…", hatches "h…", markers "m…": a letter and
# ten hex digits). A clip path's id hashes the Python object's memory address, so it changes
# from run to run; ``stable_svg_ids`` renumbers them in order of appearance.
SVG_GENERATED_ID = re.compile(rb'id="([a-z][0-9a-f]{10})"')
# OWASP CSV-injection guidance: a cell starting with one of these may be run as a formula
# (or DDE command) by Excel, LibreOffice or Google Sheets; a leading apostrophe makes it text.
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISING_PREFIX = "'"
# Fixed dates of the .xlsx (document properties and zip entries), so its bytes depend on the
# table alone. 1980-01-01 is the earliest date a zip entry can carry.
XLSX_TIMESTAMP = datetime.datetime(1980, 1, 1)
XLSX_SHEET_TITLE = "table"


def _write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> Path:
    """Run ``write`` on a temporary file beside ``path``, then move it into place in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            mode="wb", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
        ) as handle:
            temporary = Path(handle.name)
            write(handle)
        temporary.chmod(0o644)  # temporary files are private (0600); outputs are published
        os.replace(temporary, path)
    except BaseException:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise
    return path


def stable_svg_ids(svg: bytes) -> bytes:
    """Rename matplotlib's generated SVG ids to ``<letter>000…n`` in order of appearance.

    The fixed ``svg.hashsalt`` makes most ids reproducible, but clip paths hash ``id()`` of
    a Python object; renumbering makes the bytes depend on the drawing alone.
    """
    found = list(dict.fromkeys(SVG_GENERATED_ID.findall(svg)))
    if not found:
        return svg
    renamed = {old: old[:1] + b"%010d" % number for number, old in enumerate(found, start=1)}
    pattern = re.compile(b"|".join(re.escape(old) for old in found))
    return pattern.sub(lambda match: renamed[match.group()], svg)


def _figure_bytes(fig: Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=FIGURE_DPI, metadata=FIGURE_METADATA[fmt])
    data = buffer.getvalue()
    return stable_svg_ids(data) if fmt == "svg" else data


def save_figure(fig: Figure, output_dir: Path | str, name: str) -> list[Path]:
    """Save ``fig`` as ``<output_dir>/figures/<name>.png`` and ``.svg``; return both paths."""
    folder = Path(output_dir) / paths.FIGURES_DIR
    written = []
    with style.style_context():  # fixes svg.hashsalt, so SVG ids are the same every run
        for fmt in FIGURE_FORMATS:
            data = _figure_bytes(fig, fmt)
            target = folder / f"{name}.{fmt}"
            written.append(_write_atomically(target, lambda h, d=data: h.write(d)))
    return written


def neutralise_cell(value: Any) -> Any:
    """``value`` with a leading apostrophe if it is text a spreadsheet would run as a formula.

    Only text is touched: numbers (negative ones included) stay numbers.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
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
    target = _write_atomically(folder / f"{name}.csv", lambda h: h.write(csv_bytes))
    _write_atomically(folder / f"{name}.xlsx", lambda h: h.write(xlsx_bytes))
    return target
