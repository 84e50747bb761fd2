"""``build_report``: validate, run the notebooks, write the index, publish the report."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from gealc_analysis import data
from gealc_analysis.build import cache, site
from gealc_analysis.build.discover import discover_notebooks, select_notebooks
from gealc_analysis.build.errors import EXIT_INTERNAL, BuildError, NotebookFailed
from gealc_analysis.build.execute import DEFAULT_CELL_TIMEOUT
from gealc_analysis.build.folders import (
    DEFAULT_LOCK_TIMEOUT,
    build_lock,
    check_outside_sources,
    clean_leftovers,
)
from gealc_analysis.build.kernel import allow_kernels, stop_running_kernels
from gealc_analysis.build.layout import (
    EXECUTED_DIR,
    INDEX_FILE,
    NOTEBOOK_GLOB,
    README_FILE,
    README_TEMPLATE,
)
from gealc_analysis.build.publish import (
    check_replaceable,
    discard,
    keep_failed,
    staging_dir,
    swap_into_place,
)
from gealc_analysis.build.run import run_all
from gealc_analysis.core import paths
from gealc_analysis.core import years as plan_years
from gealc_analysis.data.bundle import DataBundle, load_bundle
from gealc_analysis.notebook import handoff
from gealc_analysis.words import i18n


@dataclass(frozen=True)
class BuildResult:
    """What a successful build produced (all paths inside the final ``out_dir``)."""

    out_dir: Path
    sections: list[str]  # stems run by this build, in notebook order
    html: dict[str, Path]  # stem → rendered page (in the first language built)
    durations: dict[str, float]  # stem → seconds to execute, summed over the languages
    total_seconds: float
    kept: list[str] = field(default_factory=list)  # stems kept unchanged in every language
    languages: tuple[str, ...] = ("en",)  # languages this build wrote, each in <out>/<lang>/

    @property
    def index(self) -> Path:
        return self.out_dir / INDEX_FILE


@contextmanager
def _handed_over(bundle: DataBundle, comparison: tuple[int, int]) -> Iterator[None]:
    """Hand the loaded bundle, with the multiverse of the build's ``comparison``, to every
    kernel of this build (see :mod:`handoff`), so no notebook loads or validates the data
    or computes the multiverse again."""
    with tempfile.TemporaryDirectory(prefix="gealc-report-data-") as scratch:
        target = handoff.write_validated(Path(scratch) / "validated.pickle", bundle, [comparison])
        with handoff.handed_to_kernels(target):
            yield


def resolve_years(
    data_dir: Path,
    years: Sequence[int] | None,
    baseline_year: int | None,
    compare_year: int | None,
) -> tuple[list[int], int, int]:
    """The years, baseline and comparison year of this build, checked against each other."""
    build_years = sorted(set(years)) if years is not None else data.available_years(data_dir)
    if not build_years:
        raise BuildError(f"no plan years: no plan_<year>.csv in {data_dir} and none given")
    try:
        baseline, compare = plan_years.comparison_years(
            build_years, baseline_year, compare_year, among="build years"
        )
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
    lang: str | None = None,
    only: list[str] | None = None,
    jobs: int = 1,
    load: Callable[[Path, list[int] | None], DataBundle] = load_bundle,
    progress: Callable[[str], None] = print,
    cell_timeout: float | None = DEFAULT_CELL_TIMEOUT,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    force: bool = False,
) -> BuildResult:
    """Validate the data, run the notebooks and publish the static report into ``out_dir``.

    ``only`` rebuilds some sections over a copy of the current report (by stem, name or
    number; empty = all). ``jobs`` notebooks run at a time. ``load(data_dir, years)``
    loads and validates every table of the data folder once
    (:func:`~gealc_analysis.data.bundle.load_bundle`, raising on bad data); the bundle is
    handed to the notebooks (:mod:`gealc_analysis.notebook.handoff`), the index's findings
    and the brief and explorer, so nothing else reads the data folder. Raises
    :class:`BuildError`; after a failure ``out_dir`` is exactly as before and
    ``<out_dir>.failed`` holds the run. Defaults come from :mod:`gealc_analysis.core.paths`;
    years default to every ``plan_<year>.csv``, baseline/compare to the first/last year.

    Only folders the build made are replaced (see :mod:`.folders`); a build into the same
    folder as a running one waits up to ``lock_timeout`` seconds. A cell running longer than
    ``cell_timeout`` seconds fails the build. On Ctrl-C or SIGTERM (raised here as
    ``KeyboardInterrupt``) the kernels are stopped, the staging folder is deleted and the
    report is left as it was. Every notebook runs on a fresh kernel of its own (:mod:`.run`).
    A section whose inputs are unchanged since the report in ``out_dir`` was built is kept,
    not run again (:mod:`.cache`, per language folder); ``force`` runs every selected section.

    Every language is built into ``<out_dir>/<lang>/`` (see :mod:`.site`); ``lang`` builds,
    and touches, only that language's folder.
    """
    started = time.perf_counter()
    out_dir = Path(paths.REPORTS_DIR if out_dir is None else out_dir).resolve()
    data_dir = paths.CURATED_DIR if data_dir is None else data_dir
    notebooks_dir = Path(paths.NOTEBOOKS_DIR if notebooks_dir is None else notebooks_dir)
    notebooks_dir = notebooks_dir.resolve()
    if jobs < 1:
        raise BuildError(f"jobs must be at least 1, got {jobs}")
    try:
        languages = site.languages_to_build(lang)
    except ValueError as exc:
        raise BuildError(str(exc)) from exc
    if isinstance(only, str):
        only = [only]
    only = list(only) if only else None  # [] (e.g. an empty CLI option) means everything
    all_notebooks = discover_notebooks(notebooks_dir)
    if not all_notebooks:
        raise BuildError(f"no notebooks named {NOTEBOOK_GLOB} in {notebooks_dir}")
    notebooks = select_notebooks(all_notebooks, only)
    if cell_timeout is not None and cell_timeout <= 0:
        raise BuildError(
            f"the cell timeout must be a positive number of seconds, got {cell_timeout:g}"
        )
    check_outside_sources(out_dir, Path(data_dir), notebooks_dir)
    check_replaceable(out_dir)  # before validating: a wrong --out is found at once

    try:
        bundle = load(Path(data_dir), years)
    except Exception as exc:
        raise BuildError(f"the data did not validate, nothing was built:\n{exc}") from exc
    for note in bundle.notes:
        progress(f"warning: {note}")
    build_years, baseline, compare = resolve_years(
        Path(data_dir), years, baseline_year, compare_year
    )
    common = {"years": build_years, "baseline_year": baseline, "compare_year": compare}
    resolved_data = Path(data_dir).resolve()

    allow_kernels()
    with (
        _handed_over(bundle, (baseline, compare)),
        build_lock(out_dir, lock_timeout, progress),
    ):
        clean_leftovers(out_dir, progress)
        check_replaceable(out_dir)  # again: another build may have run while we waited
        data_key = handoff.fingerprint(data_dir, build_years)
        source, versions = cache.source_fingerprint(), cache.library_versions()
        keys: dict[str, dict[str, str]] = {}
        to_run: dict[str, list[Path]] = {}
        kept: dict[str, set[str]] = {}
        for language in languages:
            parameters = {"data_dir": str(resolved_data), **common, "lang": language}
            keys[language] = {
                nb.stem: cache.section_key(nb, parameters, data_key, source, versions)
                for nb in all_notebooks
            }
            kept[language] = set() if force else cache.reusable(out_dir / language, keys[language])
            to_run[language] = [nb for nb in notebooks if nb.stem not in kept[language]]
            for notebook in notebooks:
                if notebook.stem in kept[language]:
                    progress(f"[{language}] {notebook.stem} … unchanged since the last build, kept")
        plan = site.LanguageBuild(
            languages=languages,
            notebooks=notebooks,
            all_notebooks=all_notebooks,
            data_dir=resolved_data,
            bundle=bundle,
            years=build_years,
            common=common,
            out_dir=out_dir,
            to_run=to_run,
            keys=keys,
        )
        everything_kept = all(
            not to_run[language] and {nb.stem for nb in all_notebooks} <= kept[language]
            for language in languages
        )
        if everything_kept:
            durations: dict[str, float] = {}  # nothing changed anywhere: leave the report be
        else:
            durations = _build_into(
                out_dir,
                plan,
                seed=only is not None or lang is not None or any(kept.values()),
                jobs=jobs,
                progress=progress,
                cell_timeout=cell_timeout,
            )

    total = time.perf_counter() - started
    stems = [nb.stem for nb in notebooks]
    if durations:
        for language in languages:
            progress(i18n.label("pages.build.done", language, path=out_dir / language / INDEX_FILE))
        progress(f"Report written to {out_dir / INDEX_FILE} in {total:.1f} s")
    else:
        progress(f"Report up to date: {out_dir / INDEX_FILE} ({total:.1f} s)")
    return BuildResult(
        out_dir=out_dir,
        sections=stems,
        html={stem: out_dir / languages[0] / f"{stem}.html" for stem in stems},
        durations={stem: durations.get(stem, 0.0) for stem in stems},
        total_seconds=total,
        kept=[stem for stem in stems if all(stem in kept[language] for language in languages)],
        languages=languages,
    )


def _build_into(
    out_dir: Path,
    plan: site.LanguageBuild,
    seed: bool,
    jobs: int,
    progress: Callable[[str], None],
    cell_timeout: float | None,
) -> dict[str, float]:
    """Run the notebooks in a staging folder and swap it in; the caller holds the lock.

    ``seed``: start from a copy of the current report (a partial build, one language, or
    sections kept by the cache); what this build does not rebuild is kept byte for byte, and
    sections of notebooks that no longer exist are dropped from it.
    """
    staging = staging_dir(out_dir, seed_from_report=seed)
    try:

        def run(
            language: str,
            folder: Path,
            parameters: dict[str, object],
            report: Callable[[str], None],
        ) -> dict[str, float]:
            manifest = cache.read_manifest(folder) if seed else {}
            _drop_removed_sections(folder, plan.all_notebooks, manifest)
            durations = (
                run_all(plan.to_run[language], folder, parameters, jobs, report, cell_timeout)
                if plan.to_run[language]
                else {}
            )
            folder.mkdir(parents=True, exist_ok=True)
            cache.write_manifest(
                folder,
                {
                    **manifest,
                    **{nb.stem: plan.keys[language][nb.stem] for nb in plan.to_run[language]},
                },
            )
            return durations

        durations = site.build_languages(staging, plan, run=run, progress=progress)
        shutil.copyfile(README_TEMPLATE, staging / README_FILE)
    except KeyboardInterrupt:
        stop_running_kernels()
        discard(staging)
        raise
    except NotebookFailed as exc:
        failed = keep_failed(staging, out_dir)
        executed = failed / getattr(exc, "lang", "") / EXECUTED_DIR / f"{exc.stem}.ipynb"
        raise BuildError(
            f"{exc} — executed copy kept at {executed}", exit_code=EXIT_INTERNAL
        ) from exc
    except BuildError:
        discard(staging)
        raise
    except Exception as exc:
        failed = keep_failed(staging, out_dir)
        raise BuildError(
            f"report build failed: {type(exc).__name__}: {exc} — partial build kept at {failed}",
            exit_code=EXIT_INTERNAL,
        ) from exc
    swap_into_place(staging, out_dir)
    return durations


def _drop_removed_sections(
    staging: Path, all_notebooks: Sequence[Path], manifest: dict[str, str]
) -> None:
    """Remove from a seeded staging folder the sections whose notebook is gone."""
    present = {nb.stem for nb in all_notebooks}
    for stem in [stem for stem in manifest if stem not in present]:
        shutil.rmtree(staging / stem, ignore_errors=True)
        (staging / f"{stem}.html").unlink(missing_ok=True)
        (staging / EXECUTED_DIR / f"{stem}.ipynb").unlink(missing_ok=True)
        del manifest[stem]
