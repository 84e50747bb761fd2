"""Content-hash cache: a build redoes exactly what one of its inputs changed, and nothing else.

Three kinds of key, each a SHA-256 over what its outputs are made from:

- **execute key** (one per section × language): what running the notebook reads — the
  notebook's bytes; the files beside the notebooks (the kernel starts in that folder: a
  ``matplotlibrc``, a helper, an image); the parameters (paths aside); the data (every file
  the build's load of the data read, found by watching it read, plus the data folder, the
  copied data extras and the schemas, see :func:`data_inputs`); the package code the
  notebook imports (:func:`import_closure` of its ``gealc_analysis`` imports, with the
  resource files — label catalogue, terms — of the folders of those modules) and the code
  that runs it (``build.run``'s closure: papermill's call, the kernel's command line and
  environment); the version of
  every installed distribution (:func:`installed_versions`); and the kernel's environment
  (:func:`kernel_environment`: the matplotlibrc in effect and the variables that change what
  a kernel computes or draws). A section runs again when its execute key changed, or when
  a file it wrote (executed notebook, figures, tables) is missing or not the bytes recorded.
- **site key** (one per language folder): what rendering its pages reads — the execute keys
  of its sections (their titles make every menu), the rendering code (the build package's
  import closure and every resource file: templates, stylesheet, labels), the data, the
  files beside the notebooks (images a page embeds), the installed versions and the
  environment (the brief's charts are drawn in the build's process), the provenance record
  (commit, build date, version, parameters) and the languages present (twin links). When
  it changed, the language's pages, index, brief and explorer are written again from the
  executed notebooks; nothing is executed.
- **root key**: the same for the report-wide files (data copies, landing page, stylesheet,
  ``provenance.json``).

Each folder's :data:`MANIFEST_FILE` records its key(s) and the SHA-256 of every file it
wrote; a build whose keys all match and whose files are all intact does nothing and leaves
the report untouched. ``--force`` runs every selected section.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import platform
import re
import sys
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from gealc_analysis.build.layout import EXECUTED_DIR, NOTEBOOK_GLOB
from gealc_analysis.build.parameters import PATH_PARAMETERS
from gealc_analysis.core import provenance
from gealc_analysis.data.datapackage import sha256 as file_sha256
from gealc_analysis.data.files import is_skipped_name
from gealc_analysis.words import i18n

MANIFEST_FILE = ".gealc-build-keys.json"
MANIFEST_FORMAT = 2  # a manifest of another format is ignored (everything is redone once)
PACKAGE_NAME = "gealc_analysis"
PACKAGE_DIR: Path = Path(__file__).resolve().parent.parent
# The module the build starts from: its import closure is the code that renders the report.
RENDER_ROOT_MODULE = "gealc_analysis.build.pipeline"
# The module that runs a notebook: its import closure (execute, kernel: the kernel's command
# line and environment) decides how every notebook runs.
EXECUTOR_ROOT_MODULE = "gealc_analysis.build.run"
# Environment variables that change what a kernel computes or draws: matplotlib's
# configuration and backend, the hash seed (set and dict-of-set order), the module search
# path, the time zone and the locale. (The kernel spec sets MPLBACKEND and PYTHONHASHSEED
# today, see :mod:`.kernel`, which is in every execute key; they stay here for a kernel that
# inherits them.)
KERNEL_ENVIRONMENT: tuple[str, ...] = (
    "MATPLOTLIBRC",
    "MPLBACKEND",
    "MPLCONFIGDIR",
    "PYTHONHASHSEED",
    "PYTHONPATH",
    "TZ",
    "LANG",
    "LC_ALL",
)
_Result = TypeVar("_Result")


# ── digests ──────────────────────────────────────────────────────────────────────────────


def digest(material: Any) -> str:
    """SHA-256 of a JSON-able value (keys sorted), the form every key is made in."""
    text = json.dumps(material, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def files_digest(files: Iterable[Path], root: Path) -> str:
    """:func:`~gealc_analysis.core.provenance.fingerprint` of files named relative to
    ``root`` (absolute when outside it); a missing file counts as absent, not as an error."""
    entries = []
    for path in sorted(set(files)):
        content = path.read_bytes() if path.is_file() else b"\0absent"
        entries.append((data_name(path, root), content))
    return provenance.fingerprint(entries)


def visible_files(folder: Path) -> list[Path]:
    """Every regular file under ``folder``, hidden files and folders and caches aside;
    symlinked folders are not entered (a loop cannot hang the build here)."""
    if not folder.is_dir():
        return [folder] if folder.is_file() else []
    found = []
    for top, folders, names in os.walk(folder):
        folders[:] = sorted(name for name in folders if not is_skipped_name(name))
        found += [Path(top, name) for name in names if not is_skipped_name(name)]
    return sorted(path for path in found if path.is_file())


# ── versions and environment ─────────────────────────────────────────────────────────────


def installed_versions() -> dict[str, str]:
    """Python's version and every installed distribution's (``name: version``), sorted.

    Every distribution :func:`importlib.metadata.distributions` finds, not a hand-kept
    list: a library the build does not name (Pillow writing the PNGs, kiwisolver placing
    the labels) changes figures all the same. A ``.dist-info`` folder's name says its
    distribution's name and version (the wheel standard), which spares parsing ~200
    metadata files on every build; others are read.
    """
    versions = {
        "python": sys.version,
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
    }
    for distribution in importlib.metadata.distributions():
        folder = Path(str(getattr(distribution, "_path", "")))
        match = _DIST_INFO.fullmatch(folder.name)
        name, version = (
            match.groups() if match else (distribution.metadata["Name"], distribution.version)
        )
        if name:  # the first of a name on sys.path is the one imported
            versions.setdefault(re.sub(r"[-_.]+", "-", name).lower(), str(version))
    return dict(sorted(versions.items()))


_DIST_INFO = re.compile(r"([^-]+)-([^-]+)\.dist-info")


def kernel_environment() -> dict[str, str | None]:
    """The variables of :data:`KERNEL_ENVIRONMENT` and the matplotlibrc matplotlib reads
    (its path and bytes' SHA-256): a user's rc file changes every chart it does not
    override. (A ``matplotlibrc`` in the notebooks' folder, where kernels start, is among
    the files beside the notebooks.)"""
    import matplotlib

    rc = Path(matplotlib.matplotlib_fname())
    environment: dict[str, str | None] = {name: os.environ.get(name) for name in KERNEL_ENVIRONMENT}
    environment["matplotlibrc"] = str(rc)
    environment["matplotlibrc_sha256"] = file_sha256(rc) if rc.is_file() else None
    return environment


def beside_notebooks(notebooks_dir: Path) -> list[Path]:
    """The files of the notebooks' folder other than the report's notebooks (hidden files
    aside): the kernels start there, so any of them may be read."""
    notebooks = set(Path(notebooks_dir).glob(NOTEBOOK_GLOB))
    return [path for path in visible_files(Path(notebooks_dir)) if path not in notebooks]


# ── package code ─────────────────────────────────────────────────────────────────────────

# ``import a.b as c, d`` and ``from .a import (b as c, d)`` (a parenthesised list may span
# lines). Also met inside strings: a superset of the imports, which only makes keys wider.
_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(?P<base>\.*[\w.]*)[ \t]+import[ \t]+(?P<names>\([^)]*\)|[^\n#;]*)"
    r"|import[ \t]+(?P<modules>[^\n#;]*))",
    re.MULTILINE,
)


def imported_names(text: str, package: str = "") -> set[str]:
    """Dotted names a Python text imports: each module, and ``module.name`` for every name
    imported from a module (it may be a submodule). ``package`` resolves relative imports."""
    names: set[str] = set()
    for match in _IMPORT.finditer(text.replace("\\\n", " ")):
        if match["modules"] is not None:
            names |= {_first_word(part) for part in match["modules"].split(",")}
            continue
        base = match["base"]
        level = len(base) - len(base.lstrip("."))
        if level:
            parent = package.split(".")[: len(package.split(".")) - level + 1]
            base = ".".join([*parent, base.lstrip(".")]).strip(".")
        names.add(base)
        for part in match["names"].strip("()").replace("\n", ",").split(","):
            word = _first_word(part)
            if word and word != "*":
                names.add(f"{base}.{word}")
    return {name for name in names if name}


def _first_word(part: str) -> str:
    words = part.split()
    return words[0] if words else ""


@dataclass
class PackageCode:
    """The package's modules and resource files, read once per build (lazily)."""

    package_dir: Path = field(default_factory=lambda: PACKAGE_DIR)
    _modules: dict[str, Path] = field(default_factory=dict)
    _imports: dict[str, set[str]] = field(default_factory=dict)
    _hashes: dict[Path, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        root = self.package_dir
        for path in visible_files(root):
            if path.suffix == ".py":
                parts = path.relative_to(root).with_suffix("").parts
                parts = parts[:-1] if parts[-1] == "__init__" else parts
                self._modules[".".join((root.name, *parts))] = path

    def resources(self) -> list[Path]:
        """Every file of the package that is not Python source (templates, CSS, labels)."""
        return [path for path in visible_files(self.package_dir) if path.suffix != ".py"]

    def imports_of(self, module: str) -> set[str]:
        """The package's modules ``module`` imports, with the packages above each."""
        if module not in self._imports:
            path = self._modules[module]
            package = module if path.name == "__init__.py" else module.rpartition(".")[0]
            text = path.read_text(encoding="utf-8", errors="replace")
            self._imports[module] = self.package_modules(imported_names(text, package))
        return self._imports[module]

    def package_modules(self, names: Iterable[str]) -> set[str]:
        """Of dotted ``names``, the package's modules they name, with their parent packages
        (importing ``a.b.c`` runs ``a/__init__`` and ``a/b/__init__`` too)."""
        found = set()
        for name in names:
            parts = name.split(".")
            for end in range(1, len(parts) + 1):
                prefix = ".".join(parts[:end])
                if prefix in self._modules:
                    found.add(prefix)
        return found

    def import_closure(self, roots: Iterable[str]) -> set[str]:
        """Every module of the package that importing ``roots`` may run."""
        seen: set[str] = set()
        pending = list(self.package_modules(roots))
        while pending:
            module = pending.pop()
            if module not in seen:
                seen.add(module)
                pending += self.imports_of(module) - seen
        return seen

    def digest_of(self, modules: Iterable[str], resources: Iterable[Path]) -> str:
        """SHA-256 over the modules' and resource files' names and bytes."""
        files = sorted({self._modules[module] for module in modules} | set(resources))
        return files_digest(files, self.package_dir)

    def notebook_code(self, notebook: Path) -> str:
        """The digest of the code a notebook runs: its ``gealc_analysis`` imports' closure,
        and the resource files in the folders of those modules (the label catalogue beside
        ``words``; the templates, read only by the build, are not among them)."""
        modules = self.import_closure(imported_names(notebook_code_text(notebook)))
        folders = {self._modules[module].parent for module in modules}
        return self.digest_of(modules, [p for p in self.resources() if p.parent in folders])

    def executor_code(self) -> str:
        """The digest of the code that starts the kernels and runs the notebooks."""
        return self.digest_of(self.import_closure([EXECUTOR_ROOT_MODULE]), [])

    def render_code(self) -> str:
        """The digest of the code that renders pages and report-wide files: the build's
        import closure (not ``cli`` nor ``curation``) and every resource file."""
        return self.digest_of(self.import_closure([RENDER_ROOT_MODULE]), self.resources())


def notebook_code_text(notebook: Path) -> str:
    """The source of a notebook's code cells, joined (unreadable JSON: the raw text)."""
    text = Path(notebook).read_text(encoding="utf-8", errors="replace")
    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError):
        return text
    sources = [cell.get("source", "") for cell in cells if cell.get("cell_type") == "code"]
    return "\n".join("".join(s) if isinstance(s, list) else str(s) for s in sources)


# ── data ─────────────────────────────────────────────────────────────────────────────────

_watch = threading.local()
_hook_installed = False


def _record_open(event: str, arguments: tuple[Any, ...]) -> None:
    recorder = getattr(_watch, "opened", None)
    if recorder is not None and event == "open" and arguments:
        target = arguments[0]
        if isinstance(target, str | bytes | os.PathLike):
            recorder.add(os.fsdecode(target))


def reading(action: Callable[[], _Result]) -> tuple[_Result, set[Path]]:
    """Run ``action`` and return its result with the regular files it opened in this thread
    (through Python's ``open``, the interpreter's ``open`` audit event), library and
    package files aside: the files the data load *actually* read, whatever it reads."""
    global _hook_installed
    if not _hook_installed:
        sys.addaudithook(_record_open)  # hooks cannot be removed: one, idle unless recording
        _hook_installed = True
    _watch.opened = opened = set()
    try:
        result = action()
    finally:
        _watch.opened = None
    return result, {path for path in map(Path, opened) if _is_data_file(path)}


def _is_data_file(path: Path) -> bool:
    if not path.is_absolute() or not path.is_file() or "__pycache__" in path.parts:
        return False
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(PACKAGE_DIR)}
    resolved = path.resolve()
    return not any(resolved.is_relative_to(prefix) for prefix in prefixes)


