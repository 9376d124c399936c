"""The year-end run leaves the WAL's checkpoints to a thread beside its groups (issue 21): its
connections commit without checkpointing while it holds them, get SQLite's default back when
they return to the pool, and the log is copied into the database file by the end of the run."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import threading
from datetime import date

import pytest

from lehrer_licenses.services.demo.sample_data import create_demo
from lehrer_licenses.services.season.year_end import run_renewals
from lehrer_licenses.store import wal_checkpoints

pytestmark = pytest.mark.sqlite_only(reason="a SQLite file's write-ahead log")


def _autocheckpoint_pages(db, connections: int = 3) -> list[int]:
    """The setting of as many pooled connections as are held at once."""
    with contextlib.ExitStack() as stack:
        held = [stack.enter_context(db.engine.connect()) for _ in range(connections)]
        return [c.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() for c in held]


def test_the_year_end_checkpoints_beside_its_groups_and_restores_its_connections(
    db, db_path, monkeypatch, tmp_path
):
    create_demo(db, 40, seed=3, today=date(2026, 11, 22))
    held = []
    hold = wal_checkpoints.CheckpointsBeside.hold

    def recording_hold(self, session):
        hold(self, session)
        held.append(session.connection().exec_driver_sql("PRAGMA wal_autocheckpoint").scalar())

    monkeypatch.setattr(wal_checkpoints.CheckpointsBeside, "hold", recording_hold)
    run = run_renewals(db, 2027, dry_run=False, issue_on=date(2026, 12, 1))
    assert run.summary().renewed > 0
    assert held and set(held) == {0}  # each group's transaction commits without checkpointing
    assert _autocheckpoint_pages(db) == [1000] * 3
    # The database file alone (as if the log were lost) holds every invoice of the run: the
    # thread copied each group's pages in (a run this small never fills 1,000 pages of log, so
    # SQLite's own checkpoint would not have run).
    alone = tmp_path / "alone.sqlite"
    shutil.copyfile(db_path, alone)
    assert _invoices(alone) == _invoices(db_path) > 0
    assert not [t for t in threading.enumerate() if t.name == "wal-checkpoints"]


def _invoices(path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM invoice WHERE number IS NOT NULL").fetchone()[0]
    finally:
        con.close()
