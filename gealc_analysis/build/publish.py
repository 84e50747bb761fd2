"""Publishing a build: a staging folder beside the report, swapped in only on success.

The report is built in a staging folder beside the output and swapped in only when every
notebook ran, so a failed build never damages the last good report; the failed staging
folder is kept as ``<out>.failed`` so the executed notebook and its traceback can be read.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from gealc_analysis.build.errors import BuildError
from gealc_analysis.build.layout import INDEX_FILE, README_FILE


def staging_dir(out_dir: Path, seed_from_report: bool) -> Path:
    """A fresh staging folder beside ``out_dir`` (same filesystem, so renames are atomic)."""
    staging = out_dir.with_name(f"{out_dir.name}.partial-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    if seed_from_report and out_dir.is_dir():
        shutil.copytree(out_dir, staging, symlinks=True)
    else:
        staging.mkdir(parents=True)
    return staging


def check_replaceable(out_dir: Path) -> None:
    """Refuse to replace a folder that is not a report: the swap deletes what was there."""
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"{out_dir} exists and is not a folder")
    contents = {path.name for path in out_dir.iterdir()} if out_dir.is_dir() else set()
    if contents - {README_FILE} and not (out_dir / INDEX_FILE).is_file():
        raise BuildError(
            f"refusing to replace {out_dir}: it is not empty and has no {INDEX_FILE}, "
            "so it does not look like a report built here; choose another output folder"
        )


def failed_dir(out_dir: Path) -> Path:
    """Where the staging folder of the last failed build is kept."""
    return out_dir.with_name(f"{out_dir.name}.failed")


def keep_failed(staging: Path, out_dir: Path) -> Path:
    """Move a failed build's staging folder to :func:`failed_dir`, replacing an older one."""
    failed = failed_dir(out_dir)
    shutil.rmtree(failed, ignore_errors=True)
    staging.rename(failed)
    return failed


def swap_into_place(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` with two renames; restore the old one on error."""
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
