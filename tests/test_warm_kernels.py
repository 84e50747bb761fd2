"""Warm kernels (started and the package imported before a notebook is given to them) run a
notebook exactly as a fresh kernel does, and an executed notebook has the same bytes on every
run (no clock, no run paths): issue 19 item 4, issue 20 item 10.

Each test runs the small fixture notebook ``01_simple`` (a figure, a table, printed state) a
few times on real kernels: slow, but a few seconds, not a report build.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from gealc_analysis.build import execute, kernel

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"

pytestmark = pytest.mark.slow


def run_fixture(tmp_path: Path, run: str, pool: kernel.WarmKernels | None) -> Path:
    """Run ``01_simple`` (copied into ``tmp_path/notebooks``) into ``tmp_path/<run>/``, as a
    build runs it into a staging folder of a new name each time; the executed notebook."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir(exist_ok=True)
    notebook = Path(shutil.copy(FIXTURES / "01_simple.ipynb", notebooks / "01_simple.ipynb"))
    output = tmp_path / run / "01_simple"
    for sub in ("figures", "tables"):
        (output / sub).mkdir(parents=True)
    executed = tmp_path / run / "notebooks" / "01_simple.ipynb"
    executed.parent.mkdir()
    with kernel.warm_kernels_for_this_thread(pool):
        execute.execute_notebook(notebook, executed, {"output_dir": str(output), "lang": "es"})
    return executed


def test_a_warm_kernel_writes_the_bytes_a_fresh_kernel_writes(tmp_path: Path) -> None:
    fresh = run_fixture(tmp_path, "fresh", None)
    pool = kernel.WarmKernels(tmp_path / "notebooks", count=1)
    try:
        warm = run_fixture(tmp_path, "warm", pool)
    finally:
        pool.close()
    assert pool.left == 0, "the notebook did not run on the pool's kernel"
    assert "ANSWER=42" in warm.read_text(encoding="utf-8")
    assert warm.read_bytes() == fresh.read_bytes()


def test_two_runs_write_the_same_executed_notebook(tmp_path: Path) -> None:
    first = run_fixture(tmp_path, "first", None)
    second = run_fixture(tmp_path, "second", None)
    assert first.read_bytes() == second.read_bytes()
    nb = nbformat.read(first, as_version=4)
    recorded = [nb.metadata.papermill, *(cell.metadata.get("papermill", {}) for cell in nb.cells)]
    assert not [key for record in recorded for key in record if key in execute.RUN_TIMINGS]
    assert not [cell for cell in nb.cells if "execution" in cell.metadata]
    assert nb.metadata.papermill.parameters["lang"] == "es"  # what ran is still recorded
    # The outputs' folder as published beside the executed copy, not the run's folder.
    assert nb.metadata.papermill.parameters["output_dir"] == "../01_simple"
    assert str(tmp_path / "first") not in first.read_text(encoding="utf-8")


def test_a_pool_starts_no_kernel_until_asked_and_none_beyond_its_count(tmp_path: Path) -> None:
    idle = kernel.WarmKernels(tmp_path, count=3, ahead=2)
    idle.close()
    assert idle.left == 3  # never asked: nothing started
    pool = kernel.WarmKernels(tmp_path, count=1, ahead=2)
    try:
        manager = pool.take()
        assert manager.has_kernel
        assert pool.left == 0
        kernel.shutdown_kernel(manager)
        assert not manager.has_kernel
        assert pool.take() is None  # its count is used up: the notebook gets a fresh kernel
    finally:
        pool.close()


def test_a_kernel_handed_back_is_shut_down_by_the_time_the_pool_is_closed(
    tmp_path: Path,
) -> None:
    """A used kernel exits in the background (the next notebook does not wait for it), and
    closing the pool waits for it: no build ends with one of its kernels running."""
    pool = kernel.WarmKernels(tmp_path, count=1)
    try:
        manager = pool.take()
        assert manager.has_kernel
        pool.release(manager)
    finally:
        pool.close()
    assert not manager.has_kernel
    assert manager not in kernel._RUNNING
