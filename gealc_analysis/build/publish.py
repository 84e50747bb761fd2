"""Publishing a build: a staging folder beside the report, swapped in only on success.

The report is built in a staging folder beside the output and swapped in only when every
notebook ran, so a failed build never damages the last good report; the failed staging
folder is kept as ``<out>.failed`` so the executed notebook and its traceback can be read.
Every folder made here carries the build's marker (see :mod:`.folders`).
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from gealc_analysis.build.errors import REPORT_UNCHANGED, BuildError, note_published
from gealc_analysis.build.folders import (
    MARKER_FILE,
    check_replaceable,
    is_ours,
    mark,
    remove_marked_tree,
)

__all__ = ["check_replaceable", "failed_dir", "keep_failed", "staging_dir", "swap_into_place"]


def staging_name(out_dir: Path) -> Path:
    """This process's staging folder for ``out_dir``."""
    return out_dir.with_name(f"{out_dir.name}.partial-{os.getpid()}")


def staging_dir(out_dir: Path, seed_from_report: bool) -> Path:
    """A fresh, marked staging folder beside ``out_dir`` (same filesystem: atomic renames)."""
    staging = staging_name(out_dir)
    shutil.rmtree(staging, ignore_errors=True)
    try:
        if seed_from_report and out_dir.is_dir():
            shutil.copytree(out_dir, staging, symlinks=True)
        else:
            staging.mkdir(parents=True)
        mark(staging)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(
            f"cannot create the build folder {staging}: {error.strerror or error}; "
            "choose an --out in a folder you can write to"
        ) from error
    return staging


def discard(staging: Path) -> None:
    """Delete a staging folder (an interrupted build leaves nothing behind), its marker last
    so a deletion cut short is finished by the next build."""
    try:
        remove_marked_tree(staging)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)


def failed_dir(out_dir: Path) -> Path:
    """Where the staging folder of the last failed build is kept."""
    return out_dir.with_name(f"{out_dir.name}.failed")


def keep_failed(staging: Path, out_dir: Path) -> Path:
    """Move a failed build's staging folder to :func:`failed_dir`, replacing an older one.

    An older ``.failed`` folder is replaced only if a build made it (it has the marker);
    otherwise the failed build is kept under its staging name and the message says so.
    """
    failed = failed_dir(out_dir)
    if failed.exists() and not is_ours(failed):
        return staging
    shutil.rmtree(failed, ignore_errors=True)
    staging.rename(failed)
    return failed


def aside_name(out_dir: Path, kind: str) -> Path:
    """This process's ``<out>.<kind>-<pid>`` beside ``out_dir``: ``old`` (the last report
    moved aside while the new one is renamed in) or ``trash`` (the replaced report, being
    deleted); :func:`.folders.clean_leftovers` finishes what a build that died left."""
    return out_dir.with_name(f"{out_dir.name}.{kind}-{os.getpid()}")


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends, then act on the first one that came.

    The renames of a swap are not to be cut in two, and a stopped build must say truly which
    report is in place. Python runs a signal's handler between two steps of the main
    thread, so a handler that only notes the signal makes the block whole; the handler that
    was in place runs after it (:func:`swap_into_place` then records the state on the
    exception). Outside the main thread, handlers cannot be set and nothing is held.
    """
    held: list[int] = []
    previous: dict[int, Any] | None = None
    signums = (signal.SIGINT, signal.SIGTERM)
    try:
        with signal_handlers(dict.fromkeys(signums, lambda n, _f: held.append(n))) as previous:
            yield
    finally:  # the handlers in place before are back: act on the first signal held
        if held and previous is not None:
            handler = previous[signal.Signals(held[0])]
            if callable(handler):
                handler(held[0], None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(held[0])


@contextmanager
def signal_handlers(
    handlers: Mapping[int, Callable[[int, FrameType | None], Any]],
) -> Iterator[dict[int, Any] | None]:
    """Install ``handlers`` (signal number → handler) for the block, then put back the ones
    that were in place; yields those, or None outside the main thread, where Python cannot
    set handlers (nothing is installed then). The one way the build and the command line
    take over Ctrl-C and SIGTERM."""
    try:
        previous = {signum: signal.signal(signum, handler) for signum, handler in handlers.items()}
    except ValueError:  # not the main thread
        yield None
        return
    try:
        yield previous
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def swap_into_place(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging``: the old report is renamed aside, the new one
    renamed in (the old one put back if that fails), then the old one deleted.

    The renames run with SIGINT and SIGTERM held (:func:`signals_deferred`). Whatever stops
    the swap, the exception carries ``report_state`` (``build.errors.report_state``), true
    at that point: the last report unchanged, the new one in place, or the last one moved
    aside (the next build puts it back). A build stopped before the new report is in place
    deletes its staging folder; a replaced report whose deletion is cut short keeps its
    marker until last, so the next build finishes deleting it.
    """
    if not (staging / MARKER_FILE).is_file():  # never publish a folder without the marker
        mark(staging)
    backup, trash = aside_name(out_dir, "old"), aside_name(out_dir, "trash")
    for stale in (backup, trash):  # this pid's, from a build long gone
        shutil.rmtree(stale, ignore_errors=True)
    try:
        with signals_deferred():
            if out_dir.exists():
                os.rename(out_dir, backup)
                os.rename(staging, out_dir)
                os.rename(backup, trash)
            else:
                os.rename(staging, out_dir)
        note_published(f"the new report is in place at {out_dir}")  # for a later stop
        try:
            remove_marked_tree(trash)
        except OSError:  # the new report is in place; the next build deletes the old one
            pass
    except BaseException as error:
        error.report_state = _settle(staging, out_dir, backup)  # type: ignore[attr-defined]
        raise


def _settle(staging: Path, out_dir: Path, backup: Path) -> str:
    """After a swap was stopped: put the last report back if it was moved aside and the new
    one is not in place, delete the staging folder of a build that was not published, and
    say which report is in place (read from the folders) in the words of the stop message."""
    if out_dir.exists() and not staging.exists():
        return f"the new report is in place at {out_dir}"
    if not out_dir.exists() and backup.is_dir():
        try:
            os.rename(backup, out_dir)
        except OSError:
            pass
    discard(staging)
    if out_dir.exists():
        return REPORT_UNCHANGED
    return (
        f"the last report was moved aside to {backup}; the next build into {out_dir} puts it back"
    )
