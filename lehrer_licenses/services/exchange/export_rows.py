"""The rows of each export, read in the caller's session (one read transaction, one snapshot).

Column layouts (the header names are stable, whatever the UI language, so that an accountant's
import mapping keeps working):

invoices   one row per issued invoice and credit note (drafts and quotes are not bookkeeping
           documents): number, kind, date, due_date, school, school_name, currency, net,
           vat_rate, vat, total, rounding, payable, paid, credited, open, status, reference,
           credits_invoice. Credit notes carry negative amounts, so a column's sum is the
           period's balance; open = payable - paid - credited (negative: overpaid).
vat_rates  one row per currency, VAT rate and kind over the same documents (for the VAT
           return): currency, vat_rate, kind, documents, net, vat, total.
payments   date, invoice, school, school_name, amount, currency, reference.
schools    number, name, street, house_number, postcode, city, country, language, email,
           vat_id, leitweg_id, db_hosting, canton_licence (1/0), created_on, note.
seats      every running seat (as the seats view lists them): school, school_name, plan, seat,
           state (free, held, frozen, pending), teacher_id, teacher, teacher_email, since (the
           holder's since), acquired_on, runs_until (a cancelled seat's last day).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from lehrer_licenses.services.browse.invoices import (
    CREDIT_NOTE,
    INVOICE,
    ZERO,
    display_status,
)
from lehrer_licenses.services.browse.seats import SeatListRow
from lehrer_licenses.services.exchange.export_writers import DATE, INTEGER, MONEY, RATE, Column
from lehrer_licenses.services.licences.seats.contracts import ACTIVE
from lehrer_licenses.store.models import (
    Invoice,
    Payment,
    PlanRow,
    School,
    Seat,
    SeatAssignment,
    Subscription,
    Teacher,
)

INVOICES, VAT_RATES, PAYMENTS, SCHOOLS, SEATS = (
    "invoices",
    "vat_rates",
    "payments",
    "schools",
    "seats",
)
KINDS = (INVOICES, VAT_RATES, PAYMENTS, SCHOOLS, SEATS)
DATED = (INVOICES, VAT_RATES, PAYMENTS)  # the kinds a date range filters


@dataclass
class Table:
    title: str
    columns: Sequence[Column]
    count: int  # rows to come (for progress)
    rows: Iterator[Sequence]


INVOICE_COLUMNS = (
    Column("number", width=14),
    Column("kind", width=12),
    Column("date", DATE, 11),
    Column("due_date", DATE, 11),
    Column("school", width=9),
    Column("school_name", width=36),
    Column("currency", width=8),
    Column("net", MONEY, 12),
    Column("vat_rate", RATE, 8),
    Column("vat", MONEY, 10),
    Column("total", MONEY, 12),
    Column("rounding", MONEY, 9),
    Column("payable", MONEY, 12),
    Column("paid", MONEY, 12),
    Column("credited", MONEY, 12),
    Column("open", MONEY, 12),
    Column("status", width=12),
    Column("reference", width=30),
    Column("credits_invoice", width=14),
)
VAT_COLUMNS = (
    Column("currency", width=8),
    Column("vat_rate", RATE, 8),
    Column("kind", width=12),
    Column("documents", INTEGER, 10),
    Column("net", MONEY, 14),
    Column("vat", MONEY, 12),
    Column("total", MONEY, 14),
)
PAYMENT_COLUMNS = (
    Column("date", DATE, 11),
    Column("invoice", width=14),
    Column("school", width=9),
    Column("school_name", width=36),
    Column("amount", MONEY, 12),
    Column("currency", width=8),
    Column("reference", width=30),
)
SCHOOL_COLUMNS = (
    Column("number", width=9),
    Column("name", width=36),
    Column("street", width=24),
    Column("house_number", width=8),
    Column("postcode", width=9),
    Column("city", width=18),
    Column("country", width=7),
    Column("language", width=8),
    Column("email", width=28),
    Column("vat_id", width=20),
    Column("leitweg_id", width=20),
    Column("db_hosting", INTEGER, 10),
    Column("canton_licence", INTEGER, 10),
    Column("created_on", DATE, 11),
    Column("note", width=30),
)
SEAT_COLUMNS = (
    Column("school", width=9),
    Column("school_name", width=36),
    Column("plan", width=12),
    Column("seat", INTEGER, 6),
    Column("state", width=9),
    Column("teacher_id", INTEGER, 10),
    Column("teacher", width=28),
    Column("teacher_email", width=28),
    Column("since", DATE, 11),
    Column("acquired_on", DATE, 11),
    Column("runs_until", DATE, 11),
)


def _signed(sign: Decimal, value: Decimal) -> Decimal:
    """A credit note's amount negated; zero stays 0.00, never -0.00."""
    return sign * value if value else ZERO


