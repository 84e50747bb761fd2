"""The content-hash cache: a build redoes exactly what a changed input affects.

Each test changes one input (a schema, a file the load reads, a label, a template, the CSS,
a library version, the kernel environment, a file beside the notebooks, a figure deleted or
edited, ``SOURCE_DATE_EPOCH``, HEAD, a notebook, the data, the parameters) and checks which
sections executed, which languages were rendered again and which report-wide files changed,
and that nothing else was. Notebooks run on a fake executor (a minimal one written here until
``tests/fakes.py`` lands), the data is one real bundle loaded once, and the brief is a fake
(typesetting is not what these tests pin), so each build takes a fraction of a second.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pytest
from conftest import small_data_folder, snapshot
from fakes import FAKE_FIGURE, fake_brief, fake_execute

from gealc_analysis.build import BuildError, BuildResult, build_report, cache, pages, products, site
from gealc_analysis.build import execute as execute_module
from gealc_analysis.build.errors import EXIT_USER
from gealc_analysis.core import provenance
from gealc_analysis.data.bundle import DataBundle, load_bundle

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
# 01 imports the label catalogue's module, 02 only the plan years' module: a change to the
# labels reruns 01 alone.
IMPORTS = {
    "01_simple": "from gealc_analysis.words import i18n",
    "02_second": "from gealc_analysis.core import years",
}
BOTH_LANGS = {("en", "01_simple"), ("en", "02_second"), ("es", "01_simple"), ("es", "02_second")}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[DataBundle, set[Path]]:
    """One real load of a small data folder, and the files it was seen reading."""
    folder = small_data_folder(tmp_path_factory.mktemp("data") / "curated")
    return cache.reading(lambda: load_bundle(folder))


@pytest.fixture(scope="module")
def small_bundle(loaded: tuple[DataBundle, set[Path]]) -> DataBundle:
    return loaded[0]


def test_the_real_load_is_seen_reading_every_curated_table(
    loaded: tuple[DataBundle, set[Path]],
) -> None:
    bundle, read = loaded
    curated = {path.resolve() for path in bundle.data_dir.glob("*.csv") if path.stat().st_size}
    assert curated and curated <= {path.resolve() for path in read}
    assert not [path for path in read if path.suffix == ".py"]  # code is keyed elsewhere


_real_headlines = site.measured_findings.headlines
_headlines_made: dict[tuple[int, int, int], Any] = {}


def _headlines(bundle: DataBundle, baseline: int, compare: int) -> Any:
    key = (id(bundle), baseline, compare)  # the one bundle of the module, never modified
    if key not in _headlines_made:
        _headlines_made[key] = _real_headlines(bundle, baseline, compare)
    return _headlines_made[key]


_font_face_css = functools.cache(site.files.font_face_css)


@dataclass
class Project:
    """A project of two notebooks, a small data folder and the report built from them."""

    root: Path
    bundle: DataBundle
    executed: list[tuple[str, str]] = field(default_factory=list)
    rendered: list[tuple[str, str]] = field(default_factory=list)
    extra_reads: list[Path] = field(default_factory=list)  # files the fake load also reads
    last: BuildResult | None = None

    @property
    def report(self) -> Path:
        return self.root / "report"

    def load(self, data_dir: Path, years: list[int] | None) -> DataBundle:
        """Read what a load reads (the data folder, the extras), return the real bundle."""
        for path in [*sorted(Path(data_dir).iterdir()), *self.extra_reads]:
            path.read_bytes()
        return self.bundle

    def build(self, **options: Any) -> BuildResult:
        self.executed.clear()
        self.rendered.clear()
        self.last = build_report(
            self.report,
            data_dir=self.root / "curated",
            notebooks_dir=self.root / "notebooks",
            load=self.load,
            progress=lambda message: None,
            **options,
        )
        return self.last


def fake_body(executed: Path, *, remove_tags: set[str], **_: Any) -> str:
    """The cells' text, escaped (nbconvert takes most of a second per page; the page frame
    around it — menu, twin link, footer — is the real one)."""
    nb = nbformat.read(executed, as_version=4)
    kept = [c for c in nb.cells if not remove_tags & set(c.metadata.get("tags", []))]
    return "".join(f"<p>{html.escape(cell.source)}</p>" for cell in kept)


def install_fakes(monkeypatch: pytest.MonkeyPatch, made: Project) -> None:
    """The fake executor, body and brief, counting what runs and what is rendered."""

    def counting(notebook: Path, executed: Path, parameters: Mapping[str, Any], *rest: Any):
        made.executed.append((str(parameters["lang"]), notebook.stem))
        fake_execute(notebook, executed, parameters, *rest)  # tests/fakes.py

    real_render = site.render_section

    def render_section(executed: Path, page: Path, **options: Any) -> None:
        made.rendered.append((page.parent.name, page.stem))
        real_render(executed, page, **options)

    monkeypatch.setattr(execute_module, "execute_notebook", counting)
    monkeypatch.setattr(products.brief, "write_brief", fake_brief)
    monkeypatch.setattr(pages, "notebook_body", fake_body)
    # Pure functions of the bundle and of the installed font, seconds each: once per module.
    monkeypatch.setattr(site.measured_findings, "headlines", _headlines)
    monkeypatch.setattr(site.files, "font_face_css", _font_face_css)
    monkeypatch.setattr(site, "render_section", render_section)


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory, small_bundle: DataBundle) -> Path:
    """Two notebooks, a data root with its own schemas, and a first build of both languages
    (once; each test gets a copy: no key holds a path, so a copy is as built)."""
    root = tmp_path_factory.mktemp("project")
    made = Project(root, small_bundle)
    (root / "notebooks").mkdir()
    for stem, line in IMPORTS.items():
        nb = nbformat.read(FIXTURES / f"{stem}.ipynb", as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(line))
        nbformat.write(nb, root / "notebooks" / f"{stem}.ipynb")
    shutil.copytree(small_bundle.data_dir, root / "curated")
    (root / "schemas").mkdir()
    (root / "schemas" / "plan.schema.yaml").write_text("fields: []\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        install_fakes(monkeypatch, made)
        first = made.build()
    assert set(made.executed) == BOTH_LANGS and first.kept == []
    return root


@pytest.fixture
def project(
    tmp_path: Path,
    first_build: Path,
    small_bundle: DataBundle,
    monkeypatch: pytest.MonkeyPatch,
) -> Project:
    """A copy of the built project, with the fakes installed."""
    shutil.copytree(first_build, tmp_path / "project")
    made = Project(tmp_path / "project", small_bundle)
    install_fakes(monkeypatch, made)
    return made


def root_files_changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """Report-wide files (outside the language folders) added, removed or changed."""
    names = {*before, *after}
    return {
        name
        for name in names
        if before.get(name) != after.get(name)
        and name.partition("/")[0] not in ("en", "es")
        and not name.endswith(cache.MANIFEST_FILE)
    }


def outcome(
    project: Project, change: Callable[[], None] = lambda: None, **options: Any
) -> tuple[set[tuple[str, str]], set[str], set[str]]:
    """Apply ``change``, rebuild; return (sections executed, languages whose section pages
    were rendered, report-wide files that changed)."""
    before = snapshot(project.report)
    change()
    project.build(**options)
    rendered = {lang for lang, _ in project.rendered}
    return set(project.executed), rendered, root_files_changed(before, snapshot(project.report))


def package_copy(project: Project, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the package the cache hashes instead of the real one (edited by a test)."""
    copy = project.root / "pkg" / "gealc_analysis"
    shutil.copytree(cache.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    monkeypatch.setattr(cache, "PACKAGE_DIR", copy)
    project.build()  # the copy is the same bytes under another path: a render of everything
    return copy


def append(path: Path, text: str) -> Callable[[], None]:
    return lambda: path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# ── nothing changed ──────────────────────────────────────────────────────────────────────


def test_nothing_changed_leaves_the_report_untouched(project: Project) -> None:
    before = snapshot(project.report)
    result = project.build()
    assert project.executed == [] and project.rendered == []
    assert result.kept == ["01_simple", "02_second"] and not result.root_written
    assert snapshot(project.report) == before


# ── inputs of the execution ──────────────────────────────────────────────────────────────


def test_a_changed_schema_reruns_every_section_and_refreshes_the_data_copy(
    project: Project,
) -> None:
    schema = project.root / "schemas" / "plan.schema.yaml"
    executed, rendered, root = outcome(project, append(schema, "# enum order changed\n"))
    assert executed == BOTH_LANGS and rendered == {"en", "es"}
    assert "data/schemas/plan.schema.yaml" in root


def test_a_file_only_the_load_reads_is_in_the_key(project: Project) -> None:
    """The data inputs come from watching the load read, not from a list of names."""
    extra = project.root / "elsewhere" / "vocabulary.yaml"
    extra.parent.mkdir()
    extra.write_text("a: 1\n", encoding="utf-8")
    project.extra_reads.append(extra)  # the load changed: so did its code, or the data
    plan = project.root / "curated" / "plan_2024.csv"
    assert outcome(project, append(plan, "\n"))[0] == BOTH_LANGS
    assert outcome(project)[0] == set()  # recorded: a build without a load still covers it
    assert outcome(project, append(extra, "b: 2\n"))[0] == BOTH_LANGS


def test_changed_data_reruns_every_section(project: Project) -> None:
    plan = project.root / "curated" / "plan_2024.csv"
    assert outcome(project, append(plan, "\n"))[0] == BOTH_LANGS


def test_a_changed_notebook_reruns_only_its_section_and_renders_its_languages(
    project: Project,
) -> None:
    path = project.root / "notebooks" / "02_second.ipynb"

    def edit() -> None:
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(nbformat.v4.new_markdown_cell("One more sentence."))
        nbformat.write(nb, path)

    executed, rendered, root = outcome(project, edit)
    assert executed == {("en", "02_second"), ("es", "02_second")}
    assert rendered == {"en", "es"} and root == set()
    page = (project.report / "en" / "02_second.html").read_text(encoding="utf-8")
    assert "One more sentence." in page


def test_a_label_reruns_only_the_sections_that_import_its_module(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = package_copy(project, monkeypatch)
    labels = package / "words" / "labels.csv"
    executed, rendered, _ = outcome(project, append(labels, ""))
    assert executed == set()  # the same bytes: nothing
    executed, rendered, _ = outcome(project, append(labels, "zz.test,x,y\n"))
    assert executed == {("en", "01_simple"), ("es", "01_simple")}
    assert rendered == {"en", "es"}


@pytest.mark.parametrize("name", ["templates/page_base.html.j2", "templates/report.css"])
def test_a_template_or_the_stylesheet_renders_again_without_running(
    project: Project, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    package = package_copy(project, monkeypatch)
    executed, rendered, _ = outcome(project, append(package / name, "\n"))
    assert executed == set() and rendered == {"en", "es"} and project.last.root_written


def test_the_code_that_runs_the_kernels_reruns_every_section(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = package_copy(project, monkeypatch)
    executed, _, _ = outcome(project, append(package / "build" / "kernel.py", "# env\n"))
    assert executed == BOTH_LANGS


def test_a_docstring_of_the_cli_changes_nothing(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = package_copy(project, monkeypatch)
    before = snapshot(project.report)
    executed, rendered, _ = outcome(project, append(package / "cli.py", "# a comment\n"))
    assert executed == set() and rendered == set()
    assert snapshot(project.report) == before


def test_a_library_version_reruns_every_section(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    versions = {**cache.installed_versions(), "pillow": "0.0.1"}
    monkeypatch.setattr(cache, "installed_versions", lambda: versions)
    assert outcome(project)[0] == BOTH_LANGS


def test_every_installed_distribution_is_in_the_versions() -> None:
    versions = cache.installed_versions()
    for name in ("pillow", "kiwisolver", "pyyaml", "traitlets", "markupsafe", "matplotlib"):
        assert name in versions, name


@pytest.mark.parametrize("variable", ["TZ", "LC_ALL"])
def test_the_kernel_environment_reruns_every_section(
    project: Project, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    value = "America/Montevideo" if variable == "TZ" else "es_UY.UTF-8"
    assert outcome(project, lambda: monkeypatch.setenv(variable, value))[0] == BOTH_LANGS


def test_a_matplotlibrc_beside_the_notebooks_reruns_every_section(project: Project) -> None:
    rc = project.root / "notebooks" / "matplotlibrc"
    change = lambda: rc.write_text("font.size: 30\n", encoding="utf-8")  # noqa: E731
    assert outcome(project, change)[0] == BOTH_LANGS


def test_the_matplotlibrc_in_effect_is_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matplotlib

    rc = tmp_path / "matplotlibrc"
    rc.write_text("font.size: 30\n", encoding="utf-8")
    monkeypatch.setattr(matplotlib, "matplotlib_fname", lambda: str(rc))
    first = cache.kernel_environment()["matplotlibrc_sha256"]
    rc.write_text("font.size: 31\n", encoding="utf-8")
    assert cache.kernel_environment()["matplotlibrc_sha256"] != first


def test_changed_parameters_rerun_every_section(project: Project) -> None:
    assert outcome(project, baseline_year=2024)[0] == BOTH_LANGS


def test_force_reruns_every_selected_section(project: Project) -> None:
    assert outcome(project, force=True, only=["01"])[0] == {
        ("en", "01_simple"),
        ("es", "01_simple"),
    }


def test_a_section_forced_on_its_own_inputs_writes_its_pages_and_nothing_else(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its inputs unchanged, a forced section writes what it wrote before; its language's
    index, brief, explorer and other pages are current, so only its own pages are written
    (``--only 03 --force`` costs the section, not the language). Other inputs (a baseline
    year) render the whole language again."""
    products_written: list[Path] = []
    real_products = site.write_products

    def counting_products(lang_dir: Path, **options: Any) -> Any:
        products_written.append(lang_dir)
        return real_products(lang_dir, **options)

    monkeypatch.setattr(site, "write_products", counting_products)
    before = snapshot(project.report)
    project.build(force=True, only=["01"], lang="es")
    assert project.executed == [("es", "01_simple")]
    assert project.rendered == [("es", "01_simple")]
    assert products_written == []
    after = snapshot(project.report)
    # Every page as it was. The executed copy differs only because the fake executor writes
    # this copy's absolute paths (the real one writes relative ones: a section run again
    # gives a byte-identical report, test_report_end_to_end.py), and the record hashes it.
    changed = {name for name in {*before, *after} if before.get(name) != after.get(name)}
    assert changed <= {"es/notebooks/01_simple.ipynb", f"es/{cache.MANIFEST_FILE}"}
    project.build(force=True, only=["01"], lang="es", baseline_year=2024)  # other inputs
    assert project.rendered == [("es", "01_simple"), ("es", "02_second")]
    assert len(products_written) == 1


# ── the outputs a section wrote ──────────────────────────────────────────────────────────


def test_a_deleted_figure_reruns_its_section_in_its_language(project: Project) -> None:
    figure = project.report / "en" / "01_simple" / "figures" / f"{FAKE_FIGURE}.png"
    executed, rendered, root = outcome(project, figure.unlink)
    assert executed == {("en", "01_simple")} and rendered == {"en"} and root == set()
    assert figure.is_file()


def test_an_edited_figure_reruns_its_section(project: Project) -> None:
    figure = project.report / "es" / "02_second" / "figures" / f"{FAKE_FIGURE}.png"
    original = figure.read_bytes()
    executed, rendered, root = outcome(project, lambda: figure.write_bytes(b"edited"))
    assert executed == {("es", "02_second")} and rendered == {"es"} and root == set()
    assert figure.read_bytes() == original


def test_an_edited_page_renders_again_without_running(project: Project) -> None:
    page = project.report / "en" / "02_second.html"
    original = page.read_bytes()
    executed, rendered, root = outcome(project, lambda: page.write_text("x", encoding="utf-8"))
    assert executed == set() and rendered == {"en"} and root == set()
    assert page.read_bytes() == original


def test_an_edited_data_copy_is_written_again(project: Project) -> None:
    copy = project.report / "data" / "curated" / "themes.csv"
    original = copy.read_bytes()
    executed, rendered, root = outcome(project, lambda: copy.write_bytes(b"edited"))
    assert executed == set() and rendered == set() and project.last.root_written
    assert root == set() and copy.read_bytes() == original  # written again as it was


# ── report-wide inputs ───────────────────────────────────────────────────────────────────


def test_source_date_epoch_renders_every_page_again_without_running(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    change = lambda: monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # noqa: E731
    executed, rendered, root = outcome(project, change)
    assert executed == set() and rendered == {"en", "es"}
    assert {"provenance.json", "index.html"} <= root
    footer = (project.report / "en" / "01_simple.html").read_text(encoding="utf-8")
    assert "2023-11-14" in footer
    assert json.loads((project.report / "provenance.json").read_text())["build_date"] == (
        "2023-11-14"
    )


def test_a_source_date_epoch_that_is_not_a_date_is_the_users_to_fix(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "garbage")
    before = snapshot(project.report)
    with pytest.raises(BuildError, match="SOURCE_DATE_EPOCH") as raised:
        project.build()
    assert raised.value.exit_code == EXIT_USER and snapshot(project.report) == before


def test_a_new_commit_renders_every_page_again_without_running(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    commit = "0123456789abcdef0123456789abcdef01234567"
    change = lambda: monkeypatch.setattr(provenance, "git_commit", lambda *_: commit)  # noqa: E731
    executed, rendered, root = outcome(project, change)
    assert executed == set() and rendered == {"en", "es"}
    assert {"provenance.json", "index.html"} <= root
    for page in ("provenance.json", "en/provenance.json", "es/02_second.html", "en/brief.pdf"):
        assert commit[:7] in (project.report / page).read_text(encoding="utf-8"), page


# ── twin links ───────────────────────────────────────────────────────────────────────────


def test_twin_links_whatever_the_build_order(project: Project) -> None:
    shutil.rmtree(project.report)
    project.build(lang="en")
    first = (project.report / "en" / "01_simple.html").read_text(encoding="utf-8")
    assert "../es/01_simple.html" not in first  # no Spanish report yet
    project.build(lang="es")
    assert set(project.executed) == {("es", "01_simple"), ("es", "02_second")}  # en not run
    for stem in IMPORTS:
        page = (project.report / "en" / f"{stem}.html").read_text(encoding="utf-8")
        assert f"../es/{stem}.html" in page, stem
        twin = (project.report / "es" / f"{stem}.html").read_text(encoding="utf-8")
        assert f"../en/{stem}.html" in twin, stem
        code = (project.report / "en" / "notebooks" / f"{stem}.html").read_text("utf-8")
        assert f"../../es/notebooks/{stem}.html" in code, stem
    assert "es/index.html" in (project.report / "index.html").read_text(encoding="utf-8")
    assert project.build().kept == list(IMPORTS) and project.rendered == []  # both current


def test_a_language_built_from_other_inputs_is_left_as_it_was(project: Project) -> None:
    shutil.rmtree(project.report)
    project.build(lang="en")
    english = snapshot(project.report / "en")
    plan = project.root / "curated" / "plan_2024.csv"
    append(plan, "\n")()  # English is now out of date; building Spanish must not mix them
    project.build(lang="es")
    assert snapshot(project.report / "en") == english


# ── the pieces ───────────────────────────────────────────────────────────────────────────


def test_imported_names_reads_every_form_of_import() -> None:
    text = (
        "import a.b as c, d\n"
        "from e import (\n    f as g,\n    h,\n)\n"
        "from .i import j\n"
        "    from k import *  # indented\n"
    )
    names = cache.imported_names(text, package="pkg.sub")
    assert {"a.b", "d", "e", "e.f", "e.h", "pkg.sub.i", "pkg.sub.i.j", "k"} <= names


def test_the_render_code_leaves_out_the_cli_and_curation() -> None:
    modules = cache.PackageCode().import_closure([cache.RENDER_ROOT_MODULE])
    assert "gealc_analysis.build.site" in modules and "gealc_analysis.words.i18n" in modules
    assert "gealc_analysis.cli" not in modules
    assert not [name for name in modules if name.startswith("gealc_analysis.curation")]


def test_one_data_fingerprint_separates_names_bytes_and_years(tmp_path: Path) -> None:
    assert provenance.fingerprint([("ab", b"c")]) != provenance.fingerprint([("a", b"bc")])
    folder = tmp_path / "curated"
    folder.mkdir()
    (folder / "plan_2020.csv").write_bytes(b"x")
    assert provenance.data_fingerprint(folder) != provenance.data_fingerprint(folder, [2020])
    assert provenance.data_fingerprint(folder, []) != provenance.data_fingerprint(folder)


def test_a_build_that_waited_decides_again_from_the_report_it_finds(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another build into the same folder ran while this one waited for the lock: this one
    does not redo what the other just did."""
    from gealc_analysis.build import pipeline

    real_lock = pipeline.build_lock
    other_ran: list[list[tuple[str, str]]] = []

    @contextlib.contextmanager
    def lock_after_another_build(*arguments: Any) -> Iterator[None]:
        if not other_ran:  # the first caller waits; meanwhile the other build runs
            other_ran.append([])
            project.build()
            other_ran[0] = list(project.executed)
            project.executed.clear()
        with real_lock(*arguments):
            yield

    monkeypatch.setattr(pipeline, "build_lock", lock_after_another_build)
    plan = project.root / "curated" / "plan_2024.csv"
    append(plan, "\n")()
    result = project.build()
    assert set(other_ran[0]) == BOTH_LANGS  # the other build ran every section
    assert project.executed == [] and result.kept == ["01_simple", "02_second"]
