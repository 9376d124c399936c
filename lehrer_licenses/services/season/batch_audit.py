"""The audit entries of one step of a batch run, written with one INSERT.

``store.audit.record`` makes each entry and hands it to ``add``, as it would to a session; the
journal keeps its columns and ``write`` inserts them all at once in the step's transaction,
instead of one unit-of-work flush per entry.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from lehrer_licenses.store.audit import current_actor
from lehrer_licenses.store.models import AuditEntry

_TABLE = AuditEntry.__table__
_COLUMNS = tuple(column.key for column in _TABLE.columns if column.key != "id")
_INSERT = _TABLE.insert()


class AuditJournal:
    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, entry: AuditEntry) -> None:
        self.rows.append({column: getattr(entry, column) for column in _COLUMNS})

    def write(self, session: Session) -> None:
        if self.rows:
            # the entries were made without the session: the server's login is known only now
            actor = current_actor(session)
            for row in self.rows:
                row["actor"] = actor
            session.execute(_INSERT, self.rows)
            self.rows = []
