"""The in-process floor: the report notebooks' code run in one plain Python process, with no
kernel, papermill or nbconvert (issue 19 item 3).

A build can never cost less than its notebooks' own work, and this is that work: each
notebook's code cells, run once per language in a fresh namespace (the ``parameters`` cell,
then the values the build would inject, then every other code cell), with matplotlib drawing
on Agg instead of the inline backend and every output written under a temporary folder. The
package is imported once and the data loaded and handed over once
(``notebook.handoff``, as the build does) for all runs, which a build's kernels cannot share.
``bench_build.py`` runs this in a process of its own and prints the build's timings as
ratios to it.

    .venv/bin/python benchmarks/inprocess.py [--only 03] [--lang en] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

# Key of the one-time costs in the JSON this prints (imports, data load and handoff).
SETUP = "setup"


def code_cells(notebook: Path) -> list[str]:
    """The notebook's code cells in order (the ``parameters`` cell first among them)."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def run_in_process(notebook: Path, parameters: Mapping[str, Any]) -> float:
    """Run ``notebook``'s code with ``parameters`` injected after its first code cell (the
    ``parameters`` cell), in a fresh namespace of this process; seconds it took."""
    import matplotlib

    matplotlib.use("Agg")  # no kernel, so no inline backend; before pyplot is used
    import matplotlib.pyplot as plt

    started = time.perf_counter()
    namespace: dict[str, Any] = {"__name__": "__main__"}
    cells = code_cells(notebook)
    injected = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    for number, source in enumerate([*cells[:1], injected, *cells[1:]]):
        exec(compile(source, f"<{notebook.stem} cell {number}>", "exec"), namespace)
    plt.close("all")
    return time.perf_counter() - started


def floor_runs(
    notebooks: Sequence[Path],
    langs: Iterable[str],
    output_root: Path,
    data_dir: Path | None = None,
) -> dict[str, float]:
    """Seconds of each notebook × language (``"<stem> <lang>"``) run in this process, and of
    the data's one load and handoff (:data:`SETUP`); outputs under
    ``output_root/<lang>/<stem>/``, parameters as a build of ``data_dir`` gives them."""
    from gealc_analysis.build.pipeline import resolve_years
    from gealc_analysis.core import paths
    from gealc_analysis.data.bundle import load_bundle
    from gealc_analysis.notebook import handoff

    started = time.perf_counter()
    data_dir = Path(data_dir or paths.CURATED_DIR).resolve()
    years, baseline, compare = resolve_years(data_dir, None, None, None)
    bundle = load_bundle(data_dir, years)
    output_root.mkdir(parents=True, exist_ok=True)
    handed = handoff.write_validated(
        output_root / "validated.pickle", bundle, [(baseline, compare)]
    )
    seconds = {SETUP: time.perf_counter() - started}
    with handoff.handed_to_kernels(handed):
        for lang in langs:
            for notebook in notebooks:
                output = output_root / lang / notebook.stem
                for sub in (paths.FIGURES_DIR, paths.TABLES_DIR):
                    (output / sub).mkdir(parents=True, exist_ok=True)
                parameters = {
                    "data_dir": str(data_dir),
                    "years": years,
                    "baseline_year": baseline,
                    "compare_year": compare,
                    "lang": lang,
                    "output_dir": str(output),
                }
                seconds[f"{notebook.stem} {lang}"] = run_in_process(notebook, parameters)
    return seconds


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="sections (stem, name, number)")
    parser.add_argument("--lang", default=None, help="one language (default: every one)")
    parser.add_argument("--notebooks-dir", type=Path, default=None)
    parser.add_argument("--data-dir", type=Path, default=None, help="curated data folder")
    parser.add_argument("--json", action="store_true", help="print seconds as one JSON object")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> dict[str, float]:
    """Run the floor; seconds per run, :data:`SETUP` and ``"imports"`` (this process's first
    import of the package, matplotlib and pandas), printed as a table or JSON."""
    args = parse_args(argv)
    started = time.perf_counter()
    os.environ.setdefault("MPLBACKEND", "Agg")
    import gealc_analysis.charts.plots  # noqa: F401  (what the notebooks import first)
    import gealc_analysis.notebook.section  # noqa: F401
    import gealc_analysis.words.findings  # noqa: F401
    from gealc_analysis.build.discover import discover_notebooks, select_notebooks
    from gealc_analysis.core import paths
    from gealc_analysis.words import i18n

    imports = time.perf_counter() - started
    folder = args.notebooks_dir or paths.NOTEBOOKS_DIR
    notebooks = select_notebooks(discover_notebooks(folder), args.only)
    langs = (i18n.check_lang(args.lang),) if args.lang else i18n.SUPPORTED_LANGS
    with tempfile.TemporaryDirectory(prefix="gealc-floor-") as scratch:
        runs = floor_runs(notebooks, langs, Path(scratch), args.data_dir)
        seconds = {"imports": imports, **runs}
    if args.json:
        print(json.dumps(seconds))
    else:
        for name, value in seconds.items():
            print(f"{name:<32} {value:7.2f} s")
        print(f"{'in-process floor':<32} {sum(seconds.values()):7.2f} s")
    return seconds


if __name__ == "__main__":
    main()
