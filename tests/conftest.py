"""Shared fixtures: the curated data loaded once per session, a scratch copy of it that a test
may break on purpose, the real report built once per test run for every test that only reads
it (shared by the pytest-xdist workers), and the browser visits of its pages.

Tests that run real notebooks or use a real build are marked ``slow`` (explicitly, or here when
they use a build fixture), so ``pytest -m "not slow"`` gives a quick local loop; the README's
test command runs everything. The build's mechanics run with the fake executor of
``tests/fakes.py`` and are not slow.
"""

from __future__ import annotations

import builtins
import csv
import io
import os
import shutil
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest
from hypothesis import settings

from gealc_analysis.core import paths

# The benchmarks are importable by the tests (their smoke tests, and the fixtures they share).
BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

# Hypothesis: the suite's examples are the same on every run and every machine (a failure in
# CI is a failure locally), with no time limit per example (the 2-core CI machine is shared;
# no test asserts a duration) and no example database written into the checkout. Each
# test's ``max_examples`` stays its own (its docstring or comment says why). To explore new
# random examples locally: ``pytest --hypothesis-profile=explore``.
settings.register_profile("suite", derandomize=True, deadline=None, database=None, print_blob=True)
settings.register_profile("explore", deadline=None)
settings.load_profile("suite")

# Fixtures that run notebooks: a test using one (directly or through another fixture) is slow.
BUILD_FIXTURES = frozenset({"report_build", "built", "rebuilt", "three_plans", "kernels", "visits"})


# Other tests that take seconds each (the multiverse recomputed, typesetting, hundreds of
# generated examples, a chart grid, a fresh interpreter): "<module>::<test or fixture>". Kept
# here so ``-m "not slow"`` stays a quick loop without editing each module; every name must
# exist (test_suite_settings.py checks).
SLOW = frozenset(
    {
        "test_fuzz_loader::test_the_loader_returns_a_valid_frame_or_located_problems_and_nothing_else",
        "test_robustness::test_every_coding_of_the_multiverse_is_the_headlines_recomputed_on_that_coding",
        "test_robustness::test_the_resource_kinds_are_decisions_of_the_multiverse",
        "test_robustness::test_the_compact_table_is_the_table_of_the_long_multiverse",
        "test_plots::test_every_chart_is_legible_in_every_layout_with_nothing_clipped",
        "test_brief::full_folder",
        "test_brief::test_same_inputs_give_byte_identical_pdfs",
        "test_brief::test_longest_findings_stay_on_page_one_at_a_smaller_size_and_no_text_is_cut",
        "test_brief::test_markup_in_data_strings_is_printed_as_written",
        "test_brief::test_spanish_brief_prints_its_words_spanish_numbers_list_and_metadata",
        "test_brief::test_english_brief_uses_english_number_format",
        "test_brief::test_the_typst_source_is_the_fixed_template_and_the_data_comes_as_json",
        "test_brief::test_every_font_is_embedded",
        "test_brief::test_a_brief_that_cannot_fit_two_pages_fails_instead_of_cutting",
        "test_findings::real",
        "test_chart_style::real_bundle_charts",
        "test_layers::test_findings_brief_and_explorer_are_made_from_the_bundle_alone",
        "test_cli::test_console_script_validates_from_another_folder",
        "test_cli::test_frictionless_command_validates_the_package",
        "test_report_escaping::hostile",
    }
)


def is_slow(item: pytest.Item) -> bool:
    """Whether ``item`` runs notebooks or a build, or is one of the ``SLOW`` tests."""
    fixtures = set(getattr(item, "fixturenames", ()))
    if BUILD_FIXTURES & fixtures:
        return True
    module = item.path.stem
    name = getattr(item, "originalname", item.name)
    return f"{module}::{name}" in SLOW or any(f"{module}::{f}" in SLOW for f in fixtures)


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> Iterator[None]:
    """Mark the slow tests before ``-m`` selects; once it has, put slow modules first."""
    for item in items:
        if is_slow(item):
            item.add_marker(pytest.mark.slow)
    result = yield
    items[:] = slow_modules_first(items)
    return result


