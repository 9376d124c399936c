"""Backups at the edges (issue 19): a byte flipped inside a row (which SQLite's own checks pass)
is caught by the checksum written beside every backup; a year-end run with nothing to do makes
no backup; what a killed backup, restore or export left half-written is removed later."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date

import pytest

from lehrer_licenses.services.backups import (
    BackupError,
    backups_folder,
    make_backup,
    restore_backup,
)
from lehrer_licenses.services.exchange.export_writers import remove_stale_parts, write_atomically
from lehrer_licenses.services.season.year_end import run_renewals
from lehrer_licenses.store.backup import checksum_path, sha256_of
from lehrer_licenses.store.database import open_database

pytestmark = pytest.mark.sqlite_only(
    reason="backup files of a SQLite database, their checksums and leftovers"
)


def school_names(path):
    con = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in con.execute("SELECT name FROM school"))
    finally:
        con.close()


def test_a_byte_flipped_inside_a_row_is_refused_on_restore(db, db_path, tmp_path, make_school):
    make_school("Primarschule Aesch", street="Bahnhofstrasse")  # a column without an index
    backup = make_backup(db, tmp_path / "b.llbackup").path
    side = checksum_path(backup)
    assert side.read_text() == f"{sha256_of(backup)}  b.llbackup\n"
    data = bytearray(backup.read_bytes())
    at = data.index(b"Bahnhofstrasse") + len("Bahnhofs")
    data[at] ^= 0x20  # "strasse" -> "sTrasse": the row still reads, the page is still sound
    backup.write_bytes(bytes(data))
    con = sqlite3.connect(backup)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"  # SQLite sees nothing
    assert con.execute("SELECT street FROM school").fetchall() == [("BahnhofsTrasse",)]
    con.close()
    make_school("Nach dem Backup")
    db.dispose()
    with pytest.raises(BackupError, match=r"has changed since it was written \(its SHA-256"):
        restore_backup(db_path, backup)
    assert school_names(db_path) == ["Nach dem Backup", "Primarschule Aesch"]


def test_the_checksum_goes_with_rotation_and_restore_accepts_an_intact_backup(db, db_path):
    info = make_backup(db)
    assert checksum_path(info.path).is_file()
    db.dispose()
    assert restore_backup(db_path, info.path).restored_from == info.path
    saved = sorted(backups_folder(db_path).glob("*before-restore.llbackup"))
    assert len(saved) == 1 and checksum_path(saved[0]).is_file()


def test_a_year_end_run_with_nothing_due_makes_no_backup(db, db_path):
    run = run_renewals(db, 2027, dry_run=False)
    assert run.items == []
    assert not backups_folder(db_path).exists()


def test_leftovers_of_a_killed_backup_or_restore_go_at_the_next_start(db, db_path, tmp_path):
    make_backup(db)
    folder = backups_folder(db_path)
    left = [
        folder / "desk-20261122-080000-daily.llbackup.partial",
        folder / "desk-20261122-080000-daily.llbackup.sha256.partial",
        db_path.with_name(db_path.name + ".restoring"),
        db_path.with_name("by-hand.llbackup.partial"),
    ]
    for path in left:
        path.write_bytes(b"half")
    again = open_database(db_path)  # the fixture's handle still has it open: left alone
    again.dispose()
    assert all(path.exists() for path in left)
    db.dispose()
    open_database(db_path).dispose()  # alone now: cleaned
    assert not any(path.exists() for path in left)
    assert len(list(folder.glob("*.llbackup"))) == 1  # the finished backup stays


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_parts_of_a_killed_export_go_at_the_next_export_into_the_folder(tmp_path):
    dead = tmp_path / f".invoices.csv.{_dead_pid()}-x1y2.part"
    running = tmp_path / f".invoices.csv.{os.getpid()}-a7b8.part"
    foreign = tmp_path / ".notes.part"  # not one of ours
    for path in (dead, running, foreign):
        path.write_text("half")
    target = tmp_path / "schools.csv"
    assert write_atomically(target, lambda tmp: tmp.write_text("a;b\n") and 1) == 1
    assert target.read_text() == "a;b\n"
    assert not dead.exists() and running.exists() and foreign.exists()
    assert remove_stale_parts(tmp_path) == []


def test_a_killed_export_leaves_a_part_the_next_export_removes(tmp_path):
    script = (
        "import os, sys, signal\n"
        "from pathlib import Path\n"
        "from lehrer_licenses.services.exchange.export_writers import write_atomically\n"
        "def write(tmp):\n"
        "    tmp.write_text('half')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "write_atomically(Path(sys.argv[1]), write)\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    target = tmp_path / "export.csv"
    proc = subprocess.run([sys.executable, "-c", script, str(target)], env=env, check=False)
    assert proc.returncode == -9
    (part,) = tmp_path.glob(".export.csv.*.part")
    write_atomically(tmp_path / "other.csv", lambda tmp: tmp.write_text("x") and 1)
    assert not part.exists()


def test_a_real_run_with_work_still_makes_its_backup(db, db_path, make_school):
    from lehrer_licenses.services.licences.seats.orders import order_seats

    order_seats(db, make_school(), 2, date(2026, 3, 10))
    run_renewals(db, 2027, dry_run=False)
    (backup,) = backups_folder(db_path).glob("*before-renewal-2027.llbackup")
    assert checksum_path(backup).is_file()


def _damage_an_index(path) -> None:
    """An index that no longer matches its table (as a disk error leaves one): the year-end
    never reads it, SQLite's quick check passes it, only the full integrity check finds it."""
    con = sqlite3.connect(path)
    try:
        version = con.execute("PRAGMA schema_version").fetchone()[0]
        con.execute("PRAGMA writable_schema=ON")
        con.execute(
            "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_school_city ON school (name)' "
            "WHERE name = 'ix_school_city'"
        )
        con.execute(f"PRAGMA schema_version={version + 1}")
        con.commit()
        assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        con.close()


def _all_rows(path) -> dict[str, list]:
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: con.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}
    finally:
        con.close()


def test_a_year_end_whose_backup_fails_its_check_commits_nothing(db, db_path):
    """The backup's copy is checked while the run prepares its first group (issue 21); the run
    waits for the check before it commits, so a damaged copy still stops it with nothing of it
    written, and leaves no thread behind."""
    import threading

    from lehrer_licenses.services.demo.sample_data import create_demo

    create_demo(db, 40, seed=3, today=date(2026, 11, 22))
    _damage_an_index(db_path)
    before = _all_rows(db_path)
    with pytest.raises(BackupError, match="ix_school_city"):
        run_renewals(db, 2027, dry_run=False, issue_on=date(2026, 12, 1))
    assert _all_rows(db_path) == before
    assert not [t for t in threading.enumerate() if t.name == "backup-check"]
