"""Locks a use case takes on what it will change, the same way on both backends.

SQLite writes one transaction at a time (``BEGIN IMMEDIATE``, store/database.py), so a use case
that read something still finds it unchanged when it writes. A server runs transactions side by
side at READ COMMITTED: there a use case locks the rows it will change before reading them, in one
fixed order (the school, then the invoice, then the number counter) so that two use cases never
wait for each other in a circle. The school's row stands for everything of the school (its
contracts, seats, codes, teachers): every change of those locks it first.
"""

from __future__ import annotations

import zlib

from sqlalchemy import Table, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select


def writing(session: Session) -> bool:
    """Whether ``session`` is a use case's transaction (``Database.transaction``)."""
    return bool(session.info.get("writing"))


def for_change(session: Session, query: Select) -> Select:
    """``query`` locking the rows it reads when the session will change them."""
    return query.with_for_update() if writing(session) else query


def serialize(session: Session, name: str) -> None:
    """Make the use cases that take ``name`` run one after the other until this transaction ends
    (for what has no row to lock yet, such as the next school number)."""
    if writing(session) and session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(zlib.crc32(name.encode()))))


def insert_if_missing(session: Session, table: Table, values: dict) -> None:
    """Insert the row unless one with its key exists: two programs creating it at once both go
    on (``ON CONFLICT DO NOTHING``) instead of one failing on the duplicate key."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(table).values(**values).on_conflict_do_nothing())