def slow_modules_first(items: list[pytest.Item]) -> list[pytest.Item]:
    """``items`` with the modules holding slow tests first (most slow tests first), then the
    others (most tests first), each module's tests in their own order.

    pytest-xdist (``--dist loadfile``) hands whole modules to its workers in this order (the
    ``--no-loadscope-reorder`` of pyproject's addopts keeps it). Its own order, by number of
    tests only, put modules of one or three long tests (a build with a new funding code,
    the escaping build) last, so one worker ran them while the other idled; started first,
    the short modules fill the other worker and both end together. Only the schedule depends
    on this, never a result; with ``-m "not slow"`` it is xdist's own order.
    """
    by_module: dict[Path, list[pytest.Item]] = {}
    for item in items:
        by_module.setdefault(item.path, []).append(item)

    def weight(tests: list[pytest.Item]) -> tuple[int, int]:
        return (-sum(1 for item in tests if item.get_closest_marker("slow")), -len(tests))

    ordered = sorted(by_module.values(), key=weight)  # stable: ties keep collection order
    return [item for tests in ordered for item in tests]


@pytest.fixture(autouse=True, scope="session")
def one_commit_per_test_run() -> Iterator[None]:
    """The project's commit as the test run started, for every build of the run: the
    footers and the cache keys carry it, so a commit made while the tests run would make a
    test's build differ from the shared one it is compared with. Another repository's
    commit (a test's own) is read as usual."""
    from gealc_analysis.core import provenance

    read = provenance.git_commit
    project = paths.PROJECT_ROOT.resolve()
    at_start = read(project)

    def pinned(repo_dir: Path = project) -> str | None:
        return at_start if Path(repo_dir).resolve() == project else read(repo_dir)

    patch = pytest.MonkeyPatch()
    patch.setattr(provenance, "git_commit", pinned)
    yield
    patch.undo()


@pytest.fixture(autouse=True)
def no_stop_left_behind() -> Iterator[None]:
    """A build stopped in this process (a test's Ctrl-C, a recorded signal) leaves the
    kernels' "stopping" state set until the next build clears it; a test after it that starts
    kernels without a build must not inherit it."""
    yield
    from gealc_analysis.build import kernel

    kernel._STOPPING.clear()
    kernel._STOP_REQUEST.clear()


@pytest.fixture(scope="session")
def report_build(tmp_path_factory: pytest.TempPathFactory):  # -> BuildResult
    """The real report from the curated data (jobs=2), built once per test run.

    With parallel test workers (pytest-xdist) the first worker to need it builds it into the
    run's shared temporary folder, under a lock; the others wait for it, and their own call
    finds every section up to date (the build's cache), so they get its result at no cost.
    """
    from filelock import FileLock

    from gealc_analysis.build import build_report

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by the workers of this run
    with FileLock(str(root / "report-build.lock")):
        return build_report(root / "report-build" / "report", jobs=2, progress=print)


@pytest.fixture(scope="session")
def session_plans() -> pd.DataFrame:
    """The curated plans, loaded once per session; read-only (tests take ``real_plans``)."""
    from gealc_analysis.data import load_plans

    return load_plans()


@pytest.fixture(scope="session")
def session_themes() -> pd.DataFrame:
    """The curated themes crosswalk, loaded once per session; read-only (see ``real_themes``)."""
    from gealc_analysis.data import load_themes

    return load_themes()


@pytest.fixture
def real_plans(session_plans: pd.DataFrame) -> pd.DataFrame:
    """The curated plans: a private copy of the session's load, so no test sees another's edits."""
    return session_plans.copy(deep=True)


@pytest.fixture
def real_themes(session_themes: pd.DataFrame) -> pd.DataFrame:
    """The curated themes crosswalk: a private copy of the session's load."""
    return session_themes.copy(deep=True)


@pytest.fixture
def curated_copy(tmp_path: Path) -> Path:
    """A private copy of data/curated, safe to corrupt."""
    target = tmp_path / "curated"
    shutil.copytree(paths.CURATED_DIR, target)
    return target


