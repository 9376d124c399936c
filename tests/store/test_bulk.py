"""store/bulk: rows written at driver speed read back exactly as the ORM writes and reads them
(a SQLite date as SQLAlchemy's text, flags), with the ids reserved for them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select, text

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


def test_a_groups_rows_get_their_ids_at_once_and_are_written_in_foreign_key_order(db, make_school):
    """GroupInserts (the year-end run's groups): a row's id is known when it is added, the rows
    are written at the group's end (a line added before its invoice still finds it), the
    columns' own defaults are filled in, and the ids follow those already in the table."""
    from datetime import date

    from lehrer_licenses.store.models import Invoice, InvoiceLine, School

    number = make_school()
    with db.transaction() as session:
        school = session.scalars(select(School).where(School.number == number)).one()
        before = session.scalar(select(func.max(Invoice.id))) or 0
        group = bulk.GroupInserts(session)
        invoice_columns = {
            "school_id": school.id,
            "currency": "CHF",
            "language": "de",
            "reason": "renewal",
            "invoice_date": date(2026, 12, 1),
            "net": Decimal("10.00"),
            "vat_rate": Decimal("8.1"),
            "vat": Decimal("0.81"),
            "total": Decimal("10.81"),
            "rounding": Decimal("-0.01"),
            "payable": Decimal("10.80"),
            "created_at": datetime(2026, 12, 1, 9),
        }
        first = group.insert(Invoice.__table__, invoice_columns)
        second = group.insert(Invoice.__table__, {**invoice_columns, "reason": "usage"})
        group.insert_many(
            InvoiceLine.__table__,
            [
                {
                    "invoice_id": invoice_id,
                    "position": 1,
                    "code": "SEAT",
                    "description": "Lizenz",
                    "quantity": 1,
                    "unit_price": Decimal("10.00"),
                    "amount": Decimal("10.00"),
                }
                for invoice_id in (first, second)
            ],
        )
        assert session.scalar(select(func.count()).where(Invoice.id.in_([first, second]))) == 0
        group.write()
    assert second == first + 1 and first > before
    with db.reading() as session:
        written = session.scalars(select(Invoice).where(Invoice.id.in_([first, second]))).all()
        assert [(i.id, i.reason, i.kind, i.status, i.payable) for i in written] == [
            (first, "renewal", "invoice", "draft", Decimal("10.80")),
            (second, "usage", "invoice", "draft", Decimal("10.80")),
        ]
        assert [len(i.lines) for i in written] == [1, 1]


def test_a_server_stores_the_pdfs_as_they_are(db):
    """Migration 0016: PostgreSQL no longer tries to compress each PDF (compressed already), which
    cost five times the write of the PDF; SQLite keeps a blob as it is anyway."""
    with db.reading() as session:
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            storage = connection.execute(
                text(
                    "SELECT attstorage FROM pg_attribute "
                    "WHERE attrelid = 'invoice_pdf'::regclass AND attname = 'pdf'"
                )
            ).scalar()
            assert storage == "e"  # EXTERNAL: out of line, uncompressed
        else:
            declared = connection.execute(
                text("SELECT type FROM pragma_table_info('invoice_pdf') WHERE name = 'pdf'")
            ).scalar()
            assert declared == "BLOB"
