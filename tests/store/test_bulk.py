"""store/bulk: rows written at driver speed read back exactly as the ORM writes and reads them
(a SQLite date as SQLAlchemy's text, flags), with the ids reserved for them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, text

from lehrer_licenses.store import bulk
from lehrer_licenses.store.models import AuditEntry


def test_rows_read_back_as_the_orm_writes_them_with_their_reserved_ids(db):
    at = datetime(2026, 12, 6, 13, 20)  # no microseconds: SQLite's text still carries them
    with db.transaction() as session:
        session.add(AuditEntry(at=at, actor="orm", action="x", entity="y", entity_id=1, after="{}"))
        session.flush()
        ids = bulk.reserve_ids(session, AuditEntry.__table__, 2)
        bulk.insert_rows(
            session,
            AuditEntry.__table__,
            ("id", "at", "actor", "action", "entity", "entity_id", "before", "after"),
            [
                (ids[0], at, "bulk", "x", "y", 2, "{}", "{}"),
                (ids[1], at, "bulk", "x", "y", 3, "{}", "{}"),
            ],
        )
    with db.reading() as session:
        rows = session.execute(
            select(AuditEntry.id, AuditEntry.at, AuditEntry.actor).order_by(AuditEntry.id)
        ).all()
        stored = session.scalars(text("SELECT CAST(at AS TEXT) FROM audit_entry ORDER BY id")).all()
    assert [(r.at, r.actor) for r in rows][-3:] == [(at, "orm"), (at, "bulk"), (at, "bulk")]
    assert [r.id for r in rows][-2:] == ids and ids[0] > rows[-3].id
    assert len(set(stored[-3:])) == 1  # the same text, whoever wrote it
    with db.transaction() as session:
        later = bulk.reserve_ids(session, AuditEntry.__table__, 1)
    assert later[0] > ids[1]


def test_a_sqlite_desk_keeps_a_page_cache_for_a_cantons_indexes(tmp_path):
    """SQLite's default 2 MB page cache made every lookup of the 20,000-school year-end read its
    index pages from the operating system again (bench_year_end: 133 -> 115 s)."""
    from lehrer_licenses.store.database import CACHE_KIB, make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'desk.sqlite'}")
    try:
        with engine.connect() as first, engine.connect() as second:
            for connection in (first, second):
                assert connection.execute(text("PRAGMA cache_size")).scalar() == -CACHE_KIB
    finally:
        engine.dispose()
    assert CACHE_KIB >= 64 * 1024
