"""Where the database is, how to connect to it, and bringing its schema up to date."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_dir
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _
from lehrer_licenses.store.backup import backup_name, copy_database
from lehrer_licenses.store.textsearch import register_sqlite_functions

ENV_VAR = "LEHRER_LICENSES_DB"
APP_NAME = "lehrer-licenses"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5000


class DatabaseBusy(DomainError):
    """Another program held the write lock for longer than the busy timeout."""

    def __init__(self) -> None:
        super().__init__(_("the database is busy in another program; try again"))


def _is_busy(exc: OperationalError) -> bool:
    text = str(exc.orig)
    return "database is locked" in text or "database is busy" in text


def default_database_path() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "lehrer-licenses.sqlite"


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """``--db`` (path or URL), else $LEHRER_LICENSES_DB, else the user data folder."""
    target = db if db not in (None, "") else os.environ.get(ENV_VAR) or default_database_path()
    text = os.fspath(target)
    if "://" in text:
        return text
    path = Path(text).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_connection, _record, busy_timeout_ms: int) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, busy_timeout_ms: int | None = None) -> Engine:
    """``busy_timeout_ms``: how long a write waits for another program's lock (tests shorten it)."""
    if url.startswith("sqlite"):
        timeout = BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms
        engine = create_engine(url, connect_args={"timeout": timeout / 1000})
        event.listen(engine, "connect", partial(_sqlite_pragmas, busy_timeout_ms=timeout))
        event.listen(engine, "connect", register_sqlite_functions)
        # pysqlite's own transaction handling is bypassed so that the BEGIN we emit is the one
        # that counts (the recipe in SQLAlchemy's SQLite dialect documentation).
        event.listen(engine, "connect", _disable_pysqlite_begin)
        event.listen(engine, "begin", _emit_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _disable_pysqlite_begin(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None


def _emit_begin(conn) -> None:
    # Use cases take the write lock up front (IMMEDIATE), so a second writer waits out the busy
    # timeout instead of failing on a stale WAL snapshot half-way through; reads stay deferred.
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


if TYPE_CHECKING:
    from alembic.config import Config

# Alembic (about a fifth of a second of imports) is loaded only to migrate: the start of an
# up-to-date database reads the head from the version files and the current revision by SQL.
_REVISION = re.compile(r"^revision(?:\s*:\s*[\w| ]+)?\s*=\s*[\"']([^\"']+)[\"']", re.M)
_DOWN = re.compile(r"^down_revision(?:\s*:\s*[\w| ]+)?\s*=\s*[\"']([^\"']+)[\"']", re.M)


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@cache
def head_revision() -> str:
    """The newest revision of ``migrations/versions``: the one no other revision follows
    (what Alembic's ``get_current_head`` says, read without importing Alembic)."""
    revisions, followed = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if found:
            revisions.add(found.group(1))
            followed.update(_DOWN.findall(source))
    heads = revisions - followed
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty one), as Alembic records it."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> bool:
    """Upgrade to the newest schema; True when something was done.

    An existing SQLite file is backed up first, so a failed or unwanted migration can be undone.
    """
    current = current_revision(engine)
    if current == head_revision():
        return False
    url = str(engine.url)
    if current is not None and url.startswith("sqlite:///"):
        source = Path(url.removeprefix("sqlite:///"))
        copy_database(
            source,
            source.parent
            / "backups"
            / backup_name(source, datetime.now(), f"before-migration-from-{current}"),
        )
    from alembic import command

    config = alembic_config(str(engine.url))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return True


class Database:
    """One database: its engine and a factory of sessions; use cases open one transaction each."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._held: list = []  # things released with the database (the instance marker)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """All of a use case or none of it. A write lock held elsewhere for longer than the busy
        timeout ends it with DatabaseBusy (a message for the user), nothing written."""
        try:
            with self._sessions.begin() as session:
                if self.engine.dialect.name == "sqlite":
                    session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
                yield session
        except OperationalError as exc:
            if _is_busy(exc):
                raise DatabaseBusy() from exc
            raise

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def hold(self, resource) -> None:
        """Keep ``resource`` (with a ``release()``) until the database is disposed of."""
        self._held.append(resource)

    def dispose(self) -> None:
        self.engine.dispose()
        while self._held:
            self._held.pop().release()


def open_database(
    db: str | os.PathLike[str] | None = None,
    *,
    upgrade: bool = True,
    busy_timeout_ms: int | None = None,
) -> Database:
    url = resolve_url(db)
    engine = make_engine(url, busy_timeout_ms)
    if upgrade:
        try:
            migrate(engine)
        except OperationalError as exc:
            engine.dispose()
            if _is_busy(exc):
                raise DatabaseBusy() from exc
            raise
    return Database(url, engine)
