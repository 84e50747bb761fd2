"""The `gealc-report` command as a person runs it: from any folder, with clear exits."""

from __future__ import annotations

import errno
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import rewrite_cell, small_data_folder
from fakes import FAKE_FIGURE, HANG_STARTED, FakeExecutor, fake_execute, keep_briefs_in

from gealc_analysis import cli
from gealc_analysis.build import build_report, kernel
from gealc_analysis.build import execute as execute_module
from gealc_analysis.core import paths

BIN = Path(sys.executable).parent
FAKES = Path(__file__).parent / "fakes.py"  # gealc-report with the fake executor


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed console script, run in ``cwd`` (not the project folder)."""
    return subprocess.run(
        [str(BIN / "gealc-report"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_validate_prints_one_summary_line_per_plan(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate"]) == 0
    out = capsys.readouterr().out.splitlines()
    events = "events a year (event-type rows); valid"
    assert out[0] == f"plan 2020: 28 activities in 9 areas, 8 themes, 108 {events}"
    assert out[1] == f"plan 2024: 41 activities in 10 areas, 10 themes, 47 {events}"
    assert out[2] == "themes crosswalk: 19 areas, 11 themes; valid"


def test_validate_reports_every_problem_and_exits_2(
    curated_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = rewrite_cell(curated_copy / "plan_2024.csv", "2024-3.1.1", "timing", "soon")
    assert cli.main(["validate", str(curated_copy)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "1 problem in the curated data:"
    assert f"plan_2024.csv:{line}: timing: expected one of S1, S2, year_round, tbd" in err


def test_validate_one_year_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", "--years", "2024"]) == 0
    assert capsys.readouterr().out.startswith("plan 2024: 41 activities")


def test_a_malformed_years_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["validate", "--years", "twenty"])
    assert caught.value.code == 2
    assert "expected comma-separated years like 2020,2024" in capsys.readouterr().err


def test_console_script_validates_from_another_folder(tmp_path: Path) -> None:
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "plan 2024: 41 activities" in result.stdout


def run_fake(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``gealc-report`` with the fake executor (``python tests/fakes.py [options] …``), run
    in ``cwd``: the real command and pipeline, notebooks run without kernels."""
    return subprocess.run(
        fake_command(*args), cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )


def fake_command(*args: str) -> list[str]:
    return [sys.executable, str(FAKES), *args]


@pytest.mark.slow  # a build in a fresh interpreter (seconds), though with the fake executor
def test_build_one_spanish_section_from_another_folder(tmp_path: Path) -> None:
    """The command's own paths (the project's notebooks, ``--out`` relative to the folder it
    runs in), ``--only`` and ``--lang``: with the fake executor, whose run shows the language
    it was given. What the real notebook writes on that page is checked on the session's
    build, in ``test_report_end_to_end.py`` (the Spanish funding page's test).

    The data is a small folder without alternative codings (``--data-dir``): on the curated
    data the command would compute the multiverse for the index's findings, two thirds of
    its time, which this test does not read. That the build's default data folder is the
    project's own is the session build's (it passes none; its copies of the data are the
    curated files), and that the default holds from another folder is
    ``test_console_script_validates_from_another_folder`` (the same ``paths.CURATED_DIR``).
    """
    data = small_data_folder(tmp_path / "data")
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    result = run_fake(
        *("build", "--only", "03", "--lang", "es", "--data-dir", str(data), "--out", "report"),
        cwd=cwd,
    )
    assert result.returncode == 0, result.stderr
    assert "[1/1] 03_funding_dependence" in result.stdout
    html = (cwd / "report" / "es" / "03_funding_dependence.html").read_text(encoding="utf-8")
    assert not (cwd / "report" / "en").exists()  # --lang es touches es/ only
    assert "Fake output of <strong>03_funding_dependence</strong> in es." in html
    # the page's prose is the Spanish cells only, and its header is Spanish too
    assert '<h1 id="Dependencia-del-financiamiento">' in html
    assert "Funding exposure" not in html
    assert "Parámetros: años 2020, 2024 · año base 2020 · comparación 2024 · idioma es" in html
    assert "Planes de trabajo de la Red GEALC: 2020 → 2024" in (
        cwd / "report" / "es" / "index.html"
    ).read_text(encoding="utf-8")
    section = cwd / "report" / "es" / "03_funding_dependence"
    assert (section / "figures" / f"{FAKE_FIGURE}.svg").is_file()
    assert sorted(path.name for path in cwd.iterdir()) == ["report"]  # nothing else


