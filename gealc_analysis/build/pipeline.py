"""``build_report``: validate, run the notebooks, write the index, publish the report."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gealc_analysis import data, i18n, paths, provenance
from gealc_analysis import years as plan_years
from gealc_analysis.build import site
from gealc_analysis.build.discover import discover_notebooks, select_notebooks
from gealc_analysis.build.errors import BuildError, NotebookFailed
from gealc_analysis.build.layout import (
    EXECUTED_DIR,
    INDEX_FILE,
    NOTEBOOK_GLOB,
    README_FILE,
    README_TEMPLATE,
)
from gealc_analysis.build.parameters import parameters_line
from gealc_analysis.build.publish import (
    check_replaceable,
    keep_failed,
    staging_dir,
    swap_into_place,
)
from gealc_analysis.build.run import run_all


@dataclass(frozen=True)
class BuildResult:
    """What a successful build produced (all paths inside the final ``out_dir``)."""

    out_dir: Path
    sections: list[str]  # stems run by this build, in notebook order
    html: dict[str, Path]  # stem → rendered page (in the first language built)
    durations: dict[str, float]  # stem → seconds to execute, summed over the languages
    total_seconds: float
    languages: tuple[str, ...] = ("en",)  # languages this build wrote, each in <out>/<lang>/

    @property
    def index(self) -> Path:
        return self.out_dir / INDEX_FILE


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
    lang: str | None = None,
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
    ``<out_dir>.failed`` holds the run. Every language is built into ``<out_dir>/<lang>/``;
    ``lang`` builds (and touches) only that language's folder. Defaults come from
    :mod:`gealc_analysis.paths`; years default to every ``plan_<year>.csv``,
    baseline/compare to the first/last year.
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
    check_replaceable(out_dir)

    try:
        (validate or _default_validate)(data_dir, years)
    except Exception as exc:
        raise BuildError(f"the data did not validate, nothing was built:\n{exc}") from exc
    build_years, baseline, compare = resolve_years(Path(data_dir), years, baseline_year,
                                                   compare_year)
    common = {"years": build_years, "baseline_year": baseline, "compare_year": compare}
    data_path = Path(data_dir).resolve()

    staging = staging_dir(out_dir, seed_from_report=only is not None or lang is not None)
    durations: dict[str, float] = {}
    language = languages[0]  # the language being built, for the failure message
    try:
        site.drop_single_language_layout(staging, all_notebooks)
        for language in languages:
            shown = {**common, "lang": language}
            progress(i18n.label("pages.build.start", language, n=len(notebooks),
                                out=out_dir / language, parameters=parameters_line(shown)))
            ran = run_all(notebooks, staging / language, {"data_dir": str(data_path), **shown},
                          jobs, site.language_progress(progress, language))
            for stem, seconds in ran.items():
                durations[stem] = durations.get(stem, 0.0) + seconds
        data_files = site.copy_data(data_path, staging)
        for language in languages:
            shown = {**common, "lang": language}
            site.write_language(
                staging / language, notebooks=all_notebooks,
                languages=sorted({*languages, *site.languages_present(staging)},
                                 key=i18n.SUPPORTED_LANGS.index),
                years=build_years, shown=shown, data_dir=data_path, data_files=data_files,
                prov=provenance.build_provenance(data_path, shown))
        site.write_root(staging, years=build_years, data_files=data_files,
                        prov=provenance.build_provenance(
                            data_path, {**common, "languages": list(
                                site.languages_present(staging))}))
        shutil.copyfile(README_TEMPLATE, staging / README_FILE)
    except BaseException as exc:
        failed = keep_failed(staging, out_dir)
        if isinstance(exc, NotebookFailed):
            executed = failed / language / EXECUTED_DIR / f"{exc.stem}.ipynb"
            raise BuildError(f"{exc} — executed copy kept at {executed}") from exc
        if isinstance(exc, Exception):
            raise BuildError(
                f"report build failed: {type(exc).__name__}: {exc} — partial build kept at "
                f"{failed}"
            ) from exc
        raise
    swap_into_place(staging, out_dir)

    total = time.perf_counter() - started
    stems = [nb.stem for nb in notebooks]
    for language in languages:
        progress(i18n.label("pages.build.done", language,
                            path=out_dir / language / INDEX_FILE))
    progress(f"Report written to {out_dir / INDEX_FILE} in {total:.1f} s")
    return BuildResult(
        out_dir=out_dir,
        sections=stems,
        html={stem: out_dir / languages[0] / f"{stem}.html" for stem in stems},
        durations=durations,
        total_seconds=total,
        languages=languages,
    )
