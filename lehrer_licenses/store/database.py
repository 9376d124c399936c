"""Where the database is, how to connect to it, and bringing its schema up to date."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Table, create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _
from lehrer_licenses.store import instance_marker
from lehrer_licenses.store.backup import backup_name, copy_database, remove_leftovers

# ENV_VAR and default_database_path are the store's names too (the services import them here).
from lehrer_licenses.store.location import ENV_VAR as ENV_VAR
from lehrer_licenses.store.location import database_target
from lehrer_licenses.store.location import default_database_path as default_database_path
from lehrer_licenses.store.network_drive import network_location
from lehrer_licenses.store.roles import ensure_roles, refused
from lehrer_licenses.store.search_index import ensure_trigram_index
from lehrer_licenses.store.server import (
    DriverMissing,
    ServerUnreachable,
    connection_reason,
    mask_url,
    with_driver,
)
from lehrer_licenses.store.textsearch import register_sqlite_functions

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5000
# How often a write transaction that could not even start (another program held the write lock,
# or the first row lock, for the whole busy timeout) is tried before the clerk is told "busy".
BEGIN_ATTEMPTS = 3
# The longest a program waiting for SQLite's write lock sleeps before it tries again (the last
# step of SQLite's own busy handler), and a little more.
SQLITE_RETRY_S = 0.11
CACHE_KIB = 64 * 1024  # per connection, taken only as pages are read


class DatabaseBusy(DomainError):
    """Another program held the write lock for longer than the busy timeout."""

    def __init__(self) -> None:
        super().__init__(_("the database is busy in another program; try again"))


class ConcurrentChange(DomainError):
    """Another program changed what this use case read, at the same time (a deadlock, a
    serialization failure, or a unique row the other wrote first): nothing of it was written."""

    def __init__(self) -> None:
        super().__init__(
            _("the data was changed by someone else at the same time; nothing was saved, try again")
        )


def _is_busy(exc: OperationalError) -> bool:
    text = str(exc.orig)
    return "database is locked" in text or "database is busy" in text


# PostgreSQL's codes: serialization failure, deadlock detected, unique violation; a lock not
# granted within lock_timeout is the server's "busy".
_CONFLICT_STATES = {"40001", "40P01", "23505"}
_BUSY_STATES = {"55P03"}


def _concurrency_error(exc: DBAPIError) -> DomainError | None:
    """The message for a conflict with another program, or None for any other error."""
    state = getattr(exc.orig, "sqlstate", None)
    if state in _BUSY_STATES or (isinstance(exc, OperationalError) and _is_busy(exc)):
        return DatabaseBusy()
    if state in _CONFLICT_STATES:
        return ConcurrentChange()
    # SQLite writes one at a time (BEGIN IMMEDIATE), so a duplicate there has no race behind it;
    # it still says what happened instead of a traceback.
    if isinstance(exc, IntegrityError) and "UNIQUE constraint failed" in str(exc.orig):
        return ConcurrentChange()
    return None


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """``--db`` (path or URL), else $LEHRER_LICENSES_DB, else the user data folder."""
    text = database_target(db)
    if "://" in text:
        return text
    path = Path(text).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_connection, _record, busy_timeout_ms: int, journal: str) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA journal_mode={journal}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
    # FULL: a commit is on the disk when it returns, so an invoice issued (numbered, printed,
    # mailed) survives a power cut and its number is never given again. NORMAL in WAL mode may
    # lose the last commits; the cost is one more fsync per commit (benchmarks/bench_year_end.py).
    cursor.execute("PRAGMA synchronous=FULL")
    # SQLite's own default is a 2 MB page cache: a canton's desk (gigabytes with the stored
    # PDFs) then reads every index page of every lookup from the operating system again.
    cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cursor.close()


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite url; None for a server or an in-memory database."""
    if not url.startswith("sqlite:///") or url == "sqlite:///:memory:":
        return None
    return Path(url.removeprefix("sqlite:///"))


def network_share(url: str) -> str | None:
    """The network share a SQLite file lies on (type and source), or None."""
    path = sqlite_file(url)
    return None if path is None else network_location(str(path))


def network_warning(url: str) -> str | None:
    """The warning for a database file on a network drive, or None where there is none."""
    share = network_share(url)
    if share is None:
        return None
    return _(
        "{path} lies on a network drive ({share}). SQLite cannot lock a file there reliably: two "
        "programs writing at once can damage it, so it runs without its write-ahead log here. "
        "Keep the file on this computer, or share the desk through the shared mode (a PostgreSQL "
        "server: --db postgresql://...)."
    ).format(path=sqlite_file(url), share=share)


