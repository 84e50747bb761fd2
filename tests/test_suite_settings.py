"""The test suite's own settings stay true: every test or fixture conftest.py marks slow by
name exists, so a renamed test cannot silently leave the quick loop slow."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import SLOW

TESTS = Path(__file__).parent


def defined_names(module: str) -> set[str]:
    tree = ast.parse((TESTS / f"{module}.py").read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def test_every_name_marked_slow_in_conftest_exists() -> None:
    missing = []
    for entry in sorted(SLOW):
        module, name = entry.split("::")
        if not (TESTS / f"{module}.py").is_file() or name not in defined_names(module):
            missing.append(entry)
    assert not missing, f"conftest.SLOW names what no test module defines: {missing}"
