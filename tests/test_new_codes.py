"""A new funding code and a new area need only data-file edits (issue 16): in a copy of the
project, one row of ``funding_codes.csv`` (code, kind of resource, labels) and one row of
``themes.csv`` are added, with a 2024 activity naming both, and the report validates and
builds from that copy without a line of code changed.

The copy's package must be the one that runs (its vocabulary and label catalogue are read
from its own data folder when imported), so the command runs in a fresh interpreter on the
copy; the build is the real pipeline (bundle, multiverse, pages, index, brief, explorer) with
the real notebooks of the two sections that show funding codes and areas, their code run in
that process without kernels (``python tests/fakes.py --in-process``): what is tested is what
the notebooks and the products show, not the kernels (``test_build_kernels.py``)."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gealc_analysis import cli
from gealc_analysis.core import paths

CODE, LABEL_EN, LABEL_ES = "caf", "CAF development bank", "Banco de desarrollo CAF"
AREA, AREA_NAME = "3.11", "Cooperación regional"
ACTIVITY = f"2024-{AREA}.1"


def append_row(path: Path, row: dict[str, str]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, header, lineterminator="\n").writerow(row)


def row_of(path: Path, **cells: str) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(row for row in csv.DictReader(handle) if cells.items() <= row.items())


def add_a_funding_code_and_an_area(curated: Path) -> None:
    """Edit data files only: the new code, the new area, an activity of both, its lineage."""
    append_row(
        curated / "funding_codes.csv",
        {
            "code": CODE,
            "kind": "cash",
            "label_en": LABEL_EN,
            "label_es": LABEL_ES,
            "note": "Development Bank of Latin America funds (a test's new source).",
        },
    )
    theme = row_of(
        curated / "themes.csv", plan_year="2024", area_code="3.8"
    )  # 2024's cross-cutting area
    append_row(
        curated / "themes.csv",
        {
            **theme,
            "area_code": AREA,
            "area_name": AREA_NAME,
            "area_name_en": "Regional cooperation",
            "area_name_es": AREA_NAME,
            "relation": "new",
            "related_areas": "",
            "notes": "A test's new area.",
        },
    )
    activity = row_of(curated / "plan_2024.csv", activity_id="2024-3.8.1")
    append_row(
        curated / "plan_2024.csv",
        {
            **activity,
            "activity_id": ACTIVITY,
            "source_ref": f"{AREA}.1",
            "area_code": AREA,
            "area_name": AREA_NAME,
            "funding_sources": CODE,
            "idb_instrument": "",
            "resources_original": "Fondos CAF.",
            "notes": "",
        },
    )
    append_row(
        curated / "lineage.csv",
        {
            "from_year": "2020",
            "from_activity_id": "",
            "to_year": "2024",
            "to_activity_id": ACTIVITY,
            "relation": "new",
            "note": "A test's new activity.",
            "note_es": "Una actividad nueva de la prueba.",
        },
    )


FAKES = Path(__file__).parent / "fakes.py"


def run(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """``gealc-report`` of the copied project (its package first on the path), the notebooks'
    code run in that process (``fakes.py --in-process``)."""
    return subprocess.run(
        [sys.executable, str(FAKES), "--in-process", *arguments],
        cwd=project.parent,  # not the project's own folder: its package must be the copy's
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


@pytest.mark.slow  # the real notebooks' code (two sections, two languages), in a fresh process
def test_a_new_funding_code_and_area_need_only_data_file_edits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(paths.PACKAGE_DIR, project / paths.PACKAGE_DIR.name, ignore=ignore)
    shutil.copytree(paths.DATA_DIR, project / "data", ignore=ignore)
    shutil.copytree(paths.NOTEBOOKS_DIR, project / "notebooks", ignore=ignore)
    add_a_funding_code_and_an_area(project / "data" / "curated")

    # The edited folder validates (here, in this process: the loader reads a folder's own
    # funding codes); the build below validates it again as the copy's default data.
    assert cli.main(["validate", str(project / "data" / "curated")]) == 0, capsys.readouterr()
    checked = capsys.readouterr().out
    assert "plan 2024: 42 activities in 11 areas" in checked, checked

    out = tmp_path / "report"
    built = run(project, "build", "--out", str(out), "--only", "02", "--only", "03")
    assert built.returncode == 0, built.stdout + built.stderr
    assert "not written" not in built.stdout, built.stdout
    for lang, label in (("en", LABEL_EN), ("es", LABEL_ES)):
        tables = "".join(
            path.read_text(encoding="utf-8")
            for path in sorted((out / lang).glob("0[23]_*/tables/*.csv"))
        )
        assert AREA in tables and label in tables, lang
        assert label in (out / lang / "explorer.html").read_text(encoding="utf-8"), lang
        assert (out / lang / "brief.pdf").read_bytes().startswith(b"%PDF"), lang
