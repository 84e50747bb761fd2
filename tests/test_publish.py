"""The end of a build: the swap that publishes a report, stopped at every point, and the
lock beside the output folder (issue 20, items 6 and 8).

The swap is exercised on small marked folders, not a real build: every file-system step it
takes (each rename, each file or folder deleted) is made to raise ``KeyboardInterrupt`` in
turn, as a signal landing there would, and a real SIGTERM is sent at every rename too. Each
time the stop message (``build.errors.report_state``) must name the report that is really in
place, and the next build's clean-up must leave nothing but that report.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from gealc_analysis.build import folders, publish
from gealc_analysis.build.errors import REPORT_UNCHANGED, BuildError, note_published, report_state

OLD = {"index.html": b"old report", "en/index.html": b"old en", "en/brief.pdf": b"%PDF old"}
NEW = {"index.html": b"new report", "en/index.html": b"new en", "es/index.html": b"new es"}


@pytest.fixture(autouse=True)
def nothing_published() -> Iterator[None]:
    """What a swap records for a later stop is process state: no test leaves it to another."""
    yield
    note_published(None)


def make_report(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir()
    folders.mark(folder)
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def contents(folder: Path) -> dict[str, bytes]:
    """The report's files (the marker aside)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != folders.MARKER_FILE
    }


def dead_pid() -> int:
    """A process id no running process has (a child that has exited and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


STEPS = ("rename", "unlink", "rmdir")


@contextmanager
def stopped_at(step: int, after: bool = False) -> Iterator[list[str]]:
    """``KeyboardInterrupt`` at the ``step``-th file-system step (1-based) of the block,
    before it is taken (or just ``after``); yields the steps taken, by name."""
    taken: list[str] = []
    originals = {name: getattr(os, name) for name in STEPS}

    def counted(name: str) -> Callable[..., None]:
        def step_of_the_swap(*args: object, **kwargs: object) -> None:
            taken.append(name)
            if len(taken) == step and not after:
                raise KeyboardInterrupt
            originals[name](*args, **kwargs)
            if len(taken) == step and after:
                raise KeyboardInterrupt

        return step_of_the_swap

    for name in STEPS:
        setattr(os, name, counted(name))
    try:
        yield taken
    finally:
        for name, original in originals.items():
            setattr(os, name, original)


def swap_stopped(tmp_path: Path, step: int, after: bool) -> tuple[str | None, list[str]]:
    """Swap a new report over an old one, stopped at ``step``, under a dead build's pid;
    return the stop message's report state (None: the swap ran to its end) and the steps."""
    out = make_report(tmp_path / "report", OLD)
    staging = make_report(tmp_path / "report.partial-1", NEW)
    pid = dead_pid()
    real_getpid = os.getpid
    os.getpid = lambda: pid  # the leftovers are named after a build that then died
    try:
        with stopped_at(step, after) as taken:
            publish.swap_into_place(staging, out)
    except KeyboardInterrupt as stop:
        return report_state(stop), taken
    finally:
        os.getpid = real_getpid
    return None, taken


def beside(tmp_path: Path) -> list[str]:
    return sorted(path.name for path in tmp_path.iterdir())


@pytest.mark.parametrize("after", [False, True], ids=["before-step", "after-step"])
def test_a_swap_stopped_at_any_step_says_truly_which_report_is_in_place(
    tmp_path: Path, after: bool
) -> None:
    """Every step of the swap in turn (until a run passes them all): the message matches the
    tree, and the next build's clean-up leaves exactly that report, no ``.old-``, ``.trash-``
    or ``.partial-`` folder, half-deleted or not."""
    states = set()
    step = 0
    while True:
        step += 1
        case = tmp_path / f"{step}"
        case.mkdir()
        state, taken = swap_stopped(case, step, after)
        if state is None:
            assert len(taken) < step  # the swap took fewer steps: every one was stopped
            break
        out = case / "report"
        states.add(state.split(" at ")[0].split(" to ")[0])
        if state == REPORT_UNCHANGED:
            assert contents(out) == OLD, (step, taken)
        elif state == f"the new report is in place at {out}":
            assert contents(out) == NEW, (step, taken)
        else:
            moved = next(case.glob("report.old-*"))
            assert state.startswith(f"the last report was moved aside to {moved}"), state
            assert not out.exists() and contents(moved) == OLD
        messages: list[str] = []
        folders.clean_leftovers(out, messages.append)
        assert beside(case) == ["report"], (step, state, messages)
        expected = NEW if "new report" in state else OLD
        assert contents(out) == expected, (step, state, messages)
    assert {REPORT_UNCHANGED, "the new report is in place"} <= states
    assert step > 4  # the renames and the deletion of the replaced report were all reached


