"""Which folders a build may touch, and one build at a time per output folder.

The swap at the end of a build deletes what was in the output folder, so the build only
replaces or writes into folders it made itself: every folder it creates carries a marker file
(:data:`MARKER_FILE`), and a non-empty folder without it is refused. The default ``reports/``
folder of a checkout, which holds only the committed README, counts as ours. An output folder
inside the data or the source tree is refused outright, and so is one that would swallow
them. A lock file beside the output folder (filelock) makes concurrent builds into the same
folder wait for each other instead of losing an update; leftovers of builds that died
(``<out>.partial-<pid>``, ``<out>.old-<pid>``) are cleaned at the start of the next build.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from gealc_analysis.build.errors import BuildError
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
    (fcntl/flock through filelock), so a build that dies releases it.
    """
    from filelock import FileLock, Timeout

    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BuildError(
            f"cannot create {out_dir.parent}: {error.strerror or error}; "
            "choose an --out in a folder you can write to"
        ) from error
    lock = FileLock(lock_path(out_dir))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if timeout <= 0:
            raise BuildError(
                f"another build is writing {out_dir}; try again when it has finished"
            ) from None
        progress(
            f"Another build is writing {out_dir}; waiting for it to finish "
            f"(at most {timeout:.0f} s) …"
        )
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise BuildError(
                f"another build has been writing {out_dir} for more than {timeout:.0f} s; "
                "let it finish (or stop it) and try again, or wait longer with --wait"
            ) from None
    except OSError as error:
        raise BuildError(
            f"cannot create the lock file {lock_path(out_dir)}: "
            f"{error.strerror or error}; choose an --out in a folder you can "
            "write to"
        ) from error
    try:
        yield
    finally:
        lock.release()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def leftovers(out_dir: Path) -> Iterable[tuple[Path, str, int]]:
    """``(folder, kind, pid)`` of every ``<out>.partial-<pid>`` / ``<out>.old-<pid>``."""
    pattern = re.compile(rf"{re.escape(out_dir.name)}\.(partial|old)-([0-9]+)")
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
    if the build died between the two renames, it is put back rather than deleted.
    """
    for folder, kind, pid in leftovers(out_dir):
        if pid == os.getpid() or _pid_alive(pid):
            progress(f"Leaving {folder}: its build (pid {pid}) is still running")
            continue
        if not (folder / MARKER_FILE).is_file():
            progress(f"Leaving {folder}: it has no {MARKER_FILE} marker; remove it by hand")
            continue
        if kind == "old" and not out_dir.exists():
            folder.rename(out_dir)
            progress(
                f"Restored {out_dir} from {folder.name}, left by a build that died "
                f"(pid {pid}) while swapping"
            )
            continue
        shutil.rmtree(folder)
        progress(f"Removed {folder.name}, left by a build that died (pid {pid})")
