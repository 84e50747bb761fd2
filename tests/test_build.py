"""The report build's mechanics, end to end on tiny fixture notebooks (tests/fixtures/notebooks).

Every build here runs its notebooks with the fake executor (``tests/fakes.py``: it writes the
executed notebook, a figure and a table as a run would, in milliseconds), so these tests pin
the build engine (folders, locks, leftovers, failures, partial and parallel builds, pages
and index) and not the kernels; what only a real kernel can show (interpreter, parameters
printed, isolation, cell timeout, handoff) is in ``test_build_kernels.py``. The data is a small
real folder (the plans and the crosswalk only).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from conftest import local_links, notebooks_folder, small_data_folder, snapshot
from fakes import FAKE_FIGURE, FAKE_TABLE, FakeExecutor, fake_brief

from gealc_analysis.build import (
    BuildError,
    BuildResult,
    IndexSection,
    build_report,
    failed_dir,
    index_html,
    notebook_title,
    parameters_line,
    resolve_years,
    select_notebooks,
)
from gealc_analysis.build.folders import MARKER_FILE, mark
from gealc_analysis.core import paths
from gealc_analysis.data.bundle import DataBundle, load_bundle
from gealc_analysis.products import brief

YEARS = [2020, 2024]
PRODUCTS = ("brief.pdf", "explorer.html")  # what a language writes beside its pages


def recording(calls: list) -> object:
    """``load_bundle`` that notes each (data_dir, years) it is asked for."""

    def load(data_dir: Path, years: list[int] | None) -> DataBundle:
        calls.append((data_dir, years))
        return load_bundle(data_dir, years)

    return load


def data_folder(root: Path, years: list[int]) -> Path:
    return small_data_folder(root / "curated", years)


@dataclass
class Build:
    root: Path
    notebooks_dir: Path
    data_dir: Path
    out: Path
    result: BuildResult | None
    messages: list[str]
    validate_calls: list[tuple[Path, list[int] | None]]
    error: BuildError | None = None
    report_untouched: bool | None = None  # after a failed build over a good report


SUMMARY = "- **42** answers <script>x</script>\n"  # 01_simple's headline, markup and all


def install(executor: FakeExecutor, monkeypatch: pytest.MonkeyPatch) -> FakeExecutor:
    """``executor`` for every build, and a fake brief: typesetting it (seconds a language)
    is not the build engine; the index still links the brief's file, and the real brief is
    tested in test_brief.py, test_products_all_or_nothing.py and on the session's build."""
    executor.install(monkeypatch)
    monkeypatch.setattr(brief, "write_brief", fake_brief)
    return executor


