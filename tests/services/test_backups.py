"""Backups are consistent while others write, are checked before a restore, and a restore gives
back the data row for row while keeping what it replaced."""

import sqlite3
import threading
from datetime import date, datetime, timedelta

import pytest
from support.old_fixtures import run_sql

from lehrer_licenses.cli.main import main
from lehrer_licenses.services.backups import (
    BackupError,
    backups_folder,
    daily_backup,
    make_backup,
    restore_backup,
)
from lehrer_licenses.services.demo.sample_data import create_demo
from lehrer_licenses.services.licences.seats.orders import order_seats
from lehrer_licenses.services.schools import SchoolInput, add_school
from lehrer_licenses.store.backup import checksum_path, rotate, sha256_of, write_checksum


def rows(path, table):
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
    finally:
        con.close()


TABLES = (
    "school",
    "teacher",
    "subscription",
    "seat",
    "seat_assignment",
    "invoice",
    "invoice_line",
    "usage_count",
    "issued_code",
    "cancellation",
)

pytestmark = pytest.mark.sqlite_only(
    reason="backups and restores of SQLite files (a server's are pg_dump's)"
)


@pytest.mark.slow  # two connections racing; backup and restore stay fast below
def test_backup_while_another_connection_writes_is_consistent(db, db_path, tmp_path):
    create_demo(db, 30, seed=2, today=date(2026, 11, 22))
    stop = threading.Event()
    written = []

    def keep_writing():
        n = 0
        while not stop.is_set():
            add_school(db, SchoolInput(name=f"Neue Schule {n}", country="AT", language="de"))
            written.append(n)
            n += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        infos = [make_backup(db, tmp_path / f"b{i}.llbackup") for i in range(3)]
    finally:
        stop.set()
        writer.join()
    assert written, "the writer never ran"
    for info in infos:  # each passed integrity, foreign-key and schema checks in make_backup
        assert 30 <= info.schools <= 30 + len(written)
        # a school is only in the copy with its audit entry: the copy is one committed state
        con = sqlite3.connect(info.path)
        added = con.execute("SELECT count(*) FROM school WHERE name LIKE 'Neue Schule %'")
        audited = con.execute("SELECT count(*) FROM audit_entry WHERE action = 'school.add'")
        assert added.fetchone()[0] == audited.fetchone()[0]
        con.close()


