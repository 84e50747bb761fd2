"""A build with ``--data-dir`` reads that folder and nothing else: the findings, the brief,
the explorer and the index come from the build's one load of it (issue 16). A copy that does
not validate fails the build with the located problem (exit 2); it never yields a report
silently missing its briefs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import refuse_reading, rewrite_cell
from fakes import FakeExecutor

from gealc_analysis import cli
from gealc_analysis.build import build_report
from gealc_analysis.core import paths

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
COPY_TITLE = "Regional workshop held only in the copied data"


def test_a_copy_whose_alternative_codings_no_longer_match_fails_the_build_with_exit_2(
    curated_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The 2024 3.1.1 workshop also names the OAS: the primary alternative coding at line 86
    # of alternative_codings.csv no longer holds today's value.
    rewrite_cell(
        curated_copy / "plan_2024.csv", "2024-3.1.1", "funding_sources", "idb;member_countries;oas"
    )
    out = tmp_path / "report"
    assert cli.main(["build", "--data-dir", str(curated_copy), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{curated_copy / 'alternative_codings.csv'}:86: value" in err, err
    assert not out.exists()


@pytest.mark.slow
def test_a_build_on_a_copy_reads_only_the_copy_and_writes_both_briefs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build process itself (findings, brief, explorer, index) reads only the copy; the
    notebook runs with the fake executor, since a kernel is another process anyway."""
    FakeExecutor().install(monkeypatch)
    copy = tmp_path / "elsewhere" / "curated"
    shutil.copytree(paths.CURATED_DIR, copy)
    rewrite_cell(copy / "plan_2024.csv", "2024-3.1.1", "title_en", COPY_TITLE)
    rewrite_cell(copy / "plan_2024.csv", "2024-3.1.1", "title_es", COPY_TITLE)
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURES / "01_simple.ipynb", notebooks / "01_simple.ipynb")
    attempts = refuse_reading(paths.CURATED_DIR, monkeypatch)
    messages: list[str] = []

    result = build_report(
        tmp_path / "report", data_dir=copy, notebooks_dir=notebooks, progress=messages.append
    )

    assert attempts == []
    assert not [m for m in messages if "not written" in m], messages
    for lang in ("en", "es"):
        folder = result.out_dir / lang
        assert (folder / "brief.pdf").read_bytes().startswith(b"%PDF"), lang
        assert COPY_TITLE in (folder / "explorer.html").read_text(encoding="utf-8"), lang
        index = (folder / "index.html").read_text(encoding="utf-8")
        assert 'href="brief.pdf"' in index and 'href="explorer.html"' in index, lang
