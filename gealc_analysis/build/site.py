"""The report as a site: one folder per language, a bilingual landing page, one stylesheet and
a copy of the data, so the folder works offline and when zipped and mailed.

Layout (``reports/`` = the build's output folder)::

    index.html               landing page: a language chooser, Spanish first, each part
                             in its own language
    assets/report.css        the one stylesheet every page links
    data/                    curated CSVs, codebook, Data Package, raw sources (copies)
    provenance.json          version, commit, data fingerprint, parameters, date
    en/ es/                  one full report per language:
      index.html             large numbers, one chart, the findings, the Committee's
                             questions, then each section
      NN_name.html           section pages (outputs only)
      NN_name/figures|tables the section's files (CSV with .xlsx beside)
      notebooks/NN_name.html executed notebook with its code (.ipynb beside)
      provenance.json        the language's record (its parameters)
"""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from gealc_analysis.build import pages
from gealc_analysis.build.errors import NotebookFailed
from gealc_analysis.build.index import front, index_html, index_sections
from gealc_analysis.build.kernel import raise_if_stop_requested
from gealc_analysis.build.layout import EXECUTED_DIR, INDEX_FILE
from gealc_analysis.build.parameters import notebook_title, parameters_line, report_title
from gealc_analysis.build.products import write_products
from gealc_analysis.build.render import (
    render_executed_notebook,
    render_section,
    section_chrome,
)
from gealc_analysis.build.run import Batch
from gealc_analysis.charts import files
from gealc_analysis.core import paths, provenance
from gealc_analysis.data.bundle import DataBundle
from gealc_analysis.data.files import regular_data_files, skipped_names
from gealc_analysis.measures import findings as measured_findings
from gealc_analysis.words import findings as finding_words
from gealc_analysis.words import i18n
from gealc_analysis.words.provenance import provenance_line

ASSETS_DIR = "assets"
DATA_DIR = "data"
# What of the project's data folder a report carries besides the curated files, by name under
# the data root (the curated folder's parent), falling back to the project's own copy.
DATA_EXTRAS: tuple[str, ...] = (
    "CODEBOOK.md",
    "CODEBOOK.es.md",
    "datapackage.json",
    "raw",
    "schemas",
)


def languages_to_build(lang: str | None) -> tuple[str, ...]:
    """Every supported language by default; only ``lang`` when one is named."""
    return (i18n.check_lang(lang),) if lang else i18n.SUPPORTED_LANGS


def languages_present(report: Path) -> tuple[str, ...]:
    """The languages a report folder holds (a folder with an index), in catalogue order."""
    return tuple(lang for lang in i18n.SUPPORTED_LANGS if (report / lang / INDEX_FILE).is_file())


def data_extras(data_dir: Path) -> list[Path]:
    """Where each of :data:`DATA_EXTRAS` comes from: the data root's copy (the curated
    folder's parent) when it has one, else the project's (some may not exist)."""
    data_root = Path(data_dir).resolve().parent
    return [
        data_root / name if (data_root / name).exists() else paths.DATA_DIR / name
        for name in DATA_EXTRAS
    ]


def copy_data(data_dir: Path, report: Path) -> list[str]:
    """Copy the curated files and the codebook, Data Package and raw sources into
    ``report/data`` (same layout as the project's ``data/``, so the Data Package's relative
    paths resolve), each Markdown file with a readable HTML page beside it; return the
    written files' paths relative to ``report``, sorted (:func:`data_files_of`)."""
    target = report / DATA_DIR
    shutil.rmtree(target, ignore_errors=True)
    (target / "curated").mkdir(parents=True)
    for path in regular_data_files(data_dir, recursive=False):  # no link out, FIFO, loop
        shutil.copyfile(path, target / "curated" / path.name)
    for source in data_extras(data_dir):
        regular_data_files(source, within=source.parent)  # raises on a link out, FIFO, loop
        if source.is_dir():
            shutil.copytree(source, target / source.name, ignore=skipped_names)
        elif source.is_file():
            shutil.copyfile(source, target / source.name)
    for document in sorted(target.rglob("*.md")):
        root = "../" * len(document.relative_to(report).parent.parts)
        document.with_suffix(".html").write_text(
            pages.document_page(
                document.read_text(encoding="utf-8"),
                title=document.stem,
                root=root,
                lang="es" if document.name.endswith(".es.md") else "en",
                source_href=document.name,
            ),
            encoding="utf-8",
        )
    return data_files_of(report)


