"""Every benchmark runs (issue 19 item 3): each part of ``benchmarks/`` called with tiny sizes,
so a change of the package that breaks a benchmark fails here, not in the closing note.
Nothing here times anything or runs a report build."""

from __future__ import annotations

import shutil
from pathlib import Path

import bench_build  # benchmarks/ is on the path: tests/conftest.py
import inprocess
import pytest
from conftest import small_data_folder

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


def fixture_folder(root: Path, name: str) -> Path:
    folder = root / "notebooks"
    folder.mkdir()
    shutil.copy(FIXTURES / f"{name}.ipynb", folder / f"{name}.ipynb")
    return folder


def test_the_in_process_floor_runs_a_notebook_and_writes_its_outputs(tmp_path: Path) -> None:
    notebooks = fixture_folder(tmp_path, "01_simple")
    data = small_data_folder(tmp_path / "data")
    seconds = inprocess.floor_runs(
        [notebooks / "01_simple.ipynb"], ["es"], tmp_path / "out", data_dir=data
    )
    assert set(seconds) == {inprocess.SETUP, "01_simple es"}
    assert all(value >= 0 for value in seconds.values())
    written = tmp_path / "out" / "es" / "01_simple"
    assert (written / "figures" / "x.png").is_file()
    assert (written / "tables" / "t.csv").read_text(encoding="utf-8") == "a,b\n1,2\n"


@pytest.mark.slow
def test_the_in_process_floor_runs_a_report_notebook(tmp_path: Path) -> None:
    """A real section's code, on the small data, as the benchmark runs it (outside a kernel:
    ``Section`` shows nothing, the charts draw on Agg)."""
    from gealc_analysis.core import paths

    data = small_data_folder(tmp_path / "data")
    notebook = paths.NOTEBOOKS_DIR / "05_semester_load.ipynb"
    seconds = inprocess.floor_runs([notebook], ["en"], tmp_path / "out", data_dir=data)
    assert "05_semester_load en" in seconds
    assert list((tmp_path / "out" / "en" / "05_semester_load" / "figures").glob("*.svg"))


@pytest.mark.slow  # a process of its own, importing the package and validating
def test_the_floor_as_the_build_benchmark_reads_it(tmp_path: Path) -> None:
    """``bench_build`` runs the floor in a process of its own and reads its JSON."""
    notebooks = fixture_folder(tmp_path, "02_second")
    data = small_data_folder(tmp_path / "data")
    seconds = bench_build.inprocess_floor(notebooks, data)
    assert set(seconds) == {"imports", inprocess.SETUP, "02_second en", "02_second es"}


def test_the_benchmarks_arguments() -> None:
    args = bench_build.parse_args(["--jobs", "3", "--only", "07", "--lang", "es", "--no-scaling"])
    assert (args.jobs, args.only, args.lang, args.no_scaling) == (3, "07", "es", True)
    with pytest.raises(SystemExit):
        bench_build.parse_args(["--jobs", "0"])
    floor = inprocess.parse_args(["--only", "03", "--lang", "en", "--json"])
    assert (floor.only, floor.lang, floor.json) == (["03"], "en", True)


def test_the_validation_benchmark_with_tiny_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    bench_build.scaling(["--sizes", "1", "2", "--repeat", "1"])
    printed = capsys.readouterr().out
    assert "validation,     1 plans" in printed
    assert "validation,     2 plans" in printed
    assert "scaling exponent" in printed


@pytest.mark.slow
def test_the_kernel_floor_runs_once(tmp_path: Path) -> None:
    assert bench_build.kernel_floor_seconds(tmp_path, runs=1) > 0
    assert (tmp_path / "trivial-0.html").is_file()


def test_the_build_benchmark_prints_every_ratio(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``bench_build.main`` end to end with stand-ins for the builds and floors (no build)."""
    import gealc_analysis.build

    built: list[dict[str, object]] = []
    monkeypatch.setattr(gealc_analysis.build, "build_report", lambda out, **kw: built.append(kw))
    floor = {"imports": 1.0, inprocess.SETUP: 1.0, "03_funding_dependence en": 1.0}
    monkeypatch.setattr(bench_build, "inprocess_floor", lambda: floor)
    monkeypatch.setattr(bench_build, "kernel_floor_seconds", lambda scratch, runs: 1.0)
    bench_build.main(["--no-scaling"])
    printed = capsys.readouterr().out
    for line in ("in-process floor", "jobs=1", "jobs=2", "speed-up", "no-op", "--only"):
        assert line in printed
    assert [kw.get("jobs") for kw in built] == [1, 2, 1, None]
    assert built[-1]["only"] == ["03_funding_dependence"] and built[-1]["lang"] == "en"