def _documents(query: Select, start: date | None, end: date | None) -> Select:
    """Issued invoices and credit notes (numbered), dated within the range (both included)."""
    query = query.where(Invoice.kind.in_((INVOICE, CREDIT_NOTE)), Invoice.number.is_not(None))
    if start is not None:
        query = query.where(Invoice.invoice_date >= start)
    if end is not None:
        query = query.where(Invoice.invoice_date <= end)
    return query


def invoices(session: Session, start: date | None, end: date | None, today: date) -> Table:
    paid = (
        select(Payment.invoice_id, func.sum(Payment.amount).label("paid"))
        .group_by(Payment.invoice_id)
        .subquery()
    )
    note = Invoice.__table__.alias("note")
    credited = (
        select(note.c.credits_invoice_id.label("invoice_id"), func.sum(note.c.payable).label("cr"))
        .where(note.c.kind == CREDIT_NOTE)
        .group_by(note.c.credits_invoice_id)
        .subquery()
    )
    corrected = Invoice.__table__.alias("corrected")
    count = session.scalar(_documents(select(func.count(Invoice.id)), start, end)) or 0
    query = _documents(
        select(
            Invoice.number,
            Invoice.kind,
            Invoice.status,
            Invoice.invoice_date,
            Invoice.due_date,
            School.number.label("school"),
            School.name.label("school_name"),
            Invoice.currency,
            Invoice.net,
            Invoice.vat_rate,
            Invoice.vat,
            Invoice.total,
            Invoice.rounding,
            Invoice.payable,
            Invoice.reference,
            paid.c.paid,
            credited.c.cr,
            corrected.c.number.label("corrects"),
        )
        .join(School, School.id == Invoice.school_id)
        .outerjoin(paid, paid.c.invoice_id == Invoice.id)
        .outerjoin(credited, credited.c.invoice_id == Invoice.id)
        .outerjoin(corrected, corrected.c.id == Invoice.credits_invoice_id),
        start,
        end,
    ).order_by(Invoice.invoice_date, Invoice.number, Invoice.id)

    def rows() -> Iterator[Sequence]:
        for inv in session.execute(query):  # plain columns: no ORM objects for 100,000 rows
            if inv.kind == INVOICE:
                sign = Decimal(1)
                paid_amount = inv.paid if inv.paid is not None else ZERO
                credited_amount = inv.cr if inv.cr is not None else ZERO
                open_amount = inv.payable - paid_amount - credited_amount
                status = display_status(inv.status, inv.due_date, open_amount, today)
            else:  # a credit note lowers the balance; it is neither paid nor open
                sign = Decimal(-1)
                paid_amount = credited_amount = open_amount = ZERO
                status = inv.status
            yield (
                inv.number,
                inv.kind,
                inv.invoice_date,
                inv.due_date,
                inv.school,
                inv.school_name,
                inv.currency,
                _signed(sign, inv.net),
                inv.vat_rate,
                _signed(sign, inv.vat),
                _signed(sign, inv.total),
                _signed(sign, inv.rounding),
                _signed(sign, inv.payable),
                paid_amount,
                credited_amount,
                open_amount,
                status,
                inv.reference,
                inv.corrects,
            )

    return Table(INVOICES, INVOICE_COLUMNS, count, rows())


def vat_rates(session: Session, start: date | None, end: date | None, _today: date) -> Table:
    query = _documents(
        select(
            Invoice.currency,
            Invoice.vat_rate,
            Invoice.kind,
            func.count(Invoice.id),
            func.sum(Invoice.net),
            func.sum(Invoice.vat),
            func.sum(Invoice.total),
        ),
        start,
        end,
    ).group_by(Invoice.currency, Invoice.vat_rate, Invoice.kind)
    found = []
    for currency, rate, kind, documents, net, vat, total in session.execute(query):
        sign = Decimal(-1) if kind == CREDIT_NOTE else Decimal(1)
        sums = (_signed(sign, value if value is not None else ZERO) for value in (net, vat, total))
        found.append((currency, rate, kind, documents, *sums))
    order = {INVOICE: 0, CREDIT_NOTE: 1}
    found.sort(key=lambda r: (r[0], r[1], order.get(r[2], 2)))
    return Table(VAT_RATES, VAT_COLUMNS, len(found), iter(found))