def data_files_of(report: Path) -> list[str]:
    """The files of a report's data copy, relative to the report, sorted (the footers link
    them)."""
    return sorted(
        str(PurePosixPath(path.relative_to(report).as_posix()))
        for path in (report / DATA_DIR).rglob("*")
        if path.is_file()
    )


def write_language(
    lang_dir: Path,
    *,
    notebooks: Sequence[Path],
    languages: Sequence[str],
    years: Sequence[int],
    shown: Mapping[str, Any],
    data_files: Sequence[str],
    prov: Mapping[str, Any],
    index: tuple[measured_findings.Headlines, Sequence[pages.Link]] | None,
    only: frozenset[str] | None = None,
) -> Iterator[None]:
    """Render every section present in ``lang_dir`` (pages and executed notebooks as HTML),
    then the language's index and ``provenance.json``: a step each, yielded between them, so
    the build notices a signal or a language whose notebooks all ran between two steps.
    Nothing is written until it is iterated.

    Every page is rendered after the language's notebooks ran, so menus and previous/next
    links list the sections as they are now, also after an ``--only`` rebuild. ``index``:
    the headlines its front shows and the links to the language's products (written before,
    since they read no notebook). ``only``: render the pages of these sections and nothing
    else (the cache found everything else of the language current: a section run again on
    unchanged inputs); ``index`` is then None.
    """
    import nbformat

    lang = str(shown["lang"])
    present = [nb for nb in notebooks if (lang_dir / EXECUTED_DIR / f"{nb.stem}.ipynb").is_file()]
    sections = []
    for notebook in present:
        executed = nbformat.read(lang_dir / EXECUTED_DIR / f"{notebook.stem}.ipynb", 4)
        sections.append((notebook.stem, notebook_title(executed, lang) or notebook.stem))
    base = pages.Chrome(
        lang=lang,
        root="../",
        site_title=report_title(years, lang),
        index=pages.Link(INDEX_FILE, i18n.label("pages.index", lang)),
        footer_links=pages.footer_links(
            data_files, lang, "../", provenance.PROVENANCE_FILE, DOCUMENTS_LANG
        ),
        provenance_line=provenance_line(prov, lang),
    )
    for notebook in present:
        stem = notebook.stem
        if only is not None and stem not in only:
            continue
        executed = lang_dir / EXECUTED_DIR / f"{stem}.ipynb"
        try:
            render_section(
                executed,
                lang_dir / f"{stem}.html",
                chrome=section_chrome(base, sections, stem, languages),
                assets_dir=notebook.parent,
            )
            render_executed_notebook(
                executed,
                lang_dir / EXECUTED_DIR / f"{stem}.html",
                chrome=section_chrome(base, sections, stem, languages, in_notebooks=True),
                assets_dir=notebook.parent,
            )
        except Exception as exc:
            detail = f"ran but could not be rendered: {type(exc).__name__}: {exc}"
            raise NotebookFailed(stem, detail, 0.0) from exc
        yield
    if only is not None:
        return

    if index is None:
        raise ValueError("a language's index needs its headlines and its products' links")
    headlines, products = index
    index_chrome = replace(
        base,
        index=pages.Link(INDEX_FILE, base.index.label),
        twin=pages.twin_link(PurePosixPath(INDEX_FILE), lang, languages),
    )
    sections_present = index_sections(lang_dir, present)
    page = index_html(
        years,
        shown,
        sections_present,
        chrome=index_chrome,
        front=front(headlines, lang, sections_present),
        caveat=finding_words.caveat(lang),
        products=products,
    )
    (lang_dir / INDEX_FILE).write_text(page, encoding="utf-8")
    provenance.write_provenance(prov, lang_dir)


def write_root(
    report: Path,
    *,
    years: Sequence[int],
    data_files: Sequence[str],
    prov: Mapping[str, Any],
    languages: Sequence[str],
) -> None:
    """The landing page of ``languages`` (those the report holds once built), the stylesheet
    and the report-wide ``provenance.json``. Nothing in them comes from a notebook, so the
    build writes them while its first notebooks run, not in the single-threaded time after
    the last one."""
    (report / ASSETS_DIR).mkdir(exist_ok=True)
    stylesheet = pages.stylesheet_text() + files.font_face_css()  # + the charts' font
    (report / ASSETS_DIR / "report.css").write_text(stylesheet, encoding="utf-8")
    languages = landing_order(languages or i18n.SUPPORTED_LANGS)
    first = languages[0]
    landing = pages.landing_page(
        languages=languages,
        index_hrefs={lang: pages.href(lang, INDEX_FILE) for lang in languages},
        years_line=" → ".join(str(year) for year in years),
        footer=pages.footer_links(
            data_files, first, "", provenance.PROVENANCE_FILE, DOCUMENTS_LANG
        ),
        provenance_line=provenance_line(prov, first),
    )
    (report / INDEX_FILE).write_text(landing, encoding="utf-8")
    provenance.write_provenance(prov, report)


