"""Alembic loads only to migrate: an up-to-date database opens without it (a shorter start)."""

from __future__ import annotations

import subprocess
import sys

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from lehrer_licenses.store.database import (
    alembic_config,
    current_revision,
    head_revision,
    open_database,
)


def test_head_and_current_revision_read_as_alembic_reads_them(tmp_path):
    assert (
        head_revision()
        == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    )
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert current_revision(engine) is None
    engine.dispose()


def test_opening_an_up_to_date_database_does_not_import_alembic(tmp_path):
    path = tmp_path / "desk.sqlite"
    open_database(path).dispose()  # a new file: migrated, with Alembic
    code = (
        "import sys\n"
        "from lehrer_licenses.services.database_init import init_database\n"
        f"db, _installed = init_database({str(path)!r})\n"
        "print(sorted(m for m in sys.modules if m.startswith('alembic')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
