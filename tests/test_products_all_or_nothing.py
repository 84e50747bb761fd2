"""All or nothing for the products (issue 20, item 4): a brief or explorer that cannot be
written fails the build, and the last good report stays as it was, its brief included.

The build runs for real (folders, lock, pages, index, products, publish) with the notebook
executor replaced by a minimal fake that writes the executed notebook papermill would
(tests/fakes.py of the tests helper does more; this one needs only that), and the brief's
typesetting replaced by a writer of fixed bytes, so no kernel and no Typst run.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest
from conftest import small_data_folder, snapshot
from fakes import fake_execute, memoize_pure_steps

from gealc_analysis.build import BuildError, build_report, execute, products
from gealc_analysis.build.errors import EXIT_USER
from gealc_analysis.products.brief import BriefDoesNotFitError

GOOD_BRIEF = b"%PDF-1.7 the last good brief"


def fixed_brief(bundle: object, *, out_path: Path, **_: object) -> Path:
    """The brief's writer without Typst: fixed bytes."""
    out_path.write_bytes(GOOD_BRIEF)
    return out_path


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small real data folder: no alternative codings, so no multiverse to compute."""
    return small_data_folder(tmp_path_factory.mktemp("data") / "curated")


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    """One good report (fake notebooks, a fixed-bytes brief), built once for the module."""
    out = tmp_path_factory.mktemp("good") / "report"
    with pytest.MonkeyPatch.context() as patch:
        memoize_pure_steps(patch)  # the stylesheet's font subset, once per test process
        patch.setattr(execute, "execute_notebook", fake_execute)
        patch.setattr(products.brief, "write_brief", fixed_brief)
        build_report(out, data_dir=data_dir, lang="en", only=["01"], progress=lambda m: None)
    assert (out / "en" / products.BRIEF_FILE).read_bytes() == GOOD_BRIEF
    return out


@pytest.fixture
def good_report(built_once: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the good report for one test, which rebuilds it with the fake executor
    (:func:`rebuild`, from the same data folder)."""
    memoize_pure_steps(monkeypatch)
    monkeypatch.setattr(execute, "execute_notebook", fake_execute)
    monkeypatch.setattr(products.brief, "write_brief", fixed_brief)
    out = tmp_path / "report"
    shutil.copytree(built_once, out)
    return out


def rebuild(out: Path, data_dir: Path) -> BuildError:
    """Rebuild the report with another build date: the section runs again and every page
    and product of its language is written again (a section run again on unchanged inputs
    would write only its own pages)."""
    with pytest.raises(BuildError) as raised, pytest.MonkeyPatch.context() as later:
        later.setenv("SOURCE_DATE_EPOCH", "1700000000")
        build_report(
            out,
            data_dir=data_dir,
            lang="en",
            only=["01"],
            force=True,
            progress=lambda message: None,
        )
    return raised.value


def test_a_brief_that_does_not_fit_fails_the_build_and_keeps_the_last_report(
    good_report: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(good_report)
    assert products.BRIEF_FILE in (good_report / "en" / "index.html").read_text(encoding="utf-8")

    def too_long(*_: object, **__: object) -> None:
        raise BriefDoesNotFitError("page 1 of the brief needs more than one page")

    monkeypatch.setattr(products.brief, "write_brief", too_long)
    error = rebuild(good_report, data_dir)
    assert error.exit_code == EXIT_USER
    assert "brief.pdf cannot be written: page 1 of the brief needs more than one page" in str(error)
    assert snapshot(good_report) == before  # brief.pdf and the index that links it included
    assert sorted(p.name for p in good_report.parent.iterdir()) == ["report"]


def test_an_explorer_the_disk_refuses_fails_the_build_and_keeps_the_last_report(
    good_report: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(good_report)

    def disk_full(*_: object, out_path: Path, **__: object) -> None:
        out_path.write_bytes(b"<!doctype html><html><body>trunc")  # what a full disk leaves
        raise OSError(errno.ENOSPC, "No space left on device", str(out_path))

    monkeypatch.setattr(products.explorer, "write_explorer", disk_full)
    error = rebuild(good_report, data_dir)
    assert error.exit_code == EXIT_USER
    assert "explorer.html: No space left on device" in str(error)
    assert snapshot(good_report) == before  # the truncated file was never published
    assert sorted(p.name for p in good_report.parent.iterdir()) == ["report"]


def test_an_index_that_cannot_be_written_fails_the_build_and_keeps_the_last_report(
    good_report: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An internal error (exit 1): the failed build is kept beside for reading, the last
    report stays, its brief included."""
    from gealc_analysis.build import site
    from gealc_analysis.build.errors import EXIT_INTERNAL

    before = snapshot(good_report)

    def broken(*_: object, **__: object) -> str:
        raise RuntimeError("the index template broke")

    monkeypatch.setattr(site, "index_html", broken)
    error = rebuild(good_report, data_dir)
    assert error.exit_code == EXIT_INTERNAL and "the index template broke" in str(error)
    assert snapshot(good_report) == before
    assert sorted(p.name for p in good_report.parent.iterdir()) == ["report", "report.failed"]


def test_a_disk_full_while_a_notebook_is_written_publishes_no_truncated_file(
    good_report: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(good_report)

    def disk_full(notebook: Path, executed: Path, *_: object) -> None:
        executed.write_text('{"cells": [{"cell_type": "mark', encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device", str(executed))

    monkeypatch.setattr(execute, "execute_notebook", disk_full)
    error = rebuild(good_report, data_dir)
    assert "No space left on device" in str(error)
    assert snapshot(good_report) == before  # the truncated notebook stays in report.failed
