"""Time the report build in one run and print it as ratios to the floor (issue 12).

The floor is what one notebook costs at least: papermill plus nbconvert's HTML exporter on a
trivial notebook, on a fresh kernel (as every notebook of a build runs). Every build figure
is printed as a ratio measured in this same run, because absolute seconds on a shared
machine mean little:

- full build (every language) with ``--jobs 1`` and ``--jobs 2``, as a ratio to
  (notebook runs × floor) and to (notebook runs ÷ jobs × floor);
- a rebuild with nothing changed, as a ratio to the full build;
- ``--only`` one section;
- validation and analysis over 10, 100 and 1000 synthetic plans with the fitted scaling
  exponent (``benchmarks/bench_validation.py``, when it is present).

Not a test; run it by hand:

    .venv/bin/python benchmarks/bench_build.py [--jobs 2] [--floor-runs 3] [--no-scaling]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import nbformat

from gealc_analysis.build import build_report, discover_notebooks, execute_notebook
from gealc_analysis.core import paths
from gealc_analysis.words import i18n

LANGS: tuple[str, ...] = i18n.SUPPORTED_LANGS  # a full build covers every language


def _quiet(_message: str) -> None:
    return None


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def floor_seconds(scratch: Path, runs: int) -> float:
    """Median seconds of papermill + nbconvert on a trivial notebook (fresh kernel).

    nbconvert's own exporter, not the report's page renderer: the floor is the libraries'
    cost, whatever the report puts around a page.
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True)
    notebook = scratch / "trivial.ipynb"
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell('lang = "en"', metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell("print(1 + 1)"),
        ]
    )
    nbformat.write(nb, notebook)
    times = []
    for run in range(runs):
        executed, page = scratch / f"trivial-{run}.ipynb", scratch / f"trivial-{run}.html"
        times.append(
            timed(
                lambda e=executed, p=page: (
                    execute_notebook(notebook, e, {}),
                    p.write_text(exporter.from_filename(str(e))[0], encoding="utf-8"),
                )
            )
        )
    return statistics.median(times)


def full_build(root: Path, jobs: int, langs: Sequence[str], **options: object) -> float:
    """Seconds to build every language of the report into ``root/<lang>``."""
    return sum(
        timed(
            lambda lang=lang: build_report(
                root / lang, jobs=jobs, lang=lang, progress=_quiet, **options
            )
        )
        for lang in langs
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="parallel notebooks to compare")
    parser.add_argument("--floor-runs", type=int, default=3, help="trivial runs (median kept)")
    parser.add_argument(
        "--no-scaling", action="store_true", help="skip validation/analysis over synthetic plans"
    )
    args = parser.parse_args()
    sections = len(discover_notebooks(paths.NOTEBOOKS_DIR))
    runs = sections * len(LANGS)
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        floor = floor_seconds(scratch, args.floor_runs)
        one = full_build(scratch / "jobs1", 1, LANGS)
        many = full_build(scratch / f"jobs{args.jobs}", args.jobs, LANGS)
        noop = full_build(scratch / "jobs1", 1, LANGS)  # same folders, nothing changed
        only = timed(
            lambda: build_report(scratch / "jobs1" / "en", only=["03"], force=True, progress=_quiet)
        )
    print(f"floor (papermill + nbconvert, trivial notebook) {floor:7.2f} s")
    print(
        f"notebook runs in a full build                  {runs:7d} "
        f"({sections} sections × {len(LANGS)} languages)"
    )
    for label, seconds, jobs in (("jobs=1", one, 1), (f"jobs={args.jobs}", many, args.jobs)):
        print(
            f"full build, {label:<7}                       {seconds:7.2f} s   "
            f"{seconds / (runs * floor):5.2f} × (runs × floor)   "
            f"{seconds / (runs / jobs * floor):5.2f} × (runs ÷ jobs × floor)"
        )
    print(f"speed-up jobs={args.jobs} over jobs=1                  {one / many:7.2f}")
    print(
        f"no-op rebuild, jobs=1                           {noop:7.2f} s   "
        f"{noop / one:5.2f} × full build (target ≤ 0.05)"
    )
    print(
        f"--only one section (03, en, --force)            {only:7.2f} s   "
        f"{only / floor:5.2f} × floor"
    )
    if not args.no_scaling:
        _scaling()


def _scaling() -> None:
    """Validation and analysis over synthetic plans, from bench_validation.py if present."""
    here = Path(__file__).resolve().parent
    if not (here / "bench_validation.py").is_file():
        print("validation/analysis scaling: skipped (benchmarks/bench_validation.py absent)")
        return
    sys.path.insert(0, str(here))
    import bench_validation

    sys.argv = [sys.argv[0]]  # its own defaults: 10, 100 and 1000 plans
    bench_validation.main()


if __name__ == "__main__":
    main()