def small_data_folder(folder: Path, years: list[int] | None = None) -> Path:
    """A real data folder without alternative codings (so no multiverse to compute, and no
    kinds for the themes only an alternative creates): the
    build's own tests pin the build engine rather than the curated data, and stay fast. A
    year without a curated plan gets an empty file (only its name counts where such a folder
    is used)."""
    folder.mkdir(parents=True)
    for name in ("themes.csv", "funding_codes.csv", "lineage.csv"):
        shutil.copy(paths.CURATED_DIR / name, folder / name)
    crosswalk = (folder / "themes.csv").read_text(encoding="utf-8").splitlines()
    themes = {row["theme"] for row in csv.DictReader(crosswalk)}
    kinds = (paths.CURATED_DIR / "theme_kinds.csv").read_text(encoding="utf-8").splitlines()
    kept = [kinds[0]] + [line for line in kinds[1:] if line.split(",", 1)[0] in themes]
    (folder / "theme_kinds.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    for year in years if years is not None else [2020, 2024]:
        source = paths.CURATED_DIR / f"plan_{year}.csv"
        if source.is_file():
            shutil.copy(source, folder / source.name)
        else:
            (folder / source.name).write_text("", encoding="utf-8")
    return folder


FIXTURE_NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"


def notebooks_folder(root: Path, *names: str) -> Path:
    """A notebooks folder holding the named fixtures ("03_broken" or "03_broken:01_broken")."""
    folder = root / "notebooks"
    folder.mkdir(parents=True)
    for name in names:
        source, _, target = name.partition(":")
        shutil.copy(FIXTURE_NOTEBOOKS / f"{source}.ipynb", folder / f"{target or source}.ipynb")
    return folder


def rewrite_cell(path: Path, activity_id: str, column: str, value: str) -> int:
    """Set one cell of a curated CSV; return the file line of the edited row."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    for number, row in enumerate(rows[1:], start=2):
        if row[header.index("activity_id")] == activity_id:
            row[header.index(column)] = value
            with path.open("w", encoding="utf-8", newline="") as handle:
                csv.writer(handle, lineterminator="\n").writerows(rows)
            return number
    raise AssertionError(f"{activity_id} not in {path}")


def refuse_reading(folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every file under ``folder`` unreadable in this process; return the attempts."""
    attempts: list[str] = []
    real_open = builtins.open
    guarded_root = folder.resolve()

    def guarded(file, *args, **kwargs):
        if isinstance(file, str | os.PathLike):
            target = Path(os.fsdecode(file)).resolve()
            if target.is_relative_to(guarded_root):
                attempts.append(str(target))
                raise PermissionError(f"the project's data folder was read: {target}")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    monkeypatch.setattr(io, "open", guarded)
    return attempts


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a folder by relative path: equal snapshots = untouched folder."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [value for name, value in attrs if name in ("href", "src") and value]


def local_links(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return [unquote(link) for link in parser.links]


# The one Chromium the browser tests drive (Debian: apt-get install chromium), started once
# per test run and shared: each test opens its own context and pages.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install playwright)"
    )
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        except Exception as error:  # e.g. missing shared libraries in a container
            pytest.skip(f"Chromium at {CHROMIUM} cannot start: {error}")
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core's source, the copy shipped in axe-playwright-python (nothing is downloaded)."""
    axe_module = pytest.importorskip(
        "axe_playwright_python.sync_playwright",
        reason="axe-playwright-python is not installed (pip install -e .[test])",
    )
    return axe_module.Axe().axe_script


@pytest.fixture(scope="session")
def visits(browser, axe_script, report_build, tmp_path_factory: pytest.TempPathFactory):
    """``visits(width)``: every page of the session's report opened once at ``width`` in
    Chromium (``browsing.visit_report``: axe-core, images, links, charts; screenshots if asked),
    shared by every browser test of this process."""
    from browsing import TAKE_SCREENSHOTS, visit_report

    done: dict[int, list] = {}

    def at(width: int) -> list:
        if width not in done:
            shots = tmp_path_factory.mktemp(f"screenshots-{width}") if TAKE_SCREENSHOTS else None
            done[width] = visit_report(browser, report_build.out_dir, width, axe_script, shots)
            if shots is not None:
                print(f"screenshots of {len(done[width])} pages at {width} px in {shots}")
        return done[width]

    return at
