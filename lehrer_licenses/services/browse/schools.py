"""Read queries of the schools list: one page of schools with their contract, seat and open
invoice figures; paging, sorting and searching happen in SQL.

Every function opens its own reading session and returns plain dataclasses, so a view (or a
worker thread) never holds an ORM object or a session. A page is one SELECT with grouped
subqueries over that page's schools, instead of per-row lazy loads.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from sqlalchemy import Select, and_, bindparam, case, distinct, exists, func, select, type_coerce

# The row and the status codes are the start's light reader's, so the app names them without
# importing SQLAlchemy; they are this module's words as before.
from lehrer_licenses.services.browse.first_page import (
    STATUS_ACTIVE,
    STATUS_ENDING,
    STATUS_LAPSED,
    STATUS_NONE,
    SchoolRow,
)
from lehrer_licenses.services.licences.seats.contracts import ACTIVE
from lehrer_licenses.services.schools import search_condition, search_count
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import (
    MONEY,
    Invoice,
    Payment,
    PlanRow,
    School,
    Seat,
    SeatAssignment,
    Subscription,
)
from lehrer_licenses.store.search_index import first_matches

# Invoices that still wait for money, as billing has it: issued or partly paid (overdue is one
# of these past its due date); the open amount is payable - paid - credited.
OPEN_INVOICE_STATUSES = ("issued", "partly_paid")


# --- schools list -----------------------------------------------------------------------------


# The page's school ids, given when the query runs: the query is then built once per process
# (building it took longer than running it, 40 ms of a 60 ms page).
PAGE_IDS = bindparam("page_ids", expanding=True)


@cache
def _school_list_query(restricted: bool = False) -> tuple[Select, dict]:
    """The list query; ``restricted`` limits the grouped seat and invoice figures to the schools
    of ``PAGE_IDS``, so a page does not aggregate the seats and invoices of every school.
    Built once: callers add their conditions and order to copies (statements are immutable)."""
    # Every grouped subquery is restricted, contracts, payments and credit notes included: SQLite
    # materialises each one whole before the join, and one unrestricted group-by over 60,000
    # invoices' payments made a page of one school cost 65 ms (20,000 schools).
    only = PAGE_IDS if restricted else None
    if only is not None:
        invoices_of_page = select(Invoice.id).where(Invoice.school_id.in_(only))
    active_sub = (
        select(
            Subscription.school_id.label("school_id"),
            func.min(PlanRow.code).label("plan"),
            func.min(Subscription.term_end).label("term_end"),
            func.count(Subscription.ends_on).label("ending"),
        )
        .join(PlanRow, PlanRow.id == Subscription.plan_id)
        .where(
            Subscription.status == ACTIVE,
            *([Subscription.school_id.in_(only)] if only is not None else []),
        )
        .group_by(Subscription.school_id)
        .subquery()
    )
    running_seat = and_(Seat.status == ACTIVE, Subscription.status == ACTIVE)
    seat_counts = (
        select(
            Seat.school_id.label("school_id"),
            func.count(Seat.id).label("seats"),
            func.count(Seat.release_on).label("pending"),
        )
        .join(Subscription, Subscription.id == Seat.subscription_id)
        .where(running_seat, *([Seat.school_id.in_(only)] if only is not None else []))
        .group_by(Seat.school_id)
        .subquery()
    )
    assigned = (
        select(
            Seat.school_id.label("school_id"),
            func.count(SeatAssignment.id).label("assigned"),
        )
        .join(Subscription, Subscription.id == Seat.subscription_id)
        .join(SeatAssignment, SeatAssignment.seat_id == Seat.id)
        .where(
            running_seat,
            SeatAssignment.end_on.is_(None),
            *([Seat.school_id.in_(only)] if only is not None else []),
        )
        .group_by(Seat.school_id)
        .subquery()
    )
    paid = (
        select(Payment.invoice_id.label("invoice_id"), func.sum(Payment.amount).label("paid"))
        .where(*([Payment.invoice_id.in_(invoices_of_page)] if only is not None else []))
        .group_by(Payment.invoice_id)
        .subquery()
    )
    note = Invoice.__table__.alias("credit_note")
    credited = (
        select(
            note.c.credits_invoice_id.label("invoice_id"),
            func.sum(note.c.payable).label("credited"),
        )
        .where(
            note.c.kind == "credit_note",
            *([note.c.credits_invoice_id.in_(invoices_of_page)] if only is not None else []),
        )
        .group_by(note.c.credits_invoice_id)
        .subquery()
    )
    # Scaled integers in SQL; the type turns the sum back into a Decimal.
    open_amount = type_coerce(
        Invoice.payable - func.coalesce(paid.c.paid, 0) - func.coalesce(credited.c.credited, 0),
        MONEY,
    )
    open_invoices = (
        select(
            Invoice.school_id.label("school_id"),
            func.sum(open_amount).label("open_total"),
            func.min(Invoice.currency).label("currency"),
            func.count(distinct(Invoice.currency)).label("currencies"),
        )
        .outerjoin(paid, paid.c.invoice_id == Invoice.id)
        .outerjoin(credited, credited.c.invoice_id == Invoice.id)
        .where(
            Invoice.kind == "invoice",
            Invoice.status.in_(OPEN_INVOICE_STATUSES),
            *([Invoice.school_id.in_(only)] if only is not None else []),
        )
        .group_by(Invoice.school_id)
        .subquery()
    )
    ever_subscribed = exists(select(Subscription.id).where(Subscription.school_id == School.id))
    status = case(
        (
            active_sub.c.school_id.is_not(None),
            case((active_sub.c.ending > 0, STATUS_ENDING), else_=STATUS_ACTIVE),
        ),
        (ever_subscribed, STATUS_LAPSED),
        else_=STATUS_NONE,
    )
    seats = func.coalesce(seat_counts.c.seats, 0)
    open_total = func.coalesce(open_invoices.c.open_total, 0)
    query = (
        select(
            School.id,
            School.number,
            School.name,
            School.postcode,
            School.city,
            School.country,
            School.language,
            status.label("status"),
            active_sub.c.plan,
            active_sub.c.term_end,
            seats.label("seats"),
            func.coalesce(assigned.c.assigned, 0).label("assigned"),
            func.coalesce(seat_counts.c.pending, 0).label("pending"),
            open_invoices.c.open_total,
            open_invoices.c.currency,
            func.coalesce(open_invoices.c.currencies, 0).label("currencies"),
        )
        .outerjoin(active_sub, active_sub.c.school_id == School.id)
        .outerjoin(seat_counts, seat_counts.c.school_id == School.id)
        .outerjoin(assigned, assigned.c.school_id == School.id)
        .outerjoin(open_invoices, open_invoices.c.school_id == School.id)
    )
    sort_columns = {
        "number": School.number,
        "name": func.lower(School.name),
        "city": func.lower(School.city),
        "postcode": School.postcode,
        "country": School.country,
        "status": status,
        "plan": active_sub.c.plan,
        "term_end": active_sub.c.term_end,
        "seats": seats,
        "free": seats - func.coalesce(assigned.c.assigned, 0),
        "open_total": open_total,
    }
    return query, sort_columns


SCHOOL_SORT_KEYS = (
    "number",
    "name",
    "postcode",
    "city",
    "country",
    "status",
    "plan",
    "term_end",
    "seats",
    "free",
    "open_total",
)


# A search's page in a school column's order: fewer matches than this are all found through the
# search index and sorted; from this many on, the page is found by walking the order's index
# (store/search_index.py). At 200,000 schools, walking past every school costs SQLite 30-40 ms
# and sorting a thousand matches 5-15 ms (each is looked up); PostgreSQL walks slower (100 ms
# past every school, 270 ms for the matches of "zurich" in the order of the cities) and reads
# the matches of its trigram index faster. The walk, when it must go far, goes far only for a
# search that matches many schools, and those are rarely all in one stretch of the order.
FEW = {"sqlite": 1000, "postgresql": 10000}
FEW_ELSEWHERE = 1000


# Sort keys that are columns of the school table (the page can be found before aggregating).
SCHOOL_COLUMN_KEYS = ("number", "name", "postcode", "city", "country")
# Those with an index in list order (search_index.ORDER_INDEXES).
ORDER_INDEXED_KEYS = ("number", "name", "city")


def _school_columns() -> dict:
    return {
        "number": School.number,
        "name": func.lower(School.name),
        "city": func.lower(School.city),
        "postcode": School.postcode,
        "country": School.country,
    }


def _column_order(sort_key: str, descending: bool) -> tuple:
    """ORDER BY of a school column, the number breaking ties. These columns are never NULL, so
    no NULLS LAST: PostgreSQL walks an index backwards only in the order DESC NULLS FIRST."""
    column = _school_columns()[sort_key]
    # The number is unique: ordering by it twice made SQLite sort each run of equal numbers.
    columns = (column,) if sort_key == "number" else (column, School.number)
    return tuple(c.desc() if descending else c.asc() for c in columns)


def _school_row(r) -> SchoolRow:
    mixed = (r.currencies or 0) > 1
    return SchoolRow(
        id=r.id,
        number=r.number,
        name=r.name,
        postcode=r.postcode,
        city=r.city,
        country=r.country,
        language=r.language,
        status=r.status,
        plan=r.plan,
        term_end=r.term_end,
        seats=int(r.seats),
        seats_assigned=int(r.assigned),
        seats_cancel_pending=int(r.pending),
        open_total=r.open_total if r.open_total is not None else Decimal("0.00"),
        open_currency=None if mixed else r.currency,
        open_mixed_currencies=mixed,
    )


def count_schools(db: Database, search: str = "") -> int:
    query = select(func.count(School.id))
    if search.strip():
        query = select(search_count(search))
    with db.reading() as session:
        return int(session.scalar(query) or 0)


def list_schools(
    db: Database,
    search: str = "",
    offset: int = 0,
    limit: int = 200,
    sort_key: str = "number",
    descending: bool = False,
    ids: list[int] | None = None,
) -> list[SchoolRow]:
    """One page of schools with their contract figures. ``ids``: the page's schools, already
    found (and ordered) by ``school_ids``; ``search`` and ``offset`` are then not applied again.
    A page never waits for the count of the matches (``count_schools``)."""
    if sort_key not in SCHOOL_SORT_KEYS:
        # A programming error (the views pass fixed keys), so not a translated DomainError.
        raise ValueError(f"cannot sort schools by {sort_key!r}")
    # Empty values (no contract, no term end) go last either way; the school number makes the
    # order total, which offset paging needs to neither skip nor repeat a row.
    tie = School.number.desc() if descending else School.number.asc()
    with db.reading() as session:
        only = list(ids) if ids is not None else None
        if only is not None and not only:
            return []
        if only is None and sort_key in SCHOOL_COLUMN_KEYS:
            # Sorted by a column of the school itself: find the page's schools first, then
            # aggregate seats and invoices for those 200 only (20,000 schools: 0.8 s -> 20 ms).
            only = _page_ids(session, search, sort_key, descending, offset, limit)
            if not only:
                return []
        query, sort_columns = _school_list_query(only is not None)
        if only is not None:
            # The page's schools are known and in order: an ORDER BY here made SQLite walk the
            # whole number index to avoid sorting 200 rows.
            query = query.where(School.id.in_(PAGE_IDS))
            position = {school_id: i for i, school_id in enumerate(only)}
            rows = session.execute(query, {"page_ids": only})
            return sorted((_school_row(r) for r in rows), key=lambda row: position[row.id])
        if search.strip():
            query = query.where(search_condition(search))
        column = sort_columns[sort_key]
        ordered = column.desc() if descending else column.asc()
        query = query.order_by(ordered.nulls_last(), tie)
        query = query.offset(max(0, offset)).limit(max(0, limit))
        return [_school_row(r) for r in session.execute(query)]


def _page_ids(session, search: str, sort_key: str, descending: bool, offset: int, limit: int):
    """The ids of one page of schools in a school column's order (see ``FEW``)."""
    order = _column_order(sort_key, descending)
    if not search.strip():
        return _paged(session, select(School.id).order_by(*order), offset, limit)
    dialect = session.get_bind().dialect.name
    few = FEW.get(dialect, FEW_ELSEWHERE)
    probe = first_matches(School.id, School.search_text, search, few, dialect).subquery()
    found = session.scalar(select(func.count()).select_from(probe))
    if not found:
        return []
    if found < few or sort_key not in ORDER_INDEXED_KEYS:
        # Few matches (or no order index): sort them all. MATERIALIZED, so that neither
        # database walks the order's index past every school looking for a handful (SQLite
        # did, for a search that found one school among 200,000: 40-120 ms).
        keys = [c.element.label(f"k{i}") for i, c in enumerate(order)]
        matches = (
            select(School.id, *keys)
            .where(search_condition(search))
            .cte("matches")
            .prefix_with("MATERIALIZED")
        )
        resorted = [
            matches.c[f"k{i}"].desc() if descending else matches.c[f"k{i}"].asc()
            for i in range(len(keys))
        ]
        return _paged(session, select(matches.c.id).order_by(*resorted), offset, limit)
    walked = select(School.id).where(search_condition(search, as_filter=True))
    return _paged(session, walked.order_by(*order), offset, limit)


def _paged(session, query, offset: int, limit: int) -> list[int]:
    return list(session.scalars(query.offset(max(0, offset)).limit(max(0, limit))))


def school_ids(
    db: Database, search: str, sort_key: str = "number", descending: bool = False
) -> list[int]:
    """Every school matching ``search``, in list order, in one scan: its length is the count
    and its slices are the pages (a search then folds the names once, not once per query)."""
    if sort_key not in SCHOOL_COLUMN_KEYS:
        raise ValueError(f"school_ids sorts by a school column, not {sort_key!r}")
    query = select(School.id).order_by(*_column_order(sort_key, descending))
    if search.strip():
        query = query.where(search_condition(search))
    with db.reading() as session:
        return list(session.scalars(query))


def school_row(db: Database, number: str) -> SchoolRow | None:
    """The list row of one school (dialogs use it to show whom they act on)."""
    with db.reading() as session:
        school_id = session.scalar(select(School.id).where(School.number == str(number).strip()))
        if school_id is None:
            return None
        query, _sort = _school_list_query(restricted=True)
        query = query.where(School.id.in_(PAGE_IDS))
        row = session.execute(query, {"page_ids": [school_id]}).first()
        return _school_row(row) if row else None
