"""Migration 0011: active seats with a number their contract already holds (the old reorder
numbered from "held + 1") get the contract's next unused numbers, with an audit entry each, and
the database then refuses a duplicate; the teachers' names are folded into teacher.search_text."""

import json
import sqlite3

import pytest
from support.old_fixtures import migrated_copy

pytestmark = pytest.mark.sqlite_only(reason="starts from the SQLite fixture of revision 0009")


def test_0011_renumbers_the_later_duplicates_and_then_refuses_one(tmp_path):
    # The reviewer's contract: seat 1 given up, seats 2 and 3 held, a reorder wrote 3 again;
    # a second reorder then wrote 3 and 4 (held + 1 = 4 after the first).
    path = migrated_copy(
        tmp_path,
        "0009",
        "UPDATE seat SET status = 'released', released_on = '2026-12-31' WHERE id = 1",
        *(
            "INSERT INTO seat (id, school_id, subscription_id, position, status, acquired_on) "
            f"VALUES ({seat_id}, 1, 1, {position}, 'active', '2027-02-01')"
            for seat_id, position in ((4, 3), (5, 3), (6, 4))
        ),
    )

    con = sqlite3.connect(path)
    try:
        seats = con.execute("SELECT id, position, status FROM seat ORDER BY id").fetchall()
        assert seats == [
            (1, 1, "released"),
            (2, 2, "active"),
            (3, 3, "active"),
            (4, 5, "active"),
            (5, 6, "active"),
            (6, 4, "active"),
        ]
        entries = con.execute(
            "SELECT entity_id, school_id, before, after FROM audit_entry "
            "WHERE action = 'seat.renumber' ORDER BY id"
        ).fetchall()
        assert [
            (e[0], e[1], json.loads(e[2])["seat"], json.loads(e[3])["seat"]) for e in entries
        ] == [
            (4, 1, 3, 5),
            (5, 1, 3, 6),
        ]
        # the teachers' names folded for the search, as the app writes them
        assert con.execute("SELECT id, search_text FROM teacher ORDER BY id").fetchall() == [
            (1, "anna keller"),
            (2, "lukasz zolc"),
            (3, "beat admin"),
            (4, "chantal muller"),
        ]
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            con.execute(
                "INSERT INTO seat (school_id, subscription_id, position, status, acquired_on) "
                "VALUES (1, 1, 2, 'active', '2027-03-01')"
            )
        # a number given up may sit beside an active seat of the same number (history stays)
        con.execute(
            "INSERT INTO seat (school_id, subscription_id, position, status, acquired_on) "
            "VALUES (1, 1, 2, 'released', '2027-03-01')"
        )
    finally:
        con.close()
