"""The content-hash cache: a section is kept only when none of its inputs changed.

Each test changes one input (notebook, data, parameters, package source, library versions,
a deleted output) and checks exactly the affected sections run again; nothing changed means
the report is left as it is.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import small_data_folder, snapshot

from gealc_analysis.build import BuildResult, build_report, cache

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
BOTH = ["01_simple", "02_second"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Two fixture notebooks, a small real data folder, and a first build in report/."""
    (tmp_path / "notebooks").mkdir()
    for stem in BOTH:
        shutil.copy(FIXTURES / f"{stem}.ipynb", tmp_path / "notebooks" / f"{stem}.ipynb")
    small_data_folder(tmp_path / "curated")
    first = build(tmp_path)
    assert first.kept == []
    return tmp_path


def build(root: Path, messages: list[str] | None = None, **options: object) -> BuildResult:
    return build_report(
        root / "report",
        data_dir=root / "curated",
        notebooks_dir=root / "notebooks",
        progress=(messages if messages is not None else []).append,
        **options,
    )


def rebuilt(result: BuildResult) -> list[str]:
    return [stem for stem in result.sections if stem not in result.kept]


def test_nothing_changed_keeps_every_section_and_leaves_the_report_untouched(
    project: Path,
) -> None:
    before = snapshot(project / "report")
    messages: list[str] = []
    again = build(project, messages)
    assert rebuilt(again) == []
    assert messages[-1].startswith("Report up to date"), messages
    assert snapshot(project / "report") == before


def test_a_changed_notebook_rebuilds_only_its_section(project: Path) -> None:
    path = project / "notebooks" / "02_second.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("One more sentence."))
    nbformat.write(nb, path)
    assert rebuilt(build(project)) == ["02_second"]
    assert "One more sentence." in (project / "report" / "en" / "02_second.html").read_text("utf-8")


def test_changed_data_rebuilds_every_section(project: Path) -> None:
    plan = project / "curated" / "plan_2024.csv"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # other bytes
    assert rebuilt(build(project)) == BOTH


def test_changed_parameters_rebuild_every_section(project: Path) -> None:
    assert rebuilt(build(project, baseline_year=2024)) == BOTH
    assert rebuilt(build(project, lang="es")) == BOTH


def test_changed_package_source_rebuilds_every_section(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "source_fingerprint", lambda: "another version of the code")
    assert rebuilt(build(project)) == BOTH


def test_changed_library_versions_rebuild_every_section(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    versions = {**cache.library_versions(), "matplotlib": "99.0"}
    monkeypatch.setattr(cache, "library_versions", lambda: versions)
    assert rebuilt(build(project)) == BOTH


def test_a_deleted_output_rebuilds_its_section(project: Path) -> None:
    shutil.rmtree(project / "report" / "en" / "01_simple")
    assert rebuilt(build(project)) == ["01_simple"]
    assert (project / "report" / "en" / "01_simple" / "figures" / "x.png").is_file()


def test_force_rebuilds_every_section(project: Path) -> None:
    assert rebuilt(build(project, force=True)) == BOTH


def test_source_fingerprint_changes_with_any_file_of_the_package(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "templates").mkdir(parents=True)
    (package / "a.py").write_text("x = 1\n", encoding="utf-8")
    (package / "templates" / "page.j2").write_text("{{ x }}", encoding="utf-8")
    first = cache.source_fingerprint(package)
    (package / "templates" / "page.j2").write_text("{{ y }}", encoding="utf-8")
    assert cache.source_fingerprint(package) != first


def test_library_versions_cover_the_libraries_that_draw_and_render() -> None:
    versions = cache.library_versions()
    for name in ("python", "matplotlib", "nbconvert", "papermill", "pandas", "jinja2"):
        assert versions.get(name, "absent") != "absent", name
