"""Time the report build in one run and print it as ratios to floors measured in the same run
(issue 12, issue 19 item 3).

Two floors:

- the **in-process floor** (``benchmarks/inprocess.py``, in a process of its own): the same
  notebooks' code, both languages, in one plain Python process without kernels, papermill
  or nbconvert; what a build can never go below. Each notebook × language has its share.
- the **kernel floor**: papermill plus nbconvert's HTML exporter on a trivial notebook on a
  fresh kernel, what running any one notebook costs at least.

Printed, as ratios because absolute seconds on a shared machine mean little:

- the full build (every language, one ``build_report``) with ``--jobs 1`` and ``--jobs N``,
  as a ratio to the in-process floor (target ≤ 1.5 for jobs 1), and the speed-up of jobs N
  (target ≥ 1.6 for 2 jobs on 2 idle cores);
- a rebuild with nothing changed, as a ratio to the full build (target ≤ 0.03);
- ``--only`` one section in one language (``--force``), as a ratio to that section ×
  language's share of the in-process floor (target ≤ 3);
- validation over 10, 100 and 1000 synthetic plans (``benchmarks/bench_validation.py``).

Not a test (``tests/test_benchmarks_smoke.py`` runs its parts with tiny sizes); run it by
hand on an idle machine:

    .venv/bin/python benchmarks/bench_build.py [--jobs 2] [--only 03] [--lang en]
        [--floor-runs 3] [--no-scaling]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _quiet(_message: str) -> None:
    return None


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def cpu_seconds() -> float:
    """CPU seconds of this process and of its children that ended (the build's kernels, the
    floor's process): on a shared machine a steadier measure of work than wall time."""
    return sum(cpu_split())


def cpu_split() -> tuple[float, float]:
    """CPU seconds of this process (the build's own work: data, multiverse, papermill, pages)
    and of its children that ended (kernels), apart: where a build's CPU goes."""
    times = os.times()
    return times.user + times.system, times.children_user + times.children_system


def ratio(part: float, whole: float) -> float:
    """``part / whole`` (NaN when ``whole`` took no measurable time)."""
    return part / whole if whole > 0 else float("nan")


def measured(action: Callable[[], object]) -> tuple[float, tuple[float, float]]:
    """Wall seconds of ``action`` and its CPU seconds in this process and in its children."""
    own, children = cpu_split()
    wall = timed(action)
    own_after, children_after = cpu_split()
    return wall, (own_after - own, children_after - children)


def as_a_command(build: Callable[..., object], *args: object, **kwargs: object) -> None:
    """One build as one ``gealc-report build`` command costs it: the kernel zygote it starts
    (``gealc_analysis/build/zygote.py``) is ended with it, so the next build starts its own
    and the zygote's CPU, with its kernels', is counted here (a process's CPU reaches its
    parent once it has exited)."""
    from gealc_analysis.build import zygote

    build(*args, progress=_quiet, **kwargs)
    zygote.close_zygotes()


def kernel_floor_seconds(scratch: Path, runs: int) -> float:
    """Median seconds of papermill + nbconvert on a trivial notebook (fresh kernel)."""
    import nbformat
    from nbconvert import HTMLExporter

    from gealc_analysis.build import execute_notebook

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
    from gealc_analysis.build import zygote

    zygote.close_zygotes()  # its CPU and its kernels' belong here, not to the next build
    return statistics.median(times)


def inprocess_floor(
    notebooks_dir: Path | None = None, data_dir: Path | None = None, only: Sequence[str] = ()
) -> dict[str, float]:
    """The in-process floor's seconds (``inprocess.py --json``), measured in a fresh process
    so its one import of the package is counted, as a build's first kernel counts its own."""
    command = [sys.executable, str(HERE / "inprocess.py"), "--json"]
    if notebooks_dir is not None:
        command += ["--notebooks-dir", str(notebooks_dir)]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    if only:
        command += ["--only", *only]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def ratio_line(label: str, seconds: float, ratio: float, of: str, target: str = "") -> str:
    return f"{label:<44} {seconds:7.2f} s  {ratio:6.2f} × {of}{target}"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="parallel notebooks to compare")
    parser.add_argument("--only", default="03", help="the section of the --only rebuild")
    parser.add_argument("--lang", default="en", help="the language of the --only rebuild")
    parser.add_argument("--floor-runs", type=int, default=3, help="trivial runs (median kept)")
    parser.add_argument(
        "--no-scaling", action="store_true", help="skip validation over synthetic plans"
    )
    args = parser.parse_args(argv)
    if args.jobs < 1 or args.floor_runs < 1:
        parser.error("--jobs and --floor-runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    from gealc_analysis.build import build_report, discover_notebooks, select_notebooks
    from gealc_analysis.core import paths
    from gealc_analysis.words import i18n

    notebooks = discover_notebooks(paths.NOTEBOOKS_DIR)
    [chosen] = select_notebooks(notebooks, [args.only])
    lang = i18n.check_lang(args.lang)
    runs = len(notebooks) * len(i18n.SUPPORTED_LANGS)
    floor_cpu = cpu_seconds()
    floor = inprocess_floor()
    floor_cpu = cpu_seconds() - floor_cpu
    floor_total = sum(floor.values())
    share = floor[f"{chosen.stem} {lang}"]
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        kernel_floor = kernel_floor_seconds(scratch, args.floor_runs)
        one, one_cpu = measured(lambda: as_a_command(build_report, scratch / "jobs1", jobs=1))
        many, many_cpu = measured(
            lambda: as_a_command(build_report, scratch / "jobsN", jobs=args.jobs)
        )
        noop = timed(lambda: as_a_command(build_report, scratch / "jobs1", jobs=1))
        only = timed(
            lambda: as_a_command(
                build_report, scratch / "jobs1", only=[chosen.stem], lang=lang, force=True
            )
        )
    print("(one run; on a shared machine every figure is noisy: compare ratios, not seconds;")
    print(" CPU seconds count this process and its kernels, and vary less with the load)")
    print(f"{'in-process floor, both languages':<44} {floor_total:7.2f} s  CPU {floor_cpu:7.2f} s")
    print(
        f"{'  of which imports, data load, multiverse':<44} "
        f"{floor['imports'] + floor['setup']:7.2f} s (once)"
    )
    print(f"{'  ' + chosen.stem + ' ' + lang + ' (its share)':<44} {share:7.2f} s")
    print(f"{'kernel floor (papermill + nbconvert, trivial)':<44} {kernel_floor:7.2f} s")
    print(f"{'notebook runs in a full build':<44} {runs:7d}")
    for label, wall, (own, kernels) in (
        ("jobs=1", one, one_cpu),
        (f"jobs={args.jobs}", many, many_cpu),
    ):
        cpu = own + kernels
        print(
            ratio_line(f"full build, {label}", wall, ratio(wall, floor_total), "in-process floor")
            + f"   CPU {cpu:7.2f} s {ratio(cpu, floor_cpu):5.2f} × floor's CPU"
            + f" (this process {own:.2f}, kernels {kernels:.2f})"
        )
    print("  (target: jobs=1 ≤ 1.5 × in-process floor)")
    speedup = ratio(one, many)
    print(f"{f'speed-up jobs={args.jobs} over jobs=1':<44} {speedup:7.2f}   (≥ 1.6 for 2 jobs)")
    print(ratio_line("no-op rebuild, jobs=1", noop, ratio(noop, one), "full build", "  (≤ 0.03)"))
    print(
        ratio_line(
            f"--only {chosen.stem} --lang {lang} --force",
            only,
            ratio(only, share),
            "its share",
            "  (≤ 3)",
        )
    )
    if not args.no_scaling:
        scaling()


def scaling(argv: Sequence[str] = ()) -> None:
    """Validation over synthetic plans (``bench_validation.py``; its defaults unless
    ``argv``)."""
    sys.path.insert(0, str(HERE))
    import bench_validation

    bench_validation.main(list(argv))


if __name__ == "__main__":
    main()
