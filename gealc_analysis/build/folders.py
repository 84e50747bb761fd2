"""Which folders a build may touch, and one build at a time per output folder.

The swap at the end of a build deletes what was in the output folder, so the build only
replaces or writes into folders it made itself: every folder it creates carries a marker file
(:data:`MARKER_FILE`), and a non-empty folder without it is refused. The default ``reports/``
folder of a checkout, which holds only the committed README, counts as ours. An output folder
inside the data or the source tree is refused outright, and so is one that would swallow
them. A lock file beside the output folder (``.<out>.lock``, an ``flock``) makes concurrent
builds into the same folder wait for each other instead of losing an update, and is removed
when the build ends; leftovers of builds that died (``<out>.partial-<pid>``,
``<out>.old-<pid>``, ``<out>.trash-<pid>``) are cleaned at the start of the next build.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from gealc_analysis.build.errors import BuildError, note_published
from gealc_analysis.build.layout import README_FILE
from gealc_analysis.core import paths

MARKER_FILE = ".gealc-report"
MARKER_TEXT = (
    "This folder was written by `gealc-report build`; the next build may replace it.\n"
    "Do not keep your own files here.\n"
)
# Folders of the project no report may be written into (nor swallow).
PROTECTED_DIRS: tuple[Path, ...] = (
    paths.DATA_DIR,
    paths.PROJECT_ROOT / "gealc_analysis",
    paths.NOTEBOOKS_DIR,
    paths.PROJECT_ROOT / "tests",
)
DEFAULT_LOCK_TIMEOUT = 3600.0  # seconds a build waits for another build into the same folder
LOCK_POLL_SECONDS = 0.1  # how often a waiting build tries the lock again


def mark(folder: Path) -> None:
    """Write the marker that says ``folder`` is a build's own."""
    (folder / MARKER_FILE).write_text(MARKER_TEXT, encoding="utf-8")


def is_ours(folder: Path) -> bool:
    """Whether a build may replace ``folder``: missing, empty, marked, or only a README."""
    if not folder.exists():
        return True
    if not folder.is_dir():
        return False
    if (folder / MARKER_FILE).is_file():
        return True
    return {path.name for path in folder.iterdir()} <= {README_FILE}


def check_replaceable(out_dir: Path) -> None:
    """Refuse to replace a folder the build did not make: the swap deletes what was there."""
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"{out_dir} exists and is not a folder; choose another --out")
    if not is_ours(out_dir):
        raise BuildError(
            f"refusing to replace {out_dir}: it is not empty and has no {MARKER_FILE} marker, "
            "so it was not written by gealc-report build (a build replaces the whole folder); "
            "choose another --out, or empty that folder first"
        )


def check_outside_sources(out_dir: Path, *sources: Path) -> None:
    """Refuse an output folder inside the data or source tree, or one that contains them."""
    for source in (*PROTECTED_DIRS, *sources):
        source = Path(source).resolve()
        if out_dir == source or out_dir.is_relative_to(source):
            raise BuildError(
                f"refusing to write the report into {out_dir}: it is inside {source}, which "
                "holds the project's data or code; choose an --out outside it (default: "
                f"{paths.REPORTS_DIR})"
            )
        if source.is_relative_to(out_dir):
            raise BuildError(
                f"refusing to write the report into {out_dir}: replacing it would delete "
                f"{source}; choose an --out that does not contain the data or the code"
            )


def lock_path(out_dir: Path) -> Path:
    """The lock file of an output folder: beside it, since the folder itself is swapped."""
    return out_dir.with_name(f".{out_dir.name}.lock")


@contextmanager
def build_lock(
    out_dir: Path,
    timeout: float = DEFAULT_LOCK_TIMEOUT,
    progress: Callable[[str], None] = print,
) -> Iterator[None]:
    """Hold the output folder's lock for a whole build; wait (saying so) if another has it.

    ``timeout`` seconds at most (0: fail at once). The lock is the operating system's
    (``flock`` on :func:`lock_path`), so a build that dies releases it; a build that ends
    removes the file too (:func:`_release`), so no ``.NAME.lock`` stays beside the report.
    """
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BuildError(
            f"cannot create {out_dir.parent}: {error.strerror or error}; "
            "choose an --out in a folder you can write to"
        ) from error
    path = lock_path(out_dir)
    held = _try_lock(path)
    if held is None:
        if timeout <= 0:
            raise BuildError(f"another build is writing {out_dir}; try again when it has finished")
        progress(
            f"Another build is writing {out_dir}; waiting for it to finish "
            f"(at most {timeout:g} s) …"
        )
        deadline = time.monotonic() + timeout
        while (held := _try_lock(path)) is None:
            if time.monotonic() >= deadline:
                raise BuildError(
                    f"another build has been writing {out_dir} for more than {timeout:g} s; "
                    "let it finish (or stop it) and try again, or wait longer with --wait"
                )
            time.sleep(LOCK_POLL_SECONDS)
    note_published(None)  # this build has published nothing yet
    try:
        yield
    finally:
        _release(path, held)


