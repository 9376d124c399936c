"""Backups of the database file: by hand, before migrations and batch runs, daily, rotated;
and restoring one after checking it, keeping a copy of what it replaces.

A server database (PostgreSQL) is backed up with ``pg_dump -Fc`` into the backups folder of the
user data folder, and restored with ``pg_restore`` into an empty database; where the client
tools are missing, the refusal names the exact command to run.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from lehrer_licenses.i18n import _
from lehrer_licenses.store import audit, instance_marker
from lehrer_licenses.store.backup import (
    SUFFIX,
    BackupError,
    BackupInfo,
    backup_name,
    check_backup,
    copy_database,
    replace_database,
    rotate,
    sqlite_path,
)
from lehrer_licenses.store.database import (
    Database,
    alembic_config,
    check_schema,
    default_database_path,
    make_engine,
    open_database,
    require_empty_server,
    resolve_url,
)
from lehrer_licenses.store.models import Invoice, School
from lehrer_licenses.store.server import (
    DUMP_SUFFIX,
    ServerBackupError,
    dump_command_hint,
    dump_name,
    dump_prefix,
    is_server,
    mask_url,
    run_pg_dump,
    run_pg_restore,
    tool_path,
)

# A batch run on a server needs a backup at most this old when it cannot make one itself.
RECENT = timedelta(hours=1)
# The first bytes of a pg_dump custom-format archive.
DUMP_MAGIC = b"PGDMP"

__all__ = [
    "BackupError",
    "BackupInfo",
    "PendingBackup",
    "RestoreResult",
    "ServerBackupError",
    "backup_before_batch",
    "backup_before_batch_checked_beside",
    "backups_folder",
    "daily_backup",
    "make_backup",
    "restore_backup",
]


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    database: Path | str  # a file, or a server's URL without its password
    previous_saved_as: Path | None  # None when there was no database to keep
    schools: int
    invoices: int


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def backups_folder(database: Path) -> Path:
    return database.parent / "backups"


def server_backups_folder() -> Path:
    """Dumps of server databases: the backups folder of this user's data folder."""
    return backups_folder(default_database_path())


def make_backup(
    db: Database, target: Path | None = None, reason: str = "manual", now: datetime | None = None
) -> BackupInfo:
    """A checked, consistent copy; without a target it goes to the rotated backups folder."""
    if is_server(db.url):
        return _dump_server(db, target, reason, now or datetime.now())
    source = sqlite_path(db.url)
    now = now or datetime.now()
    if target is None:
        folder = backups_folder(source)
        target = folder / backup_name(source, now, reason)
    elif target.is_dir():
        target = target / backup_name(source, now, reason)
    copy_database(source, target)
    return _checked(target, source, now)


def _checked(target: Path, source: Path, now: datetime) -> BackupInfo:
    info = check_backup(target, _script())
    if target.parent == backups_folder(source):
        rotate(target.parent, source, now)
    return info


def _dump_server(db: Database, target: Path | None, reason: str, now: datetime) -> BackupInfo:
    name = dump_name(db.url, now.strftime("%Y%m%d-%H%M%S"), reason)
    if target is None:
        target = server_backups_folder() / name
    elif target.is_dir():
        target = target / name
    with db.reading() as session:
        major = int(session.execute(text("SHOW server_version_num")).scalar_one()) // 10000
        revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        schools = session.scalar(select(func.count(School.id))) or 0
        invoices = session.scalar(select(func.count(Invoice.id))) or 0
    run_pg_dump(db.url, target, major)
    return BackupInfo(target, target.stat().st_size, revision, schools, invoices)


