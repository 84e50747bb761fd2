"""The project's own promises: README commands, CI script and environment.yml stay true."""

from __future__ import annotations

import re
import tomllib

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