def make_engine(url: str, busy_timeout_ms: int | None = None) -> Engine:
    """``busy_timeout_ms``: how long a write waits for another program's lock (tests shorten it)."""
    if url.startswith("sqlite"):
        timeout = BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms
        engine = create_engine(url, connect_args={"timeout": timeout / 1000})
        # The write-ahead log needs memory shared by every program on the file, which a network
        # share does not give: there the rollback journal.
        journal = "DELETE" if network_share(url) else "WAL"
        event.listen(
            engine, "connect", partial(_sqlite_pragmas, busy_timeout_ms=timeout, journal=journal)
        )
        event.listen(engine, "connect", register_sqlite_functions)
        # pysqlite's own transaction handling is bypassed so that the BEGIN we emit is the one
        # that counts (the recipe in SQLAlchemy's SQLite dialect documentation).
        event.listen(engine, "connect", _disable_pysqlite_begin)
        event.listen(engine, "begin", _emit_begin)
        return engine
    timeout = BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms
    try:
        engine = create_engine(with_driver(url), pool_pre_ping=True)
    except ImportError as exc:  # psycopg, the optional dependency of a shared office
        raise DriverMissing() from exc
    # A clerk waits for another's row lock as long as SQLite waits for its write lock, then is
    # told the database is busy instead of waiting on a desk someone left mid-dialog. SET LOCAL
    # in every transaction rather than a startup ``options`` parameter or a session SET: PgBouncer
    # in transaction mode refuses the one and hands the other to whichever client comes next.
    event.listen(engine, "begin", partial(_set_lock_timeout, timeout_ms=timeout))
    event.listen(engine, "do_execute", _retry_first_statement)
    event.listen(
        engine,
        "do_execute_no_params",
        lambda cursor, statement, context: _retry_first_statement(cursor, statement, None, context),
    )
    event.listen(engine, "do_executemany", _not_first_statement)
    return engine


def _info(conn) -> dict:
    """The pooled connection's own dict; none while the dialect's first queries run on a new
    connection (before any use case), which are then left alone."""
    try:
        return conn.info
    except NotImplementedError:
        return {}


def _set_lock_timeout(conn, timeout_ms: int) -> None:
    if conn.dialect.server_version_info is None:
        return
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(timeout_ms)}")
    conn.info["lock_timeout_ms"] = int(timeout_ms)
    conn.info["first_statement"] = True


def _retry_first_statement(cursor, statement, parameters, context):
    """A lock not granted to the first statement of a transaction (55P03) is waited for again,
    up to BEGIN_ATTEMPTS times: nothing of the use case ran before it, so re-running that one
    statement in a new transaction is the same as the clerk pressing the button again."""
    conn = context.root_connection
    if not _info(conn).pop("first_statement", False):
        return None  # the dialect's own execute
    attempt = 1
    while True:
        try:
            cursor.execute(statement, parameters)
            return True
        except Exception as exc:
            if getattr(exc, "sqlstate", None) not in _BUSY_STATES or attempt == BEGIN_ATTEMPTS:
                raise
        attempt += 1
        cursor.connection.rollback()  # the failed transaction held only the SET LOCAL
        cursor.execute(f"SET LOCAL lock_timeout = {conn.info['lock_timeout_ms']}")


def _not_first_statement(cursor, statement, parameters, context) -> None:
    _info(context.root_connection).pop("first_statement", None)


def reach(engine: Engine) -> None:
    """Connect once: a server that is down, a wrong password or an unknown database ends in
    one line naming the server (never its password) instead of a driver's traceback."""
    if engine.dialect.name == "sqlite":
        return
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        raise ServerUnreachable(
            engine.url.render_as_string(hide_password=False), connection_reason(exc)
        ) from exc


class ServerNotEmpty(DomainError):
    pass


def require_empty_server(engine: Engine) -> None:
    """A restore or a move goes only into a server database without tables: it would otherwise
    mix two desks' books (connecting first, see ``reach``)."""
    reach(engine)
    with engine.connect() as conn:
        tables = inspect(conn).get_table_names()
    if tables:
        raise ServerNotEmpty(
            _(
                "{database} is not empty ({count} tables): only a new, empty database will do "
                "(createdb NAME); nothing was written"
            ).format(database=mask_url(full_url(engine)), count=len(tables))
        )


