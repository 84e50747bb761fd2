"""A chart as files: PNG and SVG with the same bytes on every run, written atomically.

Here rather than in ``core.outputs`` because the bytes depend on the report's matplotlib
style (``style.style_context`` fixes ``svg.hashsalt`` among others), which is the charts'
business; the writing itself is ``core.outputs.write_bytes_atomically``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from matplotlib.figure import Figure

from gealc_analysis.charts import style
from gealc_analysis.core import paths
from gealc_analysis.core.outputs import write_bytes_atomically

FIGURE_DPI = 150
FIGURE_FORMATS: tuple[str, ...] = ("png", "svg")
# Metadata that would otherwise embed the matplotlib version banner or the build date.
FIGURE_METADATA: dict[str, dict[str, None]] = {"png": {"Software": None}, "svg": {"Date": None}}
# Ids matplotlib generates in SVG (clip paths "p…", hatches "h…", markers "m…": a letter and
# ten hex digits). A clip path's id hashes the Python object's memory address, so it changes
# from run to run; ``stable_svg_ids`` renumbers them in order of appearance.
SVG_GENERATED_ID = re.compile(rb'id="([a-z][0-9a-f]{10})"')


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


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """``fig`` saved as ``fmt`` (png or svg) under the report's style, reproducible bytes."""
    buffer = io.BytesIO()
    with style.style_context():  # fixes svg.hashsalt, so SVG ids are the same every run
        fig.savefig(buffer, format=fmt, dpi=FIGURE_DPI, metadata=FIGURE_METADATA[fmt])
    data = buffer.getvalue()
    return stable_svg_ids(data) if fmt == "svg" else data


def save_figure(fig: Figure, output_dir: Path | str, name: str) -> list[Path]:
    """Save ``fig`` as ``<output_dir>/figures/<name>.png`` and ``.svg``; return both paths."""
    folder = Path(output_dir) / paths.FIGURES_DIR
    return [
        write_bytes_atomically(folder / f"{name}.{fmt}", figure_bytes(fig, fmt))
        for fmt in FIGURE_FORMATS
    ]
