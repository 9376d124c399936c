"""Fresh migrated databases for the tests, without migrating each one.

Migrating a new SQLite file costs 0.5-1 s, and most tests want one. So a test process (each
pytest-xdist worker is one) migrates a single template database, the first time a test asks, and
every test gets a copy of that file. The copy then goes through ``init_database`` like any existing
database the app opens: the schema is already at head (nothing migrates, Alembic is not even
imported), the default catalogue is already in it, and the signing key is made in the test's own
keys folder if that has none - so a test sees all that ``init`` does, as before.

This module is the one place that knows how a fresh database is made. Tests ask ``fresh(path)``
for an open database or ``copy_to(path)`` for what to hand the command line as ``--db``. On the
server pass (``--backend postgresql``, tests/conftest.py) the ``databases`` fixture is a
``PostgresTemplate`` instead: the same two methods, but the template is a server database migrated
once per test process and every test gets ``CREATE DATABASE ... TEMPLATE`` of it, dropped after
the test; ``path`` then only names the database. ``location(path)`` is what a test hands the
command line when it needs the address before the database exists (the ``db_path`` fixture).
Tests whose point is migrating or ``init`` itself (tests/store, the ``init`` command) keep making
their databases for real.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import sqlite3
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool

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

    def location(self, path: Path) -> Path:
        """What ``copy_to(path)`` will return: the file itself."""
        return path

    def drop_made(self) -> None:
        """Nothing to do: the files go with the test's temporary folder."""

    def close(self) -> None:
        """Nothing to do: the template goes with the session's temporary folder."""

    def copy_to(self, path: Path, *, lasting: bool = False) -> Path:
        """A migrated database with the default catalogue at ``path``; returns what to hand the
        command line as ``--db`` (here the file itself). Nothing is opened: a command line test
        runs ``init`` on it itself. ``lasting``: kept after the test (a module's own template,
        for ``clone``); a file is kept anyway."""
        shutil.copyfile(self._made(), path)
        return path

    def fresh(self, path: Path, *, lasting: bool = False) -> Database:
        """The database at ``path`` as ``init_database`` leaves a new one: migrated, catalogue
        installed, signing key in the current keys folder."""
        database, _installed = init_database(self.copy_to(path, lasting=lasting))
        return database

    def clone(self, source: Path, path: Path) -> Path:
        """A copy at ``path`` of the closed database ``source`` (what ``copy_to`` returned, with
        rows a module put in once); returns what to hand ``open_database`` or ``--db``."""
        shutil.copyfile(source, path)
        return path