def test_a_swap_that_cannot_put_the_last_report_back_says_where_it_is(tmp_path: Path) -> None:
    """The new report cannot be renamed in, nor the old one back: the message says where
    the last report is, and the next build restores it."""
    out = make_report(tmp_path / "report", OLD)
    staging = make_report(tmp_path / "report.partial-1", NEW)
    pid, real_getpid, real_rename = dead_pid(), os.getpid, os.rename
    calls: list[tuple[str, str]] = []

    def rename(source: str, target: str) -> None:
        calls.append((Path(source).name, Path(target).name))
        if len(calls) > 1:
            raise OSError(28, "No space left on device", str(source))
        real_rename(source, target)

    os.getpid, os.rename = (lambda: pid), rename
    try:
        with pytest.raises(OSError) as raised:
            publish.swap_into_place(staging, out)
    finally:
        os.getpid, os.rename = real_getpid, real_rename
    moved = tmp_path / f"report.old-{pid}"
    assert report_state(raised.value) == (
        f"the last report was moved aside to {moved}; the next build into {out} puts it back"
    )
    assert beside(tmp_path) == [moved.name]  # the unpublished staging folder is gone
    messages: list[str] = []
    folders.clean_leftovers(out, messages.append)
    assert contents(out) == OLD and beside(tmp_path) == ["report"]
    assert messages[0].startswith(f"Restored {out} from {moved.name}")


@pytest.mark.parametrize("at_rename", [1, 2, 3])
def test_a_real_sigterm_during_the_renames_waits_for_them_and_is_told_truly(
    tmp_path: Path, at_rename: int
) -> None:
    """SIGTERM sent to this process while each rename runs: the renames are held whole (the
    signal acts after them, before the replaced report is deleted), so the new report is in
    place and the message says so."""
    out = make_report(tmp_path / "report", OLD)
    staging = make_report(tmp_path / "report.partial-1", NEW)
    real_rename = os.rename
    renames: list[str] = []

    def rename(source: str, target: str) -> None:
        renames.append(Path(target).name)
        if len(renames) == at_rename:
            os.kill(os.getpid(), signal.SIGTERM)
        real_rename(source, target)

    def stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = signal.signal(signal.SIGTERM, stop)
    os.rename = rename
    try:
        with pytest.raises(KeyboardInterrupt) as raised:
            publish.swap_into_place(staging, out)
    finally:
        os.rename = real_rename
        signal.signal(signal.SIGTERM, previous)
    assert len(renames) == 3  # out aside, staging in, the old report to the trash
    assert report_state(raised.value) == f"the new report is in place at {out}"
    assert contents(out) == NEW
    # the replaced report is left, marked, to the next build (the stop is not delayed by it)
    trash = tmp_path / f"report.trash-{os.getpid()}"
    assert beside(tmp_path) == ["report", trash.name]
    assert (trash / folders.MARKER_FILE).is_file()


