"""Run one notebook with papermill on a fresh kernel of this interpreter."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gealc_analysis.build.kernel import KERNEL_NAME, this_interpreter_kernel_manager

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
    """Run ``notebook`` with papermill on a fresh kernel of this interpreter, saving the run
    to ``executed``; nbclient starts the kernel and shuts it down after the last cell.

    The kernel starts in the notebook's folder. That is passed to nbclient (``resources``),
    not as papermill's ``cwd=``, which would ``chdir`` this whole process and race between
    notebooks running in threads. A cell running longer than ``cell_timeout`` seconds raises
    nbclient's ``CellTimeoutError`` (None: no limit); see :func:`running_cell`.
    """
    import papermill

    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            papermill.execute_notebook(
                str(notebook),
                str(executed),
                parameters=dict(parameters),
                kernel_name=KERNEL_NAME,
                language="python",
                progress_bar=False,
                execution_timeout=cell_timeout,
                kernel_manager_class=this_interpreter_kernel_manager(),
                resources={"metadata": {"path": str(notebook.parent)}},
            )
            return
        except RuntimeError as error:
            if attempt == KERNEL_START_ATTEMPTS or KERNEL_START_FAILURE not in str(error):
                raise


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
