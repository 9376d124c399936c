"""Audit entries cannot be edited or deleted: the database itself refuses (migration 0004)."""

import sqlite3

import pytest
from sqlalchemy import delete, exc, select, update

from lehrer_licenses.store.models import AuditEntry


def test_audit_entries_cannot_be_updated_or_deleted(db, db_path, make_school):
    make_school()
    con = sqlite3.connect(db_path)
    try:
        before = con.execute("SELECT * FROM audit_entry ORDER BY id").fetchall()
        assert before, "adding a school writes an audit entry"
        for statement in (
            "UPDATE audit_entry SET actor = 'someone else'",
            "UPDATE audit_entry SET after = '{}' WHERE id = 1",
            "DELETE FROM audit_entry",
            "DELETE FROM audit_entry WHERE id = 1",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="audit entries cannot be changed"):
                con.execute(statement)
            con.rollback()
        assert con.execute("SELECT * FROM audit_entry ORDER BY id").fetchall() == before
    finally:
        con.close()


def test_the_app_connection_is_refused_too_and_new_entries_still_go_in(db, make_school):
    make_school()
    with db.reading() as session:
        before = session.scalars(select(AuditEntry.action)).all()
    with (
        pytest.raises(exc.IntegrityError, match="audit entries cannot be changed"),
        db.transaction() as session,
    ):
        session.execute(update(AuditEntry).values(action="edited"))
    with (
        pytest.raises(exc.IntegrityError, match="audit entries cannot be changed"),
        db.transaction() as session,
    ):
        session.execute(delete(AuditEntry))
    make_school("Zweite Schule")
    with db.reading() as session:
        actions = session.scalars(select(AuditEntry.action)).all()
    assert actions == [*before, "school.add"] and before[-1] == "school.add"