def test_the_stop_message_of_the_cli_is_the_recorded_state(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from gealc_analysis import cli

    def stopped_after_publishing() -> int:
        stop = KeyboardInterrupt("SIGTERM")
        stop.report_state = "the new report is in place at /r"  # type: ignore[attr-defined]
        stop.name, stop.exit_code = "SIGTERM", 143  # type: ignore[attr-defined]
        raise stop

    assert cli._guarded("build", stopped_after_publishing) == 143
    assert capsys.readouterr().err == (
        "gealc-report build: stopped by SIGTERM; the new report is in place at /r\n"
    )


# --------------------------------------------------------------------------- the lock


def test_the_lock_file_is_removed_when_the_build_ends(tmp_path: Path) -> None:
    out = tmp_path / "report"
    with folders.build_lock(out, timeout=0):
        assert folders.lock_path(out).is_file()
    assert beside(tmp_path) == []
    with pytest.raises(RuntimeError), folders.build_lock(out, timeout=0):
        raise RuntimeError("a failed build")
    assert beside(tmp_path) == []


def test_a_build_that_locked_a_removed_lock_file_takes_the_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Removing the lock never lets two builds in: a build that opened the lock file just
    before its holder removed it locks a removed file; it sees that, and tries the file now
    at the path, which a third build holds."""
    out = tmp_path / "report"
    path = folders.lock_path(out)
    with folders.build_lock(out, timeout=0):
        opened_before_removal = os.open(path, os.O_RDWR)
    real_open = os.open
    opens: list[int] = []

    def open_first_the_old_file(*args: object, **kwargs: object) -> int:
        opens.append(1)
        return opened_before_removal if len(opens) == 1 else real_open(*args, **kwargs)

    with folders.build_lock(out, timeout=0):  # the third build, on the new file
        monkeypatch.setattr(os, "open", open_first_the_old_file)
        assert folders._try_lock(path) is None  # noqa: SLF001 - the step under test
        monkeypatch.setattr(os, "open", real_open)
    assert len(opens) == 2 and beside(tmp_path) == []


def test_a_waiting_build_gets_the_lock_when_the_first_ends(tmp_path: Path) -> None:
    out = tmp_path / "report"
    said: list[str] = []
    release = threading.Event()
    got_it = threading.Event()

    def waiter() -> None:
        with folders.build_lock(out, timeout=30, progress=said.append):
            got_it.set()

    with folders.build_lock(out, timeout=0):
        thread = threading.Thread(target=waiter)
        thread.start()
        while not said and thread.is_alive():  # until it says it waits
            release.wait(0.01)
        assert not got_it.is_set()
    thread.join(30)
    assert got_it.is_set()
    assert said == [f"Another build is writing {out}; waiting for it to finish (at most 30 s) …"]
    assert beside(tmp_path) == []


def test_the_wait_is_said_in_the_seconds_given(tmp_path: Path) -> None:
    out = tmp_path / "report"
    said: list[str] = []
    with folders.build_lock(out, timeout=0):
        with pytest.raises(BuildError, match=r"for more than 0\.3 s"):
            with folders.build_lock(out, timeout=0.3, progress=said.append):
                pass
    assert said == [f"Another build is writing {out}; waiting for it to finish (at most 0.3 s) …"]


def test_a_half_deleted_replaced_report_keeps_its_marker_and_is_finished_next_time(
    tmp_path: Path,
) -> None:
    out = make_report(tmp_path / "report", NEW)
    trash = make_report(tmp_path / f"report.trash-{dead_pid()}", OLD)
    with stopped_at(2):
        with pytest.raises(KeyboardInterrupt):
            folders.remove_marked_tree(trash)
    assert (trash / folders.MARKER_FILE).is_file()
    messages: list[str] = []
    folders.clean_leftovers(out, messages.append)
    assert beside(tmp_path) == ["report"] and contents(out) == NEW
    assert messages == [f"Removed {trash.name}, left by a build that died (pid {trash.name[13:]})"]


def test_a_stop_after_the_swap_says_the_new_report_is_in_place(tmp_path: Path) -> None:
    """A signal that lands after the swap (the lock released, the last lines printed) is
    told truly too; the next build starts from "unchanged" again."""
    out = make_report(tmp_path / "report", OLD)
    with folders.build_lock(out, timeout=0):
        publish.swap_into_place(make_report(tmp_path / "report.partial-1", NEW), out)
    assert report_state(KeyboardInterrupt()) == f"the new report is in place at {out}"
    with folders.build_lock(out, timeout=0):
        assert report_state(KeyboardInterrupt()) == REPORT_UNCHANGED
