"""Which notebooks make the report, and which of them a build runs (``--only``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gealc_analysis.build.errors import BuildError
from gealc_analysis.build.layout import NOTEBOOK_GLOB


def discover_notebooks(notebooks_dir: Path) -> list[Path]:
    """The report's notebooks: ``NN_name.ipynb`` files, in number order."""
    return sorted(Path(notebooks_dir).glob(NOTEBOOK_GLOB))


def select_notebooks(notebooks: Sequence[Path], only: Sequence[str] | None) -> list[Path]:
    """The notebooks named in ``only`` (full stem, name after the number, or the number).

    Keeps notebook order whatever the order of ``only``; an unknown name fails before
    anything runs, listing what is available, so a typo never costs a build.
    """
    if only is None:
        return list(notebooks)
    chosen: set[Path] = set()
    unknown: list[str] = []
    for name in only:
        matches = [nb for nb in notebooks if name in _names_of(nb.stem)]
        if matches:
            chosen.update(matches)
        else:
            unknown.append(name)
    if unknown:
        available = ", ".join(nb.stem for nb in notebooks) or "none"
        raise BuildError(
            f"unknown notebook {', '.join(map(repr, unknown))}; available: {available}"
        )
    return [nb for nb in notebooks if nb in chosen]


def _names_of(stem: str) -> set[str]:
    """Every name a notebook answers to: "03_funding", "funding" and "03"."""
    number, _, name = stem.partition("_")
    return {stem, number, name}
