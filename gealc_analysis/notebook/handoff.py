"""The build's one load handed to its notebooks: one validation per build.

The build loads and validates the data folder once (:func:`gealc_analysis.data.bundle.load_bundle`),
then pickles the :class:`~gealc_analysis.data.bundle.DataBundle` into a private temporary
file and names it in the environment variable :data:`ENV_VAR`, which every kernel it starts
inherits. :func:`load_validated` (called by ``section.open_section``) uses that bundle when
its fingerprint matches the data folder and years the notebook asks for, and otherwise loads
and validates on its own, so a notebook run by hand with papermill, or pointed at other data,
still validates its data.

The multiverse of the build's comparison (``measures.robustness``, the costliest measure) is
computed once in the build's process and handed over with the bundle, so the robustness
section's kernels of every language and the build's own index and brief share one
computation (keyed by the content of its inputs, so it serves only those). A build whose
notebooks run on kernels writes the bundle first and the multiverse when it is computed
(:func:`write_bundle_first`, :func:`write_cells`), so its first notebooks need not wait for
it: a kernel waits for it only when its section first asks for the multiverse.
"""

from __future__ import annotations

import functools
import os
import pickle
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gealc_analysis.core import paths
from gealc_analysis.core.outputs import write_bytes_atomically
from gealc_analysis.core.provenance import data_fingerprint
from gealc_analysis.data import available_years
from gealc_analysis.data.bundle import DataBundle, load_bundle
from gealc_analysis.measures import robustness

ENV_VAR = "GEALC_REPORT_VALIDATED_DATA"


def fingerprint(data_dir: Path | str | None, years: Iterable[int] | None) -> str:
    """:func:`~gealc_analysis.core.provenance.data_fingerprint` of the data folder and the
    years asked for (every plan year of the folder if None)."""
    folder = Path(data_dir) if data_dir is not None else paths.CURATED_DIR
    if not folder.is_dir():
        return "no folder"
    chosen = sorted(set(years)) if years is not None else available_years(folder)
    return data_fingerprint(folder, chosen)


def write_validated(
    target: Path, bundle: DataBundle, comparisons: Sequence[tuple[int, int]] = ()
) -> Path:
    """Pickle a loaded bundle with the fingerprint of the data it came from and its
    multiverse for each (baseline, compare) year pair of ``comparisons`` (the build passes
    its own; none: a notebook computes what it needs)."""
    return _write_payload(target, bundle, robustness.computed_cells(bundle, comparisons))


def write_bundle_first(target: Path, bundle: DataBundle) -> Path:
    """:func:`write_validated` without the multiverse, which follows in :func:`cells_file`
    (:func:`write_cells`): the build's kernels can open their sections at once, while the
    build computes it; a kernel waits for it only when its section needs it."""
    return _write_payload(target, bundle, None)


def cells_file(target: Path) -> Path:
    """Where the multiverse handed over in ``target`` follows (:func:`write_bundle_first`)."""
    return target.with_name(f"{target.name}.cells")


def write_cells(
    target: Path,
    bundle: DataBundle,
    comparisons: Sequence[tuple[int, int]],
) -> None:
    """Compute the multiverse ``target`` announced and write it to :func:`cells_file` in one
    step (a kernel never reads half of it). If computing it fails, an empty set is written
    first, so no kernel waits for it; the kernel computes what it needs (and fails as the
    build does), and the error is raised here."""
    try:
        cells = robustness.computed_cells(bundle, comparisons)
    except BaseException:
        write_bytes_atomically(cells_file(target), pickle.dumps({}))
        raise
    data = pickle.dumps(cells, protocol=pickle.HIGHEST_PROTOCOL)
    write_bytes_atomically(cells_file(target), data)


def _write_payload(target: Path, bundle: DataBundle, cells: dict[str, Any] | None) -> Path:
    payload = {
        "fingerprint": fingerprint(bundle.data_dir, bundle.years),
        "bundle": bundle,
        "cells": cells,  # None: they follow in cells_file(target)
    }
    with target.open("wb") as handle:
        pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return target


@contextmanager
def handed_to_kernels(target: Path) -> Iterator[None]:
    """Name ``target`` in :data:`ENV_VAR` while the block runs (kernels inherit it)."""
    previous = os.environ.get(ENV_VAR)
    os.environ[ENV_VAR] = str(target)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(ENV_VAR, None)
        else:
            os.environ[ENV_VAR] = previous


def handed_over(data_dir: Path | str | None, years: Iterable[int] | None) -> DataBundle | None:
    """The bundle the build handed over, if it is of this data folder and these years."""
    location = os.environ.get(ENV_VAR)
    if not location or not Path(location).is_file():
        return None
    try:
        with Path(location).open("rb") as handle:
            payload = pickle.load(handle)  # written by this package's own build, 0600
    except (OSError, pickle.UnpicklingError, EOFError):
        return None
    if payload.get("fingerprint") != fingerprint(data_dir, years):
        return None
    bundle = payload.get("bundle")
    if not isinstance(bundle, DataBundle):
        return None
    cells = payload.get("cells", {})
    if cells is None:
        robustness.remember_cells_later(functools.partial(_cells_when_written, Path(location)))
    else:
        robustness.remember_cells(cells)
    return bundle


# Seconds a kernel waits for the multiverse the build is computing before computing it itself
# (the build computes it in seconds; a build that died leaves no kernel to wait).
CELLS_WAIT_SECONDS = 600.0
CELLS_POLL_SECONDS = 0.05


def _cells_when_written(target: Path) -> dict[str, Any]:
    """The multiverse the build writes to ``cells_file(target)``, once written; nothing if
    it does not come (the section then computes what it needs)."""
    path = cells_file(target)
    deadline = time.monotonic() + CELLS_WAIT_SECONDS
    while not path.is_file():
        if time.monotonic() > deadline or not target.is_file():
            return {}
        time.sleep(CELLS_POLL_SECONDS)
    try:
        with path.open("rb") as handle:
            cells = pickle.load(handle)  # written by this package's own build
    except (OSError, pickle.UnpicklingError, EOFError):
        return {}
    return cells if isinstance(cells, dict) else {}


def load_validated(
    data_dir: Path | str | None = None, years: Iterable[int] | None = None
) -> DataBundle:
    """The data of a section: the bundle handed over by the build when it matches, else
    loaded and validated here (:func:`~gealc_analysis.data.bundle.load_bundle`)."""
    years = list(years) if years is not None else None
    handed = handed_over(data_dir, years)
    if handed is not None:
        return handed
    return load_bundle(data_dir, years)
