"""Provenance: the record that lets a quoted number be traced to its code and data."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from gealc_analysis.core import provenance
from gealc_analysis.words.provenance import provenance_line


def _folder(tmp_path: Path, files: dict[str, bytes]) -> Path:
    data_dir = tmp_path / "curated"
    data_dir.mkdir(parents=True)
    for name, content in files.items():
        (data_dir / name).write_bytes(content)
    return data_dir


def test_fingerprint_is_sha256_over_sorted_names_sizes_and_bytes(tmp_path: Path) -> None:
    data_dir = _folder(tmp_path, {"b.csv": b"2", "a.csv": b"1"})
    expected = hashlib.sha256(b"5:1:a.csv1" + b"5:1:b.csv2").hexdigest()
    assert provenance.data_fingerprint(data_dir) == expected


def test_fingerprint_changes_with_one_byte_or_a_rename(tmp_path: Path) -> None:
    first = provenance.data_fingerprint(_folder(tmp_path / "1", {"plan_2020.csv": b"x,y\n"}))
    edited = provenance.data_fingerprint(_folder(tmp_path / "2", {"plan_2020.csv": b"x,z\n"}))
    renamed = provenance.data_fingerprint(_folder(tmp_path / "3", {"plan_2021.csv": b"x,y\n"}))
    assert len({first, edited, renamed}) == 3


def test_fingerprint_ignores_hidden_files_and_folders(tmp_path: Path) -> None:
    plain = provenance.data_fingerprint(_folder(tmp_path / "1", {"a.csv": b"1"}))
    data_dir = _folder(tmp_path / "2", {"a.csv": b"1", ".~lock.a.csv#": b"editor"})
    (data_dir / "sub").mkdir()
    assert provenance.data_fingerprint(data_dir) == plain


def test_source_date_epoch_sets_the_build_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700611200")  # 2023-11-22 00:00 UTC
    assert provenance.build_date(_folder(tmp_path, {"a.csv": b"1"})) == (
        "2023-11-22",
        "SOURCE_DATE_EPOCH",
    )


def test_a_malformed_source_date_epoch_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH must be a whole number"):
        provenance.build_date(_folder(tmp_path, {"a.csv": b"1"}))


def _git(cwd: Path, *arguments: str, date: str | None = None) -> None:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "PATH": "/usr/bin:/bin",
    }
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *arguments], cwd=cwd, env=env, check=True, capture_output=True)


def test_without_epoch_the_newest_curated_commit_dates_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    data_dir = _folder(tmp_path, {"plan_2020.csv": b"1", "plan_2024.csv": b"2"})
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "curated/plan_2020.csv")
    _git(tmp_path, "commit", "-qm", "old", date="2021-03-04T10:00:00+00:00")
    _git(tmp_path, "add", "curated/plan_2024.csv")
    _git(tmp_path, "commit", "-qm", "new", date="2024-01-15T10:00:00+00:00")
    # an unrelated later commit does not move the data's date
    (tmp_path / "README").write_text("x")
    _git(tmp_path, "add", "README")
    _git(tmp_path, "commit", "-qm", "docs", date="2025-06-01T10:00:00+00:00")
    assert provenance.build_date(data_dir) == ("2024-01-15", "git")


def test_outside_git_the_raw_sources_metadata_dates_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    data_dir = _folder(tmp_path, {"plan_2024.csv": b"1"})
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "SOURCES.md").write_text(
        "| file | date |\n|---|---|\n| a.txt | 30 September 2019 |\n| b.txt | 22 November 2023 |\n",
        encoding="utf-8",
    )
    (raw / "plan.txt").write_text("Held on 1 January 2030", encoding="utf-8")  # not metadata
    assert provenance.build_date(data_dir) == ("2023-11-22", "raw_sources")


def test_with_nothing_dated_the_date_is_none_never_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert provenance.build_date(_folder(tmp_path, {"a.csv": b"1"})) == (None, None)


def test_dates_in_reads_iso_and_english_long_dates_and_skips_impossible_ones() -> None:
    found = provenance.dates_in("2019-09-30; 22 November 2023; 2023-02-30; 31 Smarch 2020")
    assert [date.isoformat() for date in found] == ["2019-09-30", "2023-11-22"]


def test_git_commit_is_none_outside_a_repository(tmp_path: Path) -> None:
    assert provenance.git_commit(tmp_path) is None


def test_record_has_every_field_and_drops_machine_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    data_dir = _folder(tmp_path, {"plan_2020.csv": b"1"})
    prov = provenance.build_provenance(
        data_dir,
        {"data_dir": str(data_dir), "years": [2020, 2024], "lang": "es", "output_dir": "/tmp/x"},
    )
    assert prov["version"] == provenance.package_version()
    assert prov["data_sha256"] == provenance.data_fingerprint(data_dir)
    assert prov["data_files"] == ["plan_2020.csv"]
    assert prov["parameters"] == {"years": [2020, 2024], "lang": "es"}
    assert (prov["build_date"], prov["build_date_source"]) == ("1970-01-01", "SOURCE_DATE_EPOCH")
    assert "git_commit" in prov


def test_record_of_the_same_data_is_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    data_dir = _folder(tmp_path, {"plan_2020.csv": b"1"})
    written = []
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        prov = provenance.build_provenance(data_dir, {"lang": "en"})
        written.append(provenance.write_provenance(prov, tmp_path / name))
    first, second = written
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(first.read_text(encoding="utf-8"))["parameters"] == {"lang": "en"}


def test_provenance_line_in_each_language() -> None:
    prov = {
        "package": "gealc-report",
        "version": "0.1.0",
        "git_commit": "a" * 40,
        "data_sha256": "b" * 64,
        "build_date": "2023-11-22",
    }
    assert provenance_line(prov, "en") == (
        "gealc-report 0.1.0 · commit aaaaaaaaaaaa · data SHA-256 bbbbbbbbbbbb · "
        "report date 2023-11-22"
    )
    assert provenance_line(prov, "es") == (
        "gealc-report 0.1.0 · commit aaaaaaaaaaaa · datos SHA-256 bbbbbbbbbbbb · "
        "fecha del informe 2023-11-22"
    )


def test_provenance_line_names_a_missing_commit_and_date() -> None:
    prov = {
        "package": "gealc-report",
        "version": "0.1.0",
        "git_commit": None,
        "data_sha256": "c" * 64,
        "build_date": None,
    }
    line = provenance_line(prov, "es")
    assert "commit ninguno" in line and "fecha del informe sin indicar" in line
