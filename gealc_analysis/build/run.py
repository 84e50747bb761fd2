"""Running the selected notebooks into the staging folder, ``--jobs`` at a time, each on a
kernel of its own, started and warmed (the package imported) while the notebooks before it
run."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import CancelledError, ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from gealc_analysis.build import execute as execute_module
from gealc_analysis.build.errors import NotebookFailed
from gealc_analysis.build.kernel import (
    WarmKernels,
    stop_running_kernels,
    warm_kernels_for_this_thread,
)
from gealc_analysis.build.layout import EXECUTED_DIR, FIGURES_DIR, TABLES_DIR


def run_notebook(
    notebook: Path,
    staging: Path,
    parameters: Mapping[str, Any],
    cell_timeout: float | None = execute_module.DEFAULT_CELL_TIMEOUT,
) -> float:
    """Execute one notebook into the staging folder (a language's folder) on a kernel of its
    own; seconds it took."""
    started = time.perf_counter()
    stem = notebook.stem
    output_dir = staging / stem
    executed = staging / EXECUTED_DIR / f"{stem}.ipynb"
    page = staging / f"{stem}.html"
    # A section rebuilt over a copy of the old report must not keep stale figures.
    shutil.rmtree(output_dir, ignore_errors=True)
    page.unlink(missing_ok=True)
    executed.unlink(missing_ok=True)
    for sub in (FIGURES_DIR, TABLES_DIR):
        (output_dir / sub).mkdir(parents=True, exist_ok=True)
    executed.parent.mkdir(parents=True, exist_ok=True)

    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    try:
        execute_module.execute_notebook(
            notebook,
            executed,
            {**parameters, "output_dir": str(output_dir)},
            cell_timeout,
        )
    except CellTimeoutError as exc:
        where = execute_module.running_cell(executed) or "a cell"
        detail = (
            f"timed out: {where} ran longer than {cell_timeout:g} s (raise "
            "--cell-timeout if the machine is only slow)"
        )
        raise NotebookFailed(stem, detail, time.perf_counter() - started) from exc
    except PapermillExecutionError as exc:
        cell = f"In [{exc.exec_count}]" if exc.exec_count is not None else f"#{exc.cell_index}"
        detail = f"failed in cell {cell}: {exc.ename}: {exc.evalue}"
        raise NotebookFailed(stem, detail, time.perf_counter() - started) from exc
    except Exception as exc:  # kernel died, timed out, could not start …
        detail = f"failed: {type(exc).__name__}: {exc}"
        raise NotebookFailed(stem, detail, time.perf_counter() - started) from exc
    # The page is rendered once every notebook of the language ran (build.site), because its
    # menu and previous/next links name the other sections.
    return time.perf_counter() - started


def run_all(
    notebooks: Sequence[Path],
    staging: Path,
    parameters: Mapping[str, Any],
    jobs: int,
    progress: Callable[[str], None],
    cell_timeout: float | None = execute_module.DEFAULT_CELL_TIMEOUT,
    pool: WarmKernels | None = None,
) -> dict[str, float]:
    """Run every notebook, ``jobs`` at a time, each on a kernel of its own; seconds per stem
    in notebook order.

    ``pool``: the caller's warm kernels, when it runs several batches (one per language),
    so the next batch's first kernel warms while this batch's last notebook runs; it is
    the caller's to close. Without one, this run makes and closes its own.

    Kernels come from a :class:`~gealc_analysis.build.kernel.WarmKernels` pool of the
    notebooks' folder: while ``jobs`` notebooks run, as many kernels start and import the
    package for the next ones, so a notebook does not wait for its kernel (a kernel is never
    shared: each is shut down after its notebook).

    The notebooks run in worker threads (one when ``jobs`` is 1), so the main thread only
    waits: a Ctrl-C or SIGTERM reaches it, which starts nothing new and stops the running
    kernels. On the first failure no further notebook starts (those running finish); the
    one reported is the first failed in notebook order.
    """
    total = len(notebooks)
    durations: dict[str, float] = {}
    failures: dict[str, NotebookFailed] = {}
    failed = threading.Event()
    folders = {notebook.parent for notebook in notebooks}
    own_pool = pool is None
    if pool is None and len(folders) == 1:
        pool = WarmKernels(folders.pop(), total, ahead=jobs)

    def run(notebook: Path) -> float | None:
        if failed.is_set():
            return None  # another notebook failed: this one does not start
        try:
            with warm_kernels_for_this_thread(pool):
                return run_notebook(notebook, staging, parameters, cell_timeout)
        except NotebookFailed:
            failed.set()  # before the future completes: no other notebook may start now
            raise

    executor = ThreadPoolExecutor(max_workers=min(jobs, total), thread_name_prefix="notebook")
    try:
        futures = {executor.submit(run, nb): nb for nb in notebooks}
        done = 0
        for future in as_completed(futures):
            stem = futures[future].stem
            try:
                seconds = future.result()
            except CancelledError:
                continue
            except NotebookFailed as exc:
                failures[stem] = exc
                for other in futures:
                    other.cancel()  # only those not started yet; running ones finish
                done += 1
                _report(progress, done, total, stem, exc)
                continue
            if seconds is None:
                continue
            durations[stem] = seconds
            done += 1
            _report(progress, done, total, stem, seconds)
    except BaseException:  # Ctrl-C or SIGTERM: start nothing new, stop the running kernels
        failed.set()
        executor.shutdown(wait=False, cancel_futures=True)
        stop_running_kernels()
        executor.shutdown(wait=True)
        if pool is not None:
            pool.close()
        raise
    executor.shutdown(wait=True)
    if pool is not None and (own_pool or failures):
        pool.close()  # kernels warmed for notebooks that did not start (one failed)
    if failures:
        raise next(failures[nb.stem] for nb in notebooks if nb.stem in failures)
    return {nb.stem: durations[nb.stem] for nb in notebooks}


def _report(
    progress: Callable[[str], None],
    done: int,
    total: int,
    stem: str,
    outcome: float | NotebookFailed,
) -> None:
    if isinstance(outcome, NotebookFailed):
        progress(f"[{done}/{total}] {stem} … FAILED after {outcome.seconds:.1f} s")
    else:
        progress(f"[{done}/{total}] {stem} … done in {outcome:.1f} s")
