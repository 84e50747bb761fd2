"""The project's own promises: README commands, CI script and environment.yml stay true."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from gealc_analysis.core import paths

ROOT = paths.PROJECT_ROOT


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_environment_yml_lists_the_same_dependencies_as_pyproject() -> None:
    project = pyproject()["project"]
    declared = list(project["dependencies"]) + list(project["optional-dependencies"]["test"])
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert [d for d in pip_section if not d.startswith("-e")] == declared
    python = next(
        d for d in environment["dependencies"] if isinstance(d, str) and d.startswith("python")
    )
    assert python == "python" + project["requires-python"]


def readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(?:bash|sh)\n(.+?)\n```", quickstart, re.DOTALL)


def test_readme_quickstart_has_two_commands_build_then_test() -> None:
    commands = readme_commands()
    assert len(commands) == 2, commands
    assert "gealc-report build" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_commands()[1] in ci_lines


def test_committed_reports_readme_is_the_one_every_build_writes() -> None:
    from gealc_analysis.build import README_TEMPLATE

    assert (ROOT / "reports" / "README.md").read_bytes() == README_TEMPLATE.read_bytes()


def test_source_notebooks_are_committed_without_outputs() -> None:
    """The notebooks are sources: outputs belong to the built report, never to git."""
    notebooks = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))
    notebooks += sorted((ROOT / "tests" / "fixtures" / "notebooks").glob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for index, cell in enumerate(nb["cells"]):
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [], f"{path.name} cell {index}: clear its outputs"
                assert cell["execution_count"] is None, f"{path.name} cell {index}: clear it"


LAYERS_REQUIRED_BELOW: dict[str, tuple[str, ...]] = {
    # importer: the layers it must never import (issue 16's rules, at least)
    "measures": ("words", "charts", "notebook", "build"),
    "data": ("measures", "words", "charts"),
    "charts": ("notebook",),
}


def test_layer_contract_states_the_required_rules() -> None:
    """The import-linter contract orders the layers so each required rule follows from it."""
    contracts = pyproject()["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    rank = {
        name.strip().removeprefix("gealc_analysis."): position
        for position, row in enumerate(layers)
        for name in row.split("|")
    }
    for importer, forbidden in LAYERS_REQUIRED_BELOW.items():
        for other in forbidden:
            assert rank[other] < rank[importer], f"{importer} must sit below {other}"


def test_layer_contract_is_kept() -> None:
    """`lint-imports` (CI runs it too) passes: no module imports from a layer above it."""
    linter = Path(sys.executable).with_name("lint-imports")
    if not linter.exists():
        found = shutil.which("lint-imports")
        if found is None:
            pytest.fail("import-linter is not installed: pip install -e '.[test]'")
        linter = Path(found)
    result = subprocess.run(
        [str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
