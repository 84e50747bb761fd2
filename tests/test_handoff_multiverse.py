"""The multiverse travels with the build's bundle: computed once in the build's process, a
kernel that opens the handed-over bundle uses it instead of computing it again."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import small_data_folder

from gealc_analysis.data.bundle import load_bundle
from gealc_analysis.measures import robustness
from gealc_analysis.notebook import handoff


def test_a_kernel_uses_the_multiverse_handed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = small_data_folder(tmp_path / "data")
    bundle = load_bundle(folder, None)
    monkeypatch.setattr(robustness, "_CELLS_CACHE", {})
    target = handoff.write_validated(tmp_path / "validated.pickle", bundle, [(2020, 2024)])
    computed = robustness.bundle_cells(bundle, 2020, 2024)

    monkeypatch.setattr(robustness, "_CELLS_CACHE", {})  # a kernel: nothing computed yet

    def recompute(*args: object) -> None:
        raise AssertionError("the kernel computed the multiverse again")

    monkeypatch.setattr(robustness, "_cells", recompute)
    with handoff.handed_to_kernels(target):
        handed = handoff.load_validated(folder, None)
    assert repr(robustness.bundle_cells(handed, 2020, 2024)) == repr(computed)  # NaN != NaN


def test_other_years_are_computed_not_taken_from_the_handoff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = small_data_folder(tmp_path / "data")
    bundle = load_bundle(folder, None)
    monkeypatch.setattr(robustness, "_CELLS_CACHE", {})
    target = handoff.write_validated(tmp_path / "validated.pickle", bundle)
    assert robustness._CELLS_CACHE == {}  # nothing asked: nothing computed
    with handoff.handed_to_kernels(target):
        handed = handoff.load_validated(folder, None)
    assert robustness._CELLS_CACHE == {}
    assert robustness.bundle_cells(handed, 2020, 2020)  # computed here, as before
