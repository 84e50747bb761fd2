"""Run one notebook with papermill on this interpreter's kernel."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gealc_analysis.build.kernel import KERNEL_NAME, this_interpreter_kernel_manager

# A kernel can die before its first reply when two kernels on the machine race for the same
# port (seen with two builds at once); no cell has run yet, so starting it again is safe.
KERNEL_START_FAILURE = "Kernel died before replying to kernel_info"
KERNEL_START_ATTEMPTS = 2


def execute_notebook(notebook: Path, executed: Path, parameters: Mapping[str, Any]) -> None:
    """Run ``notebook`` with papermill on this interpreter, saving the run to ``executed``.

    The kernel starts in the notebook's folder. That is passed to nbclient (``resources``),
    not as papermill's ``cwd=``, which would ``chdir`` this whole process and race between
    notebooks running in threads.
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
                kernel_manager_class=this_interpreter_kernel_manager(),
                resources={"metadata": {"path": str(notebook.parent)}},
            )
            return
        except RuntimeError as error:
            if attempt == KERNEL_START_ATTEMPTS or KERNEL_START_FAILURE not in str(error):
                raise
