"""One load: every table of a data folder is checked together (``load_bundle``); problems
fail, warnings about the data do not."""

from __future__ import annotations

import shutil

import pytest

from gealc_analysis.core import paths
from gealc_analysis.data import PlanDataError, load_plans, load_themes
from gealc_analysis.data.bundle import load_bundle


def add_unlinked_plan_2028(folder):
    """A copy of the 2024 plan as 2028, with its crosswalk rows, and no lineage for it."""
    text = (folder / "plan_2024.csv").read_text(encoding="utf-8")
    (folder / "plan_2028.csv").write_text(text.replace("2024", "2028"), encoding="utf-8")
    themes = (folder / "themes.csv").read_text(encoding="utf-8")
    extra = [
        line.replace("2024,", "2028,", 1)
        for line in themes.splitlines()
        if line.startswith("2024,")
    ]
    (folder / "themes.csv").write_text(themes + "\n".join(extra) + "\n", encoding="utf-8")


def test_the_curated_folder_has_no_problem_and_no_warning():
    bundle = load_bundle()
    assert bundle.notes == ()
    assert bundle.data_dir == paths.CURATED_DIR and bundle.years == (2020, 2024)
    assert bundle.plans.equals(load_plans()) and bundle.themes.equals(load_themes())
    assert len(bundle.lineage) and len(bundle.alternatives) and len(bundle.theme_kinds)


def test_the_bundle_is_read_only_from_the_folder_given(curated_copy):
    plan = curated_copy / "plan_2024.csv"
    text = plan.read_text(encoding="utf-8")
    title = load_plans(curated_copy)["title_en"].iloc[-1]
    plan.write_text(text.replace(title, "A title only in the copy"), encoding="utf-8")
    bundle = load_bundle(curated_copy)
    assert bundle.data_dir == curated_copy
    assert "A title only in the copy" in set(bundle.plans["title_en"])


def test_the_bundle_is_frozen_and_recoded_by_replacing_frames():
    bundle = load_bundle()
    with pytest.raises(AttributeError):
        bundle.plans = bundle.plans.head(1)  # type: ignore[misc]
    recoded = bundle.replaced(plans=bundle.plans.head(1))
    assert len(recoded.plans) == 1 and len(bundle.plans) > 1
    assert recoded.themes is bundle.themes


def test_problems_of_every_table_are_reported_together(tmp_path):
    for path in paths.CURATED_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    lineage = (tmp_path / "lineage.csv").read_text(encoding="utf-8")
    (tmp_path / "lineage.csv").write_text(
        lineage.replace(",dropped,", ",vanished,", 1), encoding="utf-8"
    )
    kinds = (tmp_path / "theme_kinds.csv").read_text(encoding="utf-8")
    (tmp_path / "theme_kinds.csv").write_text(kinds + "ghost,policy,x\n", encoding="utf-8")
    with pytest.raises(PlanDataError) as caught:
        load_bundle(tmp_path)
    shown = [str(p) for p in caught.value.problems]
    assert any("lineage.csv" in p and "relation" in p and "vanished" in p for p in shown), shown
    assert any("theme_kinds.csv" in p and "ghost" in p for p in shown), shown


def test_an_unlinked_new_plan_is_a_warning_not_a_problem(tmp_path):
    for path in paths.CURATED_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    add_unlinked_plan_2028(tmp_path)
    notes = load_bundle(tmp_path).notes
    assert any("2024 and 2028 are not linked yet" in note for note in notes), notes


def test_validate_fails_on_a_broken_side_table_and_prints_warnings(tmp_path, capsys):
    from gealc_analysis import cli

    for path in paths.CURATED_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    lineage = (tmp_path / "lineage.csv").read_text(encoding="utf-8")
    (tmp_path / "lineage.csv").write_text(
        lineage.replace(",dropped,", ",vanished,", 1), encoding="utf-8"
    )
    assert cli.main(["validate", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "lineage.csv" in err and "vanished" in err, err

    shutil.copy(paths.CURATED_DIR / "lineage.csv", tmp_path / "lineage.csv")
    add_unlinked_plan_2028(tmp_path)
    assert cli.main(["validate", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "warning:" in out and "not linked yet" in out, out
    assert "plan 2028: 41 activities" in out, out


def test_a_warning_about_something_else_is_not_reported_as_one_about_the_data(monkeypatch):
    import warnings

    from gealc_analysis.data import lineage

    real_load = lineage.load_lineage

    def load_with_noise(*args, **kwargs):
        warnings.warn("unclosed event loop", ResourceWarning, stacklevel=1)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(lineage, "load_lineage", load_with_noise)
    assert load_bundle().notes == ()