def _try_lock(path: Path) -> int | None:
    """The descriptor of ``path`` locked by this process, or None when another build holds it.

    A lock is only good on the file that is at ``path`` now: a build that ends removes the
    file (:func:`_release`), so one that opened it just before may lock a removed file; it
    finds that out here and tries again on the new file.
    """
    import fcntl  # POSIX: the lock is flock(2), the one filelock takes on Linux and macOS

    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise BuildError(
                f"cannot create the lock file {path}: {error.strerror or error}; choose an "
                "--out in a folder you can write to"
            ) from error
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        try:
            current = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            current = None
        if current is not None and os.path.samestat(os.fstat(fd), current):
            return fd
        os.close(fd)  # locked a file its holder has just removed: lock the one there now


def _release(path: Path, fd: int) -> None:
    """Remove the lock file while still holding it, then release it (closing drops the lock).

    Only the holder removes the file, so the lock is never lost: a build waiting on the
    removed file sees it is gone (:func:`_try_lock`) and locks the next one.
    """
    try:
        current = os.stat(path, follow_symlinks=False)
        if os.path.samestat(os.fstat(fd), current):
            path.unlink()
    except FileNotFoundError:
        pass
    finally:
        os.close(fd)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def remove_marked_tree(folder: Path) -> None:
    """Delete a folder a build made, its marker last: a removal that is stopped half-way
    leaves a folder that still says it is the build's own, so the next build finishes it
    (:func:`clean_leftovers`) instead of leaving it to be removed by hand."""
    if not folder.is_dir():
        return
    for child in folder.iterdir():
        if child.name == MARKER_FILE:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    (folder / MARKER_FILE).unlink(missing_ok=True)
    folder.rmdir()


def leftovers(out_dir: Path) -> Iterable[tuple[Path, str, int]]:
    """``(folder, kind, pid)`` of every ``<out>.partial-<pid>`` (a build's staging folder),
    ``<out>.old-<pid>`` (the last report moved aside during a swap) and ``<out>.trash-<pid>``
    (a replaced report being deleted)."""
    pattern = re.compile(rf"{re.escape(out_dir.name)}\.(partial|old|trash)-([0-9]+)")
    if not out_dir.parent.is_dir():
        return []
    return sorted(
        (path, match.group(1), int(match.group(2)))
        for path in out_dir.parent.iterdir()
        if (match := pattern.fullmatch(path.name)) and path.is_dir()
    )


def clean_leftovers(out_dir: Path, progress: Callable[[str], None] = print) -> None:
    """Remove what builds that died left beside ``out_dir``; say what was done.

    Call it holding the lock. A ``.old-<pid>`` folder is a report moved aside for a swap:
    if the build died between the two renames, it is put back rather than deleted. Only
    marked folders are removed, each renamed ``.trash-<pid>`` first: a removal cut short
    leaves a folder that keeps its marker until it is empty (:func:`remove_marked_tree`),
    or an empty ``.trash-<pid>``, and the build after finishes it.
    """
    for folder, kind, pid in leftovers(out_dir):
        if pid == os.getpid() or _pid_alive(pid):
            progress(f"Leaving {folder}: its build (pid {pid}) is still running")
            continue
        emptied = kind == "trash" and not any(folder.iterdir())  # removal cut before rmdir
        if not (folder / MARKER_FILE).is_file() and not emptied:
            progress(f"Leaving {folder}: it has no {MARKER_FILE} marker; remove it by hand")
            continue
        if kind == "old" and not out_dir.exists():
            folder.rename(out_dir)
            progress(
                f"Restored {out_dir} from {folder.name}, left by a build that died "
                f"(pid {pid}) while swapping"
            )
            continue
        trash = folder.with_name(f"{out_dir.name}.trash-{pid}")
        remove_marked_tree(folder if kind == "trash" or trash.exists() else folder.rename(trash))
        progress(f"Removed {folder.name}, left by a build that died (pid {pid})")
