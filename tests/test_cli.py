"""The `gealc-report` command as a person runs it: from any folder, with clear exits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import rewrite_cell

from gealc_analysis import cli, narrative, paths
from gealc_analysis.analysis import funding_dependence
from gealc_analysis.data import load_plans

BIN = Path(sys.executable).parent


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed console script, run in ``cwd`` (not the project folder)."""
    return subprocess.run([str(BIN / "gealc-report"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600, check=False)


def test_validate_prints_one_summary_line_per_plan(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "plan 2020: 28 activities in 9 areas, 7 themes, 124 events a year; valid"
    assert out[1] == "plan 2024: 41 activities in 10 areas, 10 themes, 67 events a year; valid"
    assert out[2] == "themes crosswalk: 19 areas, 10 themes; valid"


def test_validate_reports_every_problem_and_exits_1(
    curated_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = rewrite_cell(curated_copy / "plan_2024.csv", "2024-3.1.1", "timing", "soon")
    assert cli.main(["validate", str(curated_copy)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "1 problem in the curated data:"
    assert f"plan_2024.csv:{line}: timing: expected one of S1, S2, year_round, tbd" in err


def test_validate_one_year_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", "--years", "2024"]) == 0
    assert capsys.readouterr().out.startswith("plan 2024: 41 activities")


def test_a_malformed_years_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["validate", "--years", "twenty"])
    assert caught.value.code == 2
    assert "expected comma-separated years like 2020,2024" in capsys.readouterr().err


def test_console_script_validates_from_another_folder(tmp_path: Path) -> None:
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "plan 2024: 41 activities" in result.stdout


def test_build_rejects_a_baseline_year_without_a_plan(tmp_path: Path) -> None:
    result = run("build", "--out", str(tmp_path / "report"), "--baseline-year", "1999",
                 cwd=tmp_path)
    assert result.returncode == 1
    assert "build failed: baseline year 1999 is not among the build years [2020, 2024]" \
        in result.stderr
    assert not (tmp_path / "report").exists()


def test_build_one_spanish_section_from_another_folder(tmp_path: Path) -> None:
    result = run("build", "--only", "03", "--lang", "es", "--out", "report", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "[1/1] 03_funding_dependence" in result.stdout
    html = (tmp_path / "report" / "es" / "03_funding_dependence.html").read_text(
        encoding="utf-8")
    assert not (tmp_path / "report" / "en").exists()  # --lang es touches es/ only
    funding = funding_dependence(load_plans())
    idb_2024 = funding[(funding["source"] == "idb") & (funding["plan_year"] == 2024)
                       & (funding["measure"] == "any_touch")].iloc[0]
    assert f"el BID financia <strong>{narrative.percent(idb_2024.share, 'es')}</strong>" in html
    # the page's prose is the Spanish cells only, and its header is Spanish too
    assert '<h1 id="Dependencia-de-las-fuentes-de-financiamiento">' in html
    assert "Dependence on funding sources" not in html
    assert "Parámetros: años 2020, 2024 · año base 2020 · comparación 2024 · idioma es" in html
    assert "Planes de trabajo de la Red GEALC: 2020 → 2024" in (
        tmp_path / "report" / "es" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "report" / "es" / "03_funding_dependence" / "figures"
            / "funding_dependence.svg").is_file()


def test_frictionless_command_validates_the_package() -> None:
    result = subprocess.run([str(BIN / "frictionless"), "validate", "datapackage.json"],
                            cwd=paths.DATA_DIR, capture_output=True, text=True, timeout=600,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
