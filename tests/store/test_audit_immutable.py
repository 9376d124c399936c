"""Audit entries cannot be edited or deleted: the database itself refuses (migration 0004)."""

import pytest
from sqlalchemy import create_engine, delete, exc, select, text, update
from sqlalchemy.pool import NullPool

from lehrer_licenses.store.models import AuditEntry


def test_audit_entries_cannot_be_updated_or_deleted(db, make_school):
    """Through a plain connection of another tool, not the app's: the database refuses."""
    make_school()
    engine = create_engine(db.url, poolclass=NullPool)
    try:
        with engine.connect() as con:
            before = con.execute(text("SELECT * FROM audit_entry ORDER BY id")).fetchall()
            con.rollback()
            assert before, "adding a school writes an audit entry"
            for statement in (
                "UPDATE audit_entry SET actor = 'someone else'",
                "UPDATE audit_entry SET after = '{}' WHERE id = 1",
                "DELETE FROM audit_entry",
                "DELETE FROM audit_entry WHERE id = 1",
            ):
                with pytest.raises(exc.IntegrityError, match="audit entries cannot be changed"):
                    con.execute(text(statement))
                con.rollback()
            after = con.execute(text("SELECT * FROM audit_entry ORDER BY id")).fetchall()
            assert after == before
    finally:
        engine.dispose()


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
