"""Content-hash cache: a section is rebuilt only when something it depends on changed.

A section × language's key is a SHA-256 over everything its page, figures and tables are
made from: the notebook's bytes, the parameters it runs with (paths aside), the curated
data's fingerprint (files and years,
:func:`gealc_analysis.notebook.handoff.fingerprint`), every file of the ``gealc_analysis``
package (code, label catalogue, templates), and the versions of Python and
of the libraries that compute, draw and render. The keys of a built report are
kept in :data:`MANIFEST_FILE` inside it; a later build into the same folder copies a
section whose key is unchanged and whose files are all there, and runs the others.
``--force`` runs everything. When nothing changed at all the report is left untouched.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gealc_analysis.build.layout import EXECUTED_DIR
from gealc_analysis.build.parameters import PATH_PARAMETERS

MANIFEST_FILE = ".gealc-build-keys.json"
PACKAGE_DIR: Path = Path(__file__).resolve().parent.parent
# Libraries whose version can change a page, a figure or a table.
LIBRARIES: tuple[str, ...] = (
    "pandas",
    "numpy",
    "pandera",
    "matplotlib",
    "seaborn",
    "pycountry",
    "babel",
    "jinja2",
    "mistune",
    "nh3",
    "openpyxl",
    "nbformat",
    "nbconvert",
    "nbclient",
    "papermill",
    "ipykernel",
    "matplotlib-inline",
    "pygments",
)


def library_versions() -> dict[str, str]:
    """Python's version and each of :data:`LIBRARIES`' installed versions."""
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def source_fingerprint(package_dir: Path = PACKAGE_DIR) -> str:
    """SHA-256 over every file of the package (names and bytes), caches aside."""
    digest = hashlib.sha256()
    for path in sorted(package_dir.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def section_key(
    notebook: Path,
    parameters: Mapping[str, Any],
    data_fingerprint: str,
    source: str,
    versions: Mapping[str, str],
) -> str:
    """The key of one section run: changes whenever one of its inputs changes."""
    shown = {key: value for key, value in parameters.items() if key not in PATH_PARAMETERS}
    material = {
        "notebook": hashlib.sha256(notebook.read_bytes()).hexdigest(),
        "parameters": shown,
        "data": data_fingerprint,
        "source": source,
        "versions": dict(versions),
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()


def read_manifest(out_dir: Path) -> dict[str, str]:
    """The keys the report in ``out_dir`` was built with (empty if none or unreadable)."""
    try:
        keys = json.loads((out_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(stem): str(key) for stem, key in keys.items()} if isinstance(keys, dict) else {}


def write_manifest(folder: Path, keys: Mapping[str, str]) -> None:
    (folder / MANIFEST_FILE).write_text(
        json.dumps(dict(sorted(keys.items())), indent=1) + "\n", encoding="utf-8"
    )


def section_intact(out_dir: Path, stem: str) -> bool:
    """Whether a built section's files are all still there (page, outputs, executed copy)."""
    return (
        (out_dir / f"{stem}.html").is_file()
        and (out_dir / stem).is_dir()
        and (out_dir / EXECUTED_DIR / f"{stem}.ipynb").is_file()
    )


def reusable(out_dir: Path, keys: Mapping[str, str]) -> set[str]:
    """The stems whose section in ``out_dir`` was built with exactly these keys."""
    built = read_manifest(out_dir)
    return {
        stem
        for stem, key in keys.items()
        if built.get(stem) == key and section_intact(out_dir, stem)
    }
