"""`draft` against hostile inputs (issue 20, items 1 and 5): pathological lines finish, ids stay
valid for any number of repeats, and the draft is written only where it should be.

The long-line tests use sizes a quadratic pattern would take minutes on (issue 20 measured
40 s for a 60 KB line); they assert only what is drafted: the lead checks the durations.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

from gealc_analysis import cli
from gealc_analysis.core import paths
from gealc_analysis.curation import draft
from gealc_analysis.data import checks, vocabulary
from gealc_analysis.data.contract import field_constraint

LONG = 300_000  # characters: seconds-to-minutes if a pattern retries a run from each position


@pytest.mark.parametrize("blank", [" ", "\t"])
def test_a_long_run_of_blanks_is_cleaned_in_one_pass(blank: str) -> None:
    assert draft.clean_line("a" + blank * LONG + "b") == "a" + blank * LONG + "b"
    assert draft.clean_line("## Heading" + blank * LONG + "###") == "Heading"
    assert draft.clean_line("x" + blank * LONG) == "x"
    assert draft.clean_line("#######") == "#######"  # not a heading: no space before the #s
    assert draft.clean_line("C#") == "C#"


def test_a_resources_text_with_a_long_run_of_blanks_is_split_in_one_pass() -> None:
    assert draft.unrecognised_resource_parts("BID" + " " * LONG + "y fondos CAF") == ["fondos CAF"]
    unsplit = "fondos" + " " * LONG + "CAF"
    assert draft.unrecognised_resource_parts(unsplit) == [unsplit]


def test_a_line_of_tabs_and_digits_in_a_plan_drafts_or_is_refused_with_its_line() -> None:
    below = "3.1) A\n3.1.1) Taller" + "\t" * (draft.MAX_LINE_CHARS - 40) + "Lugar: Virtual.\n"
    result = draft.draft_plan(below, 2030, "es")
    assert list(result.frame["venue_original"]) == ["Virtual."]
    above = "3.1) A\n" + "3.1.1) " * (draft.MAX_LINE_CHARS // 7 + 1) + "\n"
    with pytest.raises(draft.DraftInputError, match=r"^line 2: a line of \d+ characters"):
        draft.draft_plan(above, 2030, "es")


def test_a_text_with_thousands_of_activity_numbers_is_not_a_plan() -> None:
    text = "3.1) A\n" + "3.1.1) Taller. Lugar: Virtual.\n" * (draft.MAX_ACTIVITIES + 1)
    with pytest.raises(draft.DraftInputError, match="more than 5000 activity numbers"):
        draft.draft_plan(text, 2030, "es")


def test_the_command_refuses_an_overlong_line_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text("3.1) A\n" + "3.1.1) " * 700_000 + "\n", encoding="utf-8")
    assert cli.main(["draft", str(plan), "--year", "2030", "--lang", "es"]) == 2
    assert "line 2: a line of 4900000 characters" in capsys.readouterr().err


def test_repeat_suffixes_follow_the_codebook_and_never_run_out() -> None:
    suffixes = [vocabulary.repeat_suffix(n) for n in range(1, 2000)]
    assert suffixes[:4] == ["", "-b", "-c", "-d"]
    assert suffixes[25:28] == ["-z", "-aa", "-ab"]
    assert len(set(suffixes)) == len(suffixes)
    assert all(re.fullmatch(r"(-[a-z]+)?", suffix) for suffix in suffixes)


def test_a_number_printed_thirty_times_gets_thirty_valid_ids() -> None:
    text = "3.1) A\n" + "".join(f"3.1.1) Taller {n}. Lugar: Virtual.\n" for n in range(30))
    ids = list(draft.draft_plan(text, 2030, "es").frame["activity_id"])
    assert len(set(ids)) == 30 and ids[:2] == ["2030-3.1.1", "2030-3.1.1-b"]
    assert ids[25:28] == ["2030-3.1.1-z", "2030-3.1.1-aa", "2030-3.1.1-ab"]
    pattern = field_constraint("plan", "activity_id", "pattern")
    frame = pd.DataFrame(
        {"plan_year": 2030, "source_ref": "3.1.1", "activity_id": [*ids, "2030-3.1.1-a"]}
    )
    made_of = checks._id_made_of_year_and_ref(frame)
    assert list(made_of) == [True] * 30 + [False]  # "-a" is never a repeat: the first has none
    assert all(re.fullmatch(str(pattern), aid) for aid in ids)


# --------------------------------------------------------------------------- where it writes


def _entries(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_out_naming_a_folder_exits_2_and_leaves_nothing_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    assert cli.main(["draft", str(paths.RAW_DIR / _seed(2024)), "--year", "2024",
                     "--out", str(folder)]) == 2  # fmt: skip
    assert "is a folder" in capsys.readouterr().err
    assert _entries(tmp_path) == ["drafts"] and _entries(folder) == []
    assert not list(paths.DATA_DIR.rglob(".*.tmp")) and not list(paths.DATA_DIR.rglob("*.part"))


def _seed(year: int) -> str:
    return draft.seed_plans()[year].name


def test_a_dangling_symlink_as_out_is_an_existing_file_and_force_replaces_the_link_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    victim = elsewhere / "victim.txt"  # does not exist yet: the link dangles
    out = tmp_path / "draft.csv"
    out.symlink_to(victim)
    arguments = ["draft", str(paths.RAW_DIR / _seed(2024)), "--year", "2024", "--out", str(out)]
    assert cli.main(arguments) == 2
    assert "already exists; pass --force" in capsys.readouterr().err
    assert cli.main([*arguments, "--force"]) == 0
    assert not out.is_symlink() and out.read_text(encoding="utf-8").startswith("plan_year,")
    assert not victim.exists() and _entries(elsewhere) == []


def test_a_failed_write_exits_2_and_removes_its_temporary_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    out = tmp_path / "draft.csv"
    arguments = ["draft", str(paths.RAW_DIR / _seed(2020)), "--year", "2020", "--out", str(out)]
    assert cli.main(arguments) == 2
    assert "cannot write the draft (No space left on device)" in capsys.readouterr().err
    assert _entries(tmp_path) == []


def test_pdf_line_joining_is_linear_in_the_paragraph() -> None:
    from gealc_analysis.curation import documents

    assert documents._join_lines(["x" * LONG + "-", "yz"]) == "x" * LONG + "yz"
    assert documents._last_word("a " + "b" * LONG) == "b" * LONG
    many = documents._join_lines(["palabra"] * 100_000)
    assert len(many) == 100_000 * 8 - 1 and many.startswith("palabra palabra")
    assert not documents.PAGE_NUMBER.match("7" + " " * LONG + "x")


def test_out_is_never_the_raw_folder_beside_data_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(paths.DATA_DIR, root)
    registry = root / "raw" / "sources.yaml"
    before = registry.read_bytes()
    arguments = ["draft", str(paths.RAW_DIR / _seed(2024)), "--year", "2024"]
    arguments += ["--out", str(registry), "--force", "--data-dir", str(root / "curated")]
    assert cli.main(arguments) == 2
    assert "will not overwrite a file of the curated folder" in capsys.readouterr().err
    assert registry.read_bytes() == before
