"""A new funding code and a new area need only data-file edits (issue 16): in a copy of the
data folder, one row of ``funding_codes.csv`` (code, kind of resource, labels) and one row of
``themes.csv`` are added, with a 2024 activity naming both, and the report validates and
builds from that folder (``--data-dir``) without a line of code changed: the labels of the
funding codes are the data's (``i18n.labelling_funding_codes`` in the build,
``i18n.label_funding_codes`` in a notebook), not the project's.

The build is the real pipeline (bundle, multiverse, pages, index, brief, explorer) with the
real notebooks of the two sections that show funding codes and areas, their code run in
this process without kernels (``fakes.run_in_process``): what is tested is what the
notebooks and the products show, not the kernels (``test_build_kernels.py``; a build on
such a folder with kernels was run by hand, see the closing note of issue 19)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from fakes import memoize_pure_steps, run_in_process

from gealc_analysis import cli
from gealc_analysis.build import build_report, execute
from gealc_analysis.core import paths
from gealc_analysis.words import i18n

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


@pytest.mark.slow  # the real notebooks' code (two sections, two languages), in this process
def test_a_new_funding_code_and_area_need_only_data_file_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    curated = tmp_path / "data" / "curated"
    shutil.copytree(paths.CURATED_DIR, curated, ignore=shutil.ignore_patterns("__pycache__"))
    add_a_funding_code_and_an_area(curated)

    assert cli.main(["validate", str(curated)]) == 0, capsys.readouterr()
    checked = capsys.readouterr().out
    assert "plan 2024: 42 activities in 11 areas" in checked, checked

    # The notebooks run here label the codes of their data for the rest of the process: the
    # project's labels come back after the test.
    monkeypatch.setattr(i18n, "_PROCESS_FUNDING_LABELS", list(i18n._PROCESS_FUNDING_LABELS))
    monkeypatch.setattr(execute, "execute_notebook", run_in_process)
    memoize_pure_steps(monkeypatch)
    out = tmp_path / "report"
    messages: list[str] = []
    build_report(out, data_dir=curated, only=["02", "03"], progress=messages.append)

    assert not [m for m in messages if "not written" in m], messages
    for lang, label in (("en", LABEL_EN), ("es", LABEL_ES)):
        tables = "".join(
            path.read_text(encoding="utf-8")
            for path in sorted((out / lang).glob("0[23]_*/tables/*.csv"))
        )
        assert AREA in tables and label in tables, lang
        assert label in (out / lang / "explorer.html").read_text(encoding="utf-8"), lang
        assert (out / lang / "brief.pdf").read_bytes().startswith(b"%PDF"), lang
