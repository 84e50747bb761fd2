"""Where a report came from: code version, data fingerprint, parameters and a build date.

A number quoted in a meeting must be traceable to the exact data and code that produced it,
so every page footer, the brief and a ``provenance.json`` beside the exports carry the same
record (its footer line in words: ``gealc_analysis.words.provenance``). The record is
deterministic: building the same commit from the same data gives the same bytes
(reproducible builds), which is why the build date is never "now":

1. ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention), else
2. the date of the newest last git commit among the curated files, else
3. the newest date recorded in the raw sources' metadata (``data/raw``), else
4. no date at all (``None``) rather than an invented one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from gealc_analysis.core import paths
from gealc_analysis.core.outputs import write_text_atomically

PACKAGE_NAME = "gealc-report"
PROVENANCE_FILE = "provenance.json"
# Date-like strings the raw sources' metadata may hold: ISO dates and "30 September 2019".
_ISO_DATE = re.compile(r"\b([0-9]{4})-([0-9]{2})-([0-9]{2})\b")
_LONG_DATE = re.compile(r"\b([0-9]{1,2}) ([A-Z][a-z]+) ([0-9]{4})\b")
_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        start=1,
    )
}
# SOURCE_DATE_EPOCH: ASCII digits, up to the last second of 2100 (UTC).
_EPOCH_TEXT = re.compile(r"[0-9]{1,12}")
LAST_EPOCH = int(dt.datetime(2100, 12, 31, 23, 59, 59, tzinfo=dt.UTC).timestamp())
# Metadata files of data/raw that may state when each source was issued or received.
_RAW_METADATA_SUFFIXES = (".md", ".yaml", ".yml", ".json", ".csv")


def package_version() -> str:
    """The installed distribution's version (the package's own constant when not installed)."""
    from importlib import metadata

    try:
        return metadata.version(PACKAGE_NAME)
    except metadata.PackageNotFoundError:
        import gealc_analysis

        return gealc_analysis.__version__


def git_commit(repo_dir: Path = paths.PROJECT_ROOT) -> str | None:
    """The commit checked out in ``repo_dir`` (``git rev-parse HEAD``); None outside a repo."""
    return _git(["rev-parse", "HEAD"], Path(repo_dir))


def fingerprint(entries: Iterable[tuple[str, bytes]]) -> str:
    """SHA-256 over named byte strings, each preceded by its name's and its bytes' lengths.

    The one digest of data in the package (provenance, the handoff to the kernels, the build
    cache): with both lengths in front, no two different lists of entries give the same
    stream, whatever bytes a name or a file holds (moving bytes across a boundary, or
    renaming a file, changes the digest).
    """
    digest = hashlib.sha256()
    for name, content in entries:
        label = name.encode("utf-8", "surrogateescape")
        digest.update(f"{len(label)}:{len(content)}:".encode())
        digest.update(label)
        digest.update(content)
    return digest.hexdigest()


def data_fingerprint(data_dir: Path, years: Iterable[int] | None = None) -> str:
    """The curated files' :func:`fingerprint` (each file's name and bytes, in name order),
    with the plan years asked for first when ``years`` is given (an entry with an empty name,
    which no file has)."""
    chosen = (
        [("", ",".join(str(year) for year in sorted(set(years))).encode())]
        if years is not None
        else []
    )
    files = [(path.name, path.read_bytes()) for path in curated_files(data_dir)]
    return fingerprint([*chosen, *files])


def curated_files(data_dir: Path) -> list[Path]:
    """The files the fingerprint covers: every visible regular file of ``data_dir``, by name."""
    return sorted(
        (
            path
            for path in Path(data_dir).iterdir()
            if path.is_file() and not path.name.startswith(".")
        ),
        key=lambda path: path.name,
    )


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as seconds, None when unset; raises ValueError unless it is a
    whole number of seconds for a date from 1970 to 2100.

    Checked by the command line before any kernel starts (exit 2): a date the report would
    print as year 5138, or before 1970, is a mistake in the environment, not a build date.
    """
    text = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return None
    if not _EPOCH_TEXT.fullmatch(text) or int(text) > LAST_EPOCH:
        raise ValueError(
            "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 for a date from "
            f"1970 to 2100 (0 to {LAST_EPOCH}), found {text!r}"
        )
    return int(text)


