"""Running the selected notebooks into the staging folder, one after another or in parallel."""

from __future__ import annotations

import queue
import shutil
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import CancelledError, ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from gealc_analysis.build import execute as execute_module
from gealc_analysis.build.errors import NotebookFailed
from gealc_analysis.build.kernel import stop_running_kernels
from gealc_analysis.build.layout import EXECUTED_DIR, FIGURES_DIR, TABLES_DIR
from gealc_analysis.build.pool import KernelPool, WarmKernel


def run_notebook(
    notebook: Path,
    staging: Path,
    parameters: Mapping[str, Any],
    cell_timeout: float | None = execute_module.DEFAULT_CELL_TIMEOUT,
    kernel: WarmKernel | None = None,
) -> float:
    """Execute one notebook into the staging folder (a language's folder); seconds it took.

    On ``kernel`` (a warm kernel, reset first) when given, else on a fresh kernel.
    """
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
        manager = kernel.ready() if kernel is not None else None
    except Exception as exc:
        detail = f"could not start its kernel: {type(exc).__name__}: {exc}"
        raise NotebookFailed(stem, detail, time.perf_counter() - started) from exc
    try:
        execute_module.execute_notebook(
            notebook,
            executed,
            {**parameters, "output_dir": str(output_dir)},
            cell_timeout,
            kernel_manager=manager,
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
    finally:
        if kernel is not None:
            kernel.release_clients()
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
    pool: KernelPool | None = None,
) -> dict[str, float]:
    """Run every notebook (``jobs`` at a time); seconds per stem in notebook order.

    With a ``pool`` the notebooks run on its warm kernels (one per job); without, each on a
    fresh kernel. On the first failure no further notebook starts; the one reported is the
    first failed in notebook order.
    """
    if pool is not None:
        return _run_on_pool(notebooks, staging, parameters, progress, cell_timeout, pool)
    total = len(notebooks)
    durations: dict[str, float] = {}
    failures: dict[str, NotebookFailed] = {}

    def report(done: int, stem: str, outcome: float | NotebookFailed) -> None:
        _report(progress, done, total, stem, outcome)

    if jobs == 1:
        for done, notebook in enumerate(notebooks, start=1):
            try:
                durations[notebook.stem] = run_notebook(notebook, staging, parameters, cell_timeout)
            except NotebookFailed as exc:
                report(done, notebook.stem, exc)
                raise
            report(done, notebook.stem, durations[notebook.stem])
        return durations

    executor = ThreadPoolExecutor(max_workers=min(jobs, total), thread_name_prefix="notebook")
    try:
        futures = {
            executor.submit(run_notebook, nb, staging, parameters, cell_timeout): nb
            for nb in notebooks
        }
        done = 0
        for future in as_completed(futures):
            stem = futures[future].stem
            try:
                durations[stem] = future.result()
            except CancelledError:
                continue
            except NotebookFailed as exc:
                failures[stem] = exc
                for other in futures:
                    other.cancel()  # only those not started yet; running ones finish
            done += 1
            report(done, stem, failures.get(stem, durations.get(stem, 0.0)))
    except BaseException:  # Ctrl-C or SIGTERM: start nothing new, stop the running kernels
        executor.shutdown(wait=False, cancel_futures=True)
        stop_running_kernels()
        executor.shutdown(wait=True)
        raise
    executor.shutdown(wait=True)
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


_SKIPPED = object()  # a notebook not started because another one failed


def _run_on_pool(
    notebooks: Sequence[Path],
    staging: Path,
    parameters: Mapping[str, Any],
    progress: Callable[[str], None],
    cell_timeout: float | None,
    pool: KernelPool,
) -> dict[str, float]:
    """:func:`run_all` on warm kernels: tasks report to a queue, read here in finish order."""
    results: queue.Queue[tuple[str, object]] = queue.Queue()
    failed = threading.Event()

    def task_for(notebook: Path) -> Callable[[WarmKernel], None]:
        def task(kernel: WarmKernel) -> None:
            if failed.is_set():
                results.put((notebook.stem, _SKIPPED))
                return
            try:
                outcome: object = run_notebook(notebook, staging, parameters, cell_timeout, kernel)
            except BaseException as exc:  # noqa: BLE001 - reported to the main thread
                failed.set()  # before reporting: no other notebook may start now
                kernel.discard()  # its state is unknown: the next notebook gets a new one
                outcome = exc
            results.put((notebook.stem, outcome))

        return task

    for notebook in notebooks:
        pool.submit(task_for(notebook))
    total = len(notebooks)
    durations: dict[str, float] = {}
    failures: dict[str, BaseException] = {}
    done = 0
    try:
        for _ in range(total):
            stem, outcome = results.get()
            if outcome is _SKIPPED:
                continue
            done += 1
            if isinstance(outcome, BaseException):
                failed.set()
                failures[stem] = outcome
                shown = (
                    outcome
                    if isinstance(outcome, NotebookFailed)
                    else NotebookFailed(stem, f"failed: {outcome!r}", 0.0)
                )
                _report(progress, done, total, stem, shown)
            else:
                durations[stem] = float(outcome)  # type: ignore[arg-type]
                _report(progress, done, total, stem, durations[stem])
    except BaseException:  # Ctrl-C or SIGTERM: start nothing new, stop the running kernels
        failed.set()
        stop_running_kernels()
        raise
    if failures:
        raise next(failures[nb.stem] for nb in notebooks if nb.stem in failures)
    return {nb.stem: durations[nb.stem] for nb in notebooks}
