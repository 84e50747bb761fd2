"""Warm kernels (started and the package imported before a notebook is given to them) run a
notebook exactly as a fresh kernel does, and an executed notebook has the same bytes on every
run (no clock, no run paths): issue 19 item 4, issue 20 item 10.

The small fixture notebook ``01_simple`` (a figure, a table, printed state) runs twice on real
kernels, once for the whole module: on a fresh kernel spawned the ordinary way (``python -m
ipykernel_launcher``), then on the one kernel of a pool, forked from the kernel zygote
(``build/zygote.py``) and warmed (``runs``); the tests read those two runs and the pool. Equal
bytes prove both the warm start and the fork change nothing. Slow, but a few seconds, not a report
build.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest

from gealc_analysis.build import execute, kernel, zygote

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


@dataclass
class Runs:
    fresh: Path  # 01_simple's executed copy, run on a fresh kernel into fresh/
    warm: Path  # the same notebook run afterwards on the pool's kernel, into warm/
    pool: kernel.WarmKernels  # count=1, ahead=2; closed
    taken: list[Any]  # the kernel managers the pool handed out
    had_kernel: list[bool]  # whether each had a running kernel when handed out
    forked: list[bool]  # whether each was forked from the zygote
    left_after_run: int  # kernels the pool could still start after the warm run
    taken_after_count: Any  # what take() gave once its one kernel was used


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """A fresh run, then a warm run from a pool of one kernel (``ahead=2``: it may never
    start more than its count), a take() once the count is used, and the pool closed."""
    tmp_path = tmp_path_factory.mktemp("warm")
    with pytest.MonkeyPatch.context() as spawned:  # the ordinary way: no zygote
        spawned.setattr(zygote, "ENABLED", False)
        fresh = run_fixture(tmp_path, "fresh", None)
    pool = kernel.WarmKernels(tmp_path / "notebooks", count=1, ahead=2)
    taken: list[Any] = []
    had_kernel: list[bool] = []
    forked: list[bool] = []
    take = pool.take

    def recording_take() -> Any:
        manager = take()
        taken.append(manager)
        had_kernel.append(manager is not None and manager.has_kernel)
        process = getattr(getattr(manager, "provisioner", None), "process", None)
        forked.append(isinstance(process, zygote.ForkedKernel))
        return manager

    pool.take = recording_take  # type: ignore[method-assign]
    try:
        warm = run_fixture(tmp_path, "warm", pool)
        left = pool.left
        after_count = take()
    finally:
        pool.close()
    return Runs(fresh, warm, pool, taken, had_kernel, forked, left, after_count)


def test_a_warm_kernel_writes_the_bytes_a_fresh_kernel_writes(runs: Runs) -> None:
    """The warm run is also a second run, later and into another folder than the fresh one:
    equal bytes mean no clock and no run folder is in them either (the next test's checks)."""
    assert runs.left_after_run == 0, "the notebook did not run on the pool's kernel"
    assert runs.had_kernel == [True], "the notebook did not run on the pool's kernel"
    assert runs.forked == [True], "the pool's kernel was not forked from the zygote"
    assert "ANSWER=42" in runs.warm.read_text(encoding="utf-8")
    assert runs.warm.read_bytes() == runs.fresh.read_bytes()


def test_two_runs_write_the_same_executed_notebook(runs: Runs) -> None:
    first, second = runs.fresh, runs.warm
    assert first.read_bytes() == second.read_bytes()
    nb = nbformat.read(first, as_version=4)
    recorded = [nb.metadata.papermill, *(cell.metadata.get("papermill", {}) for cell in nb.cells)]
    assert not [key for record in recorded for key in record if key in execute.RUN_TIMINGS]
    assert not [cell for cell in nb.cells if "execution" in cell.metadata]
    assert nb.metadata.papermill.parameters["lang"] == "es"  # what ran is still recorded
    # The outputs' folder as published beside the executed copy, not the run's folder.
    assert nb.metadata.papermill.parameters["output_dir"] == "../01_simple"
    for executed in (first, second):
        run_folder = executed.parent.parent
        assert str(run_folder) not in executed.read_text(encoding="utf-8")


def test_a_pool_starts_no_kernel_until_asked_and_none_beyond_its_count(
    tmp_path: Path, runs: Runs
) -> None:
    idle = kernel.WarmKernels(tmp_path, count=3, ahead=2)
    idle.close()
    assert idle.left == 3  # never asked: nothing started
    # The module's pool (count=1, ahead=2) handed out one running kernel, started no other,
    # and gave None once its count was used: the notebook then gets a fresh kernel.
    assert runs.had_kernel == [True]
    assert runs.left_after_run == 0
    assert runs.taken_after_count is None


def test_a_kernel_handed_back_is_shut_down_by_the_time_the_pool_is_closed(runs: Runs) -> None:
    """A used kernel exits in the background (the next notebook does not wait for it), and
    closing the pool waits for it: no build ends with one of its kernels running. The warm
    run handed its kernel back (``release_kernel``) as a build's run does."""
    (manager,) = runs.taken
    assert not manager.has_kernel
    assert manager not in kernel._RUNNING