def build_date(data_dir: Path, raw_dir: Path | None = None) -> tuple[str | None, str | None]:
    """The build date (ISO ``YYYY-MM-DD``) and where it came from; see the module docstring.

    Returns ``(date, source)`` with source one of ``"SOURCE_DATE_EPOCH"``, ``"git"``,
    ``"raw_sources"``, or ``(None, None)`` when nothing states a date.
    """
    epoch = source_date_epoch()
    if epoch is not None:
        moment = dt.datetime.fromtimestamp(epoch, tz=dt.UTC)
        return moment.date().isoformat(), "SOURCE_DATE_EPOCH"
    committed = last_commit_date(curated_files(data_dir))
    if committed:
        return committed, "git"
    raw_dir = Path(data_dir).parent / "raw" if raw_dir is None else Path(raw_dir)
    stated = raw_sources_date(raw_dir)
    if stated:
        return stated, "raw_sources"
    return None, None


def last_commit_date(files: Iterable[Path]) -> str | None:
    """The newest of the files' last commit dates (UTC ISO date); None if none is committed."""
    dates = []
    for path in files:
        stamp = _git(["log", "-1", "--format=%ct", "--", path.name], path.parent)
        if stamp:
            dates.append(dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC).date())
    return max(dates).isoformat() if dates else None


def raw_sources_date(raw_dir: Path) -> str | None:
    """The newest date written in the raw sources' metadata files (SOURCES.md, YAML, JSON).

    The plans themselves are not read: their text is the source, not its metadata.
    """
    if not Path(raw_dir).is_dir():
        return None
    dates: list[dt.date] = []
    for path in sorted(Path(raw_dir).iterdir()):
        if path.is_file() and path.suffix.lower() in _RAW_METADATA_SUFFIXES:
            dates += dates_in(path.read_text(encoding="utf-8", errors="replace"))
    return max(dates).isoformat() if dates else None


def dates_in(text: str) -> list[dt.date]:
    """Every valid ISO (2023-11-22) or English long date (22 November 2023) in ``text``."""
    found: list[dt.date] = []
    for year, month, day in _ISO_DATE.findall(text):
        found += _valid_date(int(year), int(month), int(day))
    for day, month_name, year in _LONG_DATE.findall(text):
        if month_name in _MONTHS:
            found += _valid_date(int(year), _MONTHS[month_name], int(day))
    return found


def _valid_date(year: int, month: int, day: int) -> list[dt.date]:
    try:
        return [dt.date(year, month, day)]
    except ValueError:
        return []


def build_provenance(data_dir: Path, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The provenance record of a build from ``data_dir`` with ``parameters``.

    Paths among the parameters (``data_dir``, ``output_dir``) differ per machine and are left
    out, so two machines building the same commit from the same data agree byte for byte.
    """
    date, date_source = build_date(Path(data_dir))
    return {
        "package": PACKAGE_NAME,
        "version": package_version(),
        "git_commit": git_commit(),
        "data_sha256": data_fingerprint(Path(data_dir)),
        "data_files": [path.name for path in curated_files(Path(data_dir))],
        "parameters": recorded_parameters(parameters),
        "build_date": date,
        "build_date_source": date_source,
    }


def recorded_parameters(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters as a record holds them: JSON values, the paths left out."""
    return {
        key: _jsonable(value)
        for key, value in parameters.items()
        if key not in ("data_dir", "output_dir")
    }


def provenance_json(prov: Mapping[str, Any]) -> str:
    """The record as stable JSON text (sorted keys, two-space indent, final newline)."""
    return json.dumps(prov, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_provenance(prov: Mapping[str, Any], folder: Path) -> Path:
    """Write ``provenance.json`` into ``folder``; return its path."""
    return write_text_atomically(Path(folder) / PROVENANCE_FILE, provenance_json(prov))


def _jsonable(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _git(arguments: list[str], cwd: Path) -> str | None:
    """Output of one git command run in ``cwd``; None without git, outside a repo, or on error."""
    if not cwd.is_dir():
        return None
    try:
        result = subprocess.run(
            ["git", *arguments],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    output = result.stdout.strip()
    return output if result.returncode == 0 and output else None
