"""Names of the files and folders a report is made of, shared by every build module."""

from __future__ import annotations

from pathlib import Path

from gealc_analysis.core import paths

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
# Folders each notebook's output_dir gets before it runs; the index links what they hold.
FIGURES_DIR = paths.FIGURES_DIR
TABLES_DIR = paths.TABLES_DIR
EXECUTED_DIR = "notebooks"
INDEX_FILE = "index.html"
# Every report carries this README (the copy committed in reports/ is the same file), so
# an empty checkout shows where the report lands and a built one explains its layout.
README_FILE = "README.md"
SUMMARY_FILE = paths.SUMMARY_FILE  # key findings a notebook saved (section.Section.headline)

TEMPLATES_DIR: Path = Path(__file__).resolve().parent.parent / "templates"
README_TEMPLATE: Path = TEMPLATES_DIR / "report_README.md"
