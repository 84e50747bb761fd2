"""A build whose notebooks run on kernels hands the bundle over first and the multiverse once
computed (issue 19, speed: the multiverse no longer delays the first notebook). A kernel
waits for the multiverse only when its section asks for it, then uses the build's, never
computing it again; if the build could not compute it, the kernel computes what it needs."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import small_data_folder

from gealc_analysis.build import pipeline
from gealc_analysis.data.bundle import DataBundle, load_bundle
from gealc_analysis.measures import robustness
from gealc_analysis.notebook import handoff


def _no_recompute(*_: object) -> Any:
    raise AssertionError("the kernel computed the multiverse again")


@pytest.fixture
def bundle(tmp_path: Path) -> DataBundle:
    return load_bundle(small_data_folder(tmp_path / "data"), None)


def test_a_kernel_opens_its_section_before_the_multiverse_is_written_and_uses_it_after(
    tmp_path: Path, bundle: DataBundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(robustness, "_CELLS_CACHE", {})
    expected = repr(robustness.bundle_cells(bundle, 2020, 2024))
    monkeypatch.setattr(robustness, "_CELLS_CACHE", {})
    target = handoff.write_bundle_first(tmp_path / "validated.pickle", bundle)
    assert not handoff.cells_file(target).exists()

    monkeypatch.setattr(robustness, "_PENDING", [])  # a kernel: nothing remembered yet
    with handoff.handed_to_kernels(target):
        handed = handoff.load_validated(bundle.data_dir, None)  # does not wait
    assert robustness._CELLS_CACHE == {}
    assert len(robustness._PENDING) == 1  # asked for on the first miss only

    # The build writes the multiverse while the kernel waits for it (a thread here).
    monkeypatch.setattr(robustness, "_CELLS_CACHE", {})
    writer = threading.Thread(
        target=handoff.write_cells, args=(target, bundle, [(2020, 2024)]), daemon=True
    )
    writer.start()
    writer.join()
    monkeypatch.setattr(robustness, "_CELLS_CACHE", {})  # the kernel's memo, still empty
    monkeypatch.setattr(robustness, "_cells", _no_recompute)
    assert repr(robustness.bundle_cells(handed, 2020, 2024)) == expected  # NaN != NaN
    assert robustness._PENDING == []


def test_a_multiverse_that_failed_leaves_no_kernel_waiting(
    tmp_path: Path, bundle: DataBundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = handoff.write_bundle_first(tmp_path / "validated.pickle", bundle)

    def fails(*_: object) -> Any:
        raise RuntimeError("no multiverse")

    monkeypatch.setattr(robustness, "computed_cells", fails)
    with pytest.raises(RuntimeError, match="no multiverse"):
        handoff.write_cells(target, bundle, [(2020, 2024)])
    assert handoff.cells_file(target).is_file()  # empty: a waiting kernel goes on
    monkeypatch.setattr(robustness, "_CELLS_CACHE", {})
    monkeypatch.setattr(robustness, "_PENDING", [])
    with handoff.handed_to_kernels(target):
        handed = handoff.load_validated(bundle.data_dir, None)
    assert robustness.bundle_cells(handed, 2020, 2024)  # computed by the kernel itself


class _Pool:
    """What ``_handed_over`` asks of the build's warm kernels: how many are to run, start."""

    def __init__(self, left: int) -> None:
        self.left = left
        self.started = False

    def start(self) -> None:
        self.started = True


def test_the_build_computes_the_multiverse_beside_its_kernels_and_has_it_for_its_pages(
    bundle: DataBundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(robustness, "_CELLS_CACHE", {})
    pool = _Pool(left=2)
    with pipeline._handed_over(bundle, (2020, 2024), pool) as multiverse_ready:  # type: ignore[arg-type]
        target = Path(handoff.os.environ[handoff.ENV_VAR])
        assert pool.started
        multiverse_ready()  # what the runner calls before the pages are written
        assert handoff.cells_file(target).is_file()
        monkeypatch.setattr(robustness, "_cells", _no_recompute)
        assert robustness.bundle_cells(bundle, 2020, 2024)  # in this process's memo


def test_without_kernels_the_multiverse_is_handed_over_with_the_bundle(
    bundle: DataBundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(robustness, "_CELLS_CACHE", {})
    with pipeline._handed_over(bundle, (2020, 2024), None) as multiverse_ready:
        target = Path(handoff.os.environ[handoff.ENV_VAR])
        assert robustness._CELLS_CACHE  # computed before the block
        assert not handoff.cells_file(target).exists()
        multiverse_ready()


def test_a_failed_multiverse_fails_the_build_where_its_pages_would_read_it(
    bundle: DataBundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(*_: object) -> Any:
        raise RuntimeError("no multiverse")

    monkeypatch.setattr(robustness, "computed_cells", fails)
    with (
        pytest.raises(RuntimeError, match="no multiverse"),
        pipeline._handed_over(bundle, (2020, 2024), _Pool(left=1)) as multiverse_ready,  # type: ignore[arg-type]
    ):
        multiverse_ready()