@pytest.fixture(autouse=True)
def executor(monkeypatch: pytest.MonkeyPatch) -> FakeExecutor:
    """Every build of a test here runs its notebooks with the fake executor."""
    return install(FakeExecutor(summaries={"01_simple": SUMMARY}), monkeypatch)


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Two working notebooks, default years (from the plan files), jobs=1."""
    root = tmp_path_factory.mktemp("good")
    notebooks = notebooks_folder(root, "01_simple", "02_second")
    data_dir = data_folder(root, YEARS)
    calls: list[tuple[Path, list[int] | None]] = []
    messages: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        install(FakeExecutor(summaries={"01_simple": SUMMARY}), patch)
        result = build_report(
            root / "report",
            data_dir=data_dir,
            notebooks_dir=notebooks,
            load=recording(calls),
            progress=messages.append,
        )
    return Build(root, notebooks, data_dir, root / "report", result, messages, calls)


@pytest.fixture(scope="module")
def failed(tmp_path_factory: pytest.TempPathFactory, good: Build) -> Build:
    """A failing notebook first, a working one after it, over a copy of the good report."""
    root = tmp_path_factory.mktemp("failed")
    out = root / "report"
    shutil.copytree(good.out, out)
    (root / "report.failed").mkdir()
    mark(root / "report.failed")  # an older failed build (builds mark their folders)
    (root / "report.failed" / "stale.txt").write_text("from an older failure", encoding="utf-8")
    notebooks = notebooks_folder(root, "03_broken:01_broken", "02_second")
    messages: list[str] = []
    before = snapshot(out)
    with pytest.MonkeyPatch.context() as patch, pytest.raises(BuildError) as caught:
        install(FakeExecutor(fail={"01_broken"}), patch)
        build_report(
            out,
            data_dir=good.data_dir,
            notebooks_dir=notebooks,
            force=True,
            progress=messages.append,
        )
    build = Build(root, notebooks, good.data_dir, out, None, messages, [], caught.value)
    build.report_untouched = snapshot(out) == before
    return build


# --------------------------------------------------------------------------- pure helpers


def test_select_notebooks_accepts_stem_name_or_number_and_keeps_notebook_order() -> None:
    notebooks = [Path(f"{stem}.ipynb") for stem in ("01_overview", "02_areas", "03_funding")]
    chosen = select_notebooks(notebooks, ["funding", "01", "02_areas", "03"])
    assert [nb.stem for nb in chosen] == ["01_overview", "02_areas", "03_funding"]
    assert select_notebooks(notebooks, None) == notebooks


def test_select_notebooks_rejects_unknown_names_listing_the_available_ones() -> None:
    notebooks = [Path("01_overview.ipynb"), Path("02_areas.ipynb")]
    with pytest.raises(BuildError, match=r"'fundng'.*available: 01_overview, 02_areas"):
        select_notebooks(notebooks, ["areas", "fundng"])


def test_parameters_line_shows_readable_values_and_hides_paths() -> None:
    line = parameters_line(
        {
            "data_dir": "/x/curated",
            "output_dir": "/x/out",
            "years": [2020, 2024],
            "baseline_year": 2020,
            "compare_year": 2024,
            "lang": "en",
        }
    )
    assert line == "Parameters: years 2020, 2024 · baseline 2020 · compare 2024 · language en"


def test_resolve_years_defaults_to_every_plan_file_and_its_extremes(tmp_path: Path) -> None:
    data_dir = data_folder(tmp_path, [2024, 2020, 2022])
    assert resolve_years(data_dir, None, None, None) == ([2020, 2022, 2024], 2020, 2024)
    assert resolve_years(data_dir, [2024, 2022], None, 2024) == ([2022, 2024], 2022, 2024)


def test_resolve_years_rejects_a_baseline_outside_the_build_years(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="baseline year 2019"):
        resolve_years(tmp_path, [2020, 2024], 2019, None)
    with pytest.raises(BuildError, match="no plan years"):
        resolve_years(tmp_path, None, None, None)


def test_notebook_title_is_the_first_level_one_heading() -> None:
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("# a comment, not a heading"),
            nbformat.v4.new_markdown_cell("Intro\n\n## Not level one\n# Funding dependence"),
        ]
    )
    assert notebook_title(nb) == "Funding dependence"
    assert notebook_title(nbformat.v4.new_notebook()) is None


def test_notebook_title_takes_the_heading_of_the_pages_language() -> None:
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Funding", metadata={"tags": ["lang-en"]}),
            nbformat.v4.new_markdown_cell("# Financiamiento", metadata={"tags": ["lang-es"]}),
        ]
    )
    assert notebook_title(nb, "en") == "Funding"
    assert notebook_title(nb, "es") == "Financiamiento"


def test_index_html_escapes_text_and_flags_sections_built_with_other_parameters() -> None:
    build = {"years": YEARS, "baseline_year": 2020, "compare_year": 2024, "lang": "es"}
    sections = [
        IndexSection("01_a", "Areas <&> themes", {**build, "output_dir": "/tmp/x"}, ("f 1.png",)),
        IndexSection("02_b", "Funding", {**build, "lang": "en"}, (), ("t.csv",)),
    ]
    page = index_html(YEARS, build, sections)
    assert "<title>Planes de trabajo de la Red GEALC: 2020 → 2024</title>" in page
    assert '<html lang="es">' in page
    assert "Parámetros: años 2020, 2024 · año base 2020 · comparación 2024 · idioma es" in page
    assert "Areas &lt;&amp;&gt; themes" in page
    assert '<a href="01_a.html">Areas &lt;&amp;&gt; themes</a>' in page
    assert "<img" not in page  # no thumbnails: the sections' pages show their figures
    assert page.count("language en") == 1  # only the section built with other parameters


# --------------------------------------------------------------------------- a good build


def test_build_validates_the_data_dir_as_given_before_running(good: Build) -> None:
    assert good.validate_calls == [(good.data_dir, None)]


def test_build_result_lists_sections_pages_and_durations_in_notebook_order(good: Build) -> None:
    result = good.result
    assert result.out_dir == good.out.resolve()
    assert result.sections == ["01_simple", "02_second"]
    assert list(result.durations) == result.sections
    assert all(result.html[stem].is_file() for stem in result.sections)
    assert result.index.is_file()
    assert result.total_seconds >= sum(result.durations.values())


def test_build_reports_progress_per_notebook(good: Build) -> None:
    # The products (they read no notebook) are written while the notebooks run, and said
    # to be once the language's index links them, after its notebooks.
    products = re.compile(r"\[(en|es)\] (brief\.pdf|explorer\.html) written")
    said = [m for m in good.messages if products.fullmatch(m)]
    assert said == [f"[{lang}] {name} written" for lang in ("en", "es") for name in PRODUCTS]
    last_english = max(i for i, m in enumerate(good.messages) if m.startswith("[en] [2/2]"))
    assert good.messages.index("[en] brief.pdf written") > last_english
    messages = [m for m in good.messages if not products.fullmatch(m)]
    # Both languages' notebooks share one queue: each is announced as the run starts.
    assert messages[0].startswith("Building the report in English: 2 section(s)"), messages
    assert messages[1].startswith("Construyendo el informe en español: 2 sección(es)")
    assert re.fullmatch(r"\[en\] \[1/2\] 01_simple … done in \d+\.\d s", messages[2])
    assert re.fullmatch(r"\[en\] \[2/2\] 02_second … done in \d+\.\d s", messages[3])
    assert re.fullmatch(r"\[es\] \[1/2\] 01_simple … done in \d+\.\d s", messages[4])


def test_notebooks_receive_the_build_parameters(good: Build) -> None:
    executed = good.out / "en" / "notebooks" / "01_simple.ipynb"
    parameters = nbformat.read(executed, 4).metadata.papermill
    assert parameters.parameters["data_dir"] == str(good.data_dir.resolve())
    # Notebooks write into the staging folder, which then becomes the report (the real
    # executor's copy names it relative to itself: test_build_kernels.py).
    output_dir = Path(parameters.parameters["output_dir"])
    assert output_dir.name == "01_simple"
    assert output_dir.parent.name == "en"
    assert output_dir.parent.parent.name.startswith("report.partial-")


def test_pages_show_outputs_and_a_parameters_line_but_no_code(good: Build) -> None:
    page = (good.out / "en" / "01_simple.html").read_text(encoding="utf-8")
    assert "FAKE_RUN 01_simple lang=en" in page  # what the notebook printed
    assert "Fake output of <strong>01_simple</strong>" in page  # what it displayed
    assert "data:image/png;base64," in page  # the inline figure, embedded
    assert "Parameters: years 2020, 2024 · baseline 2020 · compare 2024 · language en" in page
    assert "THIS_IS_CODE" not in page
    assert "output_dir = " not in page and 'lang = "en"' not in page  # both parameter cells
    assert str(good.out.resolve()) not in page  # no build path leaks into the page


def test_pages_and_index_load_nothing_from_the_network(good: Build) -> None:
    for page in sorted(good.out.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert "https://cdn" not in text, page.name
        remote = r"<(script|link|img)\b[^>]*\b(src|href)=\"(https?:)?//"
        assert not re.search(remote, text), page.name


def test_index_links_every_section_and_every_linked_file_exists(good: Build) -> None:
    index = good.out / "en" / "index.html"
    text = index.read_text(encoding="utf-8")
    assert "<h1>Red GEALC work plans: 2020 → 2024</h1>" in text
    assert "Simple section &amp; &lt;figure&gt;" in text  # title from the notebook, escaped
    links = local_links(index)
    for expected in ("01_simple.html", "02_second.html"):
        assert expected in links
    assert all((good.out / "en" / link).is_file() for link in links)
    assert f"01_simple/tables/{FAKE_TABLE}.csv" in local_links(good.out / "en" / "01_simple.html")


def test_index_shows_a_sections_saved_summary_as_escaped_html(good: Build) -> None:
    page = (good.out / "en" / "index.html").read_text(encoding="utf-8")
    assert (
        '<div class="summary"><ul>\n<li><strong>42</strong> answers '
        "&lt;script&gt;x&lt;/script&gt;</li>\n</ul></div>"
    ) in page
    assert page.count('<div class="summary">') == 1  # 02_second saved none


def test_a_successful_build_leaves_no_staging_folder(good: Build) -> None:
    names = sorted(path.name for path in good.root.iterdir())
    assert names == ["curated", "notebooks", "report"]  # nor the lock file beside it


# --------------------------------------------------------------------------- a failed build


def test_a_failing_notebook_raises_naming_the_notebook_cell_and_error(failed: Build) -> None:
    message = str(failed.error)
    assert message.startswith("notebook 01_broken failed in cell In [")
    assert "ZeroDivisionError: division by zero" in message
    executed = failed_dir(failed.out) / "en" / "notebooks" / "01_broken.ipynb"
    assert message.endswith(f"executed copy kept at {executed}")


def test_a_failed_build_leaves_the_last_good_report_byte_for_byte(failed: Build) -> None:
    assert failed.report_untouched is True


def test_a_failed_build_keeps_the_executed_copy_with_its_error(failed: Build) -> None:
    kept = failed_dir(failed.out)
    nb = nbformat.read(kept / "en" / "notebooks" / "01_broken.ipynb", as_version=4)
    errors = [
        out for cell in nb.cells for out in cell.get("outputs", []) if out.output_type == "error"
    ]
    assert [error.ename for error in errors] == ["ZeroDivisionError"]
    assert not (kept / "stale.txt").exists()  # the previous failure was replaced


def test_a_failed_build_stops_before_the_next_notebook(failed: Build) -> None:
    assert not (failed_dir(failed.out) / "en" / "notebooks" / "02_second.ipynb").exists()
    notebook_lines = [m for m in failed.messages if re.match(r"\[en\] \[\d/2\]", m)]
    assert len(notebook_lines) == 1, failed.messages  # nothing about 02_second
    assert not [m for m in failed.messages if "written" in m]  # no brief it does not publish
    assert notebook_lines[0].startswith("[en] [1/2] 01_broken … FAILED after"), notebook_lines
    assert not list(failed.root.glob("report.partial-*"))


def test_concurrent_build_reports_the_failing_notebook(
    tmp_path: Path, good: Build, executor: FakeExecutor
) -> None:
    executor.fail.add("03_broken")
    notebooks = notebooks_folder(tmp_path, "02_second", "03_broken")
    with pytest.raises(BuildError, match=r"^notebook 03_broken failed .*ZeroDivisionError"):
        build_report(
            tmp_path / "report",
            data_dir=good.data_dir,
            notebooks_dir=notebooks,
            jobs=2,
            progress=lambda message: None,
        )
    assert not (tmp_path / "report").exists()
    assert (tmp_path / "report.failed" / "en" / "notebooks" / "02_second.ipynb").is_file()


def test_invalid_data_stops_the_build_before_anything_is_written(
    tmp_path: Path, good: Build
) -> None:
    out = tmp_path / "report"
    shutil.copytree(good.out, out)
    before = snapshot(out)

    def reject(data_dir: Path, years: list[int] | None) -> DataBundle:
        raise ValueError("2 problems in the curated data:\nplan_2020.csv line 3: bad timing")

    with pytest.raises(BuildError, match="line 3: bad timing"):
        build_report(
            out,
            data_dir=good.data_dir,
            notebooks_dir=good.notebooks_dir,
            load=reject,
            progress=lambda message: None,
            force=True,  # the same data as the report's: unforced, it is not loaded again
        )
    assert snapshot(out) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report"]


def test_a_folder_that_is_not_a_report_is_never_replaced(tmp_path: Path, good: Build) -> None:
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.txt").write_text("precious", encoding="utf-8")
    with pytest.raises(BuildError, match="refusing to replace"):
        build_report(
            out,
            data_dir=good.data_dir,
            notebooks_dir=good.notebooks_dir,
            progress=lambda message: None,
        )
    assert snapshot(out) == {"thesis.txt": b"precious"}


def test_unknown_only_name_fails_before_validation(tmp_path: Path, good: Build) -> None:
    calls: list[object] = []
    with pytest.raises(BuildError, match="available: 01_simple, 02_second"):
        build_report(
            tmp_path / "report",
            data_dir=good.data_dir,
            notebooks_dir=good.notebooks_dir,
            only=["nope"],
            load=recording(calls),
            progress=lambda message: None,
        )
    assert calls == []


# --------------------------------------------------------------------------- partial and parallel


def test_a_multiverse_that_fails_fails_the_build_even_where_no_page_reads_it(
    tmp_path: Path, good: Build, executor: FakeExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A section run again on unchanged inputs re-renders its own pages only (no index, no
    brief: nothing reads the headlines); the multiverse computed beside the kernels still
    has to succeed before the report is replaced."""
    from gealc_analysis.build import pipeline

    @contextmanager
    def failing_multiverse(*_: object) -> Iterator[object]:
        def multiverse_ready() -> None:
            raise RuntimeError("no multiverse")

        yield multiverse_ready

    monkeypatch.setattr(pipeline, "_handed_over", failing_multiverse)
    out = tmp_path / "report"
    shutil.copytree(good.out, out)
    before = snapshot(out)
    with pytest.raises(BuildError, match="no multiverse"):
        build_report(
            out,
            data_dir=good.data_dir,
            notebooks_dir=good.notebooks_dir,
            only=["second"],
            lang="en",
            force=True,
            progress=lambda message: None,
        )
    assert snapshot(out) == before


def test_only_with_lang_rebuilds_that_section_in_that_language_only(
    tmp_path: Path, good: Build
) -> None:
    out = tmp_path / "report"
    shutil.copytree(good.out, out)
    result = build_report(
        out,
        data_dir=good.data_dir,
        notebooks_dir=good.notebooks_dir,
        only=["second"],
        lang="es",
        progress=lambda message: None,
    )
    assert result.sections == ["02_second"]
    assert result.languages == ("es",)
    # The English report is not touched at all: no mixed-language folder is possible.
    assert snapshot(out / "en") == snapshot(good.out / "en")
    spanish = out / "es"
    assert (spanish / "notebooks" / "01_simple.ipynb").read_bytes() == (
        good.out / "es" / "notebooks" / "01_simple.ipynb"
    ).read_bytes()
    assert (spanish / "01_simple" / "figures" / f"{FAKE_FIGURE}.png").is_file()
    assert "FAKE_RUN 02_second lang=es" in (spanish / "02_second.html").read_text(encoding="utf-8")
    assert {"01_simple.html", "02_second.html"} <= set(local_links(spanish / "index.html"))


def test_default_build_writes_both_languages_and_a_landing_page(good: Build) -> None:
    assert good.result.languages == ("en", "es")
    for lang in ("en", "es"):
        page = (good.out / lang / "02_second.html").read_text(encoding="utf-8")
        assert f"FAKE_RUN 02_second lang={lang}" in page
        assert f'<html lang="{lang}">' in page
    assert {"en/index.html", "es/index.html"} <= set(local_links(good.out / "index.html"))


def test_parallel_build_gives_the_same_report_as_sequential(tmp_path: Path, good: Build) -> None:
    result = build_report(
        tmp_path / "report",
        data_dir=good.data_dir,
        notebooks_dir=good.notebooks_dir,
        jobs=2,
        progress=lambda message: None,
    )
    assert result.sections == good.result.sections
    assert list(result.durations) == result.sections
    parallel, sequential = snapshot(result.out_dir), snapshot(good.out)
    assert parallel.keys() == sequential.keys()
    for name in parallel:
        if name.endswith((".html", ".png", ".csv")):
            assert parallel[name] == sequential[name], name


def test_a_kernel_that_dies_before_its_first_reply_is_started_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import papermill

    from gealc_analysis import build

    calls: list[str] = []

    def flaky(*args: object, **kwargs: object) -> None:
        calls.append("run")
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    build.execute_notebook(tmp_path / "a.ipynb", tmp_path / "b.ipynb", {})
    assert calls == ["run", "run"]


def test_other_kernel_errors_are_not_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import papermill

    from gealc_analysis import build

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("Kernel didn't respond in 60 seconds")

    monkeypatch.setattr(papermill, "execute_notebook", broken)
    with pytest.raises(RuntimeError, match="didn't respond"):
        build.execute_notebook(tmp_path / "a.ipynb", tmp_path / "b.ipynb", {})


def test_the_kernel_manager_overrides_only_public_jupyter_client_methods() -> None:
    """Every name our kernel manager and spec manager redefine is public API of
    jupyter_client (no copied private method bodies)."""
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    from gealc_analysis.build.kernel import KERNEL_NAME, this_interpreter_kernel_manager

    manager = this_interpreter_kernel_manager()
    specs = type(manager(kernel_name=KERNEL_NAME).kernel_spec_manager)
    redefined: dict[str, set[str]] = {}
    for ours, theirs in ((manager, AsyncKernelManager), (specs, KernelSpecManager)):
        assert issubclass(ours, theirs)
        bookkeeping = set(vars(type("Blank", (theirs,), {})))  # what traitlets adds per class
        redefined[theirs.__name__] = {
            name for name in set(vars(ours)) - bookkeeping if hasattr(theirs, name)
        }
    assert redefined == {
        "AsyncKernelManager": {"__init__", "start_kernel"},
        "KernelSpecManager": {"get_kernel_spec"},
    }


# --------------------------------------------------------------------------- only our own folders


def test_a_built_report_carries_the_marker_of_the_build(good: Build) -> None:
    assert (good.out / MARKER_FILE).is_file()


def test_a_report_like_folder_without_the_marker_is_never_replaced(
    tmp_path: Path, good: Build
) -> None:
    out = tmp_path / "site"
    shutil.copytree(good.out, out)
    (out / MARKER_FILE).unlink()  # an index.html alone does not make a folder ours
    before = snapshot(out)
    with pytest.raises(BuildError, match="has no .gealc-report marker") as caught:
        build_report(
            out,
            data_dir=good.data_dir,
            notebooks_dir=good.notebooks_dir,
            progress=lambda message: None,
        )
    assert caught.value.exit_code == 2
    assert snapshot(out) == before


def test_a_folder_holding_only_the_committed_readme_counts_as_ours(
    tmp_path: Path, good: Build
) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    (out / "README.md").write_text("the committed README", encoding="utf-8")
    build_report(
        out,
        data_dir=good.data_dir,
        notebooks_dir=good.notebooks_dir,
        only=["01"],
        progress=lambda message: None,
    )
    assert (out / "en" / "01_simple.html").is_file() and (out / MARKER_FILE).is_file()


@pytest.mark.parametrize("inside", ["data", "gealc_analysis", "notebooks", "tests"])
def test_an_output_folder_inside_the_data_or_source_tree_is_refused(
    inside: str, good: Build
) -> None:
    out = paths.PROJECT_ROOT / inside / "report-here"
    with pytest.raises(BuildError, match="holds the project's data or code") as caught:
        build_report(
            out,
            data_dir=good.data_dir,
            notebooks_dir=good.notebooks_dir,
            progress=lambda message: None,
        )
    assert caught.value.exit_code == 2
    assert not out.exists()


def test_an_output_folder_that_would_swallow_the_data_is_refused(
    tmp_path: Path, good: Build
) -> None:
    data_dir = tmp_path / "project" / "curated"
    shutil.copytree(good.data_dir, data_dir)
    with pytest.raises(BuildError, match="replacing it would delete"):
        build_report(
            tmp_path / "project",
            data_dir=data_dir,
            notebooks_dir=good.notebooks_dir,
            progress=lambda message: None,
        )
    assert sorted(path.name for path in data_dir.iterdir()) == sorted(
        path.name for path in good.data_dir.iterdir()
    )


def test_an_older_failed_folder_without_the_marker_is_not_deleted(
    tmp_path: Path, good: Build, executor: FakeExecutor
) -> None:
    executor.fail.add("03_broken")
    notebooks = notebooks_folder(tmp_path, "03_broken")
    foreign = tmp_path / "report.failed"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(BuildError, match=r"executed copy kept at .*report\.partial-"):
        build_report(
            tmp_path / "report",
            data_dir=good.data_dir,
            notebooks_dir=notebooks,
            progress=lambda message: None,
        )
    assert snapshot(foreign) == {"notes.txt": b"mine"}


# ------------------------------------------------------------------- leftovers of dead builds


def dead_pid() -> int:
    """A process id that no running process has (a child that has exited and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_leftovers_of_a_dead_build_are_removed_and_reported(tmp_path: Path, good: Build) -> None:
    pid = dead_pid()
    out = tmp_path / "report"
    shutil.copytree(good.out, out)
    partial = tmp_path / f"report.partial-{pid}"
    partial.mkdir()
    mark(partial)
    foreign = tmp_path / f"report.old-{pid + 1}"  # not marked: someone else's
    foreign.mkdir()
    messages: list[str] = []
    build_report(
        out,
        data_dir=good.data_dir,
        notebooks_dir=good.notebooks_dir,
        only=["01"],
        progress=messages.append,
    )
    assert not partial.exists()
    assert f"Removed report.partial-{pid}, left by a build that died (pid {pid})" in messages
    assert foreign.is_dir()
    assert any(message.startswith(f"Leaving {foreign}") for message in messages)


def test_a_report_moved_aside_by_a_build_that_died_mid_swap_is_put_back(
    tmp_path: Path, good: Build
) -> None:
    pid = dead_pid()
    moved = tmp_path / f"report.old-{pid}"
    shutil.copytree(good.out, moved)
    messages: list[str] = []
    build_report(
        tmp_path / "report",
        data_dir=good.data_dir,
        notebooks_dir=good.notebooks_dir,
        only=["02"],
        progress=messages.append,
    )
    assert any(message.startswith("Restored") for message in messages)
    assert not moved.exists()
    # the restored report kept its other section; the build then rebuilt section 02 over it
    assert (tmp_path / "report" / "en" / "01_simple.html").read_bytes() == (
        good.out / "en" / "01_simple.html"
    ).read_bytes()


@contextmanager
def lock_held_by_another_process(out: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holds ``out``'s build lock (as a running build would) until it is
    killed: at the end of the block, or by the test (the lock goes with the process)."""
    from gealc_analysis.build.folders import lock_path

    code = (
        "import sys, time; from filelock import FileLock; lock = FileLock(sys.argv[1]); "
        "lock.acquire(); print('held', flush=True); time.sleep(600)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(lock_path(out))],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def test_a_build_waits_for_another_build_into_the_same_folder(tmp_path: Path, good: Build) -> None:
    """The build says it waits, and goes on once the other build ends (here: the holder is
    stopped as soon as the build says it waits, so no timing is assumed)."""
    out = tmp_path / "report"
    messages: list[str] = []
    waiting = f"Another build is writing {out.resolve()}; waiting"
    with lock_held_by_another_process(out) as holder:

        def progress(message: str) -> None:
            messages.append(message)
            if message.startswith(waiting):
                holder.kill()

        build_report(
            out,
            data_dir=good.data_dir,
            notebooks_dir=good.notebooks_dir,
            only=["01"],
            progress=progress,
        )
    assert any(message.startswith(waiting) for message in messages), messages
    assert (out / "en" / "01_simple.html").is_file()


def test_a_build_that_must_not_wait_fails_clearly_when_the_folder_is_busy(
    tmp_path: Path, good: Build
) -> None:
    out = tmp_path / "report"
    with (
        lock_held_by_another_process(out),
        pytest.raises(BuildError, match="another build is writing"),
    ):
        build_report(
            out,
            data_dir=good.data_dir,
            notebooks_dir=good.notebooks_dir,
            lock_timeout=0,
            progress=lambda message: None,
        )
    assert not out.exists() and not list(tmp_path.glob("report.partial-*"))


# --------------------------------------------------------------------------- timeouts and paths


def test_a_hanging_cell_fails_the_build_naming_the_notebook_and_cell(
    tmp_path: Path, good: Build, executor: FakeExecutor
) -> None:
    """The build's side of a timeout (the real kernel's is in test_build_kernels.py): the
    message names the notebook, the cell it started last, the limit and the option."""
    executor.hang.add("04_slow")
    notebooks = notebooks_folder(tmp_path, "04_slow")
    with pytest.raises(BuildError) as caught:
        build_report(
            tmp_path / "report",
            data_dir=good.data_dir,
            notebooks_dir=notebooks,
            cell_timeout=0.25,
            progress=lambda message: None,
        )
    message = str(caught.value)
    # cell #3 of the executed copy: the injected parameters come before it
    assert message.startswith(
        'notebook 04_slow timed out: cell #3 ("print("SLOW_STARTED", flush=True)") ran '
        "longer than 0.25 s"
    ), message
    assert "--cell-timeout" in message
    assert caught.value.exit_code == 1
    assert not (tmp_path / "report").exists()


def test_an_output_folder_that_cannot_be_created_is_a_path_error(good: Build) -> None:
    with pytest.raises(BuildError, match="choose an --out in a folder you can write to") as caught:
        build_report(
            Path("/dev/null/report"),
            data_dir=good.data_dir,
            notebooks_dir=good.notebooks_dir,
            progress=lambda message: None,
        )
    assert caught.value.exit_code == 2
