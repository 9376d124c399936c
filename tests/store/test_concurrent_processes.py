"""Two programs on one database file: writers in separate processes leave a consistent file, and
a write that meets a lock held too long fails with a message, nothing written."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lehrer_licenses.cli.main import main
from lehrer_licenses.services.billing import vendor
from lehrer_licenses.services.database_init import open_database
from lehrer_licenses.services.errors import DatabaseBusy
from lehrer_licenses.services.schools import SchoolInput, add_school

pytestmark = pytest.mark.sqlite_only(reason="SQLite's file write lock and its busy timeout")

WRITER = Path(__file__).with_name("concurrent_writer.py")
SECONDS = 2.5


def count(path, table: str) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


@pytest.mark.slow  # a stress test: two processes write for seconds
def test_two_processes_writing_at_once_leave_a_consistent_database(db, db_path):
    vendor.set_vendor(db, vendor.SAMPLE_VENDOR)
    db.dispose()
    writers = {
        tag: subprocess.Popen(
            [sys.executable, str(WRITER), str(db_path), tag, str(SECONDS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("A", "B")
    }
    for writer in writers.values():
        assert writer.stdout.readline().strip() == "ready"
    for writer in writers.values():
        writer.stdin.write("go\n")
        writer.stdin.flush()
    reports = {}
    for tag, writer in writers.items():
        out, err = writer.communicate(timeout=30)
        assert writer.returncode == 0, err
        reports[tag] = [json.loads(line) for line in out.splitlines()]

    issued = {tag: [r for r in rows if r["op"] == "issue"] for tag, rows in reports.items()}
    assert all(issued.values()), "a writer never got an invoice issued"
    # they really overlapped: each wrote while the other was writing too
    a_times = [r["t"] for r in reports["A"]]
    b_times = [r["t"] for r in reports["B"]]
    assert min(a_times) < max(b_times) and min(b_times) < max(a_times)

    con = sqlite3.connect(db_path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        numbers = [
            n
            for (n,) in con.execute(
                "SELECT number FROM invoice WHERE kind = 'invoice' AND number IS NOT NULL"
            )
        ]
        seqs = sorted(int(re.fullmatch(r"2026-(\d+)", n).group(1)) for n in numbers)
        assert seqs == list(range(1, len(seqs) + 1)), "invoice numbers with gaps or twice"
        (last,) = con.execute(
            "SELECT last FROM number_counter WHERE series = 'invoice' AND year = 2026"
        ).fetchone()
        assert last == len(seqs)

        rows = [r for tag_rows in reports.values() for r in tag_rows]
        schools = dict(con.execute("SELECT number, id FROM school"))
        invoices = {
            i: (n, s) for i, n, s in con.execute("SELECT id, number, school_id FROM invoice")
        }
        for r in rows:  # every success a writer reported is in the file
            if r["op"] in ("school", "order", "issue"):
                assert r["school"] in schools
            if r["op"] in ("order", "issue"):
                assert invoices[r["invoice_id"]][1] == schools[r["school"]]
            if r["op"] == "issue":
                assert invoices[r["invoice_id"]][0] == r["number"]
        assert sorted(n for r in rows if r["op"] == "issue" for n in [r["number"]]) == sorted(
            numbers
        )
        # no half use case: every school has its audit entry; every contract its seats, its
        # invoice with lines and its registration code; every issued invoice its PDF
        assert con.execute(
            "SELECT count(*) FROM school s WHERE NOT EXISTS (SELECT 1 FROM audit_entry a "
            "WHERE a.action = 'school.add' AND a.entity_id = s.id)"
        ).fetchone() == (0,)
        for (sub_id,) in con.execute("SELECT id FROM subscription"):
            seats = con.execute(
                "SELECT count(*) FROM seat WHERE subscription_id = ?", (sub_id,)
            ).fetchone()[0]
            (quantity,) = con.execute(
                "SELECT l.quantity FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id "
                "WHERE i.subscription_id = ? AND l.code = 'base'",
                (sub_id,),
            ).fetchone()
            assert quantity == seats * 10000 and seats >= 1
            assert con.execute(
                "SELECT count(*) FROM issued_code WHERE subscription_id = ?", (sub_id,)
            ).fetchone() == (1,)
        assert con.execute(
            "SELECT count(*) FROM invoice i WHERE i.number IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM invoice_pdf p WHERE p.invoice_id = i.id)"
        ).fetchone() == (0,)
    finally:
        con.close()


HOLD_LOCK = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
con.rollback()
"""


@pytest.fixture
def lock_held_elsewhere(db, db_path):
    """Another program holds the write lock until the test ends."""
    db.dispose()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    yield holder
    if holder.poll() is None:
        holder.stdin.write("\n")
        holder.stdin.close()
    holder.wait(timeout=10)


def test_a_write_that_meets_a_lock_held_too_long_fails_with_a_message(lock_held_elsewhere, db_path):
    schools, audits = count(db_path, "school"), count(db_path, "audit_entry")
    busy = open_database(db_path, busy_timeout_ms=300)
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseBusy, match="busy in another program; try again"):
            add_school(busy, SchoolInput(name="Wartet", country="CH", language="de"))
        assert time.monotonic() - started >= 0.25  # it waited before giving up
    finally:
        busy.dispose()
    lock_held_elsewhere.stdin.write("\n")
    lock_held_elsewhere.stdin.flush()
    lock_held_elsewhere.wait(timeout=10)
    assert (count(db_path, "school"), count(db_path, "audit_entry")) == (schools, audits)


def test_the_cli_says_the_database_is_busy_and_exits_2(
    lock_held_elsewhere, db_path, monkeypatch, capsys
):
    monkeypatch.setattr("lehrer_licenses.store.database.BUSY_TIMEOUT_MS", 300)
    schools = count(db_path, "school")
    args = ["--db", str(db_path), "school", "add", "--name", "Wartet", "--country", "CH"]
    assert main([*args, "--language", "de"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "lehrer-licenses: the database is busy in another program; try again"
    assert count(db_path, "school") == schools


def test_the_busy_message_is_translated(lock_held_elsewhere, db_path):
    from lehrer_licenses.i18n import set_ui_language

    set_ui_language("de")
    busy = open_database(db_path, busy_timeout_ms=100)
    try:
        with pytest.raises(DatabaseBusy) as raised:
            add_school(busy, SchoolInput(name="Wartet", country="CH", language="de"))
    finally:
        busy.dispose()
    assert "busy" not in str(raised.value) and "Programm" in str(raised.value)