class PostgresTemplate:
    """The server twin of ``SqliteTemplate``: one migrated template database per test process on
    the server at ``server_url`` (a role that may create databases), a copy per test.

    ``CREATE DATABASE ... TEMPLATE`` copies files on the server instead of the seconds a
    migration takes; still, creating and dropping a database cost 0.3-1 s on a busy 2-core
    machine, more than many tests. So one thread keeps a spare copy made ahead (a test's copy is
    the spare, renamed) and drops the finished tests' databases, both while the next test runs.
    A test's databases are named after its ``path`` and dropped after the test
    (``drop_made()``, tests/conftest.py) with FORCE: a test that kept a connection open must not
    leave a database behind that the next run trips over."""

    def __init__(self, server_url: str, folder: Path) -> None:
        self._server = make_url(server_url)
        self._folder = folder
        # xdist workers share the server: the process id keeps their databases apart.
        self._prefix = f"lehrer_t{os.getpid()}"
        self._template: str | None = None
        self._names = itertools.count(1)
        self._by_path: dict[str, str] = {}
        self._made: list[str] = []
        self._lasting: list[str] = []
        self._admin: Engine | None = None
        # One thread, so its drops and spare copies run in order, never two at once.
        self._background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-template")
        self._spare: Future[str] | None = None
        self._spares = itertools.count(1)

    def _url(self, name: str) -> str:
        return self._server.set(database=name).render_as_string(hide_password=False)

    def _admin_engine(self) -> Engine:
        if self._admin is None:
            # AUTOCOMMIT: CREATE/DROP DATABASE cannot run inside a transaction block.
            self._admin = create_engine(
                self._url(self._server.database or "postgres"),
                isolation_level="AUTOCOMMIT",
                poolclass=NullPool,
            )
        return self._admin

    def _execute(self, statement: str) -> None:
        with self._admin_engine().connect() as conn:
            conn.execute(text(statement))

    def _template_name(self) -> str:
        if self._template is None:
            name = f"{self._prefix}_template"
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self._execute(f'CREATE DATABASE "{name}"')
            keys = self._folder / "keys"
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("LEHRER_LICENSES_KEYS", str(keys))
                KeyStore(keys).create()
                database, _installed = init_database(self._url(name), migrate_server=True)
                # A template with a connection open cannot be copied.
                database.dispose()
            self._template = name
            self._spare = self._background.submit(self._make_spare)
        return self._template

    def _make_spare(self) -> str:
        name = f"{self._prefix}_spare{next(self._spares)}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}" STRATEGY FILE_COPY')
        return name

    def _name_for(self, path) -> str:
        key = os.fspath(path)
        for known_path, name in self._by_path.items():
            if key == self._url(name):
                key = known_path
        if key not in self._by_path:
            # Readable in pg_stat_activity, unique per path, within the 63 bytes of a name.
            digest = hashlib.sha1(key.encode()).hexdigest()[:8]
            self._by_path[key] = f"{self._prefix}_{next(self._names)}_{digest}"
        return self._by_path[key]

    def location(self, path) -> str:
        """The URL ``copy_to(path)`` will make; nothing exists there yet."""
        return self._url(self._name_for(path))

    def _create(self, path, template: str, lasting: bool) -> str:
        name = self._name_for(path)
        if name in self._made or name in self._lasting:  # the same path again: made anew
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template == self._template and self._spare is not None:
            spare = self._spare.result()
            self._spare = self._background.submit(self._make_spare)
            self._execute(f'ALTER DATABASE "{spare}" RENAME TO "{name}"')
        else:
            self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        (self._lasting if lasting else self._made).append(name)
        return self._url(name)

    def copy_to(self, path, *, lasting: bool = False) -> str:
        """A migrated database with the default catalogue, named after ``path`` (a path or a URL
        that ``location`` gave); returns its URL for the command line's ``--db``. Made again if
        it exists, as a file copy replaces the file. ``lasting``: kept until the session ends
        (a module's own template, for ``clone``), else dropped after the test."""
        return self._create(path, self._template_name(), lasting)

    def fresh(self, path, *, lasting: bool = False) -> Database:
        """The database named after ``path`` as ``init_database`` leaves a new one."""
        database, _installed = init_database(self.copy_to(path, lasting=lasting))
        return database

    def clone(self, source: str, path) -> str:
        """A copy, named after ``path``, of the database at the URL ``source`` (no connection to
        it may be open); returns its URL. Dropped after the test."""
        return self._create(path, make_url(source).database, lasting=False)

    def _drop(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop_made(self) -> None:
        """Drop the databases made since the last call (the test's), in the background."""
        while self._made:
            self._background.submit(self._drop, self._made.pop())
        self._by_path.clear()

    def close(self) -> None:
        self.drop_made()
        while self._lasting:
            self._background.submit(self._drop, self._lasting.pop())
        if self._spare is not None:
            self._background.submit(self._drop, self._spare.result())
            self._spare = None
        self._background.shutdown(wait=True)
        if self._template is not None:
            self._execute(f'DROP DATABASE IF EXISTS "{self._template}" WITH (FORCE)')
            self._template = None
        if self._admin is not None:
            self._admin.dispose()


@contextmanager
def filled_once(databases, folder: Path, keys: Path) -> Iterator[tuple[object, Database]]:
    """``(location, database)``: a migrated database at ``folder`` for a module's or a test
    process's rows, written once and copied for each test (``databases.clone(location, ...)``).
    It is written under the key pair in ``keys`` (made there if missing) and closed at the end:
    only a closed database is copied whole (a server refuses to copy one in use)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LEHRER_LICENSES_KEYS", str(keys))
        if not KeyStore(keys).exists():
            KeyStore(keys).create()
        location = databases.copy_to(folder / "template.sqlite", lasting=True)
        database, _installed = init_database(location)
        try:
            yield location, database
        finally:
            database.dispose()


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