def full_url(engine: Engine) -> str:
    """The engine's URL with its password (``str(engine.url)`` hides it as ``***``, which
    would then be sent as the password)."""
    return engine.url.render_as_string(hide_password=False)


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
def _revision_graph() -> tuple[frozenset[str], frozenset[str]]:
    """Every revision of ``migrations/versions`` and those another revision follows, read from
    the files without importing Alembic."""
    revisions, followed = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if found:
            revisions.add(found.group(1))
            followed.update(_DOWN.findall(source))
    return frozenset(revisions), frozenset(followed)


def known_revisions() -> frozenset[str]:
    return _revision_graph()[0]


def head_revision() -> str:
    """The newest revision: the one no other revision follows (what Alembic's
    ``get_current_head`` says)."""
    revisions, followed = _revision_graph()
    heads = revisions - followed
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return next(iter(heads))


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty one), as Alembic records it."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


WRITTEN_BY = "schema.written_by"


class SchemaTooNew(DomainError):
    """The database was migrated by a newer version; this one does not know its schema."""

    def __init__(self, current: str, written_by: str | None) -> None:
        from lehrer_licenses import __version__

        by = written_by or _("a newer version")
        super().__init__(
            _(
                "This database was written by lehrer-licenses {by} (schema {schema}); this is "
                "version {version} (schema {head}), which cannot read it. Use version {by} or "
                "newer; nothing was changed."
            ).format(by=by, schema=current, version=__version__, head=head_revision())
        )


class SchemaOutdated(DomainError):
    """A server database behind this version's schema: migrating it is a decision for one
    person with a backup, not for whichever clerk starts first."""

    def __init__(self, current: str | None) -> None:
        if current is None:
            message = _(
                "The server database is empty: create its tables with 'lehrer-licenses init'."
            )
        else:
            message = _(
                "The server database has schema {schema}; this version needs {head}. Make a "
                "backup, then run 'lehrer-licenses migrate' once; nothing was changed."
            ).format(schema=current, head=head_revision())
        super().__init__(message)


