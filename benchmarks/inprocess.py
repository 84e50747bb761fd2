"""The in-process floor: the report notebooks' code run in this one Python process, with no
kernel, papermill or nbconvert (issue 19 item 3).

A build can never cost less than its notebooks' own work, and this is that work: each
notebook's code cells, run once per language in a fresh namespace (the ``parameters`` cell,
then the values the build would inject, then every other code cell), with matplotlib drawing
on Agg instead of the inline backend and every output written under a temporary folder. The
package is imported once for all runs, as a build's kernels cannot. ``bench_build.py``
prints the build's timings as ratios to it.

    .venv/bin/python benchmarks/inprocess.py [--only 03] [--lang en]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

# Before pyplot is imported anywhere in this process: no kernel, so no inline backend.
os.environ["MPLBACKEND"] = "Agg"

import nbformat  # noqa: E402

from gealc_analysis.build.discover import discover_notebooks, select_notebooks  # noqa: E402
from gealc_analysis.build.pipeline import resolve_years  # noqa: E402
from gealc_analysis.core import paths  # noqa: E402
from gealc_analysis.words import i18n  # noqa: E402


def code_cells(notebook: Path) -> list[str]:
    """The notebook's code cells in order, the ``parameters`` cell first among them."""
    nb = nbformat.read(notebook, as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def run_in_process(notebook: Path, parameters: Mapping[str, Any]) -> float:
    """Run ``notebook``'s code with ``parameters`` injected after its parameters cell, in a
    fresh namespace of this process; seconds it took."""
    import matplotlib.pyplot as plt

    started = time.perf_counter()
    namespace: dict[str, Any] = {"__name__": "__main__"}
    cells = code_cells(notebook)
    injected = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    for number, source in enumerate([cells[0], injected, *cells[1:]] if cells else []):
        exec(compile(source, f"<{notebook.stem} cell {number}>", "exec"), namespace)
    plt.close("all")
    return time.perf_counter() - started


def floor_runs(
    notebooks: Sequence[Path],
    langs: Iterable[str],
    output_root: Path,
    data_dir: Path | None = None,
) -> dict[tuple[str, str], float]:
    """Seconds of each notebook × language run in process, outputs under ``output_root``
    (``<lang>/<stem>/``), with the parameters a build of ``data_dir`` would give."""
    data_dir = Path(data_dir or paths.CURATED_DIR).resolve()
    years, baseline, compare = resolve_years(data_dir, None, None, None)
    seconds: dict[tuple[str, str], float] = {}
    for lang in langs:
        for notebook in notebooks:
            parameters = {
                "data_dir": str(data_dir),
                "years": years,
                "baseline_year": baseline,
                "compare_year": compare,
                "lang": lang,
                "output_dir": str(output_root / lang / notebook.stem),
            }
            seconds[(notebook.stem, lang)] = run_in_process(notebook, parameters)
    return seconds


def import_seconds() -> float:
    """Seconds to import what the notebooks import (paid once by the floor, once per kernel
    by a build); near zero once imported in this process."""
    started = time.perf_counter()
    import gealc_analysis.charts.plots  # noqa: F401
    import gealc_analysis.notebook.section  # noqa: F401
    import gealc_analysis.words.findings  # noqa: F401

    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> dict[tuple[str, str], float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="sections (stem, name, number)")
    parser.add_argument("--lang", choices=i18n.SUPPORTED_LANGS, default=None)
    args = parser.parse_args(argv)
    notebooks = select_notebooks(discover_notebooks(paths.NOTEBOOKS_DIR), args.only)
    langs = (args.lang,) if args.lang else i18n.SUPPORTED_LANGS
    imports = import_seconds()
    with tempfile.TemporaryDirectory(prefix="gealc-floor-") as scratch:
        seconds = floor_runs(notebooks, langs, Path(scratch))
    print(f"imports (once)                {imports:7.2f} s")
    for (stem, lang), value in seconds.items():
        print(f"{stem:<28} {lang}  {value:7.2f} s")
    print(f"in-process floor              {imports + sum(seconds.values()):7.2f} s")
    return seconds


if __name__ == "__main__":
    main()