def payments(session: Session, start: date | None, end: date | None, _today: date) -> Table:
    where = []
    if start is not None:
        where.append(Payment.paid_on >= start)
    if end is not None:
        where.append(Payment.paid_on <= end)
    count = session.scalar(select(func.count(Payment.id)).where(*where)) or 0
    query = (
        select(
            Payment.paid_on,
            Invoice.number,
            School.number,
            School.name,
            Payment.amount,
            Payment.currency,
            Payment.reference,
        )
        .join(Invoice, Invoice.id == Payment.invoice_id)
        .join(School, School.id == Payment.school_id)
        .where(*where)
        .order_by(Payment.paid_on, Payment.id)
    )
    return Table(PAYMENTS, PAYMENT_COLUMNS, count, iter(session.execute(query)))


def schools(session: Session, _start: date | None, _end: date | None, _today: date) -> Table:
    count = session.scalar(select(func.count(School.id))) or 0
    query = select(
        School.number,
        School.name,
        School.street,
        School.house_number,
        School.postcode,
        School.city,
        School.country,
        School.language,
        School.email,
        School.vat_id,
        School.leitweg_id,
        School.db_hosting,
        School.canton_licence,
        School.created_at,
        School.note,
    ).order_by(School.id)  # school numbers grow with the id
    return Table(SCHOOLS, SCHOOL_COLUMNS, count, iter(session.execute(query)))


def seats(session: Session, _start: date | None, _end: date | None, _today: date) -> Table:
    holder = SeatAssignment.__table__.alias("holder")
    running = and_(Seat.status == ACTIVE, Subscription.status == ACTIVE)
    base = select(func.count(Seat.id)).join(Subscription, Subscription.id == Seat.subscription_id)
    count = session.scalar(base.where(running)) or 0
    query = (
        select(
            School.number,
            School.name,
            PlanRow.code,
            Seat.id,
            Seat.position,
            Seat.acquired_on,
            Seat.release_on,
            holder.c.teacher_id,
            holder.c.start_on,
            Teacher.first_name,
            Teacher.last_name,
            Teacher.email,
            Teacher.frozen,
        )
        .select_from(Seat)
        .join(Subscription, Subscription.id == Seat.subscription_id)
        .join(PlanRow, PlanRow.id == Subscription.plan_id)
        .join(School, School.id == Seat.school_id)
        .outerjoin(holder, and_(holder.c.seat_id == Seat.id, holder.c.end_on.is_(None)))
        .outerjoin(Teacher, Teacher.id == holder.c.teacher_id)
        .where(running)
        .order_by(Seat.school_id, Seat.position, Seat.id)
    )

    def rows() -> Iterator[Sequence]:
        for r in session.execute(query):
            name = f"{r.first_name or ''} {r.last_name or ''}".strip() or None
            # The seats view's own rule for the state (browse_seats.SeatListRow.state).
            state = SeatListRow(
                seat_id=r.id,
                school=r[0],
                school_name=r[1],
                position=r.position,
                acquired_on=r.acquired_on,
                release_on=r.release_on,
                teacher_id=r.teacher_id,
                holder=name,
                holder_since=r.start_on,
                frozen=bool(r.frozen),
                plan=r.code,
            ).state
            yield (
                r[0],
                r[1],
                r.code,
                r.position,
                state,
                r.teacher_id,
                name,
                r.email,
                r.start_on,
                r.acquired_on,
                r.release_on,
            )

    return Table(SEATS, SEAT_COLUMNS, count, rows())


LAYOUTS = {
    INVOICES: INVOICE_COLUMNS,
    VAT_RATES: VAT_COLUMNS,
    PAYMENTS: PAYMENT_COLUMNS,
    SCHOOLS: SCHOOL_COLUMNS,
    SEATS: SEAT_COLUMNS,
}
READERS = {
    INVOICES: invoices,
    VAT_RATES: vat_rates,
    PAYMENTS: payments,
    SCHOOLS: schools,
    SEATS: seats,
}
