"""Consistent copies of a SQLite database, their checks, and rotation.

A copy is made with SQLite's online backup API, never by copying the file: a plain copy of a
live WAL database can miss committed pages or catch a half-written one. The backup API copies a
consistent snapshot and starts over by itself if another connection writes meanwhile.

Beside every copy lies ``<copy>.sha256`` (``sha256sum`` format): a byte flipped inside a row
passes SQLite's own checks, so a restore compares the copy with the checksum it was written with.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.i18n import _
from lehrer_licenses.store.server import mask_url

if TYPE_CHECKING:  # Alembic loads when a backup is checked, not at every start
    from alembic.script import ScriptDirectory

SUFFIX = ".llbackup"
STAMP = "%Y%m%d-%H%M%S"
CHECKSUM = ".sha256"
PARTIAL = ".partial"


class BackupError(DomainError):
    pass


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    revision: str | None
    schools: int
    invoices: int


def sqlite_path(url: str) -> Path:
    if not url.startswith("sqlite:///"):
        raise BackupError(
            _(
                "backups are made of SQLite files; {url} is a server database: use "
                "the server's own backup tools"
            ).format(url=mask_url(url))
        )
    return Path(url.removeprefix("sqlite:///"))


def copy_database(source: Path, target: Path) -> None:
    """Online backup of ``source`` into ``target`` (written to a temporary name first)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = _staged(target)
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst, pages=1024)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        dst.close()
        src.close()
    digest = sha256_of(partial)
    os.replace(partial, target)
    write_checksum(target, digest)


def _staged(path: Path) -> Path:
    """Where ``path`` is written before it is moved into place: a name of this process's own, as
    two programs may back up at the same second (two year-end runs started at once) and must not
    write into each other's half-done file."""
    return path.with_name(f"{path.stem}.{os.getpid()}{path.suffix}{PARTIAL}")


def checksum_path(backup: Path) -> Path:
    return backup.with_name(backup.name + CHECKSUM)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_checksum(backup: Path, digest: str) -> None:
    side = checksum_path(backup)
    staged = _staged(side)
    staged.write_text(f"{digest}  {backup.name}\n", encoding="ascii")
    os.replace(staged, side)


def check_checksum(path: Path) -> None:
    """Refuse a copy that changed after it was written. A copy without its checksum (made by an
    older version, or moved without it) relies on SQLite's checks alone."""
    side = checksum_path(path)
    if not side.is_file():
        return
    expected = side.read_text(encoding="ascii", errors="replace").split()[:1]
    if expected != [sha256_of(path)]:
        raise BackupError(
            _(
                "the backup {path} has changed since it was written (its SHA-256 checksum in "
                "{checksum} does not match): it is damaged, restore another backup"
            ).format(path=path, checksum=side.name)
        )


def remove_leftovers(database: Path) -> list[Path]:
    """Half-written copies that a killed backup or restore left beside the database and in its
    backups folder; only called by a program that has the database alone."""
    found = [
        *database.parent.glob(f"{database.name}.restoring"),
        *(database.parent / "backups").glob(f"*{PARTIAL}"),
        *database.parent.glob(f"*{SUFFIX}{PARTIAL}"),
    ]
    for path in found:
        path.unlink(missing_ok=True)
    return found


def _known_revisions(script: ScriptDirectory) -> set[str]:
    return {rev.revision for rev in script.walk_revisions()}


