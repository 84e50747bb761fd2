"""The notebook queue of a build (``build.run.run_batches``): the jobs never wait for the
build's thread, which writes pages meanwhile.

Each test makes a step wait for a notebook to start: with a queue the build's thread fed
between its steps, that notebook could only start after the step, and the run would stop
at the step's timeout instead of finishing. The executor is the fake one (no kernel)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import notebooks_folder
from fakes import FakeExecutor

from gealc_analysis.build.errors import BuildError
from gealc_analysis.build.run import Batch, run_batches

WAIT = 10.0  # seconds a step waits for a notebook to start before the test fails


class Starts:
    """The fake executor, with an event per notebook set as its run starts."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.events: dict[tuple[str, str], threading.Event] = {}
        self.executor = FakeExecutor().install(monkeypatch)
        real = self.executor.__call__

        def starting(notebook: Path, executed: Path, parameters, cell_timeout=None) -> None:
            self.event(str(parameters["lang"]), notebook.stem).set()
            real(notebook, executed, parameters, cell_timeout)

        monkeypatch.setattr("gealc_analysis.build.execute.execute_notebook", starting, raising=True)

    def event(self, lang: str, stem: str) -> threading.Event:
        return self.events.setdefault((lang, stem), threading.Event())

    def wait(self, lang: str, stem: str) -> Iterator[None]:
        """A step that returns once ``lang``'s ``stem`` started (fails after WAIT s)."""
        assert self.event(lang, stem).wait(WAIT), f"{lang}/{stem} waited for the build's thread"
        yield


def batches(tmp_path: Path, per_language: dict[str, list[str]]) -> list[Batch]:
    notebooks = notebooks_folder(tmp_path, "01_simple", "02_second", "01_simple:03_third")
    return [
        Batch(
            lang=lang,
            notebooks=[notebooks / f"{stem}.ipynb" for stem in stems],
            staging=tmp_path / "staging" / lang,
            parameters={"lang": lang},
            progress=lambda message: None,
        )
        for lang, stems in per_language.items()
    ]


def test_a_notebook_that_finishes_during_a_step_is_followed_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """en's pages (one step) wait for es's second notebook: es's first must finish and its
    job take the next one while the step is still running."""
    starts = Starts(monkeypatch)
    queue = batches(tmp_path, {"en": ["01_simple"], "es": ["02_second", "03_third"]})

    def pages(batch: Batch) -> Iterator[None] | None:
        return starts.wait("es", "03_third") if batch.lang == "en" else None

    ran = run_batches(queue, jobs=1, batch_done=pages)

    assert [list(seconds) for seconds in ran] == [["01_simple"], ["02_second", "03_third"]]


def test_what_no_notebook_makes_is_written_while_the_first_notebooks_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The steps taken meanwhile wait for the second notebook to start: the first ran while
    they were taken, and the job went on to the next."""
    starts = Starts(monkeypatch)
    queue = batches(tmp_path, {"en": ["01_simple", "02_second"]})
    taken: list[str] = []

    def meanwhile() -> Iterator[None]:
        yield from starts.wait("en", "02_second")
        taken.append("landing page")

    run_batches(queue, jobs=1, meanwhile=meanwhile())

    assert taken == ["landing page"]  # every step is taken before the run returns


def test_a_stop_recorded_while_a_notebook_runs_starts_no_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A job that finished its notebook checks for a stop before it takes the next."""
    from gealc_analysis.build import kernel

    starts = Starts(monkeypatch)
    real = starts.executor.__call__

    def stop_during_the_first(notebook: Path, executed: Path, parameters, timeout=None) -> None:
        real(notebook, executed, parameters, timeout)
        kernel.request_stop(KeyboardInterrupt("SIGTERM"))

    monkeypatch.setattr("gealc_analysis.build.execute.execute_notebook", stop_during_the_first)
    queue = batches(tmp_path, {"en": ["01_simple", "02_second"]})
    try:
        with pytest.raises(KeyboardInterrupt):
            run_batches(queue, jobs=1)
    finally:
        kernel.allow_kernels()  # the stop was this test's only
    assert [stem for stem, _lang in starts.executor.runs] == ["01_simple"]


@pytest.mark.parametrize("stop", [BuildError("the brief does not fit"), KeyboardInterrupt()])
def test_notebooks_the_build_stops_are_not_reported_as_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: BaseException
) -> None:
    """A step that fails (a brief that does not fit) or a signal stops the build while a
    notebook runs: its kernel is killed, which is not the notebook failing."""
    from gealc_analysis.build import kernel

    executor = FakeExecutor(hang={"01_simple"}).install(monkeypatch)
    said: list[str] = []
    queue = [
        Batch(
            lang="en",
            notebooks=[notebooks_folder(tmp_path, "01_simple", "02_second") / "01_simple.ipynb"],
            staging=tmp_path / "staging" / "en",
            parameters={"lang": "en"},
            progress=said.append,
        )
    ]

    def meanwhile() -> Iterator[None]:
        assert executor.hanging.wait(WAIT)
        yield
        raise stop

    try:
        with pytest.raises(type(stop)):
            run_batches(queue, jobs=1, cell_timeout=60, meanwhile=meanwhile())
    finally:
        kernel.allow_kernels()  # the stop was this test's only
    assert said == []
