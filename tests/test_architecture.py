"""The flow runs one way: front ends (cli, web) -> operations -> (store, sources, methods,
assess, publish).

Checked on the import statements of every module, so that a shortcut (a report that queries the
store, a command that writes to it) fails here rather than in a second front end.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "rightsmonitor"

# layer -> layers it must not import (the operations layer is the only one that combines them)
FORBIDDEN = {
    "model": {"store", "ops", "cli", "sources", "assess", "publish", "methods"},
    "methods": {"store", "ops", "cli", "sources", "assess", "publish"},
    "sources": {"store", "ops", "cli", "assess", "publish"},
    "assess": {"store", "ops", "cli", "sources.importer", "publish"},
    "publish": {"store", "ops", "cli"},
    "store": {"ops", "cli", "sources", "assess", "publish", "methods"},
    "ops": {"cli"},
    "cli": {"store", "sources", "assess", "methods"},
    "web": {"store", "sources", "assess", "methods", "cli"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m.removeprefix("rightsmonitor.") for m in found if m.startswith("rightsmonitor.")}


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_each_layer_imports_only_what_is_below_it(layer: str) -> None:
    offences = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for module in imported_modules(path):
            if any(module == f or module.startswith(f"{f}.") for f in FORBIDDEN[layer]):
                offences.append(f"{path.relative_to(PACKAGE)} imports rightsmonitor.{module}")
    assert offences == []


def test_the_cli_is_thin() -> None:
    """No command function over about 40 lines: options, one operation, rendering."""
    long = []
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.endswith("_command"):
                length = node.end_lineno - node.lineno + 1
                if length > 45:
                    long.append(f"{path.name}:{node.name} has {length} lines")
    assert long == []