def check_backup(path: Path, script: ScriptDirectory) -> BackupInfo:
    """Refuse anything that is not a sound database of a schema this version knows."""
    if not path.is_file():
        raise BackupError(_("no backup file at {path}").format(path=path))
    check_checksum(path)
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
            if integrity != "ok":
                raise BackupError(
                    _("the backup {path} is damaged: {detail}").format(path=path, detail=integrity)
                )
            if con.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise BackupError(
                    _("the backup {path} has rows that point nowhere").format(path=path)
                )
            tables = {
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if "alembic_version" not in tables or "school" not in tables:
                raise BackupError(_("{path} is not a lehrer-licenses database").format(path=path))
            revision = con.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = revision[0] if revision else None
            schools = con.execute("SELECT count(*) FROM school").fetchone()[0]
            invoices = con.execute("SELECT count(*) FROM invoice").fetchone()[0]
            if "number_counter" in tables:
                _check_invoice_chain(con, path, tables)
        finally:
            con.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        # A damaged schema page can make even SQLite's error message undecodable text.
        raise BackupError(
            _("the backup {path} cannot be read as a database: {error}").format(
                path=path, error=exc
            )
        ) from exc
    if revision not in _known_revisions(script):
        raise BackupError(
            _(
                "the backup {path} was written by a newer version of "
                "lehrer-licenses (schema {revision}): update the app first"
            ).format(path=path, revision=revision)
        )
    return BackupInfo(path, path.stat().st_size, revision, schools, invoices)


def _check_invoice_chain(con: sqlite3.Connection, path: Path, tables: set[str]) -> None:
    """Each series and year holds exactly the numbers its counter gave out (numbering is gapless
    and every number is unique), and every issued document still has the PDF that was sent: a
    backup missing either would restore books that no longer match what the schools received."""
    counts = {
        (series, int(year)): numbered
        for series, year, numbered in con.execute(
            "SELECT kind, strftime('%Y', invoice_date), count(*) FROM invoice "
            "WHERE number IS NOT NULL GROUP BY kind, strftime('%Y', invoice_date)"
        )
    }
    for series, year, last in con.execute("SELECT series, year, last FROM number_counter"):
        numbered = counts.pop((series, int(year)), 0)
        if numbered != last:
            raise BackupError(
                _(
                    "the backup {path} has a broken invoice chain: {series} {year} gave out "
                    "{last} numbers but holds {numbered} numbered documents"
                ).format(path=path, series=series, year=year, last=last, numbered=numbered)
            )
    if counts:
        (series, year), numbered = next(iter(counts.items()))
        raise BackupError(
            _(
                "the backup {path} has a broken invoice chain: {series} {year} gave out "
                "{last} numbers but holds {numbered} numbered documents"
            ).format(path=path, series=series, year=year, last=0, numbered=numbered)
        )
    if "invoice_pdf" in tables:
        missing = con.execute(
            "SELECT number FROM invoice WHERE number IS NOT NULL AND id NOT IN "
            "(SELECT invoice_id FROM invoice_pdf) ORDER BY id LIMIT 1"
        ).fetchone()
        if missing is not None:
            raise BackupError(
                _("the backup {path} lacks the stored PDF of {number}").format(
                    path=path, number=missing[0]
                )
            )


def backup_name(database: Path, when: datetime, reason: str) -> str:
    return f"{database.stem}-{when.strftime(STAMP)}-{reason}{SUFFIX}"


def rotate(
    folder: Path, database: Path, now: datetime, keep_days: int = 14, keep_months: int = 12
) -> list[Path]:
    """Keep every backup of the last ``keep_days`` days and the newest of each of the last
    ``keep_months`` months; remove the rest. Returns what was removed."""
    prefix = f"{database.stem}-"
    dated = []
    for path in folder.glob(f"{prefix}*{SUFFIX}"):
        stamp = path.name[len(prefix) : len(prefix) + 15]
        try:
            dated.append((datetime.strptime(stamp, STAMP), path))
        except ValueError:
            continue  # not one of ours
    dated.sort(reverse=True)
    keep: set[Path] = set()
    months_seen: set[tuple[int, int]] = set()
    for when, path in dated:
        if now - when <= timedelta(days=keep_days):
            keep.add(path)
        month = (when.year, when.month)
        if month not in months_seen and len(months_seen) < keep_months:
            months_seen.add(month)
            keep.add(path)
    removed = [path for _when, path in dated if path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
        checksum_path(path).unlink(missing_ok=True)
    return removed


def replace_database(backup: Path, database: Path) -> None:
    """Put the backup's content in place of ``database`` (nobody may have it open)."""
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    staged = database.with_name(database.name + ".restoring")
    shutil.copyfile(backup, staged)
    os.replace(staged, database)
