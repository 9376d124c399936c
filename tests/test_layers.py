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


# Inside services/: rooms by capability (services/__init__.py lists them).
SERVICES = PACKAGE / "services"
ROOMS = sorted(p.name for p in SERVICES.iterdir() if (p / "__init__.py").exists())
WRITES = {"add", "add_all", "delete", "merge", "flush", "commit", "transaction", "execute_write"}
WRITE_CONSTRUCTS = {"insert", "update", "delete"}


def room_of(module: str) -> str | None:
    """``lehrer_licenses.services.billing.issuing`` -> ``billing``; a top-level module is its own
    room (``services.schools`` -> ``schools``)."""
    parts = module.split(".")
    if parts[:2] != ["lehrer_licenses", "services"] or len(parts) < 3:
        return None
    return parts[2]


def private_imports(path: Path) -> list[tuple[str, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.extend(
                (node.module, a.name)
                for a in node.names
                if a.name.startswith("_") and not a.name.startswith("__")
            )
    return found


def test_every_room_of_services_says_what_it_owns():
    assert {"billing", "browse", "demo", "exchange", "licences", "season"} <= set(ROOMS)
    for init in SERVICES.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert len(doc.split()) >= 20, f"{init.relative_to(PACKAGE)} has no docstring of its own"


def test_no_room_reaches_into_another_rooms_internals():
    """A name starting with ``_`` is a module's own; another room calls what it offers."""
    wrong = []
    for path in modules("services"):
        here = room_of(
            "lehrer_licenses." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        )
        for module, name in private_imports(path):
            there = room_of(module)
            if there is not None and there != here:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {name} from {module}")
    assert wrong == []


def test_browse_never_writes():
    """The read models open no transaction, add, delete or flush nothing, build no INSERT,
    UPDATE or DELETE and write no audit entry."""
    wrong = []
    for path in sorted((SERVICES / "browse").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in WRITES:
                    wrong.append(f"{path.name}:{node.lineno} calls .{node.func.attr}()")
            elif isinstance(node, ast.ImportFrom) and node.module:
                if node.module.startswith("sqlalchemy"):
                    wrong += [
                        f"{path.name} imports {a.name}"
                        for a in node.names
                        if a.name in WRITE_CONSTRUCTS
                    ]
                if node.module == "lehrer_licenses.store" and any(
                    a.name == "audit" for a in node.names
                ):
                    wrong.append(f"{path.name} imports the audit trail")
    assert wrong == []


def test_the_room_checks_see_a_reach_and_a_write(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text(
        "from lehrer_licenses.services.billing.numbering import _next\n"
        "from sqlalchemy import insert\n"
        "def f(db, s):\n    with db.transaction() as s:\n        s.add(1)\n"
    )
    assert private_imports(sample) == [("lehrer_licenses.services.billing.numbering", "_next")]
    assert room_of("lehrer_licenses.services.billing.numbering") == "billing"
    assert room_of("lehrer_licenses.services.schools") == "schools"
    calls = [
        n.func.attr
        for n in ast.walk(ast.parse(sample.read_text()))
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
    ]
    assert {"transaction", "add"} <= set(calls) and {"transaction", "add"} <= WRITES
