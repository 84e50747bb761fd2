"""Time the full report build sequentially and in parallel, in one run; print ratios.

The machine is noisy, so absolute seconds mean little across runs: compare the ratios
printed here (measured back to back). Not a test; run it by hand:

    .venv/bin/python benchmarks/bench_build.py [--jobs 2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from gealc_analysis.build import build_report
from gealc_analysis.data import load_plans


def timed(label: str, action) -> float:
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    print(f"{label:<28} {seconds:7.2f} s")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="parallel notebooks to compare")
    jobs = parser.parse_args().jobs
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        validate = timed("validate data", load_plans)
        sequential = timed("build, jobs=1", lambda: build_report(root / "seq", progress=_quiet))
        parallel = timed(f"build, jobs={jobs}",
                         lambda: build_report(root / "par", jobs=jobs, progress=_quiet))
    print(f"parallel / sequential      {parallel / sequential:7.2f}")
    print(f"validation / build (jobs=1) {validate / sequential:6.3f}")


def _quiet(_message: str) -> None:
    return None


if __name__ == "__main__":
    main()