def test_frictionless_command_validates_the_package() -> None:
    result = subprocess.run(
        [str(BIN / "frictionless"), "validate", "datapackage.json"],
        cwd=paths.DATA_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------- exit codes and faults

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


def fixture_notebooks(root: Path, *names: str) -> Path:
    folder = root / "notebooks"
    folder.mkdir()
    for name in names:
        shutil.copy(FIXTURES / f"{name}.ipynb", folder / f"{name}.ipynb")
    return folder


def test_help_lists_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["build", "--help"])
    text = capsys.readouterr().out
    for code, _meaning in cli.EXIT_CODES:
        assert re.search(rf"^\s+{code}\s+\S", text, flags=re.MULTILINE), f"exit code {code}"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--only", "nope"], "unknown notebook 'nope'; available: 01_overview"),
        (["--compare-year", "1999"], "compare year 1999 is not among the build years"),
        (
            ["--baseline-year", "1999"],
            "build failed: baseline year 1999 is not among the build years [2020, 2024]",
        ),
        (["--years", "2020,2031"], "2031"),
        (["--data-dir", "no/such/folder"], "no/such/folder"),
    ],
)
def test_user_fixable_build_problems_exit_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    code = cli.main(["build", "--out", str(tmp_path / "report"), *arguments])
    err = capsys.readouterr().err
    assert code == 2, err
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "report").exists()


@pytest.mark.parametrize(
    "option",
    [
        ["--jobs", "0"],
        ["--jobs", "65"],
        ["--jobs", "\u0663"],  # an Arabic-Indic 3: int() would take it
        ["--jobs", "inf"],
        ["--cell-timeout", "-1"],
        ["--cell-timeout", "soon"],
        ["--cell-timeout", "2.5"],  # nbclient's timeout is whole seconds
        ["--cell-timeout", "1e308"],
        ["--cell-timeout", "nan"],
        ["--cell-timeout", "inf"],
        ["--cell-timeout", "0"],
        ["--cell-timeout", "604801"],
        ["--cell-timeout", "9" * 5000],  # beyond int()'s digit limit
        ["--wait", "x"],
        ["--wait", "-1"],
        ["--wait", "nan"],
        ["--baseline-year", "99999999999999999999"],
        ["--compare-year", "-2024"],
        ["--compare-year", "2020,2024"],
    ],
)
def test_bad_option_values_are_usage_errors(
    option: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["build", *option])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option[0]}: expected a" in err
    assert "Traceback" not in err


