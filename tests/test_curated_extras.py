"""The tables beside the plans are checked together: problems fail, warnings do not."""

from __future__ import annotations

import shutil

from gealc_analysis.core import paths
from gealc_analysis.data import load_plans, load_themes
from gealc_analysis.data.bundle import check_curated_extras


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
    problems, warnings = check_curated_extras(load_plans(), load_themes())
    assert problems == [] and warnings == []


def test_problems_of_every_table_are_reported_together(tmp_path):
    for path in paths.CURATED_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    lineage = (tmp_path / "lineage.csv").read_text(encoding="utf-8")
    (tmp_path / "lineage.csv").write_text(
        lineage.replace(",dropped,", ",vanished,", 1), encoding="utf-8"
    )
    kinds = (tmp_path / "theme_kinds.csv").read_text(encoding="utf-8")
    (tmp_path / "theme_kinds.csv").write_text(kinds + "ghost,policy,x\n", encoding="utf-8")
    problems, _ = check_curated_extras(load_plans(tmp_path), load_themes(tmp_path), tmp_path)
    shown = [str(p) for p in problems]
    assert any("lineage.csv" in p and "relation" in p and "vanished" in p for p in shown), shown
    assert any("theme_kinds.csv" in p and "ghost" in p for p in shown), shown


def test_an_unlinked_new_plan_is_a_warning_not_a_problem(tmp_path):
    for path in paths.CURATED_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    add_unlinked_plan_2028(tmp_path)
    problems, warnings = check_curated_extras(load_plans(tmp_path), load_themes(tmp_path), tmp_path)
    assert problems == []
    assert any("2024 and 2028 are not linked yet" in w for w in warnings), warnings


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

    from gealc_analysis.measures import lineage

    real_load = lineage.load_lineage

    def load_with_noise(*args, **kwargs):
        warnings.warn("unclosed event loop", ResourceWarning, stacklevel=1)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(lineage, "load_lineage", load_with_noise)
    problems, notes = check_curated_extras(load_plans(), load_themes())
    assert problems == [] and notes == []