def data_inputs(
    folders: Iterable[Path],
    read: Iterable[Path] = (),
    recorded: Iterable[str] = (),
    root: Path = Path("/"),
) -> list[Path]:
    """The data files every key covers: every visible file of ``folders`` (the data folder,
    the data extras a report copies, the schemas), the files the load was seen
    :func:`reading`, and those a previous build recorded it reading (a load cached in this
    process does not open them again), named relative to ``root`` (see :func:`data_name`)."""
    found = {path.resolve() for folder in folders for path in visible_files(Path(folder))}
    found |= {Path(path).resolve() for path in read}
    found |= {(Path(root) / name).resolve() for name in recorded}
    return sorted(found)


def data_name(path: Path, root: Path) -> str:
    """A data file's name in keys and records: relative to the data root (the curated
    folder's parent) when inside it, so a report's record does not depend on where the
    project is checked out; absolute otherwise."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


# ── keys ─────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Inputs:
    """What the keys of one build share, computed once."""

    data: str  # digest of every data file (:func:`data_inputs`)
    data_files: tuple[str, ...]  # those files' :func:`data_name` (recorded in the report)
    versions: Mapping[str, str]
    environment: Mapping[str, str | None]
    beside: str  # digest of the files beside the notebooks
    render_code: str
    executor_code: str  # how notebooks are run (:data:`EXECUTOR_ROOT_MODULE`)
    notebook_code: Mapping[str, str]  # notebook stem → digest of the code it runs


def gather_inputs(
    notebooks: Sequence[Path],
    notebooks_dir: Path,
    data_files: Sequence[Path],
    code: PackageCode | None = None,
    data_root: Path = Path("/"),
) -> Inputs:
    """Hash every input of this build once (see the module docstring)."""
    code = code if code is not None else PackageCode()
    return Inputs(
        data=files_digest(data_files, data_root),
        data_files=tuple(data_name(path, data_root) for path in data_files),
        versions=installed_versions(),
        environment=kernel_environment(),
        beside=files_digest(beside_notebooks(notebooks_dir), Path(notebooks_dir)),
        render_code=code.render_code(),
        executor_code=code.executor_code(),
        notebook_code={nb.stem: code.notebook_code(nb) for nb in notebooks},
    )


def execute_key(notebook: Path, parameters: Mapping[str, Any], inputs: Inputs) -> str:
    """The key of one section run: changes whenever one of its inputs changes."""
    return digest(
        {
            "notebook": file_sha256(notebook),
            "beside": inputs.beside,
            "parameters": {k: v for k, v in parameters.items() if k not in PATH_PARAMETERS},
            "data": inputs.data,
            "code": inputs.notebook_code[notebook.stem],
            "executor": inputs.executor_code,
            "versions": dict(inputs.versions),
            "environment": dict(inputs.environment),
        }
    )


def site_key(
    inputs: Inputs,
    prov: Mapping[str, Any],
    languages: Sequence[str],
    sections: Mapping[str, str] | None = None,
) -> str:
    """The key of a language folder's pages (``sections``: stem → execute key of each
    section present) or, without sections, of the report-wide files."""
    return digest(
        {
            "render_code": inputs.render_code,
            "beside": inputs.beside,  # images a notebook's Markdown embeds from its folder
            "data": inputs.data,
            "versions": dict(inputs.versions),
            "environment": dict(inputs.environment),  # the brief's charts are drawn here
            "provenance": dict(prov),
            "languages": list(languages),
            "sections": dict(sections or {}),
        }
    )


# ── the manifest of a built folder ───────────────────────────────────────────────────────


@dataclass
class Record:
    """What a folder (a language folder or the report's root) was built with."""

    site: str = ""
    sections: dict[str, str] = field(default_factory=dict)  # stem → execute key
    files: dict[str, str] = field(default_factory=dict)  # path relative to folder → SHA-256
    data_files: list[str] = field(default_factory=list)  # the data the load read (root)


def read_record(folder: Path) -> Record:
    """The record of ``folder`` (empty when missing, unreadable or of another format)."""
    try:
        raw = json.loads((Path(folder) / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Record()
    if not isinstance(raw, dict) or raw.get("format") != MANIFEST_FORMAT:
        return Record()
    try:
        return Record(
            site=str(raw.get("site", "")),
            sections={str(k): str(v) for k, v in dict(raw.get("sections", {})).items()},
            files={str(k): str(v) for k, v in dict(raw.get("files", {})).items()},
            data_files=[str(name) for name in raw.get("data_files", [])],
        )
    except (TypeError, ValueError, AttributeError):
        return Record()


def records_bytes(report: Path) -> dict[str, bytes | None]:
    """The raw manifests of a report (root and language folders): equal bytes before and
    after waiting for the lock mean no build changed the report meanwhile."""
    found: dict[str, bytes | None] = {}
    for name in ("", *i18n.SUPPORTED_LANGS):
        try:
            found[name] = (Path(report) / name / MANIFEST_FILE).read_bytes()
        except OSError:
            found[name] = None
    return found


def write_record(folder: Path, record: Record) -> None:
    material = {
        "format": MANIFEST_FORMAT,
        "site": record.site,
        "sections": dict(sorted(record.sections.items())),
        "files": dict(sorted(record.files.items())),
        "data_files": sorted(record.data_files),
    }
    (Path(folder) / MANIFEST_FILE).write_text(
        json.dumps(material, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def hash_files(folder: Path, names: Iterable[str]) -> dict[str, str]:
    return {name: file_sha256(Path(folder) / name) for name in sorted(names)}


def changed_files(folder: Path, files: Mapping[str, str]) -> set[str]:
    """The recorded files that are missing or whose bytes are not the recorded ones."""
    changed = set()
    for name, sha in files.items():
        path = Path(folder) / name
        if not path.is_file() or file_sha256(path) != sha:
            changed.add(name)
    return changed


def section_of(name: str) -> str:
    """The stem of the section a file of a language folder belongs to (``03_x.html``,
    ``03_x/figures/a.png``, ``notebooks/03_x.ipynb`` → ``03_x``); another name's stem
    otherwise (``index.html`` → ``index``)."""
    first, _, rest = name.partition("/")
    if not rest:
        return Path(name).stem
    return Path(rest).stem if first == EXECUTED_DIR else first


def rendered_pages(stem: str) -> set[str]:
    """A section's files written by rendering (the rest are written by its run)."""
    return {f"{stem}.html", f"{EXECUTED_DIR}/{stem}.html"}


def section_files(lang_dir: Path, stem: str) -> list[str]:
    """Every file of one section in a language folder: what its run wrote (executed
    notebook, figures, tables, summary) and its two rendered pages."""
    names = [f"{EXECUTED_DIR}/{stem}.ipynb", *rendered_pages(stem)]
    names += [p.relative_to(lang_dir).as_posix() for p in visible_files(lang_dir / stem)]
    return sorted(name for name in set(names) if (lang_dir / name).is_file())


def folder_outputs(folder: Path, excluded: Callable[[str], bool]) -> list[str]:
    """The visible files of ``folder`` (relative paths) that ``excluded`` does not claim."""
    names = [p.relative_to(folder).as_posix() for p in visible_files(folder)]
    return [name for name in names if not excluded(name)]


def language_outputs(lang_dir: Path, stems: Iterable[str]) -> list[str]:
    """A language folder's own files: index, provenance, brief, explorer (not sections)."""
    claimed = set(stems)
    return folder_outputs(lang_dir, lambda name: section_of(name) in claimed)


def root_outputs(report: Path) -> list[str]:
    """The report-wide files: data copies, landing page, stylesheet, provenance, README."""
    languages = set(i18n.SUPPORTED_LANGS)
    return folder_outputs(report, lambda name: name.partition("/")[0] in languages)
