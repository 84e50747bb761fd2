"""``build_report``: validate, run the notebooks, write the index, publish the report."""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gealc_analysis import data
from gealc_analysis.build import cache, site
from gealc_analysis.build import execute as execute_module
from gealc_analysis.build.discover import discover_notebooks, select_notebooks
from gealc_analysis.build.errors import EXIT_INTERNAL, BuildError, NotebookFailed
from gealc_analysis.build.execute import DEFAULT_CELL_TIMEOUT
from gealc_analysis.build.folders import (
    DEFAULT_LOCK_TIMEOUT,
    build_lock,
    check_outside_sources,
    clean_leftovers,
)
from gealc_analysis.build.kernel import (
    WarmKernels,
    allow_kernels,
    raise_if_stop_requested,
    start_zygote_ahead,
    stop_running_kernels,
)
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
    staging_name,
    swap_into_place,
)
from gealc_analysis.build.run import Batch, run_batches
from gealc_analysis.core import paths
from gealc_analysis.core import years as plan_years
from gealc_analysis.core.links import LOOP_WORDS, is_symlink_loop
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
    rendered: tuple[str, ...] = ()  # languages whose pages, index and products were written
    root_written: bool = False  # whether the report-wide files (data copy, landing) were

    @property
    def index(self) -> Path:
        return self.out_dir / INDEX_FILE


@contextmanager
def _handed_over(
    bundle: DataBundle, comparison: tuple[int, int], pool: WarmKernels | None = None
) -> Iterator[Callable[[], None]]:
    """Hand the loaded bundle, with the multiverse of the build's ``comparison``, to every
    kernel of this build (see :mod:`handoff`), so no notebook loads or validates the data
    or computes the multiverse again; yields a call that returns once the multiverse is
    computed in this process (raising what computing it raised).

    The handoff's place is named to the kernels first, so ``pool``'s first kernels start
    and import the package at once. When kernels will run notebooks (``pool``), the bundle
    is written first and the multiverse (seconds, the costliest measure) computed in a
    thread of this process while the first notebooks run: a kernel whose section needs it
    waits for it there (``handoff.write_bundle_first``), the others never do. The index and
    the brief read it from this process's memo (the headlines call the yielded function
    first: ``site.build_languages``). Without kernels it is computed before the block."""
    with tempfile.TemporaryDirectory(
        prefix="gealc-report-data-", ignore_cleanup_errors=True
    ) as scratch:
        target = Path(scratch) / "validated.pickle"
        with handoff.handed_to_kernels(target):
            if pool is None or not pool.left:
                handoff.write_validated(target, bundle, [comparison])
                yield lambda: None
                return
            handoff.write_bundle_first(target, bundle)
            pool.start()
            background = _Background(handoff.write_cells, target, bundle, [comparison])
            try:
                yield background.result
            except Exception:
                background.wait()  # a failed build still ends with no thread of its own
                raise
            background.result()


