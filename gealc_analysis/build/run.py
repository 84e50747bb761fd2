"""Running the selected notebooks into the staging folder, one after another or in parallel."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import CancelledError, ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from gealc_analysis.build import execute as execute_module
from gealc_analysis.build.errors import NotebookFailed
from gealc_analysis.build.kernel import stop_running_kernels
from gealc_analysis.build.layout import EXECUTED_DIR, FIGURES_DIR, TABLES_DIR


def run_notebook(
    notebook: Path, staging: Path, parameters: Mapping[str, Any],
    cell_timeout: float | None = execute_module.DEFAULT_CELL_TIMEOUT,
) -> float:
    """Execute one notebook into the staging folder (a language's folder); seconds it took."""
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
            notebook, executed, {**parameters, "output_dir": str(output_dir)}, cell_timeout
        )
    except CellTimeoutError as exc:
        where = execute_module.running_cell(executed) or "a cell"
        detail = (f"timed out: {where} ran longer than {cell_timeout:g} s (raise "
                  "--cell-timeout if the machine is only slow)")
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
) -> dict[str, float]:
    """Run every notebook (``jobs`` at a time); seconds per stem in notebook order.

    Threads are enough: each notebook runs in its own kernel process. On the first failure
    no further notebook starts; the one reported is the first failed in notebook order.
    """
    total = len(notebooks)
    durations: dict[str, float] = {}
    failures: dict[str, NotebookFailed] = {}

    def report(done: int, stem: str, outcome: float | NotebookFailed) -> None:
        if isinstance(outcome, NotebookFailed):
            progress(f"[{done}/{total}] {stem} … FAILED after {outcome.seconds:.1f} s")
        else:
            progress(f"[{done}/{total}] {stem} … done in {outcome:.1f} s")

    if jobs == 1:
        for done, notebook in enumerate(notebooks, start=1):
            try:
                durations[notebook.stem] = run_notebook(notebook, staging, parameters,
                                                        cell_timeout)
            except NotebookFailed as exc:
                report(done, notebook.stem, exc)
                raise
            report(done, notebook.stem, durations[notebook.stem])
        return durations

    pool = ThreadPoolExecutor(max_workers=min(jobs, total), thread_name_prefix="notebook")
    try:
        futures = {pool.submit(run_notebook, nb, staging, parameters, cell_timeout): nb
                   for nb in notebooks}
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
        pool.shutdown(wait=False, cancel_futures=True)
        stop_running_kernels()
        pool.shutdown(wait=True)
        raise
    pool.shutdown(wait=True)
    if failures:
        raise next(failures[nb.stem] for nb in notebooks if nb.stem in failures)
    return {nb.stem: durations[nb.stem] for nb in notebooks}
