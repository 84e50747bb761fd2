"""Validated data handed from the build to its notebooks: one validation per build.

The build validates the curated data once, then pickles the typed frames into a private
temporary file and names it in the environment variable :data:`ENV_VAR`, which every kernel
it starts inherits. :func:`load_validated` (called by ``section.open_section``) uses those
frames when the file's fingerprint matches the data folder and years the notebook asks for,
and otherwise loads and validates on its own, so a notebook run by hand with papermill, or
pointed at other data, still validates its data.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from gealc_analysis.core import paths
from gealc_analysis.data import available_years, load_plans, load_themes

ENV_VAR = "GEALC_REPORT_VALIDATED_DATA"
# What the fingerprint covers: every file the loaders read from the data folder.
DATA_FILE_GLOB = "*.csv"


def fingerprint(data_dir: Path | str | None, years: Iterable[int] | None) -> str:
    """SHA-256 over the data folder's CSV files (names and bytes) and the years asked for."""
    folder = Path(data_dir) if data_dir is not None else paths.CURATED_DIR
    chosen = sorted(set(years)) if years is not None else available_years(folder)
    digest = hashlib.sha256(repr(chosen).encode())
    for path in sorted(folder.glob(DATA_FILE_GLOB)):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def write_validated(
    target: Path,
    data_dir: Path | str | None,
    years: Iterable[int] | None,
    plans: pd.DataFrame,
    themes: pd.DataFrame,
) -> Path:
    """Pickle validated frames with the fingerprint of the data they came from."""
    payload = {"fingerprint": fingerprint(data_dir, years), "plans": plans, "themes": themes}
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


def _handed_over(
    data_dir: Path | str | None, years: Iterable[int] | None
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
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
    return payload["plans"], payload["themes"]


def load_validated(
    data_dir: Path | str | None = None, years: Iterable[int] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plans and themes: handed over by the build when they match, else loaded here."""
    years = list(years) if years is not None else None
    handed = _handed_over(data_dir, years)
    if handed is not None:
        return handed
    return load_plans(data_dir, years), load_themes(data_dir)