def _written_by(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return conn.execute(
                text("SELECT value FROM setting WHERE key = :key"), {"key": WRITTEN_BY}
            ).scalar()
    except (OperationalError, ProgrammingError):  # no setting table (SQLite, PostgreSQL)
        return None


def check_schema(engine: Engine) -> str | None:
    """The database's revision, refused with SchemaTooNew when this version does not know it
    (before anything is written or backed up)."""
    current = current_revision(engine)
    if current is not None and current not in known_revisions():
        raise SchemaTooNew(current, _written_by(engine))
    return current


def migrate(engine: Engine, *, server: bool = False) -> bool:
    """Upgrade to the newest schema; True when something was done.

    An existing SQLite file is backed up first, so a failed or unwanted migration can be undone.
    A server database (PostgreSQL) is only checked unless ``server`` says this is the explicit
    ``init`` or ``migrate`` of its administrator.
    """
    current = check_schema(engine)
    url = full_url(engine)
    is_file = url.startswith("sqlite")
    if current == head_revision():
        if server and not is_file:
            with engine.begin() as conn:  # the roles of a server made before they existed
                ensure_roles(conn)
                # and the search index, if pg_trgm could not be created when it was migrated
                ensure_trigram_index(conn)
        return False
    if not is_file and not server:
        raise SchemaOutdated(current)
    if current is not None and url.startswith("sqlite:///"):
        source = Path(url.removeprefix("sqlite:///"))
        copy_database(
            source,
            source.parent
            / "backups"
            / backup_name(source, datetime.now(), f"before-migration-from-{current}"),
        )
    from alembic import command

    from lehrer_licenses import __version__

    config = alembic_config(full_url(engine))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        # Which version wrote this schema, for the refusal an older version will give.
        conn.execute(text("DELETE FROM setting WHERE key = :key"), {"key": WRITTEN_BY})
        conn.execute(
            text("INSERT INTO setting (key, value) VALUES (:key, :value)"),
            {"key": WRITTEN_BY, "value": __version__},
        )
        ensure_roles(conn)
    return True


def advance_id_sequence(connection: Connection, table: Table) -> None:
    """After rows were inserted with explicit ids: move ``table``'s id sequence past the highest
    id, so the next insert without one does not collide. SQLite takes max(id)+1 by itself."""
    if connection.dialect.name != "postgresql" or "id" not in table.c:
        return
    quoted = connection.dialect.identifier_preparer.format_table(table)
    connection.execute(
        text(
            "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
            f"coalesce(max(id), 1), max(id) IS NOT NULL) FROM {quoted}"
        ),
        {"table": quoted},
    )


class Database:
    """One database: its engine and a factory of sessions; use cases open one transaction each."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._held: list = []  # things released with the database (the instance marker)
        self.marker = None  # this program's claim on the file (a SQLite file only)
        self.network_warning = network_warning(url)  # None unless the file is on a share

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """All of a use case or none of it. A write lock held elsewhere for longer than the busy
        timeout ends it with DatabaseBusy, a conflict with another program's use case with
        ConcurrentChange (messages for the user), nothing written.

        ``session.info["writing"]`` tells the lookups that lock what the use case will change
        (``SELECT ... FOR UPDATE`` on a server) that they run in one."""
        try:
            session, started = self._begin_writing()
            with session, started:
                yield session
        except DBAPIError as exc:
            error = _concurrency_error(exc)
            if error is not None:
                raise error from exc
            self._refuse(exc)
            raise

    def _begin_writing(self):
        """A session whose write transaction has begun; on SQLite holding the write lock. A busy
        BEGIN is tried again (BEGIN_ATTEMPTS): nothing of the use case has run yet."""
        attempt = 1
        while True:
            session = self._sessions()
            started = session.begin()
            session.info["writing"] = True
            if self.engine.dialect.name != "sqlite":
                return session, started
            try:
                session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
                return session, started
            except OperationalError as exc:
                session.close()
                if not _is_busy(exc) or attempt == BEGIN_ATTEMPTS:
                    raise
            attempt += 1

    def let_others_write(self) -> None:
        """Between two transactions of a long piece of work: give a writer waiting for the lock
        time to take it. SQLite has no queue for its write lock; a waiting program tries again
        after sleeping (up to 100 ms, the longest step of its busy handler), so a program that
        begins its next transaction at once takes the lock again first, every time. A server
        locks rows, not the database, and queues who waits."""
        if self.engine.dialect.name == "sqlite":
            time.sleep(SQLITE_RETRY_S)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        try:
            with self._sessions() as session:
                yield session
        except DBAPIError as exc:
            self._refuse(exc)
            raise

    def _refuse(self, exc: DBAPIError) -> None:
        """The server's "permission denied" as the user's message (which role is needed)."""
        if getattr(exc.orig, "sqlstate", None) != "42501":
            return
        # the failed transaction answers nothing more: who and which prefix on a fresh one
        with self.engine.connect() as conn:
            refusal = refused(exc, conn)
        if refusal is not None:
            raise refusal from exc

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
    migrate_server: bool = False,
    busy_timeout_ms: int | None = None,
    claim: bool = True,
) -> Database:
    """``upgrade``: bring a file up to date (a server database only with ``migrate_server``, see
    ``migrate``); a schema newer than this version is refused either way.

    Every program that opens a SQLite file holds its "in use" marker until ``dispose()``, so a
    restore elsewhere refuses instead of replacing the file under it. ``claim=False`` only for
    the one who already holds it exclusively (the restore itself)."""
    url = resolve_url(db)
    marker = None
    if claim and url.startswith("sqlite:///"):
        # before the first connection: a restore under way makes this wait until it is done
        try:
            marker = instance_marker.claim(Path(url.removeprefix("sqlite:///")))
        except OSError:  # a read-only folder: no marker; the database itself still works
            marker = None
        if marker is not None and marker.alone:
            # what a killed backup or restore left; nobody else can be writing it now
            remove_leftovers(Path(url.removeprefix("sqlite:///")))
    try:
        engine = make_engine(url, busy_timeout_ms)
    except BaseException:
        if marker is not None:
            marker.release()
        raise
    try:
        reach(engine)
        if upgrade:
            migrate(engine, server=migrate_server)
        else:
            check_schema(engine)
    except BaseException as exc:
        engine.dispose()
        if marker is not None:
            marker.release()
        if isinstance(exc, OperationalError) and _is_busy(exc):
            raise DatabaseBusy() from exc
        raise
    database = Database(url, engine)
    if marker is not None:
        database.marker = marker
        database.hold(marker)
    return database
