"""Publishing a build: a staging folder beside the report, swapped in only on success.

The report is built in a staging folder beside the output and swapped in only when every
notebook ran, so a failed build never damages the last good report; the failed staging
folder is kept as ``<out>.failed`` so the executed notebook and its traceback can be read.
Every folder made here carries the build's marker (see :mod:`.folders`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from gealc_analysis.build.errors import BuildError
from gealc_analysis.build.folders import MARKER_FILE, check_replaceable, is_ours, mark

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
    """Delete a staging folder (an interrupted build leaves nothing behind)."""
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


def swap_into_place(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` with two renames; restore the old one on error."""
    if not (staging / MARKER_FILE).is_file():  # never publish a folder without the marker
        mark(staging)
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    backup = out_dir.with_name(f"{out_dir.name}.old-{os.getpid()}")
    shutil.rmtree(backup, ignore_errors=True)
    out_dir.rename(backup)
    try:
        staging.rename(out_dir)
    except BaseException:
        backup.rename(out_dir)
        raise
    shutil.rmtree(backup, ignore_errors=True)
