"""The audit trail: every use case writes when, what and before/after in its own transaction."""

from __future__ import annotations

import getpass
import json
import os
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from lehrer_licenses.store.bulk import insert_rows
from lehrer_licenses.store.models import AuditEntry


def current_actor(session: Session | None = None) -> str:
    """The server's login role (``session_user``, which no client can fake by its environment),
    else the operating system's login name (a SQLite file on this computer)."""
    if session is not None:
        conn = session.connection()
        if conn.dialect.name == "postgresql":
            # one login per pooled connection: asked once, kept with the connection
            if "session_user" not in conn.info:
                conn.info["session_user"] = conn.execute(text("SELECT session_user")).scalar()
            return conn.info["session_user"]
    return _os_login(*map(os.environ.get, _LOGIN_VARIABLES))


# What getpass.getuser reads before it asks the password database: the answer is kept per
# value of these, as that lookup costs as much as the rest of an audit entry (a batch run
# writes tens of thousands).
_LOGIN_VARIABLES = ("LOGNAME", "USER", "LNAME", "USERNAME")


@cache
def _os_login(*_environment: str | None) -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some service accounts
        return "unknown"


def _default(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot audit {type(value).__name__}")


# One encoder for every entry: ``json.dumps`` with options builds a new one per call, which was a
# third of a bulk write's audit time.
_ENCODE = json.JSONEncoder(default=_default, ensure_ascii=False, sort_keys=True).encode


class AuditJournal:
    """The audit entries of one step of a batch run, written with one INSERT in the step's
    transaction (``write``) instead of one unit-of-work flush per entry. ``record`` takes it in
    place of a session."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def write(self, session: Session) -> None:
        if self.rows:
            # the entries were made without the session: the server's login is known only now
            actor = current_actor(session)
            for row in self.rows:
                row["actor"] = actor
            session.execute(AuditEntry.__table__.insert(), self.rows)
            self.rows = []


def record(
    session: Session | AuditJournal,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    school_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    actor: str | None = None,
) -> None:
    columns = {
        "at": datetime.now(),
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "school_id": school_id,
        "before": _ENCODE(before or {}),
        "after": _ENCODE(after or {}),
    }
    if isinstance(session, AuditJournal):
        # the columns as such (the journal sets the actor when it writes): an ORM object per
        # entry cost more than the rest of the entry
        session.rows.append({**columns, "actor": actor})
        return
    actor = actor or current_actor(session if isinstance(session, Session) else None)
    session.add(AuditEntry(actor=actor, **columns))


_COLUMNS = ("at", "actor", "action", "entity", "entity_id", "school_id", "before", "after")


def record_many(
    session: Session,
    action: str,
    entity: str,
    entries: list[tuple[int | None, int | None, dict]],
) -> None:
    """``record`` for many entities in one statement (``entries``: entity id, school id, after),
    for the bulk writes that would otherwise pay a round trip per row."""
    if not entries:
        return
    at = datetime.now()
    actor = current_actor(session)
    insert_rows(
        session,
        AuditEntry.__table__,
        _COLUMNS,
        [
            (at, actor, action, entity, entity_id, school_id, "{}", _ENCODE(after))
            for entity_id, school_id, after in entries
        ],
    )
