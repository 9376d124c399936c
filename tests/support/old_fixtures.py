"""A migration fixture of an old revision (tests/store/fixtures/migrations), changed with plain
SQL into the case a migration test needs, then migrated to head by the app itself."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from lehrer_licenses.store.database import make_engine, migrate

FIXTURES = Path(__file__).resolve().parents[1] / "store" / "fixtures" / "migrations"


def migrated_copy(folder: Path, revision: str, *statements: str) -> Path:
    """A copy in ``folder`` of the fixture of ``revision`` with ``statements`` run on it,
    upgraded to head; the migration must have had something to do."""
    path = folder / "old.sqlite"
    shutil.copyfile(FIXTURES / f"{revision}.sqlite", path)
    run_sql(path, *statements)
    engine = make_engine(f"sqlite:///{path}")
    try:
        assert migrate(engine) is True
    finally:
        engine.dispose()
    return path


def run_sql(path: Path, *statements: str) -> None:
    """``statements`` on the SQLite file ``path``, committed: written as another tool would."""
    con = sqlite3.connect(path)
    try:
        for statement in statements:
            con.execute(statement)
        con.commit()
    finally:
        con.close()