class _Background:
    """A call run in a thread of its own; ``result()`` waits for it and raises its error."""

    def __init__(self, call: Callable[..., object], *args: object) -> None:
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(call, *args), name="multiverse", daemon=True
        )
        self._thread.start()

    def _run(self, call: Callable[..., object], *args: object) -> None:
        try:
            call(*args)
        except BaseException as error:  # raised in the build's thread by result()
            self._error = error

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error


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
    report is left as it was. Every notebook runs on a kernel of its own, warmed ahead
    (:mod:`.run`).
    A section whose inputs are unchanged since the report in ``out_dir`` was built, and whose
    files are all there as written, is kept, not run again; a language's pages (and the
    report-wide files) are written again only when what they are made from changed — the
    commit, the build date, the languages present — and when nothing changed at all the data
    is not even loaded and the report is left untouched (:mod:`.cache`, :func:`decide_work`).
    ``force`` runs every selected section.

    Every language is built into ``<out_dir>/<lang>/`` (see :mod:`.site`); ``lang`` runs only
    that language's notebooks; another language's folder is rendered again only when its
    pages must change (a twin link to a language built now, a new commit) and its sections
    are current, and is otherwise left as it is.
    """
    started = time.perf_counter()
    progress = one_at_a_time(progress)  # the notebooks' jobs report from threads of their own
    for folder in (out_dir, data_dir, notebooks_dir):
        if folder is not None and is_symlink_loop(folder):  # resolve() would raise or spin
            raise BuildError(f"{folder}: {LOOP_WORDS}; name a real folder")
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

    build_years, baseline, compare = _years(
        load, Path(data_dir), years, baseline_year, compare_year
    )
    common = {"years": build_years, "baseline_year": baseline, "compare_year": compare}
    resolved_data = Path(data_dir).resolve()
    code = cache.PackageCode()

    sources = [resolved_data, *site.data_extras(resolved_data), data.SCHEMAS_DIR]

    def gather(read: set[Path]) -> cache.Inputs:
        recorded = cache.read_record(out_dir).data_files
        files = cache.data_inputs(sources, read, recorded, resolved_data.parent)
        return cache.gather_inputs(all_notebooks, notebooks_dir, files, code, resolved_data.parent)

    def decide(inputs: cache.Inputs) -> Decision:
        return decide_work(
            out_dir, languages, all_notebooks, notebooks, common, resolved_data, inputs, force
        )

    # Decided before the lock, so bad data fails at once, without waiting for another
    # build; decided again under the lock if a build changed the report meanwhile.
    decision = decide(gather(set()))
    records = cache.records_bytes(out_dir)
    if not decision.nothing_to_do and _runs_on_kernels():
        start_zygote_ahead(notebooks_dir)  # its imports overlap the data load below
    loaded = None if decision.nothing_to_do else _load(load, Path(data_dir), years)
    allow_kernels()
    with build_lock(out_dir, lock_timeout, progress):
        clean_leftovers(out_dir, progress)
        check_replaceable(out_dir)  # again: another build may have run while we waited
        if cache.records_bytes(out_dir) != records:
            decision = decide(decision.inputs)
        if decision.nothing_to_do:  # nothing changed anywhere: leave the report be
            total = time.perf_counter() - started
            progress(f"Report up to date: {out_dir / INDEX_FILE} ({total:.1f} s)")
            return _result(out_dir, notebooks, languages, {}, total, decision)
        bundle, read = loaded or _load(load, Path(data_dir), years)
        for note in bundle.notes:
            progress(f"warning: {note}")
        covered = set(decision.inputs.data_files)
        if {cache.data_name(path.resolve(), resolved_data.parent) for path in read} - covered:
            decision = decide(gather(read))  # the load read a file no key covered yet
        _announce(decision, notebooks, out_dir, progress)
        plan = site.LanguageBuild(
            languages=tuple(lang for lang in decision.to_run if decision.to_run[lang]),
            notebooks=notebooks,
            all_notebooks=all_notebooks,
            data_dir=resolved_data,
            bundle=bundle,
            years=build_years,
            common=common,
            out_dir=out_dir,
            to_run=decision.to_run,
            keys=decision.keys,
            render=decision.render,
            pages_only=decision.pages_only,
            root=decision.root,
            provenance=decision.provenance,
        )
        pool = _warm_kernels(plan, jobs)
        try:
            with (
                i18n.labelling_funding_codes(bundle.funding_codes),  # the data's, not the project's
                _handed_over(bundle, (baseline, compare), pool) as multiverse_ready,
            ):
                durations = _build_into(
                    out_dir,
                    plan,
                    decision,
                    pool,
                    multiverse_ready,
                    seed=only is not None or lang is not None or decision.seed,
                    jobs=jobs,
                    progress=progress,
                    cell_timeout=cell_timeout,
                )
        finally:
            if pool is not None:
                pool.close()  # kernels started for notebooks that did not run (a failure)

    total = time.perf_counter() - started
    for language in decision.render:
        progress(i18n.label("pages.build.done", language, path=out_dir / language / INDEX_FILE))
    progress(f"Report written to {out_dir / INDEX_FILE} in {total:.1f} s")
    return _result(out_dir, notebooks, languages, durations, total, decision)


def one_at_a_time(progress: Callable[[str], None]) -> Callable[[str], None]:
    """``progress`` called by one thread at a time, so two messages never mix on a line (the
    notebooks' jobs say when a notebook starts and ends while this thread writes pages)."""
    lock = threading.Lock()

    def say(message: str) -> None:
        with lock:
            progress(message)

    return say


def _announce(
    decision: Decision,
    notebooks: Sequence[Path],
    out_dir: Path,
    progress: Callable[[str], None],
) -> None:
    """Say which sections the cache keeps and which language folders it leaves stale."""
    for language in decision.keys:
        for notebook in notebooks:
            if notebook.stem in decision.kept.get(language, set()):
                progress(f"[{language}] {notebook.stem} … unchanged since the last build, kept")
    for language in decision.stale:
        progress(
            f"note: {out_dir / language} was built from other inputs; its pages are left "
            f"as they were (rebuild it with --lang {language} to refresh them)"
        )


def _load(
    load: Callable[[Path, list[int] | None], DataBundle],
    data_dir: Path,
    years: Sequence[int] | None,
) -> tuple[DataBundle, set[Path]]:
    """Load and validate the data once, watching which files the load reads."""
    try:
        return cache.reading(lambda: load(data_dir, list(years) if years is not None else None))
    except Exception as exc:
        raise BuildError(f"the data did not validate, nothing was built:\n{exc}") from exc


def _years(
    load: Callable[[Path, list[int] | None], DataBundle],
    data_dir: Path,
    years: Sequence[int] | None,
    baseline_year: int | None,
    compare_year: int | None,
) -> tuple[list[int], int, int]:
    """:func:`resolve_years`; when the years do not resolve, the data's own problems (if
    any) are reported first, as a load would find them."""
    try:
        return resolve_years(data_dir, years, baseline_year, compare_year)
    except BuildError:
        _load(load, data_dir, years)
        raise


def _result(
    out_dir: Path,
    notebooks: Sequence[Path],
    languages: tuple[str, ...],
    durations: dict[str, float],
    total: float,
    decision: Decision,
) -> BuildResult:
    stems = [nb.stem for nb in notebooks]
    return BuildResult(
        out_dir=out_dir,
        sections=stems,
        html={stem: out_dir / languages[0] / f"{stem}.html" for stem in stems},
        durations={stem: durations.get(stem, 0.0) for stem in stems},
        total_seconds=total,
        kept=[
            stem
            for stem in stems
            if all(stem in decision.kept.get(language, set()) for language in languages)
        ],
        languages=languages,
        rendered=tuple(decision.render),
        root_written=decision.root,
    )


@dataclass
class Decision:
    """What a build does, from its keys against the report's records (:mod:`.cache`)."""

    inputs: cache.Inputs
    keys: dict[str, dict[str, str]]  # language → stem → execute key (every notebook)
    to_run: dict[str, list[Path]]  # language → notebooks to execute
    kept: dict[str, set[str]]  # language → stems whose executed outputs are kept
    sections: dict[str, dict[str, str]]  # language → stem → execute key after the build
    site_keys: dict[str, str]  # language → key of its pages; "" → of the report-wide files
    render: list[str]  # languages whose pages, index and products are written
    # languages of ``render`` of which only the run sections' pages are: sections run again
    # on the inputs they were built from, with the language's pages otherwise current
    pages_only: dict[str, frozenset[str]]
    stale: list[str]  # languages present, not built, whose pages are out of date
    root: bool  # whether the report-wide files are written
    provenance: dict[str, dict[str, Any]]  # language ("" report-wide) → provenance record
    seed: bool  # whether the staging folder starts as a copy of the report

    @property
    def nothing_to_do(self) -> bool:
        return not any(self.to_run.values()) and not self.render and not self.root


def decide_work(
    out_dir: Path,
    languages: tuple[str, ...],
    all_notebooks: Sequence[Path],
    notebooks: Sequence[Path],
    common: dict[str, Any],
    data_dir: Path,
    inputs: cache.Inputs,
    force: bool,
) -> Decision:
    """Which sections run, which languages are rendered and whether the report-wide files
    are written, for a build of ``notebooks`` in ``languages`` into ``out_dir``.

    A section is kept when its execute key is the recorded one and every file its run wrote
    is there with its recorded bytes. A language's pages are written again when one of its
    sections runs, its site key changed (code, data, provenance, languages present, a
    section's key) or one of its pages or own files is missing or edited; a language
    present in the folder but not built now is re-rendered too when its site key changed
    (its twin links) and its sections are current, and is otherwise left as it is. When
    the only reason is sections run again on the keys they were built with (``force``),
    only their pages are written: the rest of the language is current (``pages_only``).
    """
    all_stems = {nb.stem for nb in all_notebooks}
    after = tuple(
        sorted({*languages, *site.languages_present(out_dir)}, key=i18n.SUPPORTED_LANGS.index)
    )
    try:
        records = site.provenance_records(data_dir, common, after)
    except ValueError as exc:  # e.g. a SOURCE_DATE_EPOCH that is not a date
        raise BuildError(str(exc)) from None
    decision = Decision(
        inputs=inputs,
        keys={},
        to_run={},
        kept={},
        sections={},
        site_keys={},
        render=[],
        pages_only={},
        stale=[],
        root=False,
        provenance=records,
        seed=False,
    )
    for lang in after:
        folder = out_dir / lang
        record = cache.read_record(folder)
        parameters = {"data_dir": str(data_dir), **common, "lang": lang}
        keys = {nb.stem: cache.execute_key(nb, parameters, inputs) for nb in all_notebooks}
        changed = cache.changed_files(folder, record.files)
        run_outputs_changed = {
            cache.section_of(name)
            for name in changed
            if name not in cache.rendered_pages(cache.section_of(name))
        }
        current = {
            stem
            for stem, key in record.sections.items()
            if stem in all_stems and key == keys[stem] and stem not in run_outputs_changed
        }
        present = {
            stem for stem in all_stems if (folder / EXECUTED_DIR / f"{stem}.ipynb").is_file()
        }
        built = lang in languages
        to_run = [nb for nb in notebooks if force or nb.stem not in current] if built else []
        sections = {stem: record.sections.get(stem, "") for stem in present}
        sections.update({nb.stem: keys[nb.stem] for nb in to_run})
        site_key = cache.site_key(inputs, records[lang], after, sections)
        outdated = bool(to_run) or record.site != site_key or bool(changed)
        if outdated and not built and not present <= current:
            decision.stale.append(lang)
        elif outdated:
            decision.render.append(lang)
            if record.site == site_key and not changed:  # only sections run on their keys
                decision.pages_only[lang] = frozenset(nb.stem for nb in to_run)
        decision.keys[lang] = keys
        decision.to_run[lang] = to_run
        decision.kept[lang] = {stem for stem in current if built} - {nb.stem for nb in to_run}
        decision.sections[lang] = sections
        decision.site_keys[lang] = site_key
    root_record = cache.read_record(out_dir)
    decision.site_keys[""] = cache.site_key(inputs, records[""], after)
    decision.root = (
        root_record.site != decision.site_keys[""]
        or not root_record.files
        or bool(cache.changed_files(out_dir, root_record.files))
    )
    decision.seed = out_dir.is_dir() and not all(
        {nb.stem for nb in decision.to_run.get(lang, [])} == all_stems
        for lang in i18n.SUPPORTED_LANGS
    )
    return decision


def _build_into(
    out_dir: Path,
    plan: site.LanguageBuild,
    decision: Decision,
    pool: WarmKernels | None,
    multiverse_ready: Callable[[], None],
    seed: bool,
    jobs: int,
    progress: Callable[[str], None],
    cell_timeout: float | None,
) -> dict[str, float]:
    """Run the notebooks in a staging folder, render what the decision says, record the
    keys and files, and swap it in; the caller holds the lock. What reads the headlines
    (the brief, the indexes) waits for ``multiverse_ready()`` to return.

    ``seed``: start from a copy of the current report (a partial build, one language, or
    sections kept by the cache); what this build does not rebuild is kept byte for byte, and
    sections of notebooks that no longer exist are dropped from it.
    """
    staging = staging_name(out_dir)
    try:
        # Made inside the ``try``: a signal while it is copied or marked still removes it.
        staging_dir(out_dir, seed_from_report=seed)
        for language in decision.render:
            _drop_removed_sections(staging / language, plan.all_notebooks)

        def run(
            batches: Sequence[Batch],
            language_ran: Callable[[Batch], Iterable[None] | None],
            meanwhile: Iterable[None],
        ) -> list[dict[str, float]]:
            return run_batches(
                batches, jobs, cell_timeout, pool, batch_done=language_ran, meanwhile=meanwhile
            )

        durations = site.build_languages(
            staging, plan, run=run, progress=progress, findings_ready=multiverse_ready
        )
        multiverse_ready()  # also when no page read it: its error fails the build, unswapped
        if pool is not None:
            pool.close()  # every kernel of the build has exited before the report is swapped in
        if plan.root:
            shutil.copyfile(README_TEMPLATE, staging / README_FILE)
        _record(staging, decision)
        raise_if_stop_requested()  # the last look before the report is replaced
    except KeyboardInterrupt:
        stop_running_kernels()
        discard(staging)
        raise
    except NotebookFailed as exc:
        failed = keep_failed(staging, out_dir)
        executed = failed / exc.lang / EXECUTED_DIR / f"{exc.stem}.ipynb"
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


def _runs_on_kernels() -> bool:
    """Whether the notebooks run on kernels (not on a stand-in executor, which needs none)."""
    return bool(getattr(execute_module.execute_notebook, "runs_on_kernels", False))


def _warm_kernels(plan: site.LanguageBuild, jobs: int) -> WarmKernels | None:
    """One pool of warm kernels for every notebook this build runs, in every language, so
    the kernels of a language's first notebooks warm while the language before it finishes
    (None when the notebooks are not in one folder: each run then makes its own, or when
    the notebooks do not run on kernels: a stand-in executor costs no kernel)."""
    if not _runs_on_kernels():
        return None
    notebooks = [nb for lang in plan.languages for nb in plan.to_run.get(lang, plan.notebooks)]
    folders = {notebook.parent for notebook in notebooks}
    if len(folders) != 1:
        return None
    return WarmKernels(folders.pop(), len(notebooks), ahead=jobs)


def _record(staging: Path, decision: Decision) -> None:
    """Write the records of every folder this build wrote: its key(s) and the SHA-256 of
    each of its files, so the next build can tell a kept file from an edited one."""
    for language in decision.render:
        folder = staging / language
        stems = [
            stem
            for stem in decision.sections[language]
            if (folder / stem).exists() or (folder / EXECUTED_DIR / f"{stem}.ipynb").is_file()
        ]
        names = [name for stem in stems for name in cache.section_files(folder, stem)]
        names += cache.language_outputs(folder, decision.keys[language])
        cache.write_record(
            folder,
            cache.Record(
                site=decision.site_keys[language],
                sections={stem: decision.sections[language][stem] for stem in stems},
                files=cache.hash_files(folder, names),
            ),
        )
    cache.write_record(
        staging,
        cache.Record(
            site=decision.site_keys[""],
            files=cache.hash_files(staging, cache.root_outputs(staging)),
            data_files=list(decision.inputs.data_files),
        ),
    )


def _drop_removed_sections(folder: Path, all_notebooks: Sequence[Path]) -> None:
    """Remove from a seeded language folder the sections whose notebook is gone."""
    present = {nb.stem for nb in all_notebooks}
    for stem in [stem for stem in cache.read_record(folder).sections if stem not in present]:
        shutil.rmtree(folder / stem, ignore_errors=True)
        (folder / f"{stem}.html").unlink(missing_ok=True)
        for suffix in (".ipynb", ".html"):
            (folder / EXECUTED_DIR / f"{stem}{suffix}").unlink(missing_ok=True)
