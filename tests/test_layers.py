"""DESIGN.md section 3: dependencies point one way.

    domain  <-  store  <-  services  <-  ui, cli
    domain  <-  documents  <-  services

Checked on the source (every import statement, also inside functions), so a late import cannot
sneak a dependency past it.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lehrer_licenses"
LAYERS = ("domain", "store", "documents", "services", "ui", "cli")
ALLOWED = {
    "domain": set(),
    "store": {"domain"},
    "documents": {"domain"},
    "services": {"domain", "store", "documents"},
    "ui": {"domain", "services"},
    "cli": {"domain", "services", "ui"},
}
FORBIDDEN_LIBRARIES = {
    "domain": {"PySide6", "shiboken6", "sqlalchemy", "alembic", "reportlab"},
    "store": {"PySide6", "shiboken6", "reportlab"},
    "documents": {"PySide6", "shiboken6", "sqlalchemy", "alembic"},
    "services": {"PySide6", "shiboken6"},
    "ui": {"sqlalchemy", "alembic"},
    "cli": {"PySide6", "shiboken6", "sqlalchemy"},
}


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_imports_only_what_it_may(layer):
    wrong = []
    for path in modules(layer):
        for name in imports_of(path):
            parts = name.split(".")
            if parts[0] == "lehrer_licenses" and len(parts) > 1 and parts[1] in LAYERS:
                if parts[1] != layer and parts[1] not in ALLOWED[layer]:
                    wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
            elif parts[0] in FORBIDDEN_LIBRARIES[layer]:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert wrong == []


def test_the_checker_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("def f():\n    from PySide6 import QtCore\n    import sqlalchemy.orm\n")
    assert imports_of(sample) == {"PySide6", "sqlalchemy.orm"}


def test_every_layer_exists():
    for layer in LAYERS:
        assert modules(layer), f"no modules in {layer}/"
