"""The folders are the architecture: each layer imports only the layers below it.

    core/      what a debate is, and the maths          imports: core
    reports/   a report's numbers and its neutral sheet  imports: core, reports
    files/     disk and git                              imports: core, files
    output/    terminal tables, exports, charts          imports: core, reports, output
    api/       cruxcli from Python (docs/python.md)      imports: all but commands
    commands/  the Click commands                        imports: anything
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "cruxcli"
ALLOWED = {
    "core": {"core"},
    "reports": {"core", "reports"},
    "files": {"core", "files"},
    "output": {"core", "reports", "output"},
    "api": {"core", "reports", "files", "output", "api"},
}
SHELL_LIBRARIES = {"click", "rich", "plotext", "matplotlib"}


def imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            if node.module == "cruxcli":  # `from cruxcli import x` imports cruxcli.x
                found.update(f"cruxcli.{alias.name}" for alias in node.names)
    return found


def modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(layer: str) -> None:
    assert modules(layer), layer
    for path in modules(layer):
        for name in imports(path):
            parts = name.split(".")
            if parts[0] == "cruxcli":
                assert len(parts) > 1 and parts[1] in ALLOWED[layer], f"{path.name} imports {name}"


@pytest.mark.parametrize("layer", ["core", "reports", "api"])
def test_the_pure_layers_import_no_terminal_or_chart_library(layer: str) -> None:
    for path in modules(layer):
        assert not {n.split(".")[0] for n in imports(path)} & SHELL_LIBRARIES, path.name


def test_output_never_writes_a_file() -> None:
    for path in modules("output"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        called = {n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", "")
                  for n in ast.walk(tree) if isinstance(n, ast.Call)}
        assert not called & {"open", "write_bytes", "write_text", "write_file"}, path.name


def test_every_module_sits_in_a_layer() -> None:
    loose = {p.name for p in PACKAGE.glob("*.py")} - {"__init__.py", "__main__.py"}
    assert not loose
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == {
        *ALLOWED, "commands"}


def test_the_rule_checker_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from cruxcli.files import reading\n    import rich.text\n")
    assert {"cruxcli.files", "rich.text"} <= imports(bad)
