"""Where the project's folders are, resolved from this file, never from the current directory.

The package lives in ``<project>/gealc_analysis`` (this file is
``gealc_analysis/core/paths.py``); with an editable install (the Quickstart) the data, notebooks and
reports folders sit beside it, so every command works the same from any working directory.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR: Path = Path(__file__).resolve().parent.parent
PROJECT_ROOT: Path = PACKAGE_DIR.parent
DATA_DIR: Path = PROJECT_ROOT / "data"
CURATED_DIR: Path = DATA_DIR / "curated"
RAW_DIR: Path = DATA_DIR / "raw"
NOTEBOOKS_DIR: Path = PROJECT_ROOT / "notebooks"
REPORTS_DIR: Path = PROJECT_ROOT / "reports"

# Layout of one report section's output folder: written by ``outputs`` and
# ``report.Section``, read by ``build`` for the index page.
FIGURES_DIR = "figures"
TABLES_DIR = "tables"
SUMMARY_FILE = "summary.md"
