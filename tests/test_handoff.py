"""One load per build: the build hands its validated bundle to the notebooks, and a notebook
uses it only when it is the data it was asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from gealc_analysis.core.provenance import data_fingerprint
from gealc_analysis.data import load_plans
from gealc_analysis.data.bundle import DataBundle, load_bundle
from gealc_analysis.notebook import handoff, section

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


@pytest.fixture(scope="module")
def curated_bundle() -> DataBundle:
    """The project's curated data, loaded once for the module (a load is ~0.3 s; the tests
    hand it over for copies of the same files)."""
    return load_bundle()


def handed_over(
    curated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundle: DataBundle
) -> None:
    """Hand over ``bundle`` (the curated data, as ``curated`` holds it: a copy of the same
    files) as the bundle of ``curated``, with a marker column only the handoff adds."""
    marked = bundle.replaced(data_dir=curated, plans=bundle.plans.assign(handed_over=True))
    target = handoff.write_validated(tmp_path / "validated.pickle", marked)
    monkeypatch.setenv(handoff.ENV_VAR, str(target))


def test_open_section_uses_the_frames_the_build_handed_over(
    curated_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    curated_bundle: DataBundle,
) -> None:
    handed_over(curated_copy, tmp_path, monkeypatch, curated_bundle)
    opened = section.open_section("x", data_dir=curated_copy, output_dir=tmp_path / "out")
    assert "handed_over" in opened.plans.columns
    assert "handed_over" in opened.bundle.plans.columns
    assert len(opened.bundle.lineage) and len(opened.bundle.alternatives)


def test_changed_data_is_validated_again_not_served_from_the_handoff(
    curated_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    curated_bundle: DataBundle,
) -> None:
    handed_over(curated_copy, tmp_path, monkeypatch, curated_bundle)
    plan = curated_copy / "plan_2024.csv"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    opened = section.open_section("x", data_dir=curated_copy, output_dir=tmp_path / "out")
    assert "handed_over" not in opened.plans.columns


def test_other_years_are_validated_again_not_served_from_the_handoff(
    curated_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    curated_bundle: DataBundle,
) -> None:
    handed_over(curated_copy, tmp_path, monkeypatch, curated_bundle)
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
    assert opened.bundle.data_dir == curated_copy


def test_the_fingerprint_separates_names_sizes_and_years(tmp_path: Path) -> None:
    """Bytes moved across a file boundary, or a file renamed, or other years: another print."""
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    (one / "plan_2020.csv").write_bytes(b"ab")
    (one / "themes.csv").write_bytes(b"c")
    (two / "plan_2020.csv").write_bytes(b"a")
    (two / "themes.csv").write_bytes(b"bc")
    assert handoff.fingerprint(one, [2020]) != handoff.fingerprint(two, [2020])
    assert handoff.fingerprint(one, [2020]) != handoff.fingerprint(one, [2020, 2024])
    assert handoff.fingerprint(one, None) == handoff.fingerprint(one, [2020])
    before = data_fingerprint(one)  # the provenance's digest: one hash of the data, not two
    (one / "themes.csv").rename(one / "themes2.csv")
    assert data_fingerprint(one) != before


# The build's handoff reaching a real kernel: test_build_kernels.py::
# test_a_build_hands_its_validated_frames_to_the_notebooks (on the shared real fixture build).


@pytest.mark.slow  # a fresh interpreter importing what a warm kernel imports: seconds
def test_a_kernel_given_the_bundle_does_not_import_the_validators(
    tmp_path: Path, curated_bundle: DataBundle
) -> None:
    """What a warm kernel imports, and a section opened on the build's bundle, leave pandera,
    frictionless and the loaders unimported (half a second a kernel, fourteen a build)."""
    import os
    import subprocess
    import sys

    from gealc_analysis.build.kernel import WARM_IMPORTS

    target = handoff.write_validated(tmp_path / "validated.pickle", curated_bundle)
    code = "\n".join(
        [
            "import sys",
            *(f"import {name}" for name in WARM_IMPORTS),
            "from gealc_analysis.notebook.section import open_section",
            f"open_section('x', output_dir={str(tmp_path / 'out')!r})",
            "heavy = ('pandera', 'frictionless', 'pycountry', 'gealc_analysis.data.loading')",
            "print(sorted(name for name in heavy if name in sys.modules))",
        ]
    )
    env = {**os.environ, handoff.ENV_VAR: str(target)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr
