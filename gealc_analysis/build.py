"""Run the report notebooks with papermill and render them into a static HTML report.

``build_report`` is what ``gealc-report build`` calls. Why it is shaped this way:

- The report is built in a staging folder beside the output and swapped in only when every
  notebook ran, so a failed build never damages the last good report; the failed staging
  folder is kept as ``<out>.failed`` so the executed notebook and its traceback can be read.
- Notebooks run on a private, in-memory kernelspec whose command is *this* interpreter
  (``sys.executable``), never on whatever ``python`` the PATH or an installed ``python3``
  kernelspec points at, so the report is built with the packages of the environment that
  runs the command, activated or not.
- Pages show outputs only (no code, no parameter cells) and load nothing from the network,
  so the folder can be zipped, archived or opened offline.

papermill, nbconvert and jupyter_client are imported inside the functions that use them, so
importing this module (e.g. from the CLI) costs no more than importing the package.
"""

from __future__ import annotations

import functools
import html
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import CancelledError, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import quote

from gealc_analysis import data, i18n, paths
from gealc_analysis import years as plan_years

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
# Name of the private kernelspec; no installed kernelspec is ever looked up under it.
KERNEL_NAME = "gealc-report-this-python"
# Cells removed from the pages: the defaults and the values papermill injected are shown as
# one readable parameters line instead.
HIDDEN_CELL_TAGS: tuple[str, ...] = ("parameters", "injected-parameters")
# Parameters shown on the pages, in this order, with their words from the label catalogue
# (``report.param.<name>``). Anything else a notebook receives is shown as "name value",
# except the paths below, which differ per machine and per build (the executed notebook
# keeps them).
SHOWN_PARAMETERS: tuple[str, ...] = ("years", "baseline_year", "compare_year", "lang")
# Markdown cells tagged ``lang-<code>`` are prose in that language: a page keeps the cells of
# its own language (and untagged ones) and drops the others.
LANGUAGE_TAG_PREFIX = "lang-"
PATH_PARAMETERS: frozenset[str] = frozenset({"data_dir", "output_dir"})
# Folders each notebook's output_dir gets before it runs; the index links what they hold.
FIGURES_DIR = paths.FIGURES_DIR
TABLES_DIR = paths.TABLES_DIR
EXECUTED_DIR = "notebooks"
INDEX_FILE = "index.html"
# Every report carries this README (the copy committed in reports/ is the same file), so
# an empty checkout shows where the report lands and a built one explains its layout.
README_FILE = "README.md"
SUMMARY_FILE = paths.SUMMARY_FILE  # key findings a notebook saved (report.Section.headline)
README_TEMPLATE: Path = Path(__file__).resolve().parent / "templates" / "report_README.md"

TEMPLATES_DIR: Path = Path(__file__).resolve().parent / "templates"
SECTION_TEMPLATE: Path = TEMPLATES_DIR / "section.html.j2"
INDEX_TEMPLATE: Path = TEMPLATES_DIR / "index.html"


class BuildError(RuntimeError):
    """The report could not be built; the message says what failed and where to look."""


@dataclass(frozen=True)
class BuildResult:
    """What a successful build produced (all paths inside the final ``out_dir``)."""

    out_dir: Path
    sections: list[str]  # stems run by this build, in notebook order
    html: dict[str, Path]  # stem → rendered page
    durations: dict[str, float]  # stem → seconds to execute and render
    total_seconds: float

    @property
    def index(self) -> Path:
        return self.out_dir / INDEX_FILE


@dataclass(frozen=True)
class IndexSection:
    """One entry of the index page: a rendered notebook and the files it saved."""

    stem: str
    title: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    figures: tuple[str, ...] = ()  # file names under <stem>/figures
    tables: tuple[str, ...] = ()  # file names under <stem>/tables
    summary_html: str = ""  # the section's key findings (<stem>/summary.md), rendered


class _NotebookFailed(Exception):
    """A notebook did not execute or render; carries what the BuildError message needs."""

    def __init__(self, stem: str, detail: str, seconds: float) -> None:
        super().__init__(f"notebook {stem} {detail}")
        self.stem, self.detail, self.seconds = stem, detail, seconds


# --------------------------------------------------------------------------- discovery


def discover_notebooks(notebooks_dir: Path) -> list[Path]:
    """The report's notebooks: ``NN_name.ipynb`` files, in number order."""
    return sorted(Path(notebooks_dir).glob(NOTEBOOK_GLOB))


def select_notebooks(notebooks: Sequence[Path], only: Sequence[str] | None) -> list[Path]:
    """The notebooks named in ``only`` (full stem, name after the number, or the number).

    Keeps notebook order whatever the order of ``only``; an unknown name fails before
    anything runs, listing what is available, so a typo never costs a build.
    """
    if only is None:
        return list(notebooks)
    chosen: set[Path] = set()
    unknown: list[str] = []
    for name in only:
        matches = [nb for nb in notebooks if name in _names_of(nb.stem)]
        if matches:
            chosen.update(matches)
        else:
            unknown.append(name)
    if unknown:
        available = ", ".join(nb.stem for nb in notebooks) or "none"
        raise BuildError(
            f"unknown notebook {', '.join(map(repr, unknown))}; available: {available}"
        )
    return [nb for nb in notebooks if nb in chosen]


def _names_of(stem: str) -> set[str]:
    """Every name a notebook answers to: "03_funding", "funding" and "03"."""
    number, _, name = stem.partition("_")
    return {stem, number, name}


# --------------------------------------------------------------------------- parameters


def parameters_line(parameters: Mapping[str, Any]) -> str:
    """One readable line of what a notebook ran with, in its language, for its page.

    E.g. "Parameters: years 2020, 2024 · baseline 2020 · compare 2024 · language en".
    """
    lang = _lang_of(parameters)
    parts = [
        f"{i18n.label(f'report.param.{key}', lang)} {_show_value(parameters[key])}"
        for key in SHOWN_PARAMETERS
        if key in parameters
    ]
    parts += [
        f"{key} {_show_value(value)}"
        for key, value in parameters.items()
        if key not in SHOWN_PARAMETERS and key not in PATH_PARAMETERS
    ]
    return f"{i18n.label('report.parameters', lang)}: " + " · ".join(parts)


def _lang_of(parameters: Mapping[str, Any]) -> str:
    """The report language a run used ("en" when it did not say)."""
    lang = str(parameters.get("lang", "en"))
    return lang if lang in i18n.SUPPORTED_LANGS else "en"


def _other_language_tags(lang: str) -> set[str]:
    return {f"{LANGUAGE_TAG_PREFIX}{other}" for other in i18n.SUPPORTED_LANGS if other != lang}


def _show_value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _report_title(years: Sequence[int], lang: str) -> str:
    return f"{i18n.label('report.title', lang)}: {' → '.join(str(year) for year in years)}"


# --------------------------------------------------------------------------- kernel


def this_interpreter_kernelspec() -> Any:
    """A kernelspec (in memory, no kernel.json on disk) that starts ``sys.executable``.

    Built from ipykernel's own description of this interpreter's kernel, so its metadata
    (debugger, transport encryption) matches the installed ipykernel. The environment pins
    the inline matplotlib backend (an inherited ``MPLBACKEND=Agg`` would silently drop every
    figure from the pages) and the hash seed (set order, hence outputs, same every build).
    """
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec

    spec = get_kernel_dict()
    spec.update(
        name=KERNEL_NAME,
        display_name=f"Python ({sys.executable})",
        language="python",
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        env={"MPLBACKEND": "module://matplotlib_inline.backend_inline", "PYTHONHASHSEED": "0"},
    )
    return KernelSpec(**spec)


@functools.cache
def this_interpreter_kernel_manager() -> type:
    """An nbclient kernel manager class whose spec manager knows :data:`KERNEL_NAME`.

    Passed to papermill as ``kernel_manager_class`` with ``kernel_name=KERNEL_NAME``: it is
    per call, so nothing global changes (no JUPYTER_PATH, no temp kernel.json, no installed
    kernelspec), which also keeps concurrent notebooks (``jobs > 1``) independent. Where
    jupyter_client and pyzmq can, the local connection is CurveZMQ-encrypted ("auto": only
    if the kernel declares support), which also keeps ipykernel from warning on every run.
    """
    import zmq
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpecManager
    from traitlets import default

    encrypt = "transport_encryption" in AsyncKernelManager.class_trait_names() and zmq.has(
        "curve"
    )

    class ThisInterpreterSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> Any:
            if kernel_name == KERNEL_NAME:
                return this_interpreter_kernelspec()
            return super().get_kernel_spec(kernel_name)

    class ThisInterpreterKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            if encrypt:
                kwargs.setdefault("transport_encryption", "auto")
            super().__init__(**kwargs)

        @default("kernel_spec_manager")
        def _kernel_spec_manager_default(self) -> KernelSpecManager:
            return ThisInterpreterSpecs(data_dir=self.data_dir)

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts every kernel before shutting it down; after the last
            # cell the kernel is idle, and the interrupt only makes ipykernel log a spurious
            # "ERROR | KeyboardInterrupt caught in kernel" into the build output. Timeouts
            # (which interrupt while the kernel runs) are unaffected.
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return ThisInterpreterKernelManager


# --------------------------------------------------------------------------- one notebook


def execute_notebook(notebook: Path, executed: Path, parameters: Mapping[str, Any]) -> None:
    """Run ``notebook`` with papermill on this interpreter, saving the run to ``executed``.

    The kernel starts in the notebook's folder. That is passed to nbclient (``resources``),
    not as papermill's ``cwd=``, which would ``chdir`` this whole process and race between
    notebooks running in threads.
    """
    import papermill

    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            papermill.execute_notebook(
                str(notebook),
                str(executed),
                parameters=dict(parameters),
                kernel_name=KERNEL_NAME,
                language="python",
                progress_bar=False,
                kernel_manager_class=this_interpreter_kernel_manager(),
                resources={"metadata": {"path": str(notebook.parent)}},
            )
            return
        except RuntimeError as error:
            if attempt == KERNEL_START_ATTEMPTS or KERNEL_START_FAILURE not in str(error):
                raise


# A kernel can die before its first reply when two kernels on the machine race for the same
# port (seen with two builds at once); no cell has run yet, so starting it again is safe.
KERNEL_START_FAILURE = "Kernel died before replying to kernel_info"
KERNEL_START_ATTEMPTS = 2


def render_section(executed: Path, page: Path, *, assets_dir: Path | None = None) -> None:
    """Write ``page``: the outputs of the executed notebook as one self-contained HTML file.

    No code, no prompts, no parameter cells; a parameters line and a link to the index on
    top; images embedded. ``assets_dir`` is where relative image links of markdown cells
    point (the source notebook's folder).
    """
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    nb = nbformat.read(executed, as_version=4)
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    parameters = _papermill_parameters(nb)
    lang = _lang_of(parameters)
    config.TagRemovePreprocessor.remove_cell_tags = set(HIDDEN_CELL_TAGS) | _other_language_tags(
        lang
    )
    exporter = HTMLExporter(
        config=config,
        template_name="lab",
        template_file=str(SECTION_TEMPLATE),
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        language_code=lang,
    )
    resources = {
        "metadata": {
            "name": notebook_title(nb, lang) or executed.stem,
            "path": str(assets_dir or executed.parent),
        },
        "gealc_parameters": parameters_line(parameters),
        "gealc_back_to_index": i18n.label("report.back_to_index", lang),
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    page.write_text(body, encoding="utf-8")


def notebook_title(nb: Any, lang: str = "en") -> str | None:
    """The first level-1 markdown heading ("# Title") in ``lang``'s cells, if there is one."""
    skipped = _other_language_tags(lang)
    for cell in nb.cells:
        if cell.cell_type != "markdown" or skipped & set(cell.metadata.get("tags", [])):
            continue
        for line in cell.source.splitlines():
            match = re.match(r"^#\s+(.+?)\s*#*\s*$", line)
            if match:
                return match.group(1)
    return None


def _papermill_parameters(nb: Any) -> dict[str, Any]:
    return dict(nb.metadata.get("papermill", {}).get("parameters", {}))


def _run_notebook(notebook: Path, staging: Path, parameters: Mapping[str, Any]) -> float:
    """Execute and render one notebook into the staging folder; seconds it took."""
    started = time.perf_counter()
    stem = notebook.stem
    output_dir = staging / stem
    executed = staging / EXECUTED_DIR / f"{stem}.ipynb"
    page = staging / f"{stem}.html"
    # A section rebuilt over a copy of the old report must not keep stale figures.
    shutil.rmtree(output_dir, ignore_errors=True)
    page.unlink(missing_ok=True)
    executed.unlink(missing_ok=True)
    for sub in (FIGURES_DIR, TABLES_DIR):
        (output_dir / sub).mkdir(parents=True, exist_ok=True)
    executed.parent.mkdir(parents=True, exist_ok=True)

    from papermill.exceptions import PapermillExecutionError

    try:
        execute_notebook(notebook, executed, {**parameters, "output_dir": str(output_dir)})
    except PapermillExecutionError as exc:
        cell = f"In [{exc.exec_count}]" if exc.exec_count is not None else f"#{exc.cell_index}"
        detail = f"failed in cell {cell}: {exc.ename}: {exc.evalue}"
        raise _NotebookFailed(stem, detail, time.perf_counter() - started) from exc
    except Exception as exc:  # kernel died, timed out, could not start …
        detail = f"failed: {type(exc).__name__}: {exc}"
        raise _NotebookFailed(stem, detail, time.perf_counter() - started) from exc
    try:
        render_section(executed, page, assets_dir=notebook.parent)
    except Exception as exc:
        detail = f"ran but could not be rendered: {type(exc).__name__}: {exc}"
        raise _NotebookFailed(stem, detail, time.perf_counter() - started) from exc
    return time.perf_counter() - started


def _run_all(
    notebooks: Sequence[Path],
    staging: Path,
    parameters: Mapping[str, Any],
    jobs: int,
    progress: Callable[[str], None],
) -> dict[str, float]:
    """Run every notebook (``jobs`` at a time); seconds per stem in notebook order.

    Threads are enough: each notebook runs in its own kernel process. On the first failure
    no further notebook starts; the one reported is the first failed in notebook order.
    """
    total = len(notebooks)
    durations: dict[str, float] = {}
    failures: dict[str, _NotebookFailed] = {}

    def report(done: int, stem: str, outcome: float | _NotebookFailed) -> None:
        if isinstance(outcome, _NotebookFailed):
            progress(f"[{done}/{total}] {stem} … FAILED after {outcome.seconds:.1f} s")
        else:
            progress(f"[{done}/{total}] {stem} … done in {outcome:.1f} s")

    if jobs == 1:
        for done, notebook in enumerate(notebooks, start=1):
            try:
                durations[notebook.stem] = _run_notebook(notebook, staging, parameters)
            except _NotebookFailed as exc:
                report(done, notebook.stem, exc)
                raise
            report(done, notebook.stem, durations[notebook.stem])
        return durations

    pool = ThreadPoolExecutor(max_workers=min(jobs, total), thread_name_prefix="notebook")
    try:
        futures = {pool.submit(_run_notebook, nb, staging, parameters): nb for nb in notebooks}
        done = 0
        for future in as_completed(futures):
            stem = futures[future].stem
            try:
                durations[stem] = future.result()
            except CancelledError:
                continue
            except _NotebookFailed as exc:
                failures[stem] = exc
                for other in futures:
                    other.cancel()  # only those not started yet; running ones finish
            done += 1
            report(done, stem, failures.get(stem, durations.get(stem, 0.0)))
    finally:  # also on Ctrl-C: start nothing new, let the running kernels finish
        pool.shutdown(wait=True, cancel_futures=True)
    if failures:
        raise next(failures[nb.stem] for nb in notebooks if nb.stem in failures)
    return {nb.stem: durations[nb.stem] for nb in notebooks}


# --------------------------------------------------------------------------- index page


def index_html(
    years: Sequence[int], parameters: Mapping[str, Any], sections: Sequence[IndexSection]
) -> str:
    """The report's front page: title, build parameters, one entry per section.

    A section built with other parameters than this build (a partial rebuild over an older
    report) shows its own parameters line, so a mixed report never passes for a uniform one.
    """
    build_line = parameters_line(parameters)
    lang = _lang_of(parameters)
    entries = [_index_entry(section, build_line, lang) for section in sections]
    return Template(INDEX_TEMPLATE.read_text(encoding="utf-8")).substitute(
        lang=html.escape(lang),
        title=html.escape(_report_title(years, lang)),
        parameters=html.escape(build_line),
        sections="\n".join(entries),
    )


def _index_entry(section: IndexSection, build_line: str, lang: str) -> str:
    stem = section.stem
    lines = [
        f'<section id="{_attr(stem)}">',
        f'<h2><a href="{_href(stem + ".html")}">{html.escape(section.title)}</a></h2>',
    ]
    own_line = parameters_line(section.parameters)
    if section.parameters and own_line != build_line:
        lines.append(f'<p class="parameters">{html.escape(own_line)}</p>')
    if section.summary_html:
        lines.append(f'<div class="summary">{section.summary_html}</div>')
    if section.figures:
        lines.append('<div class="figures">')
        for name in section.figures:
            src = _href(f"{stem}/{FIGURES_DIR}/{name}")
            alt = html.escape(Path(name).stem)
            lines.append(f'<a href="{src}"><img src="{src}" alt="{alt}" loading="lazy"></a>')
        lines.append("</div>")
    if section.tables:
        lines.append('<ul class="tables">')
        for name in section.tables:
            href = _href(f"{stem}/{TABLES_DIR}/{name}")
            lines.append(f'<li><a href="{href}">{html.escape(name)}</a></li>')
        lines.append("</ul>")
    executed = _href(f"{EXECUTED_DIR}/{stem}.ipynb")
    executed_label = html.escape(i18n.label("report.executed_notebook", lang))
    lines.append(f'<p class="links"><a href="{executed}">{executed_label}</a></p>')
    lines.append("</section>")
    return "\n".join(lines)


def _href(relative: str) -> str:
    return html.escape(quote(relative), quote=True)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _index_sections(staging: Path, notebooks: Sequence[Path]) -> list[IndexSection]:
    """The rendered sections present in the staging folder, in notebook order."""
    import nbformat

    sections = []
    for notebook in notebooks:
        stem = notebook.stem
        if not (staging / f"{stem}.html").is_file():
            continue
        executed = staging / EXECUTED_DIR / f"{stem}.ipynb"
        nb = nbformat.read(executed if executed.is_file() else notebook, as_version=4)
        sections.append(
            IndexSection(
                stem=stem,
                title=notebook_title(nb, _lang_of(_papermill_parameters(nb))) or stem,
                parameters=_papermill_parameters(nb),
                figures=_file_names(staging / stem / FIGURES_DIR, "*.png"),
                tables=_file_names(staging / stem / TABLES_DIR, "*.csv"),
                summary_html=_summary_html(staging / stem / SUMMARY_FILE),
            )
        )
    return sections


def _summary_html(path: Path) -> str:
    """A section's key findings for the index: the Markdown it saved, as escaped HTML."""
    if not path.is_file():
        return ""
    import mistune

    return mistune.create_markdown(escape=True)(path.read_text(encoding="utf-8")).strip()


def _file_names(folder: Path, pattern: str) -> tuple[str, ...]:
    return tuple(sorted(path.name for path in folder.glob(pattern) if path.is_file()))


# --------------------------------------------------------------------------- folders


def _staging_dir(out_dir: Path, seed_from_report: bool) -> Path:
    """A fresh staging folder beside ``out_dir`` (same filesystem, so renames are atomic)."""
    staging = out_dir.with_name(f"{out_dir.name}.partial-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    if seed_from_report and out_dir.is_dir():
        shutil.copytree(out_dir, staging, symlinks=True)
    else:
        staging.mkdir(parents=True)
    return staging


def _check_replaceable(out_dir: Path) -> None:
    """Refuse to replace a folder that is not a report: the swap deletes what was there."""
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"{out_dir} exists and is not a folder")
    contents = {path.name for path in out_dir.iterdir()} if out_dir.is_dir() else set()
    if contents - {README_FILE} and not (out_dir / INDEX_FILE).is_file():
        raise BuildError(
            f"refusing to replace {out_dir}: it is not empty and has no {INDEX_FILE}, "
            "so it does not look like a report built here; choose another output folder"
        )


def failed_dir(out_dir: Path) -> Path:
    """Where the staging folder of the last failed build is kept."""
    return out_dir.with_name(f"{out_dir.name}.failed")


def _keep_failed(staging: Path, out_dir: Path) -> Path:
    failed = failed_dir(out_dir)
    shutil.rmtree(failed, ignore_errors=True)
    staging.rename(failed)
    return failed


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` with two renames; restore the old one on error."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    backup = out_dir.with_name(f"{out_dir.name}.old-{os.getpid()}")
    shutil.rmtree(backup, ignore_errors=True)
    out_dir.rename(backup)
    try:
        staging.rename(out_dir)
    except BaseException:
        backup.rename(out_dir)
        raise
    shutil.rmtree(backup, ignore_errors=True)


# --------------------------------------------------------------------------- entry point


def _default_validate(data_dir: Path, years: list[int] | None) -> object:
    return data.load_plans(data_dir, years)


def resolve_years(
    data_dir: Path, years: Sequence[int] | None, baseline_year: int | None,
    compare_year: int | None,
) -> tuple[list[int], int, int]:
    """The years, baseline and comparison year of this build, checked against each other."""
    build_years = sorted(set(years)) if years is not None else data.available_years(data_dir)
    if not build_years:
        raise BuildError(f"no plan years: no plan_<year>.csv in {data_dir} and none given")
    try:
        baseline, compare = plan_years.comparison_years(build_years, baseline_year, compare_year,
                                                  among="build years")
    except ValueError as error:
        raise BuildError(str(error)) from None
    return build_years, baseline, compare


def build_report(
    out_dir: Path | None = None,
    *,
    data_dir: Path | None = None,
    notebooks_dir: Path | None = None,
    years: list[int] | None = None,
    baseline_year: int | None = None,
    compare_year: int | None = None,
    lang: str = "en",
    only: list[str] | None = None,
    jobs: int = 1,
    validate: Callable[[Path, list[int] | None], object] | None = None,
    progress: Callable[[str], None] = print,
) -> BuildResult:
    """Validate the data, run the notebooks and publish the static report into ``out_dir``.

    ``only`` rebuilds some sections over a copy of the current report (by stem, name or
    number; empty = all). ``jobs`` notebooks run at a time. ``validate(data_dir, years)``
    must raise on bad data (default :func:`gealc_analysis.data.load_plans`). Raises
    :class:`BuildError`; after a failure ``out_dir`` is exactly as before and
    ``<out_dir>.failed`` holds the run. Defaults come from :mod:`gealc_analysis.paths`;
    years default to every ``plan_<year>.csv``, baseline/compare to the first/last year.
    """
    started = time.perf_counter()
    out_dir = Path(paths.REPORTS_DIR if out_dir is None else out_dir).resolve()
    data_dir = paths.CURATED_DIR if data_dir is None else data_dir
    notebooks_dir = Path(paths.NOTEBOOKS_DIR if notebooks_dir is None else notebooks_dir)
    notebooks_dir = notebooks_dir.resolve()
    if jobs < 1:
        raise BuildError(f"jobs must be at least 1, got {jobs}")
    try:
        i18n.check_lang(lang)
    except ValueError as exc:
        raise BuildError(str(exc)) from exc
    if isinstance(only, str):
        only = [only]
    only = list(only) if only else None  # [] (e.g. an empty CLI option) means everything
    all_notebooks = discover_notebooks(notebooks_dir)
    if not all_notebooks:
        raise BuildError(f"no notebooks named {NOTEBOOK_GLOB} in {notebooks_dir}")
    notebooks = select_notebooks(all_notebooks, only)
    _check_replaceable(out_dir)

    try:
        (validate or _default_validate)(data_dir, years)
    except Exception as exc:
        raise BuildError(f"the data did not validate, nothing was built:\n{exc}") from exc
    build_years, baseline, compare = resolve_years(Path(data_dir), years, baseline_year,
                                                  compare_year)
    shown = {"years": build_years, "baseline_year": baseline, "compare_year": compare,
             "lang": lang}
    parameters = {"data_dir": str(Path(data_dir).resolve()), **shown}

    progress(f"Building {len(notebooks)} notebook(s) into {out_dir} ({parameters_line(shown)})")
    staging = _staging_dir(out_dir, seed_from_report=only is not None)
    try:
        durations = _run_all(notebooks, staging, parameters, jobs, progress)
        index = index_html(build_years, shown, _index_sections(staging, all_notebooks))
        (staging / INDEX_FILE).write_text(index, encoding="utf-8")
        shutil.copyfile(README_TEMPLATE, staging / README_FILE)
    except BaseException as exc:
        failed = _keep_failed(staging, out_dir)
        if isinstance(exc, _NotebookFailed):
            executed = failed / EXECUTED_DIR / f"{exc.stem}.ipynb"
            raise BuildError(f"{exc} — executed copy kept at {executed}") from exc
        if isinstance(exc, Exception):
            raise BuildError(
                f"report build failed: {type(exc).__name__}: {exc} — partial build kept at "
                f"{failed}"
            ) from exc
        raise
    _swap_into_place(staging, out_dir)

    total = time.perf_counter() - started
    stems = [nb.stem for nb in notebooks]
    progress(f"Report written to {out_dir / INDEX_FILE} in {total:.1f} s")
    return BuildResult(
        out_dir=out_dir,
        sections=stems,
        html={stem: out_dir / f"{stem}.html" for stem in stems},
        durations=durations,
        total_seconds=total,
    )