def test_wait_takes_whole_seconds_and_says_so_for_half_a_second(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        cli.main(["build", "--wait", "0.5"])
    err = capsys.readouterr().err
    assert "--wait: expected a whole number from 0 to 604800" in err
    assert "at most 0 s" not in err


@pytest.fixture
def recorded_builds(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """``build_report`` replaced by a recorder: what the command would have built."""
    import gealc_analysis.build as build

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(build, "build_report", lambda out, **kwargs: calls.append(kwargs))
    return calls


def test_numeric_options_reach_the_build_as_the_types_it_uses(
    recorded_builds: list[dict[str, object]], tmp_path: Path
) -> None:
    arguments = ["--cell-timeout", "30", "--wait", "0", "--jobs", "2", "--baseline-year", "2020"]
    assert cli.main(["build", "--out", str(tmp_path / "r"), *arguments]) == 0
    (call,) = recorded_builds
    assert (call["cell_timeout"], call["lock_timeout"], call["jobs"]) == (30, 0, 2)
    assert all(type(call[k]) is int for k in ("cell_timeout", "lock_timeout", "jobs"))
    assert call["baseline_year"] == 2020


@pytest.mark.parametrize(
    "epoch", ["garbage", "-1", "1.5", "99999999999", "4133980800", "\u0661\u0662", "1e9"]
)
def test_a_bad_source_date_epoch_is_exit_2_before_any_kernel_starts(
    epoch: str,
    recorded_builds: list[dict[str, object]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert cli.main(["build", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970" in err
    assert f"found {epoch!r}" in err
    assert recorded_builds == []  # nothing started


@pytest.mark.parametrize("epoch", ["0", "1700611200", "4133980799", " 86400 "])
def test_a_source_date_epoch_from_1970_to_2100_is_accepted(
    epoch: str,
    recorded_builds: list[dict[str, object]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert cli.main(["build", "--out", str(tmp_path / "r")]) == 0
    assert len(recorded_builds) == 1


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "/r/en/tables/t.csv"), "No space"),
        (PermissionError(errno.EACCES, "Permission denied", "/r/en/index.html"), "Permission"),
        (OSError(errno.EROFS, "Read-only file system", "/r/en"), "Read-only"),
    ],
)
def test_a_full_disk_or_a_refused_permission_is_exit_2_naming_the_path(
    error: OSError,
    words: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    import gealc_analysis.build as build
    from gealc_analysis.build import BuildError

    def failing(*_args: object, **_kwargs: object) -> None:
        # As the pipeline wraps what broke while writing the staging folder.
        try:
            raise error
        except OSError as cause:
            raise BuildError(f"report build failed: {cause}", exit_code=1) from cause

    monkeypatch.setattr(build, "build_report", failing)
    assert cli.main(["build", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert f"cannot write {error.filename}: {words}" in err
    assert "bug" not in err and "Traceback" not in err


def test_a_full_disk_in_an_atomic_write_names_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from gealc_analysis.core import outputs

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")  # write() names no file

    monkeypatch.setattr(outputs.os, "fsync", full)
    with pytest.raises(OSError) as caught:
        outputs.write_bytes_atomically(tmp_path / "t.csv", b"x")
    assert (caught.value.errno, caught.value.filename) == (errno.ENOSPC, str(tmp_path / "t.csv"))
    assert list(tmp_path.iterdir()) == []  # no temporary file left


def test_a_data_copy_refused_during_the_build_is_exit_2_with_the_problem(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import gealc_analysis.build as build
    from gealc_analysis.build import BuildError
    from gealc_analysis.data import PlanDataError, Problem

    refused = Problem("data/raw/leak.txt", 0, "file", "a file inside", "a symlink outside")

    def failing(*_args: object, **_kwargs: object) -> None:
        try:
            raise PlanDataError([refused])
        except PlanDataError as cause:
            raise BuildError(f"report build failed: {cause}", exit_code=1) from cause

    monkeypatch.setattr(build, "build_report", failing)
    assert cli.main(["build", "--out", str(tmp_path / "r")]) == 2
    assert str(refused) in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--out", "--data-dir", "--notebooks-dir"])
def test_a_symlink_loop_as_a_folder_option_is_exit_2(
    option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(SystemExit) as caught:
        cli.main(["build", option, str(tmp_path / "a" / "report")])
    assert caught.value.code == 2
    assert "is a symlink loop (a link that leads back to itself)" in capsys.readouterr().err


def test_bad_data_stops_the_build_with_exit_2(
    curated_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = rewrite_cell(curated_copy / "plan_2024.csv", "2024-3.1.1", "timing", "soon")
    code = cli.main(["build", "--data-dir", str(curated_copy), "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"plan_2024.csv:{line}: timing: expected one of" in err


def test_an_internal_error_exits_1_with_a_log_file_and_no_traceback_on_screen(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import gealc_analysis.build as build

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(build, "build_report", broken)
    monkeypatch.setattr(cli.tempfile, "gettempdir", lambda: str(tmp_path))
    assert cli.main(["build", "--out", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err
    assert "internal error: ZeroDivisionError: a bug" in err
    assert "please report it" in err
    assert "Traceback" not in err
    (log,) = tmp_path.glob("gealc-report-error-*.log")
    assert "Traceback" in log.read_text(encoding="utf-8") and f"The details are in {log}" in err


def start_build(tmp_path: Path, *arguments: str) -> subprocess.Popen[str]:
    """``gealc-report build`` started in ``tmp_path`` (real kernels)."""
    return start(tmp_path, str(BIN / "gealc-report"), "build", *arguments)


def start_fake_build(tmp_path: Path, *arguments: str) -> subprocess.Popen[str]:
    """``fakes.py [options] build …`` started in ``tmp_path`` (the fake executor)."""
    return start(tmp_path, *fake_command(*arguments))


def start(cwd: Path, *command: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def mark_when_the_hanging_cell_starts(notebook: Path) -> Path:
    """Make the copied fixture notebook create a file just before its hanging cell; return it.

    The executed copy on disk cannot tell: the build writes it once, when the run ends."""
    import nbformat

    marker = notebook.with_name("SLOW_STARTED")
    nb = nbformat.read(notebook, as_version=4)
    (cell,) = [cell for cell in nb.cells if "SLOW_STARTED" in cell.source]
    cell.source += f"\nopen({str(marker)!r}, 'w').close()"
    nbformat.write(nb, notebook)
    return marker


def wait_for_file(path: Path) -> None:
    """Until ``path`` exists (a real kernel reached the cell that creates it)."""
    deadline = time.monotonic() + 120
    while not path.exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"{path.name} never appeared")
        time.sleep(0.1)


def wait_for_running_notebook(tmp_path: Path, stem: str, printed: str) -> None:
    """Until the fake run of ``stem`` has written ``printed`` into its executed copy."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for executed in tmp_path.glob(f"report.partial-*/*/notebooks/{stem}.ipynb"):
            if f'"{printed}\\n"' in executed.read_text(encoding="utf-8"):  # an output
                return
        time.sleep(0.1)
    raise AssertionError(f"{stem} never started")


@pytest.mark.slow
def test_a_signal_while_a_kernel_starts_still_stops_the_build(tmp_path: Path) -> None:
    """The signal comes as the staging folder appears, just after the build has started its
    warm kernel: on a data folder without alternative codings no multiverse is computed
    between the two, so the kernel is still starting (on the curated data it had seconds to
    get ready, and the build spent them computing what no notebook here reads)."""
    notebooks = fixture_notebooks(tmp_path, "04_slow")
    data = small_data_folder(tmp_path / "data")
    build = start_build(
        tmp_path, "--notebooks-dir", str(notebooks), "--data-dir", str(data), "--out", "report"
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("report.partial-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    build.send_signal(signal.SIGTERM)
    _out, err = build.communicate(timeout=60)
    assert build.returncode == 143, err
    assert "Traceback" not in err
    assert not list(tmp_path.glob("report.partial-*"))


@pytest.mark.slow  # builds in fresh interpreters (seconds each), though with the fake executor
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_the_build_with_one_line_and_leaves_no_partial_folder(
    tmp_path: Path, signum: int, code: int
) -> None:
    """The command's handling of a signal mid-build, one notebook done and one hanging: the
    fake executor's hanging run ends only when the build stops its kernels (else at the
    cell timeout, 600 s). That a real kernel running a cell is killed then is
    ``test_a_signal_kills_the_kernel_running_a_hanging_cell``."""
    notebooks = fixture_notebooks(tmp_path, "01_simple", "04_slow")
    data = small_data_folder(tmp_path / "data")  # no multiverse to compute first
    build = start_fake_build(
        tmp_path,
        *("--hang", "04_slow", "build", "--notebooks-dir", str(notebooks)),
        *("--data-dir", str(data), "--out", "report", "--jobs", "2"),
    )
    wait_for_running_notebook(tmp_path, "04_slow", HANG_STARTED)
    started = time.monotonic()
    build.send_signal(signum)
    _out, err = build.communicate(timeout=120)
    assert build.returncode == code, err
    name = signal.Signals(signum).name
    assert err.strip().splitlines() == [
        f"gealc-report build: stopped by {name}; the last report is unchanged"
    ]
    assert "Traceback" not in err
    assert time.monotonic() - started < 60, "the hanging notebook was not stopped"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data", "notebooks"]  # no lock


@pytest.mark.slow
def test_a_signal_kills_the_kernel_running_a_hanging_cell(tmp_path: Path) -> None:
    """The one real-kernel case of a signal mid-cell: only a real kernel shows that the build
    kills it (SIGKILL to its process group) rather than waiting for its two-minute cell."""
    notebooks = fixture_notebooks(tmp_path, "04_slow")
    started_marker = mark_when_the_hanging_cell_starts(notebooks / "04_slow.ipynb")
    data = small_data_folder(tmp_path / "data")
    build = start_build(
        tmp_path, "--notebooks-dir", str(notebooks), "--data-dir", str(data), "--out", "report"
    )
    wait_for_file(started_marker)
    started = time.monotonic()
    build.send_signal(signal.SIGTERM)
    _out, err = build.communicate(timeout=120)
    assert build.returncode == 143, err
    assert err.strip().splitlines() == [
        "gealc-report build: stopped by SIGTERM; the last report is unchanged"
    ]
    assert time.monotonic() - started < 60, "the hanging notebook's kernel was not stopped"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data", "notebooks"]


@pytest.mark.slow  # builds in fresh interpreters (seconds each), though with the fake executor
def test_two_concurrent_partial_builds_into_one_folder_keep_both_updates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock and the merge of partial builds, as two commands run at once: the fake
    executor (a section's run writes its executed notebook anew, as a kernel's would). The
    first, whole build is made in this process; its briefs serve the two commands. One
    language: the lock and the merge are the output folder's, whatever languages it holds
    (a second would double the pages and the briefs of three builds, not what is tested)."""
    notebooks = fixture_notebooks(tmp_path, "01_simple", "02_second")
    data = small_data_folder(tmp_path / "data")
    FakeExecutor().install(monkeypatch)
    keep_briefs_in(tmp_path / "briefs", monkeypatch)
    monkeypatch.chdir(tmp_path)
    build = ("build", "--notebooks-dir", str(notebooks), "--data-dir", str(data), "--lang", "en")
    assert cli.main([*build, "--out", "report"]) == 0
    briefs = ("--keep-briefs", str(tmp_path / "briefs"))  # typeset once for the three builds

    def started_at(stem: str) -> int:
        # The executed copy's bytes are the same every run (no clock in them); a rerun
        # writes it anew, a kept section is copied with its time.
        return (tmp_path / "report" / "en" / "notebooks" / f"{stem}.ipynb").stat().st_mtime_ns

    before = {stem: started_at(stem) for stem in ("01_simple", "02_second")}
    builds = [
        start_fake_build(tmp_path, *briefs, *build, "--out", "report", "--only", only, "--force")
        for only in ("01", "02")
    ]
    results = [build.communicate(timeout=300) for build in builds]
    assert [build.returncode for build in builds] == [0, 0], results
    after = {stem: started_at(stem) for stem in ("01_simple", "02_second")}
    assert all(after[stem] > before[stem] for stem in before), (before, after)


def test_a_stop_swallowed_in_a_command_without_a_look_still_stops_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A signal's raise swallowed where nothing looks again (here in ``validate``; in a build,
    after its last look) is raised as the command ends: the command says it was stopped and
    exits with the signal's code, not 0."""
    summaries = cli.plan_summary_lines

    def swallowed_signal(*args: object) -> list[str]:
        kernel.request_stop(cli._Stopped("SIGTERM", 143))  # recorded, never raised here
        return summaries(*args)

    monkeypatch.setattr(cli, "plan_summary_lines", swallowed_signal)
    assert cli.main(["validate", str(paths.CURATED_DIR)]) == 143
    assert "gealc-report validate: stopped by SIGTERM" in capsys.readouterr().err


def test_a_stop_whose_raise_was_swallowed_still_stops_the_build_at_the_next_look(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The signal handler's raise can land where Python only reports it ("Exception ignored
    in …", a finaliser); the stop it recorded is raised again where the build next looks, so
    the build still stops and leaves no staging folder. Here the first notebook "receives"
    the signal that way: the second never starts."""
    ran: list[str] = []

    def swallowed_signal(notebook: Path, *args: object, **kwargs: object) -> None:
        ran.append(notebook.stem)
        fake_execute(notebook, *args, **kwargs)
        kernel.request_stop(cli._Stopped("SIGTERM", 143))  # recorded, never raised here

    monkeypatch.setattr(execute_module, "execute_notebook", swallowed_signal)
    notebooks = fixture_notebooks(tmp_path, "01_simple", "02_second")
    data = small_data_folder(tmp_path / "data")
    with pytest.raises(KeyboardInterrupt) as stopped:
        build_report(
            tmp_path / "report",
            notebooks_dir=notebooks,
            data_dir=data,
            lang="en",
            progress=lambda message: None,
        )
    assert getattr(stopped.value, "exit_code", None) == 143
    assert ran == ["01_simple"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data", "notebooks"]
