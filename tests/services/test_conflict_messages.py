"""What another program holding or changing the same rows does to a use case, on SQLite and on a
PostgreSQL server: it waits, and after the busy timeout, or on a conflict it cannot wait out (a
deadlock, a duplicate the other wrote first), ends with one line for the clerk and nothing written.
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import create_engine, func, select, text
from support.concurrency import backends, desk

from lehrer_licenses.cli.main import main
from lehrer_licenses.services.database_init import open_database
from lehrer_licenses.services.errors import ConcurrentChange
from lehrer_licenses.services.schools import SchoolInput, add_school, insert_school
from lehrer_licenses.store.models import School, Subscription

BUSY = "lehrer-licenses: the database is busy in another program; try again\n"
CHANGED = "the data was changed by someone else at the same time; nothing was saved, try again"


def _school(db, name: str) -> str:
    return add_school(db, SchoolInput(name=name, country="CH", language="de"))


def _hold_school(db_arg: str, number: str):
    """Another program in the middle of changing the school: a connection holding its lock
    (SQLite: the write lock of the file). Returns what releases it."""
    if "://" not in db_arg:
        con = sqlite3.connect(db_arg, isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        con.execute("UPDATE school SET note = 'busy' WHERE number = ?", (number,))
        return lambda: (con.rollback(), con.close())
    engine = create_engine(db_arg)
    conn = engine.connect()
    conn.execute(text("SELECT id FROM school WHERE number = :n FOR UPDATE"), {"n": number})
    return lambda: (conn.rollback(), conn.close(), engine.dispose())


@pytest.mark.slow  # waits out the busy timeout (5 s)
@pytest.mark.parametrize("backend", backends())
def test_an_order_on_a_school_held_elsewhere_ends_busy_in_one_line(backend, tmp_path, capsys):
    with desk(backend, tmp_path) as db_arg:
        db = open_database(db_arg)
        number = _school(db, "Schule Aesch")
        release = _hold_school(db_arg, number)
        try:
            started = time.monotonic()
            code = main(["--db", db_arg, "order", number, "--seats", "2", "--date", "2026-03-02"])
            waited = time.monotonic() - started
        finally:
            release()
        out, err = capsys.readouterr()
        assert (code, out, err) == (2, "", BUSY)
        assert waited >= 4.5  # it waited for the other program before giving up
        with db.reading() as session:
            assert session.scalar(select(func.count()).select_from(Subscription)) == 0
        # once the other program is done, the same order goes through
        assert main(["--db", db_arg, "order", number, "--seats", "2", "--date", "2026-03-02"]) == 0
        db.dispose()


@pytest.mark.parametrize("backend", backends())
def test_a_duplicate_written_first_by_another_program_ends_in_the_message(backend, tmp_path):
    with desk(backend, tmp_path) as db_arg:
        db = open_database(db_arg)
        taken = _school(db, "Schule Aesch")
        with pytest.raises(ConcurrentChange) as refused, db.transaction() as session:
            data = SchoolInput(name="Schule Reinach", country="CH", language="de")
            insert_school(session, data, number=taken)
        assert str(refused.value) == CHANGED
        with db.reading() as session:
            assert session.scalars(select(School.name)).all() == ["Schule Aesch"]
        db.dispose()


@pytest.mark.slow  # the server looks for deadlocks after a second of waiting
@pytest.mark.parametrize("backend", backends())
def test_two_use_cases_locking_in_opposite_order_never_hang(backend, tmp_path):
    """A deadlock: on a server the two wait for each other and the server ends one of them,
    which says so, while the other goes through; SQLite lets one write after the other."""
    server = backend == "postgresql"
    with desk(backend, tmp_path) as db_arg:
        db = open_database(db_arg)
        first, second = _school(db, "Schule Aesch"), _school(db, "Schule Reinach")
        both_locked_one = threading.Barrier(2)
        errors: list[Exception] = []

        def lock(numbers: tuple[str, str]) -> None:
            try:
                with db.transaction() as session:
                    for n, number in enumerate(numbers):
                        session.execute(
                            select(School).where(School.number == number).with_for_update()
                        )
                        if n == 0 and server:  # SQLite: the other is still waiting to begin
                            both_locked_one.wait(timeout=10)
                    session.execute(text("UPDATE school SET note = 'x'"))
            except Exception as exc:  # asserted below
                errors.append(exc)

        threads = [
            threading.Thread(target=lock, args=(pair,))
            for pair in ((first, second), (second, first))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert [str(e) for e in errors] == ([CHANGED] if server else [])
        assert all(isinstance(e, ConcurrentChange) for e in errors)
        with db.reading() as session:
            assert session.scalars(select(School.note)).all() == ["x", "x"]
        db.dispose()
