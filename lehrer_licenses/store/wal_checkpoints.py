"""A SQLite file's WAL checkpoints beside a long run of write transactions (the year-end run).

After each commit that leaves the write-ahead log over 1,000 pages, SQLite copies the committed
pages into the database file and flushes it, in the committing connection: for the year-end's
groups of 200 invoices with their PDFs (10 MB each) that was half of every commit's time, on the
run's own thread. Here the run's connection leaves them (``wal_autocheckpoint`` 0 while it holds
it) to a thread with a connection of its own, which checkpoints after each commit while the run
prepares its next transaction. The commits themselves still reach the disk when they return
(synchronous=FULL): a checkpoint only moves what is already safe in the log.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from lehrer_licenses.store.database import Database, sqlite_file

__all__ = ["CheckpointsBeside"]

# SQLite's own default, which the app never changes: restored on every connection given back.
AUTOCHECKPOINT_PAGES = 1000


class CheckpointsBeside:
    """Use as a context manager around the run; ``hold`` in each transaction, ``committed`` after
    each commit. On a server database, or an in-memory one, it does nothing."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._path: Path | None = sqlite_file(db.url)
        self._wake = threading.Event()
        self._stop = False
        self._thread: threading.Thread | None = None

    def __enter__(self) -> CheckpointsBeside:
        if self._path is not None:
            event.listen(self._db.engine, "checkin", _restore_autocheckpoint)
            self._thread = threading.Thread(
                target=self._run, args=(self._path,), name="wal-checkpoints", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._thread is None:
            return
        self._stop = True
        self._wake.set()
        self._thread.join()
        event.remove(self._db.engine, "checkin", _restore_autocheckpoint)

    def hold(self, session: Session) -> None:
        """The transaction's connection commits without checkpointing (until it is given back)."""
        if self._thread is not None:
            session.connection().exec_driver_sql("PRAGMA wal_autocheckpoint=0")

    def committed(self) -> None:
        if self._thread is not None:
            self._wake.set()

    def _run(self, path: Path) -> None:
        con = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
        try:
            con.execute("PRAGMA synchronous=FULL")  # the checkpoint flushes the file it wrote
            while True:
                self._wake.wait()
                self._wake.clear()
                # PASSIVE: copies what no reader still needs and never waits for anyone; a
                # checkpoint another program runs at the same moment makes this one a no-op.
                con.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                if self._stop:
                    return
        except sqlite3.Error:
            return  # the next commit of any connection checkpoints as SQLite always does
        finally:
            con.close()


def _restore_autocheckpoint(dbapi_connection, _record) -> None:
    if dbapi_connection is None:  # invalidated: closed, nothing to restore
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
    finally:
        cursor.close()
