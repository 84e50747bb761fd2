"""What a data folder may hold: regular files and folders, and symlinks that stay inside it.

Git stores symlinks, so a contributed data change could add ``curated/leak.csv`` pointing at
a file of the machine that builds the report, or make ``raw/`` a link to a system folder;
the loader would read it and the report would publish it. A FIFO, a device or a socket
would make a reader wait forever. So every reader of the data folder, and the report's
copies of it, go through this module: a symlink must resolve inside the data folder, a
loop is reported and never followed, and anything that is not a regular file or a folder
is refused — each as a located :class:`Problem` (exit 2), naming the entry, never
printing what a refused file holds.
"""

from __future__ import annotations

import os
import stat
from functools import lru_cache
from pathlib import Path

from gealc_analysis.core import paths
from gealc_analysis.core.links import LOOP_WORDS, is_symlink_loop
from gealc_analysis.data.errors import PlanDataError, Problem

_SKIPPED_PREFIX, _SKIPPED_NAMES = ".", frozenset({"__pycache__"})
LEAVES = "a symlink to a path outside the data folder"
INSIDE = "a file or folder inside the data folder (a symlink may only point inside it)"
REGULAR = "a regular file or folder"
LOOP = LOOP_WORDS
NOT_A_LOOP = "a file or folder, not a symlink loop"


def is_skipped_name(name: str) -> bool:
    """Hidden names and Python caches are not data: the checks, the report's data copies and
    the build's cache keys all skip them, so the files checked are the files copied and
    hashed."""
    return name.startswith(_SKIPPED_PREFIX) or name in _SKIPPED_NAMES


def skipped_names(_folder: str, names: list[str]) -> list[str]:
    """:func:`is_skipped_name` as ``shutil.copytree``'s ``ignore``."""
    return [name for name in names if is_skipped_name(name)]


def display_path(path: Path) -> str:
    """Show project files relative to the project root (what a person types to open them)."""
    return _display_path(str(path))


@lru_cache(maxsize=8192)
def _display_path(path: str) -> str:
    # Lexically, not resolved: a symlink is shown where it is, never where it leads.
    try:
        return str(Path(os.path.abspath(path)).relative_to(paths.PROJECT_ROOT))
    except ValueError:  # outside the project
        return path


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def entry_problem(path: Path, within: Path) -> Problem | None:
    """What is wrong with one entry of a data folder, or None when it is safe to read.

    Safe: a regular file or a folder, or a symlink whose target is one and lies inside
    ``within`` (the data folder). An absent entry or a dangling symlink is not a problem
    here (the readers say what is missing). The file is never opened.
    """
    shown = display_path(path)
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            if is_symlink_loop(path):
                return Problem(shown, 0, "file", NOT_A_LOOP, LOOP)
            target = path.resolve()
            if not target.exists():
                return None
            if not target.is_relative_to(Path(within).resolve()):
                return Problem(shown, 0, "file", INSIDE, LEAVES)
            info = os.stat(target)
    except FileNotFoundError:
        return None
    except OSError as error:
        if is_symlink_loop(path):  # a loop in a folder on the way to the entry
            return Problem(shown, 0, "file", NOT_A_LOOP, LOOP)
        return Problem(shown, 0, "file", "a readable file or folder", error.strerror or str(error))
    if stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode):
        return None
    return Problem(shown, 0, "file", REGULAR, _kind(info.st_mode))


def folder_problems(
    folder: Path, *, within: Path | None = None, recursive: bool = True
) -> tuple[list[Path], list[Problem]]:
    """The visible regular files under ``folder`` (in name order, folder by folder) and
    every unsafe entry in it.

    ``within`` is the data folder symlinks must stay in (default: ``folder`` itself; the
    folder is checked against it too). ``recursive``: look inside subfolders as well; a
    symlinked folder that leads back to one it is in is a loop, reported and not entered.
    A ``folder`` that is a file is checked as one entry. Hidden names and ``__pycache__``
    are skipped, as every copy of the data skips them.
    """
    boundary = Path(within if within is not None else folder)
    # The folder itself may be anywhere when it is the one named (a loop is still refused).
    top = entry_problem(Path(folder), boundary if within is not None else Path("/"))
    if top is not None:
        return [], [top]
    if not Path(folder).exists():
        return [], []
    if not Path(folder).is_dir():
        return [Path(folder)], []
    files: list[Path] = []
    problems: list[Problem] = []

    def walk(directory: Path) -> None:
        for entry in sorted(directory.iterdir(), key=lambda path: path.name):
            if is_skipped_name(entry.name):
                continue
            problem = entry_problem(entry, boundary)
            if problem is not None:
                problems.append(problem)
            elif entry.is_dir():
                # A folder linked to one it is in would be walked (and copied) forever.
                if entry.is_symlink() and directory.resolve().is_relative_to(entry.resolve()):
                    problems.append(Problem(display_path(entry), 0, "file", NOT_A_LOOP, LOOP))
                elif recursive:
                    walk(entry)
            elif entry.is_file():
                files.append(entry)

    walk(Path(folder))
    return files, problems


def regular_data_files(
    folder: Path, *, within: Path | None = None, recursive: bool = True
) -> list[Path]:
    """The visible regular files under ``folder``, in name order; raises :class:`PlanDataError`
    listing every symlink leaving ``within`` (default ``folder``), loop and special file.

    What the report's data copies use, so nothing outside the data folder is published.
    """
    files, problems = folder_problems(folder, within=within, recursive=recursive)
    if problems:
        raise PlanDataError(problems)
    return files
