"""Read queries over the audit trail: one school's latest entries (its detail panel) and the
global audit log of every entry, newest first, filtered and paged in SQL.

The audit trail only grows and the app never edits it, so nothing here writes. The log pages by
key (the last entry's time and id), not by offset: page 50 costs what page 1 costs, and entries
written while the clerk scrolls cannot shift a page and show a row twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.orm import Session

from lehrer_licenses.services.schools import search_condition
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import AuditEntry, Invoice, School

HISTORY_LIMIT = 30
PAGE_SIZE = 200
# The audit writes amounts and days as text (``store.audit``); these keys hold amounts.
AMOUNT_KEYS = frozenset({"net", "payable", "amount", "paid", "fee", "open"})

# A value an entry recorded: amounts as Decimal, days as date, the rest as JSON gave it.
AuditValue = Decimal | date | str | int | float | bool | list | dict | None


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    actor: str
    action: str
    before: dict[str, AuditValue]
    after: dict[str, AuditValue]
    # the invoice (credit note, quote) the entry is about, for lines that name it and its money
    number: str | None = None
    currency: str | None = None


@dataclass(frozen=True)
class AuditRow:
    """One entry of the global log; ``school`` is None for changes not tied to a school
    (catalogue, vendor settings, restores)."""

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    school: str | None
    school_name: str | None
    before: dict[str, AuditValue]
    after: dict[str, AuditValue]
    number: str | None = None
    currency: str | None = None

    @property
    def key(self) -> tuple[datetime, int]:
        """Where the next page starts (``list_audit(after=...)``)."""
        return self.at, self.id


@dataclass(frozen=True)
class AuditFilter:
    """What the audit log view asks for; empty fields do not filter.

    ``text`` matches a school (number or name, any case and accents), who (the login name) or
    what (the action code); ``actions`` adds the action codes whose label in the user's
    language contains the text (the view knows the labels, the database only the codes).
    ``since`` and ``until`` are days, both included.
    """

    text: str = ""
    actions: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None

    @property
    def empty(self) -> bool:
        return not (self.text.strip() or self.since or self.until)


def _typed(key: str, value: AuditValue) -> AuditValue:
    # Text that is not the day or amount it looks like stays text: the trail is shown as written.
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    if key in AMOUNT_KEYS and isinstance(value, str | int | float) and not isinstance(value, bool):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return value
    return value


def _values(text: str) -> dict[str, AuditValue]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {key: _typed(key, v) for key, v in value.items()}


def school_history(
    session: Session, school_id: int, limit: int = HISTORY_LIMIT
) -> list[HistoryRow]:
    """A school's latest audit entries, newest first (inside the caller's reading session)."""
    return [
        HistoryRow(a.at, a.actor, a.action, _values(a.before), _values(a.after), number, currency)
        for a, number, currency in session.execute(
            _with_document(select(AuditEntry, Invoice.number, Invoice.currency))
            .where(AuditEntry.school_id == school_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
    ]


def _with_document(query: Select) -> Select:
    """``query`` joined to the invoice an entry is about (older entries of a payment or a
    reminder recorded only the invoice's id)."""
    return query.outerjoin(
        Invoice, and_(AuditEntry.entity == "invoice", Invoice.id == AuditEntry.entity_id)
    )


def _like(text: str) -> str:
    plain = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{plain}%"


def _where(query: Select, flt: AuditFilter) -> Select:
    text = flt.text.strip()
    if text:
        pattern = _like(text)
        # The schools are matched once, in a subquery, not once per audit entry; as the schools
        # search finds them (the stored folded fields: the same on every backend).
        schools = select(School.id).where(search_condition(text))
        query = query.where(
            or_(
                AuditEntry.school_id.in_(schools.scalar_subquery()),
                # ILIKE: SQLite's LIKE ignores ASCII case, PostgreSQL's does not
                AuditEntry.actor.ilike(pattern, escape="\\"),
                AuditEntry.action.ilike(pattern, escape="\\"),
                AuditEntry.action.in_(flt.actions) if flt.actions else false(),
            )
        )
    if flt.since is not None:
        query = query.where(AuditEntry.at >= datetime.combine(flt.since, time.min))
    if flt.until is not None:
        query = query.where(
            AuditEntry.at < datetime.combine(flt.until + timedelta(days=1), time.min)
        )
    return query


def list_audit(
    db: Database,
    flt: AuditFilter = AuditFilter(),
    after: tuple[datetime, int] | None = None,
    limit: int = PAGE_SIZE,
) -> list[AuditRow]:
    """One page of the audit log, newest first; ``after`` is the ``key`` of the last row of
    the previous page (None for the first page)."""
    query = _where(
        _with_document(
            select(
                AuditEntry, School.number, School.name, Invoice.number, Invoice.currency
            ).outerjoin(School, School.id == AuditEntry.school_id)
        ),
        flt,
    )
    if after is not None:
        at, entry_id = after
        # (at, id) < (last at, last id), spelled out so every database reads it off the
        # index on ``at`` (the id is the row id, the index's tie-breaker in SQLite).
        query = query.where(
            or_(AuditEntry.at < at, and_(AuditEntry.at == at, AuditEntry.id < entry_id))
        )
    query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(max(0, limit))
    with db.reading() as session:
        return [
            AuditRow(
                id=a.id,
                at=a.at,
                actor=a.actor,
                action=a.action,
                entity=a.entity,
                entity_id=a.entity_id,
                school=number,
                school_name=name,
                before=_values(a.before),
                after=_values(a.after),
                number=document,
                currency=currency,
            )
            for a, number, name, document, currency in session.execute(query)
        ]


def count_audit(db: Database, flt: AuditFilter = AuditFilter()) -> int:
    """How many entries the filter finds (a whole scan when it filters: the view counts in the
    background, after the first page is shown)."""
    query = _where(select(func.count(AuditEntry.id)), flt)
    with db.reading() as session:
        return int(session.scalar(query) or 0)
