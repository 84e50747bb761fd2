"""Time validation (``load_plans``) over 10, 100 and 1000 synthetic plans; print the scaling.

``--bad-rows 2000 8000 200000`` times instead one plan of that many bad rows (each row the
first one with a broken id: three problems), with the peak memory: the detailed scan stops
at its cap, so time and memory grow with the file's size, not with the problems found.

Each synthetic plan is a copy of ``plan_2024.csv`` under a new year (3000, 3001 …) with
the 2024 crosswalk rows copied for that year (and the funding codes), so every plan is valid
and the work is the real work. The exponent is the slope of log(time) against log(plans),
fitted by least squares: 1.0 is linear. Not a test; run it by hand:

    .venv/bin/python benchmarks/bench_validation.py [--sizes 10 100 1000] [--repeat 3]
    .venv/bin/python benchmarks/bench_validation.py --bad-rows 2000 8000 200000
"""

from __future__ import annotations

import argparse
import math
import resource
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from gealc_analysis.core import paths
from gealc_analysis.data import PlanDataError, load_plans

FIRST_YEAR = 3000


def synthetic_folder(folder: Path, plans: int) -> Path:
    """``plans`` copies of the 2024 plan under years 3000, 3001 …, with their crosswalk."""
    folder.mkdir(parents=True)
    plan = (paths.CURATED_DIR / "plan_2024.csv").read_text(encoding="utf-8")
    header, *rows = plan.splitlines(keepends=True)
    themes = (paths.CURATED_DIR / "themes.csv").read_text(encoding="utf-8")
    themes_header, *theme_rows = themes.splitlines(keepends=True)
    theme_2024 = [row for row in theme_rows if row.startswith("2024,")]
    crosswalk = [themes_header]
    for year in range(FIRST_YEAR, FIRST_YEAR + plans):
        copied = [row.replace("2024,2024-", f"{year},{year}-", 1) for row in rows]
        (folder / f"plan_{year}.csv").write_text(header + "".join(copied), encoding="utf-8")
        crosswalk += [row.replace("2024,", f"{year},", 1) for row in theme_2024]
    (folder / "themes.csv").write_text("".join(crosswalk), encoding="utf-8")
    # The plans' resource codes are checked against the funding codes of the data folder.
    shutil.copyfile(paths.CURATED_DIR / "funding_codes.csv", folder / "funding_codes.csv")
    return folder


def best_time(folder: Path, repeat: int) -> tuple[float, float]:
    """The fastest of ``repeat`` loads, wall-clock and CPU seconds (CPU time is what the
    validator costs; wall time also counts waiting for the shared machine's cores)."""
    walls, cpus = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        load_plans(folder)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - started_cpu)
    return min(walls), min(cpus)


def slope(sizes: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) on log(sizes): the scaling exponent."""
    xs, ys = [math.log(n) for n in sizes], [math.log(s) for s in seconds]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )


def many_bad_rows(folder: Path, rows: int) -> Path:
    """Rewrite ``plan_2024.csv`` of ``folder`` as ``rows`` copies of its first row with a
    broken activity id; the plan's path. Also the plan ``tests/test_validation.py`` checks
    the scan's cap on."""
    path = folder / "plan_2024.csv"
    header, first = path.read_text(encoding="utf-8").splitlines(keepends=True)[:2]
    cells = first.split(",")
    cells[1] = "x"
    path.write_text(header + ",".join(cells) * rows, encoding="utf-8")
    return path


def bad_rows_folder(folder: Path, rows: int) -> Path:
    """A copy of the curated folder whose 2024 plan is :func:`many_bad_rows`."""
    shutil.copytree(paths.CURATED_DIR, folder)
    many_bad_rows(folder, rows)
    return folder


def time_bad_rows(sizes: list[int]) -> None:
    """One load per size: wall and CPU seconds, problems found, peak memory of the process."""
    with tempfile.TemporaryDirectory() as scratch:
        for rows in sizes:
            folder = bad_rows_folder(Path(scratch) / f"bad-{rows}", rows)
            started, started_cpu = time.perf_counter(), time.process_time()
            try:
                load_plans(folder)
                found = 0
            except PlanDataError as error:
                found = len(error.problems)
            wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"validation, {rows:>7} bad rows: {wall:7.3f} s wall, {cpu:7.3f} s CPU, "
                f"{found} problems listed, peak memory so far {peak:.0f} MB"
            )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--repeat", type=int, default=3, help="loads per size (best kept)")
    parser.add_argument(
        "--bad-rows", type=int, nargs="+", default=None, help="time plans of this many bad rows"
    )
    args = parser.parse_args(argv)
    load_plans()  # warm imports and caches: time the validation, not the first import
    if args.bad_rows:
        time_bad_rows(args.bad_rows)
        return
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as scratch:
        for size in args.sizes:
            folder = synthetic_folder(Path(scratch) / f"plans-{size}", size)
            wall, cpu = best_time(folder, args.repeat)
            walls.append(wall)
            cpus.append(cpu)
            print(
                f"validation, {size:>5} plans: {wall:7.3f} s wall, {cpu:7.3f} s CPU "
                f"({1000 * cpu / size:6.2f} ms CPU a plan)"
            )
    if len(args.sizes) > 1:
        print(
            f"scaling exponent (log-log slope): {slope(args.sizes, walls):.2f} wall, "
            f"{slope(args.sizes, cpus):.2f} CPU (1.0 = linear; target <= 1.1, "
            "1000 plans <= 3 s)"
        )


if __name__ == "__main__":
    main()
