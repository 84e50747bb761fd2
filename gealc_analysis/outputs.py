"""Write figures and tables of the report: deterministic bytes, written atomically.

Deterministic so a rebuild that changes nothing produces no diff (and CI can check that);
atomic (a temporary file in the same folder, then ``os.replace``) so an interrupted build
never leaves a half-written figure or table that looks valid.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from matplotlib.figure import Figure

from gealc_analysis import paths, style

FIGURE_DPI = 150
FIGURE_FORMATS: tuple[str, ...] = ("png", "svg")
# Metadata that would otherwise embed the matplotlib version banner or the build date.
FIGURE_METADATA: dict[str, dict[str, None]] = {"png": {"Software": None}, "svg": {"Date": None}}
TABLE_DECIMALS = 6
# Ids matplotlib generates in SVG (clip paths "p…", hatches "h…", markers "m…": a letter and
# ten hex digits). A clip path's id hashes the Python object's memory address, so it changes
# from run to run; ``stable_svg_ids`` renumbers them in order of appearance.
SVG_GENERATED_ID = re.compile(rb'id="([a-z][0-9a-f]{10})"')


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


def table_csv_text(df: pd.DataFrame) -> str:
    """The CSV text of a table: no index, floats rounded to 6 decimals, "\\n" line endings."""
    rounded = df.copy()
    floats = rounded.select_dtypes(include="float").columns
    # Rounding first and adding 0.0 turns -0.0 (from tiny negatives) into 0.0.
    rounded[floats] = rounded[floats].round(TABLE_DECIMALS) + 0.0
    return rounded.to_csv(index=False, lineterminator="\n", float_format=f"%.{TABLE_DECIMALS}f")


def save_table(df: pd.DataFrame, output_dir: Path | str, name: str) -> Path:
    """Save ``df`` as ``<output_dir>/tables/<name>.csv`` (UTF-8) and return the path."""
    data = table_csv_text(df).encode("utf-8")
    target = Path(output_dir) / paths.TABLES_DIR / f"{name}.csv"
    return _write_atomically(target, lambda h: h.write(data))
