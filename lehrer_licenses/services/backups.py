"""Backups of the database file: by hand, before migrations and batch runs, daily, rotated;
and restoring one after checking it, keeping a copy of what it replaces."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic.script import ScriptDirectory

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
from lehrer_licenses.store.database import Database, alembic_config, open_database, resolve_url

__all__ = [
    "BackupError",
    "BackupInfo",
    "RestoreResult",
    "backups_folder",
    "daily_backup",
    "make_backup",
    "restore_backup",
]


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    database: Path
    previous_saved_as: Path | None  # None when there was no database to keep
    schools: int
    invoices: int


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def backups_folder(database: Path) -> Path:
    return database.parent / "backups"


def make_backup(
    db: Database, target: Path | None = None, reason: str = "manual", now: datetime | None = None
) -> BackupInfo:
    """A checked, consistent copy; without a target it goes to the rotated backups folder."""
    source = sqlite_path(db.url)
    now = now or datetime.now()
    if target is None:
        folder = backups_folder(source)
        target = folder / backup_name(source, now, reason)
    elif target.is_dir():
        target = target / backup_name(source, now, reason)
    copy_database(source, target)
    info = check_backup(target, _script())
    if target.parent == backups_folder(source):
        rotate(target.parent, source, now)
    return info


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
    database = sqlite_path(resolve_url(db_arg))
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
