"""Running the selected notebooks into the staging folder, ``--jobs`` at a time, each on a
kernel of its own, started and warmed (the package imported) while the notebooks before it
run."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, CancelledError, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gealc_analysis.build import execute as execute_module
from gealc_analysis.build.errors import NotebookFailed
from gealc_analysis.build.kernel import (
    WarmKernels,
    raise_if_stop_requested,
    stop_running_kernels,
    warm_kernels_for_this_thread,
)
from gealc_analysis.build.layout import EXECUTED_DIR, FIGURES_DIR, TABLES_DIR

# Seconds between two looks, while notebooks run, at whether a signal asked the build to stop.
STOP_POLL_SECONDS = 0.25


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


@dataclass(frozen=True)
class Batch:
    """Notebooks run into one folder with one set of parameters: one language's sections."""

    lang: str
    notebooks: Sequence[Path]
    staging: Path
    parameters: Mapping[str, Any]
    progress: Callable[[str], None]
    announce: Callable[[], None] = lambda: None  # said once, as the run starts


def run_batches(
    batches: Sequence[Batch],
    jobs: int,
    cell_timeout: float | None = execute_module.DEFAULT_CELL_TIMEOUT,
    pool: WarmKernels | None = None,
    batch_done: Callable[[Batch], Iterable[None] | None] = lambda batch: None,
    meanwhile: Iterable[None] = (),
) -> list[dict[str, float]]:
    """Run every notebook of every batch, ``jobs`` at a time, each on a kernel of its own,
    in batch order; seconds per stem of each batch, in notebook order.

    The batches share one queue, not one barrier each: a second job takes the next
    language's first notebook while the last of this language runs. Each job takes its next
    notebook itself as soon as its last one ran, so a kernel never waits for this thread.
    ``batch_done(batch)`` is called in this thread as soon as every notebook of ``batch``
    ran (the build writes that language's pages then, while the kernels run the next
    language's notebooks). What it returns, if anything, are steps (a section's pages, a
    product, the index), taken one at a time between looks at the notebooks (a look notices
    a signal, a failure, a language whose notebooks all ran); ``meanwhile`` are steps taken
    from the start, while the first notebooks run (the build's pages that read no notebook).
    Every step is taken before this returns.

    ``pool``: the caller's warm kernels (it closes them); without one, this run makes and
    closes its own. Kernels come from a :class:`~gealc_analysis.build.kernel.WarmKernels`
    pool of the notebooks' folder: while ``jobs`` notebooks run, as many kernels start for
    the next ones (a kernel is never shared: each is shut down after its notebook).

    The notebooks run in worker threads (one when ``jobs`` is 1), which also report each
    notebook's end, so this thread only waits and writes pages: a Ctrl-C or SIGTERM reaches
    it, which starts nothing new and stops the running kernels (not reported as failed: the
    build stopped them). Each batch is announced as the run starts. On the first failure no
    further notebook starts (those running finish) and no further step is taken; the failure
    raised is the first in batch and notebook order, its ``lang`` set to its batch's.
    """
    queue = [(index, nb) for index, batch in enumerate(batches) for nb in batch.notebooks]
    durations: list[dict[str, float]] = [{} for _ in batches]
    done = [0] * len(batches)
    failures: dict[tuple[int, int], NotebookFailed] = {}
    failed = threading.Event()
    # Set once the build stops (a signal, a step that failed): the kernels it kills then are
    # not failures of their notebooks, and are not reported as such.
    stopping = threading.Event()
    reporting = threading.Lock()  # the jobs' end messages, in the order they happen
    folders = {notebook.parent for _, notebook in queue}
    own_pool = pool is None
    if pool is None and len(folders) == 1:
        pool = WarmKernels(folders.pop(), len(queue), ahead=jobs)

    def report(index: int, notebook: Path, outcome: float | NotebookFailed) -> None:
        batch = batches[index]
        with reporting:
            if stopping.is_set():
                return
            done[index] += 1
            _report(batch.progress, done[index], len(batch.notebooks), notebook.stem, outcome)

    def run(index: int, notebook: Path) -> float | None:
        if failed.is_set():
            return None  # another notebook failed, or the build is stopping: not started
        raise_if_stop_requested()  # a stop whose raise was swallowed: not started either
        batch = batches[index]
        try:
            with warm_kernels_for_this_thread(pool):
                seconds = run_notebook(notebook, batch.staging, batch.parameters, cell_timeout)
        except NotebookFailed as exc:
            failed.set()  # before the future completes: no other notebook may start now
            exc.lang = batch.lang
            report(index, notebook, exc)
            raise
        report(index, notebook, seconds)
        return seconds

    workers = max(1, min(jobs, len(queue)))
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="notebook")
    steps: list[Iterator[None]] = [iter(meanwhile)]  # taken a step at a time, oldest first

    def take_a_step() -> None:
        try:
            next(steps[0])
        except StopIteration:
            steps.pop(0)

    try:
        raise_if_stop_requested()
        for batch in batches:  # the languages' notebooks share one queue: all start now
            if batch.notebooks:
                batch.announce()
        # In order: the executor's threads take the notebooks first in, first out.
        submitted = {executor.submit(run, index, nb): (index, nb) for index, nb in queue}
        running = set(submitted)
        while running or (steps and not failed.is_set()):
            raise_if_stop_requested()
            # with pages to write, only a look at the notebooks; else wait for one to finish
            timeout = 0 if steps and not failed.is_set() else STOP_POLL_SECONDS
            finished, running = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=lambda f: submitted[f]):
                index, notebook = submitted[future]
                batch = batches[index]
                try:
                    seconds = future.result()
                except CancelledError:
                    continue
                except NotebookFailed as exc:
                    failures[(index, batch.notebooks.index(notebook))] = exc
                    continue
                if seconds is None:
                    continue
                durations[index][notebook.stem] = seconds
                if len(durations[index]) == len(batch.notebooks) and not failed.is_set():
                    steps.append(iter(batch_done(batch) or ()))
            if steps and not failed.is_set():
                take_a_step()
    except BaseException:  # Ctrl-C, SIGTERM or a failed step: start nothing, stop the kernels
        failed.set()
        with reporting:
            stopping.set()
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
        raise failures[min(failures)]
    for batch in batches:
        if not batch.notebooks:  # nothing to run: done at once
            for _ in batch_done(batch) or ():
                pass
    return [
        {nb.stem: durations[index][nb.stem] for nb in batch.notebooks}
        for index, batch in enumerate(batches)
    ]


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