def recent_server_backup(url: str, now: datetime, within: timedelta = RECENT) -> Path | None:
    """The newest dump of this server database in the backups folder, if made ``within``."""
    folder = server_backups_folder()
    prefix = dump_prefix(url)
    newest = None
    for path in folder.glob(f"{prefix}*{DUMP_SUFFIX}") if folder.is_dir() else ():
        try:
            when = datetime.strptime(path.name[len(prefix) : len(prefix) + 15], "%Y%m%d-%H%M%S")
        except ValueError:
            continue
        if now - when <= within and (newest is None or when > newest[0]):
            newest = (when, path)
    return newest[1] if newest else None


def backup_before_batch(
    db: Database, reason: str, *, no_backup: bool = False, now: datetime | None = None
) -> Path | None:
    """The backup a batch run (a migration, the year-end run) makes before it writes.

    A file is copied. A server database is dumped when pg_dump is here; otherwise a dump of the
    last hour will do (made by hand with the command named), or the user's explicit
    ``no_backup``. Returns the backup relied on, None with ``no_backup``."""
    now = now or datetime.now()
    if not is_server(db.url):
        return make_backup(db, reason=reason, now=now).path
    if no_backup:
        return None
    if tool_path("pg_dump") is None:
        recent = recent_server_backup(db.url, now)
        if recent is not None:
            return recent
        target = server_backups_folder() / dump_name(db.url, now.strftime("%Y%m%d-%H%M%S"), reason)
        raise ServerBackupError(
            _(
                "no backup of {database} from the last hour, and pg_dump is not installed here "
                "to make one: run {command} (or install PostgreSQL's client tools), then try "
                "again; or give --no-backup to go on without one"
            ).format(database=mask_url(db.url), command=dump_command_hint(db.url, target))
        )
    return make_backup(db, reason=reason, now=now).path


class PendingBackup:
    """A batch run's backup whose check may still be running in a thread of its own.

    ``result`` waits for it: the backup relied on, or the check's refusal raised."""

    def __init__(self, check: Callable[[], Path | None] | None = None, path: Path | None = None):
        self._path, self._error = path, None
        self._thread = None
        if check is not None:
            self._thread = threading.Thread(
                target=self._run, args=(check,), name="backup-check", daemon=True
            )
            self._thread.start()

    def _run(self, check: Callable[[], Path | None]) -> None:
        try:
            self._path = check()
        except BaseException as exc:  # handed to whoever waits (result)
            self._error = exc

    def result(self) -> Path | None:
        self.wait()
        if self._error is not None:
            raise self._error
        return self._path

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()


def backup_before_batch_checked_beside(
    db: Database, reason: str, *, no_backup: bool = False, now: datetime | None = None
) -> PendingBackup:
    """``backup_before_batch`` for a run that prepares its first transaction while the copy is
    checked (``PRAGMA integrity_check`` is four fifths of a SQLite backup's time): the file is
    copied here, its check runs in a thread, and the run waits for it (``result``) before its
    first commit, which a failed check rolls back. The copy holds only what was committed
    before the run began, as a server's dump does, which is made here in full."""
    now = now or datetime.now()
    if is_server(db.url):
        return PendingBackup(path=backup_before_batch(db, reason, no_backup=no_backup, now=now))
    source = sqlite_path(db.url)
    target = backups_folder(source) / backup_name(source, now, reason)
    copy_database(source, target)
    return PendingBackup(lambda: _checked(target, source, now).path)


def daily_backup(db: Database, now: datetime | None = None) -> BackupInfo | None:
    """The first start of a day makes one backup; later starts that day make none."""
    now = now or datetime.now()
    if not db.url.startswith("sqlite:///"):
        return None
    source = sqlite_path(db.url)
    folder = backups_folder(source)
    today = f"{source.stem}-{now.strftime('%Y%m%d')}-"
    if folder.is_dir() and any(p.name.startswith(today) for p in folder.glob(f"*{SUFFIX}")):
        return None
    return make_backup(db, reason="daily", now=now)


