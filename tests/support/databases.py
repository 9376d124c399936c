"""Fresh migrated databases for the tests, without migrating each one.

Migrating a new SQLite file costs 0.5-1 s, and most tests want one. So a test process (each
pytest-xdist worker is one) migrates a single template database, the first time a test asks, and
every test gets a copy of that file. The copy then goes through ``init_database`` like any existing
database the app opens: the schema is already at head (nothing migrates, Alembic is not even
imported), the default catalogue is already in it, and the signing key is made in the test's own
keys folder if that has none - so a test sees all that ``init`` does, as before.

This module is the one place that knows how a fresh database is made. Tests ask ``fresh(path)``
for an open database or ``copy_to(path)`` for what to hand the command line as ``--db``; a server
backend (issue 20, PostgreSQL: migrate a template database once per session, then
``CREATE DATABASE ... TEMPLATE`` it per test) is another class with these two methods, which the
``databases`` fixture in tests/conftest.py then returns for a server url. Tests whose point is
migrating or ``init`` itself (tests/store, the ``init`` command) keep making their databases for
real.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from lehrer_licenses.services.database_init import Database, init_database
from lehrer_licenses.store.keystore import KeyStore


class SqliteTemplate:
    """One migrated SQLite file under ``folder``, made on first use, copied for every test."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._template: Path | None = None

    def _made(self) -> Path:
        if self._template is None:
            path = self._folder / "template.sqlite"
            # init_database makes a signing key wherever LEHRER_LICENSES_KEYS points; the template
            # is built before any test's own keys folder exists, so it gets a throwaway one.
            keys = self._folder / "keys"
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("LEHRER_LICENSES_KEYS", str(keys))
                KeyStore(keys).create()
                database, _installed = init_database(path)
                database.dispose()
            _checkpoint(path)
            self._template = path
        return self._template

    def copy_to(self, path: Path) -> Path:
        """A migrated database with the default catalogue at ``path``; returns what to hand the
        command line as ``--db`` (here the file itself). Nothing is opened: a command line test
        runs ``init`` on it itself."""
        shutil.copyfile(self._made(), path)
        return path

    def fresh(self, path: Path) -> Database:
        """The database at ``path`` as ``init_database`` leaves a new one: migrated, catalogue
        installed, signing key in the current keys folder."""
        database, _installed = init_database(self.copy_to(path))
        return database


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file, so the file alone is the whole database and a plain
    copy of it is a consistent one."""
    con = sqlite3.connect(path)
    try:
        busy, _log, _moved = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        con.close()
    wal = path.with_name(path.name + "-wal")
    if busy or (wal.exists() and wal.stat().st_size):
        raise RuntimeError(f"{path} still has a write-ahead log; the copies would miss it")