# The language of the documents shipped with the data (codebook, sources) unless a document
# has a twin in the page's language (CODEBOOK.es.md); a page in another language says so.
DOCUMENTS_LANG = "en"
# The landing page's first language: the Committee's (the others follow in catalogue order).
FIRST_LANG = "es"


def landing_order(languages: Sequence[str]) -> tuple[str, ...]:
    """``languages`` with :data:`FIRST_LANG` first (when built), the others in their order."""
    return tuple(sorted(languages, key=lambda lang: lang != FIRST_LANG))


def language_progress(progress: Callable[[str], None], lang: str) -> Callable[[str], None]:
    """``progress`` with each message marked by the language it is about ("[es] …")."""
    return lambda message: progress(f"[{lang}] {message}")


def drop_single_language_layout(report: Path, notebooks: Sequence[Path]) -> None:
    """Remove what a report of the older one-language layout kept at its top level (section
    pages, their folders, ``notebooks/``), so a rebuild over it leaves no stale pages."""
    for notebook in notebooks:
        (report / f"{notebook.stem}.html").unlink(missing_ok=True)
        shutil.rmtree(report / notebook.stem, ignore_errors=True)
    shutil.rmtree(report / EXECUTED_DIR, ignore_errors=True)


@dataclass(frozen=True)
class LanguageBuild:
    """What one build makes: which notebooks, in which languages, from which data."""

    languages: tuple[str, ...]  # the languages whose notebooks this build runs
    notebooks: Sequence[Path]  # the ones this build runs
    all_notebooks: Sequence[Path]  # every notebook of the report (for menus and the index)
    data_dir: Path
    bundle: DataBundle  # the build's one load of data_dir: everything the pages are made from
    years: Sequence[int]
    common: Mapping[str, Any]  # parameters every language shares (years, baseline, compare)
    out_dir: Path  # where the report lands (for messages; the build writes a staging copy)
    # per language: the notebooks to run (the others are kept by the cache) and their keys
    to_run: Mapping[str, Sequence[Path]] = field(default_factory=dict)
    keys: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # The languages whose pages, index, brief and explorer are written (default: those of
    # ``languages``; the cache adds another language present when its twin links or footer
    # changed, and leaves out one whose pages are current), and whether the report-wide
    # files (data copy, landing page, stylesheet, provenance) are.
    render: Sequence[str] | None = None
    # Languages of ``render`` whose index, brief, explorer and other pages are current (the
    # cache found their inputs unchanged): only the pages of the sections run are written.
    pages_only: Mapping[str, frozenset[str]] = field(default_factory=dict)
    root: bool = True
    # The provenance records, by language ("" for the report-wide one); made here if absent.
    provenance: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def record(self, lang: str, languages: Sequence[str]) -> Mapping[str, Any]:
        """The provenance record of ``lang``'s folder (``""``: of the whole report)."""
        if lang in self.provenance:
            return self.provenance[lang]
        return provenance_records(self.data_dir, self.common, languages)[lang]


def provenance_records(
    data_dir: Path, common: Mapping[str, Any], languages: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """The provenance record of each language folder (its parameters: ``common`` and its
    language) and, under ``""``, the report's (``common`` and the languages present); the
    commit, date and data fingerprint are looked up once."""
    base = provenance.build_provenance(data_dir, {})
    records = {
        lang: {**base, "parameters": provenance.recorded_parameters({**common, "lang": lang})}
        for lang in languages
    }
    shared = {**common, "languages": list(languages)}
    records[""] = {**base, "parameters": provenance.recorded_parameters(shared)}
    return records


# How the notebooks run: the pipeline's runner (it knows the kernels, the cache and the
# timeouts) runs the batches, one per language, and calls back with each batch once its
# notebooks ran, in the calling thread; it works through the steps (pages) the callback
# returns, and the steps given to it to take meanwhile (the pages no notebook makes), while
# it runs the rest (``run.run_batches``), and returns seconds per stem of each batch.
Runner = Callable[
    [Sequence[Batch], Callable[[Batch], Iterable[None] | None], Iterable[None]],
    Sequence[Mapping[str, float]],
]


def build_languages(
    staging: Path,
    plan: LanguageBuild,
    *,
    run: Runner,
    progress: Callable[[str], None],
    findings_ready: Callable[[], None] = lambda: None,
) -> dict[str, float]:
    """Run the notebooks once per language into ``staging/<lang>/``, writing each language's
    pages (of ``plan.render``) as soon as its notebooks ran, while the next language's run;
    then the pages of languages only rendered; seconds per stem. The data copies are made
    first; the landing page and the report's provenance record (when ``plan.root``), then
    each language's brief and explorer, while the first notebooks run. What reads the
    headlines waits for ``findings_ready()`` (the multiverse, computed meanwhile).

    A language neither run nor rendered is left exactly as it was in the staging folder
    (seeded from the current report), so ``--lang es`` never runs ``en/``; it re-renders
    ``en/``'s pages only when the cache says they changed (their twin links, a footer).
    """
    drop_single_language_layout(staging, plan.all_notebooks)
    batches = []
    for language in plan.languages:
        shown = {**plan.common, "lang": language}
        to_run = plan.to_run.get(language, plan.notebooks)
        if not to_run and plan.to_run:
            continue
        start = i18n.label(
            "pages.build.start",
            language,
            n=len(to_run),
            out=plan.out_dir / language,
            parameters=parameters_line(shown),
        )
        batches.append(
            Batch(
                lang=language,
                notebooks=to_run,
                staging=staging / language,
                parameters={"data_dir": str(plan.data_dir), **shown},
                progress=language_progress(progress, language),
                announce=functools.partial(progress, start),
            )
        )
    data_files = copy_data(plan.data_dir, staging) if plan.root else data_files_of(staging)
    present = sorted({*plan.languages, *languages_present(staging)}, key=i18n.SUPPORTED_LANGS.index)

    to_render = plan.languages if plan.render is None else plan.render
    whole = [language for language in to_render if plan.pages_only.get(language) is None]
    products: dict[str, tuple[pages.Link, ...]] = {}
    # What the products' writing said, said once the language's index links them: a build
    # that fails or is stopped meanwhile never claims a brief it does not publish.
    said: dict[str, list[str]] = {language: [] for language in whole}
    rendered: set[str] = set()

    @functools.cache
    def headlines() -> measured_findings.Headlines:  # once, for every language's pages
        findings_ready()
        baseline, compare = int(plan.common["baseline_year"]), int(plan.common["compare_year"])
        return measured_findings.headlines(plan.bundle, baseline, compare)

    def meanwhile() -> Iterator[None]:
        """What no notebook makes, a step each, taken while the first notebooks run rather
        than before them (the stylesheet's font takes about a second to cut) or in the
        single-threaded time after the last: the report's own pages, then each language's
        brief and explorer (their links wait in ``products`` for the language's index)."""
        if plan.root:
            write_root(
                staging,
                years=plan.years,
                data_files=data_files,
                prov=plan.record("", present),
                languages=present,
            )
            yield
        for language in whole:
            (staging / language).mkdir(exist_ok=True)  # before its first notebook makes it
            products[language] = write_products(
                staging / language,
                bundle=plan.bundle,
                baseline_year=int(plan.common["baseline_year"]),
                compare_year=int(plan.common["compare_year"]),
                lang=language,
                languages=present,
                prov=plan.record(language, present),
                progress=said[language].append,
                headlines=headlines(),
            )
            yield

    def render(language: str) -> Iterator[None]:
        """The steps of writing ``language``'s pages (``write_language``)."""
        raise_if_stop_requested()
        only = plan.pages_only.get(language)  # None: the whole language, with its index
        try:
            yield from write_language(
                staging / language,
                notebooks=plan.all_notebooks,
                languages=present,
                years=plan.years,
                shown={**plan.common, "lang": language},
                data_files=data_files,
                prov=plan.record(language, present),
                index=None if only is not None else (headlines(), products[language]),
                only=only,
            )
        except NotebookFailed as failure:
            failure.lang = language
            raise
        for message in said.pop(language, []):
            progress(message)
        rendered.add(language)

    def language_ran(batch: Batch) -> Iterator[None] | None:
        return render(batch.lang) if batch.lang in to_render else None

    durations: dict[str, float] = {}
    for ran in run(batches, language_ran, meanwhile()):
        for stem, seconds in ran.items():
            durations[stem] = durations.get(stem, 0.0) + seconds
    for language in to_render:
        if language not in rendered:
            for _ in render(language):
                pass
    return durations
