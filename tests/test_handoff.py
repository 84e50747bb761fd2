"""One validation per build: the build hands its validated frames to the notebooks, and a
notebook uses them only when they are the data it was asked for."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest

from gealc_analysis.build import build_report
from gealc_analysis.data import load_plans, load_themes
from gealc_analysis.notebook import handoff, section

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


def handed_over(curated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hand over the plans of ``curated`` with a marker column only the handoff adds."""
    plans = load_plans(curated).assign(handed_over=True)
    target = handoff.write_validated(
        tmp_path / "validated.pickle", curated, None, plans, load_themes(curated)
    )
    monkeypatch.setenv(handoff.ENV_VAR, str(target))


def test_open_section_uses_the_frames_the_build_handed_over(
    curated_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed_over(curated_copy, tmp_path, monkeypatch)
    opened = section.open_section("x", data_dir=curated_copy, output_dir=tmp_path / "out")
    assert "handed_over" in opened.plans.columns


def test_changed_data_is_validated_again_not_served_from_the_handoff(
    curated_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed_over(curated_copy, tmp_path, monkeypatch)
    plan = curated_copy / "plan_2024.csv"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    opened = section.open_section("x", data_dir=curated_copy, output_dir=tmp_path / "out")
    assert "handed_over" not in opened.plans.columns


def test_other_years_are_validated_again_not_served_from_the_handoff(
    curated_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed_over(curated_copy, tmp_path, monkeypatch)
    opened = section.open_section(
        "x", data_dir=curated_copy, output_dir=tmp_path / "out", years=[2024]
    )
    assert "handed_over" not in opened.plans.columns
    assert opened.years == [2024]


def test_without_a_handoff_a_notebook_validates_on_its_own(
    curated_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(handoff.ENV_VAR, raising=False)
    opened = section.open_section("x", data_dir=curated_copy, output_dir=tmp_path / "out")
    assert opened.plans.equals(load_plans(curated_copy))


@pytest.mark.slow
def test_a_build_hands_its_validated_frames_to_the_notebooks(
    curated_copy: Path, tmp_path: Path
) -> None:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURES / "05_handoff.ipynb", notebooks / "05_handoff.ipynb")
    result = build_report(
        tmp_path / "report",
        data_dir=curated_copy,
        notebooks_dir=notebooks,
        progress=lambda message: None,
    )
    executed = nbformat.read(result.out_dir / "en" / "notebooks" / "05_handoff.ipynb", as_version=4)
    printed = "".join(
        output.get("text", "")
        for cell in executed.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    assert "HANDED=True" in printed and "SAME_PLANS=True" in printed, printed
    assert handoff.ENV_VAR not in os.environ  # only during the build