def restore_backup(
    db_arg: str | Path | None, backup: Path, now: datetime | None = None
) -> RestoreResult:
    """Check ``backup``, save the current database beside the others, then put the backup in
    its place. Refused while another program has the database open."""
    now = now or datetime.now()
    url = resolve_url(db_arg)
    if is_server(url):
        return _restore_server(url, backup)
    if _is_dump(backup):
        raise BackupError(
            _(
                "{path} is a dump of a server database (pg_dump): restore it into an empty "
                "server database with --db postgresql://..."
            ).format(path=backup)
        )
    database = sqlite_path(url)
    info = check_backup(backup, _script())
    alone = _take_alone(database)
    try:
        saved = None
        if database.exists():
            _refuse_if_read_elsewhere(database)
            saved = backups_folder(database) / backup_name(database, now, "before-restore")
            copy_database(database, saved)
        replace_database(backup, database)
        # an older backup is migrated (and backed up first); others wait until it is done
        db = open_database(database, claim=False)
        try:
            with db.transaction() as session:
                audit.record(
                    session,
                    "database.restore",
                    "database",
                    None,
                    after={
                        "from": str(backup),
                        "saved_previous": str(saved or ""),
                        "revision": info.revision,
                    },
                )
        finally:
            db.dispose()
    finally:
        alone.release()
    return RestoreResult(
        restored_from=Path(backup),
        database=database,
        previous_saved_as=saved,
        schools=info.schools,
        invoices=info.invoices,
    )


def _is_dump(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(len(DUMP_MAGIC)) == DUMP_MAGIC
    except OSError:
        return False


def _restore_server(url: str, dump: Path) -> RestoreResult:
    """pg_restore into an empty server database: replacing a live shared database under the
    clerks' feet is not something a restore should do, so it goes into a new one."""
    if not Path(dump).is_file():
        raise BackupError(_("no backup file at {path}").format(path=dump))
    if not _is_dump(Path(dump)):
        raise BackupError(
            _(
                "{path} is not a dump made by pg_dump -Fc: a SQLite backup goes onto a server "
                "with 'lehrer-licenses restore' into a file, then 'lehrer-licenses move-to-server'"
            ).format(path=dump)
        )
    engine = make_engine(url)
    try:
        require_empty_server(engine)
        run_pg_restore(url, Path(dump))
        check_schema(engine)
    finally:
        engine.dispose()
    db = open_database(url, upgrade=False)
    try:
        with db.reading() as session:
            schools = session.scalar(select(func.count(School.id))) or 0
            invoices = session.scalar(select(func.count(Invoice.id))) or 0
        with db.transaction() as session:
            audit.record(session, "database.restore", "database", None, after={"from": str(dump)})
    finally:
        db.dispose()
    return RestoreResult(Path(dump), mask_url(url), None, schools, invoices)


def _take_alone(database: Path) -> instance_marker.ExclusiveClaim:
    """Every program that opens the file holds its marker; replacing it needs the marker alone."""
    try:
        return instance_marker.claim_exclusive(database)
    except instance_marker.InUseElsewhere as busy:
        raise BackupError(
            _("{path} is open in another program ({who}): close it there before restoring").format(
                path=database, who="; ".join(describe_holder(h) for h in busy.holders)
            )
        ) from busy


def describe_holder(holder: instance_marker.Holder) -> str:
    return _("{program} on {host} ({user}, process {pid}) since {since}").format(
        program=holder.program,
        host=holder.host,
        user=holder.user,
        pid=holder.pid,
        since=holder.since.strftime("%Y-%m-%d %H:%M"),
    )


def _refuse_if_read_elsewhere(database: Path) -> None:
    # A plain SQLite reader (not one of ours, so without the marker) shows only by the
    # write-ahead log it holds on to.
    con = sqlite3.connect(database, timeout=1)
    try:
        busy, _log, _done = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError:
        busy = 1
    finally:
        con.close()
    if busy:
        raise BackupError(
            _("{path} is open in another program: close it there before restoring").format(
                path=database
            )
        )
