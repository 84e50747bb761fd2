"""Run one notebook with papermill on a kernel of its own (fresh, or warm from the build's
pool: :class:`~gealc_analysis.build.kernel.WarmKernels`), and save the executed notebook
with the same bytes on every run."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gealc_analysis.build.kernel import (
    KERNEL_NAME,
    release_kernel,
    shutdown_kernel,
    this_interpreter_kernel_manager,
    warm_kernel,
)
from gealc_analysis.build.render import INJECTED_TAG  # papermill's tag of the cell it inserts

# A kernel can die before its first reply when two kernels on the machine race for the same
# port (seen with two builds at once); no cell has run yet, so starting it again is safe.
KERNEL_START_FAILURE = "Kernel died before replying to kernel_info"
KERNEL_START_ATTEMPTS = 2
# Seconds one cell may run before the build gives up on it (``--cell-timeout``).
DEFAULT_CELL_TIMEOUT = 600.0


def execute_notebook(
    notebook: Path,
    executed: Path,
    parameters: Mapping[str, Any],
    cell_timeout: float | None = DEFAULT_CELL_TIMEOUT,
) -> None:
    """Run ``notebook`` with papermill on a kernel of this interpreter of its own, saving the
    run to ``executed`` (timings stripped: :func:`without_timings`).

    The kernel is a warm one when the build's runner offers a pool for this thread
    (:func:`~gealc_analysis.build.kernel.warm_kernel`; handed back after the last cell, to be
    shut down in the background: :func:`~gealc_analysis.build.kernel.release_kernel`),
    else nbclient starts a fresh one and shuts it down. Either starts in the notebook's folder:
    a warm kernel is started there, a fresh kernel's folder is passed to nbclient
    (``resources``), never as papermill's ``cwd=``, which would ``chdir`` this whole process
    and race between notebooks running in threads. A cell running longer than
    ``cell_timeout`` seconds raises nbclient's ``CellTimeoutError`` (None: no limit); see
    :func:`running_cell`.
    """
    import nbformat
    import papermill

    from gealc_analysis.core.outputs import write_text_atomically

    run = None
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        manager = None
        try:
            manager = warm_kernel(notebook.parent) if attempt == 1 else None
            run = papermill.execute_notebook(
                str(notebook),
                str(executed),
                parameters=dict(parameters),
                kernel_name=KERNEL_NAME,
                language="python",
                progress_bar=False,
                execution_timeout=cell_timeout,
                kernel_manager_class=this_interpreter_kernel_manager(),
                engine_name=saved_once_engine(),
                resources={"metadata": {"path": str(notebook.parent)}},
                km=manager,
                record_timing=False,
                # a kernel nbclient starts itself is killed, as ``shutdown_kernel`` ends the
                # build's own (its docstring says why)
                shutdown_kernel="immediate",
            )
            break
        except RuntimeError as error:
            if attempt == KERNEL_START_ATTEMPTS or KERNEL_START_FAILURE not in str(error):
                raise
        finally:
            if manager is not None and run is not None:
                release_kernel(manager)  # shut down in the background
            elif manager is not None:
                # A failed run is shut down here, on this thread's event loop, which lets
                # nbclient's output poll of the stopped cell end (else it is left pending).
                shutdown_kernel(manager)
    output_dir = parameters.get("output_dir")
    moved = {str(output_dir): os.path.relpath(output_dir, executed.parent)} if output_dir else {}
    if run is not None:  # papermill returns the notebook it wrote (a stand-in may not)
        write_text_atomically(executed, nbformat.writes(without_timings(run, moved)))


# The build's warm kernels are for executors that run notebooks on kernels (this one); a
# stand-in executor (the tests' fake) has no such mark, and a build then starts no kernel.
execute_notebook.runs_on_kernels = True  # type: ignore[attr-defined]

ENGINE_NAME = "gealc-report-saved-once"


@functools.cache
def saved_once_engine() -> str:
    """The name of papermill's nbclient engine, registered once, that writes the executed
    notebook when the run ends (however it ends), not before and after every cell.

    papermill saves the whole notebook, validated and serialised, at each cell's start and
    end (about 50 writes of a growing notebook, nearly a second a section) so a person can
    watch a long run; the build reads the file only once the run is over. The write at the
    end stays (papermill's ``notebook_complete``, in a ``finally``), so a run that failed or
    timed out still leaves its executed copy, with the start time of the cell that hung
    (:func:`running_cell`).
    """
    from papermill.engines import NBClientEngine, papermill_engines

    class SavedOnceEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
            nb_man.save = _no_save  # the instance's: notebook_complete saves after this
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            finally:
                del nb_man.save

    papermill_engines.register(ENGINE_NAME, SavedOnceEngine)
    return ENGINE_NAME


def _no_save(**_: Any) -> None:
    return None


# What papermill records of when and where a run happened: the clock, and the paths of the
# run's files (the build's staging folder has a new name each build), and the random id it
# gives the cell it inserts (renamed after its tag: :data:`INJECTED_TAG`). Dropped from a
# successful run's executed notebook, so two builds of the same commit write the same bytes;
# a failed run keeps them (``running_cell`` reads the start times to name the cell that hung).
RUN_TIMINGS: tuple[str, ...] = ("start_time", "end_time", "duration")
RUN_PATHS: tuple[str, ...] = ("input_path", "output_path")


def without_timings(nb: Any, moved: Mapping[str, str] | None = None) -> Any:
    """``nb`` (an executed notebook) without papermill's times and run paths, with a fixed id
    for the injected cell, and each parameter value that is a key of ``moved`` (the staging
    folder's output path) replaced by its value (that path relative to the executed copy,
    where the outputs are once published) in the recorded parameters and the injected cell;
    in place."""
    moved = dict(moved or {})
    record = nb.metadata.get("papermill", {})
    for key in (*RUN_TIMINGS, *RUN_PATHS):
        record.pop(key, None)
    parameters = record.get("parameters", {})
    for name, value in list(parameters.items()):
        if isinstance(value, str) and value in moved:
            parameters[name] = moved[value]
    for cell in nb.cells:
        if INJECTED_TAG in cell.metadata.get("tags", ()):
            cell["id"] = INJECTED_TAG
            for old, new in moved.items():
                cell.source = cell.source.replace(f'"{old}"', f'"{new}"')
        for key in RUN_TIMINGS:
            cell.metadata.get("papermill", {}).pop(key, None)
        cell.metadata.pop("execution", None)  # nbclient's timings (also off: record_timing)
    return nb


def running_cell(executed: Path) -> str | None:
    """Where a run stopped: the last cell papermill started in the executed notebook, as
    'cell #<index> ("<its first line>")', or None if it started none.

    Indexes count the executed copy's cells (papermill inserts one after ``parameters``).
    """
    import nbformat

    try:
        nb = nbformat.read(executed, as_version=4)
    except (OSError, ValueError):
        return None
    started = [
        index
        for index, cell in enumerate(nb.cells)
        if cell.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    if not started:
        return None
    lines = [line.strip() for line in nb.cells[started[-1]].source.splitlines() if line.strip()]
    first = f' ("{lines[0][:60]}")' if lines else ""
    return f"cell #{started[-1]}{first}"