def test_restore_round_trip_is_equal_row_for_row_and_keeps_the_replaced_data(db, db_path, tmp_path):
    create_demo(db, 20, seed=5, today=date(2026, 11, 22))
    backup = make_backup(db, tmp_path / "before.llbackup").path
    expected = {table: rows(backup, table) for table in TABLES}
    school = add_school(db, SchoolInput(name="Nach dem Backup", country="CH", language="fr"))
    order_seats(db, school, 3, date(2026, 3, 10))
    changed = {table: rows(db_path, table) for table in TABLES}
    db.dispose()

    result = restore_backup(db_path, backup)
    assert {table: rows(db_path, table) for table in TABLES} == expected
    saved = result.previous_saved_as
    assert {table: rows(saved, table) for table in TABLES} == changed
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert (
        con.execute("SELECT action FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()[0]
        == "database.restore"
    )
    con.close()


def test_a_damaged_backup_is_refused_and_the_database_left_alone(db, db_path, tmp_path):
    create_demo(db, 10, seed=1, today=date(2026, 11, 22))
    backup = make_backup(db, tmp_path / "b.llbackup").path
    data = bytearray(backup.read_bytes())
    for offset in range(8192, len(data), 4096):  # scribble over every page after the first two
        data[offset + 100 : offset + 200] = b"\xde\xad" * 50
    backup.write_bytes(bytes(data))
    before = rows(db_path, "school")
    db.dispose()
    with pytest.raises(BackupError, match=r"damaged|cannot be read"):
        restore_backup(db_path, backup)
    assert rows(db_path, "school") == before


def test_a_file_that_is_no_database_or_from_a_newer_version_is_refused(db, db_path, tmp_path):
    text = tmp_path / "notes.llbackup"
    text.write_text("Liebe Grüsse\n" * 500)
    with pytest.raises(BackupError, match="cannot be read as a database"):
        restore_backup(db_path, text)
    newer = make_backup(db, tmp_path / "newer.llbackup").path
    con = sqlite3.connect(newer)
    con.execute("UPDATE alembic_version SET version_num = 'ffffffff'")
    con.commit()
    con.close()
    write_checksum(newer, sha256_of(newer))  # as the newer version wrote it
    with pytest.raises(BackupError, match="newer version"):
        restore_backup(db_path, newer)
    other = tmp_path / "other.llbackup"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.close()
    with pytest.raises(BackupError, match="not a lehrer-licenses database"):
        restore_backup(db_path, other)


def test_restore_is_refused_while_another_program_reads_the_database(
    db, db_path, tmp_path, make_school
):
    # A desk that has just written (a freshly migrated file did, the template copy has not):
    # the check sees a reader only through the write-ahead log it holds on to.
    make_school()
    backup = make_backup(db, tmp_path / "b.llbackup").path
    reader = sqlite3.connect(db_path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM school").fetchone()
    try:
        with pytest.raises(BackupError, match="open in another program"):
            restore_backup(db_path, backup)
    finally:
        reader.close()


def test_daily_backup_once_a_day_into_the_rotated_folder(db, db_path):
    first = daily_backup(db, now=datetime(2026, 11, 22, 8, 0))
    assert first is not None and first.path.parent == backups_folder(db_path)
    assert daily_backup(db, now=datetime(2026, 11, 22, 17, 0)) is None
    assert daily_backup(db, now=datetime(2026, 11, 23, 8, 0)) is not None


def test_rotation_keeps_recent_days_and_one_backup_per_month(tmp_path):
    database = tmp_path / "desk.sqlite"
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in range(0, 400, 3):
        when = datetime(2026, 11, 22) - timedelta(days=day)
        (folder / f"desk-{when.strftime('%Y%m%d-%H%M%S')}-daily.llbackup").write_text("x")
    (folder / "unrelated.txt").write_text("x")
    rotate(folder, database, datetime(2026, 11, 22), keep_days=14, keep_months=12)
    kept = sorted(p.name for p in folder.glob("*.llbackup"))
    recent = [n for n in kept if n >= "desk-20261108"]
    assert len(recent) == 5  # days 0, 3, 6, 9, 12
    months = {n[5:11] for n in kept}
    assert len(months) == 12 and (folder / "unrelated.txt").exists()


def test_backup_and_restore_commands(tmp_path, capsys):
    import json

    db = str(tmp_path / "cli.sqlite")
    main(["--db", db, "init"])
    main(
        [
            "--db",
            db,
            "school",
            "add",
            "--name",
            "Scuola elementare Locarno",
            "--country",
            "CH",
            "--language",
            "it",
        ]
    )
    capsys.readouterr()
    assert main(["--db", db, "--json", "backup", "-o", str(tmp_path / "x.llbackup")]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schools"] == 1 and doc["backup"].endswith("x.llbackup")
    main(["--db", db, "school", "add", "--name", "Zweite", "--country", "CH", "--language", "de"])
    capsys.readouterr()
    assert main(["--db", db, "--json", "restore", str(tmp_path / "x.llbackup")]) == 0
    assert json.loads(capsys.readouterr().out)["schools"] == 1
    assert main(["--db", db, "restore", str(tmp_path / "missing.llbackup")]) == 2
    assert "no backup file at" in capsys.readouterr().err


def test_a_real_renewal_run_is_preceded_by_a_backup(db, db_path, make_school):
    order_seats(db, make_school(), 2, date(2026, 3, 10))
    from lehrer_licenses.services.season.year_end import run_renewals

    run_renewals(db, 2027, dry_run=True)
    assert not backups_folder(db_path).exists()
    run_renewals(db, 2027, dry_run=False)
    (backup,) = backups_folder(db_path).glob("*before-renewal-2027.llbackup")
    assert len(rows(backup, "invoice")) == 1  # the order, not yet the renewal


def _issued_books(db, tmp_path):
    """Two issued invoices, a credit note on the first and a quote, backed up."""
    from lehrer_licenses.services.billing import credit_notes, issuing, quotes, vendor

    vendor.set_vendor(db, vendor.SAMPLE_VENDOR)
    address = {"street": "Schulhausstrasse", "house_number": "5", "postcode": "3011"}
    school = add_school(
        db,
        SchoolInput(name="Schule Bern", country="CH", language="de", city="Bern", **address),
    )
    first = order_seats(db, school, 3, date(2026, 3, 10)).invoice.id
    number = issuing.issue_invoice(db, str(first), date(2026, 3, 10)).number
    second = order_seats(db, school, 1, date(2026, 4, 10)).invoice.id
    issuing.issue_invoice(db, str(second), date(2026, 4, 10))
    credit_notes.credit_invoice(db, number, reason="Storno", on=date(2026, 4, 11))
    quotes.create_quote(db, school, 5, date(2026, 4, 12))
    return make_backup(db, tmp_path / "books.llbackup").path


def _tamper(backup, *statements):
    run_sql(backup, *statements)
    # as an older version wrote it, without a checksum: the book checks alone must catch it
    checksum_path(backup).unlink()


def test_a_backup_with_a_sound_invoice_chain_restores(db, db_path, tmp_path):
    backup = _issued_books(db, tmp_path)
    db.dispose()
    restore_backup(db_path, backup)
    assert len(rows(db_path, "invoice")) == 4


def test_a_backup_missing_a_numbered_invoice_is_refused(db, db_path, tmp_path):
    backup = _issued_books(db, tmp_path)
    victim = "(SELECT id FROM invoice WHERE number = '2026-00002')"
    _tamper(
        backup,
        f"DELETE FROM invoice_line WHERE invoice_id = {victim}",
        f"DELETE FROM invoice_pdf WHERE invoice_id = {victim}",
        "DELETE FROM invoice WHERE number = '2026-00002'",
    )
    before = rows(db_path, "invoice")
    db.dispose()
    with pytest.raises(BackupError, match="broken invoice chain: invoice 2026 gave out 2 numbers"):
        restore_backup(db_path, backup)
    assert rows(db_path, "invoice") == before


def test_a_backup_missing_a_stored_pdf_is_refused(db, db_path, tmp_path):
    backup = _issued_books(db, tmp_path)
    _tamper(
        backup,
        "DELETE FROM invoice_pdf WHERE invoice_id = "
        "(SELECT id FROM invoice WHERE kind = 'credit_note')",
    )
    db.dispose()
    with pytest.raises(BackupError, match="lacks the stored PDF of G2026-00001"):
        restore_backup(db_path, backup)
