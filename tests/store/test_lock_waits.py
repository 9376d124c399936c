"""A write that cannot even start because another program holds the lock it needs first (SQLite's
write lock; the school's row on a server) waits the busy timeout up to three times before the
clerk is told "busy": nothing of the use case has run, so trying again is safe. On a server the
wait is the server's lock_timeout, set per transaction (PgBouncer in transaction mode refuses a
startup ``options`` parameter)."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, select, text

from lehrer_licenses.services.database_init import open_database
from lehrer_licenses.services.errors import DatabaseBusy
from lehrer_licenses.services.licences.seats.holders import add_teacher
from lehrer_licenses.store.database import BEGIN_ATTEMPTS
from lehrer_licenses.store.models import School, Teacher

TIMEOUT_MS = 300


@contextmanager
def lock_held(db, db_path, school: str, release_after: float | None = None):
    """Another program holds what a use case on ``school`` locks first, until the block ends or
    for ``release_after`` seconds."""
    if db.engine.dialect.name == "sqlite":
        holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")
        release = holder.rollback
    else:
        engine = create_engine(db.engine.url.render_as_string(hide_password=False))
        holder = engine.connect()
        holder.execute(select(School.id).where(School.number == school).with_for_update())
        release = holder.rollback
    timer = threading.Timer(release_after, release) if release_after else None
    if timer:
        timer.start()
    try:
        yield
    finally:
        if timer:
            timer.join()
        release()
        holder.close()
        if db.engine.dialect.name != "sqlite":
            engine.dispose()


def teachers(db) -> int:
    with db.reading() as session:
        return len(session.scalars(select(Teacher.id)).all())


def test_a_lock_released_within_the_retries_lets_the_use_case_through(db, db_path, make_school):
    school = make_school()
    quick = open_database(db_path, busy_timeout_ms=TIMEOUT_MS)
    try:
        # longer than one busy timeout, shorter than the three attempts
        with lock_held(db, db_path, school, release_after=TIMEOUT_MS * 1.6 / 1000):
            add_teacher(quick, school, "Anna", "Keller")
    finally:
        quick.dispose()
    assert teachers(db) == 1


def test_a_lock_held_through_every_retry_ends_busy_after_the_bounded_waits(
    db, db_path, make_school
):
    school = make_school()
    quick = open_database(db_path, busy_timeout_ms=TIMEOUT_MS)
    try:
        with lock_held(db, db_path, school):
            started = time.monotonic()
            with pytest.raises(DatabaseBusy, match="busy in another program; try again"):
                add_teacher(quick, school, "Anna", "Keller")
            waited = time.monotonic() - started
    finally:
        quick.dispose()
    # each attempt waited the timeout (so it applies), and the attempts are bounded
    assert BEGIN_ATTEMPTS * TIMEOUT_MS / 1000 * 0.8 <= waited < 4
    assert teachers(db) == 0


def test_the_lock_wait_is_set_in_the_transaction_not_at_startup(db, db_path):
    quick = open_database(db_path, busy_timeout_ms=TIMEOUT_MS)
    try:
        with quick.transaction() as session:
            if quick.engine.dialect.name == "sqlite":
                assert session.execute(text("PRAGMA busy_timeout")).scalar() == TIMEOUT_MS
            else:
                assert session.execute(text("SHOW lock_timeout")).scalar() == f"{TIMEOUT_MS}ms"
                dsn_options = quick.engine.dialect.create_connect_args(quick.engine.url)[1]
                assert "options" not in dsn_options
    finally:
        quick.dispose()
