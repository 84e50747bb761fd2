"""Nothing above the data layer reads a data file (issue 16): the index's findings, the brief
and the explorer are made from the bundle alone, with the data folder unreadable once it is
loaded; and no module above ``data``, and no report notebook, calls a loader or names the
data folder itself."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from conftest import refuse_reading

from gealc_analysis.build import findings as build_findings
from gealc_analysis.build.products import write_products
from gealc_analysis.core import paths, provenance
from gealc_analysis.data.bundle import load_bundle

ABOVE_DATA = ("measures", "words", "charts", "notebook", "products")
# What reads data files: the data layer's loaders, and pandas' readers.
READERS = frozenset(
    {
        "load_plans",
        "load_themes",
        "load_table",
        "load_lineage",
        "load_alternatives",
        "load_theme_kinds",
        "load_curated_table",
        "read_raw_table",
        "read_csv",
        "read_excel",
        "CURATED_DIR",
        "DATA_DIR",
    }
)
# The one door: the section loads its bundle through the data layer when no build handed
# one over (notebook.handoff calls load_bundle; the project's folder is its default).
ALLOWED = {("gealc_analysis/notebook/handoff.py", "CURATED_DIR")}


def names_used(source: str) -> set[str]:
    """Every name and attribute a module's code uses or imports (docstrings and comments
    do not count)."""
    used: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.Attribute):
            used.add(node.attr)
        elif isinstance(node, ast.alias):
            used.add(node.name.rsplit(".", 1)[-1])
    return used


def test_no_module_above_data_calls_a_loader_or_names_the_data_folder() -> None:
    found = {
        (str(path.relative_to(paths.PROJECT_ROOT)), name)
        for layer in ABOVE_DATA
        for path in sorted((paths.PROJECT_ROOT / "gealc_analysis" / layer).rglob("*.py"))
        for name in names_used(path.read_text(encoding="utf-8")) & READERS
    }
    assert found - ALLOWED == set()


def test_no_report_notebook_reads_data_but_through_its_section() -> None:
    for notebook in sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        assert not names_used(code) & (READERS | {"open", "load_bundle"}), notebook.name
        # data_dir is a parameter handed to open_section, and used nowhere else
        reads = [
            node
            for node in ast.walk(ast.parse(code))
            if isinstance(node, ast.Name)
            and node.id == "data_dir"
            and isinstance(node.ctx, ast.Load)
        ]
        assert len(reads) == 1 and "data_dir=data_dir" in code, notebook.name


def test_findings_brief_and_explorer_are_made_from_the_bundle_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = load_bundle()
    prov = provenance.build_provenance(bundle.data_dir, {"years": list(bundle.years)})
    attempts = refuse_reading(paths.CURATED_DIR, monkeypatch)
    messages: list[str] = []

    sentences, caveat = build_findings.key_findings(bundle, 2020, 2024, "en")
    links = write_products(
        tmp_path,
        bundle=bundle,
        baseline_year=2020,
        compare_year=2024,
        lang="en",
        languages=("en", "es"),
        prov=prov,
        progress=messages.append,
    )

    assert attempts == []
    assert messages == ["[en] brief.pdf written", "[en] explorer.html written"]
    assert sentences and caveat
    assert [link.href for link in links] == ["brief.pdf", "explorer.html"]
