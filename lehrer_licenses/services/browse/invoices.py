"""Read queries of the invoices view: invoices, credit notes and quotes with what is paid,
credited and still open, filtered by the status a clerk works by; paging and sorting in SQL.

"Open" follows billing: an issued or partly paid invoice, open amount = payable - paid -
credited; "overdue" is derived from the due date (``billing.display_status``), never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, and_, func, or_, select, type_coerce

from lehrer_licenses.services.schools import search_condition
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import MONEY, Invoice, Payment, School

# billing's names (tests/services/test_browse_invoices.py keeps them equal). Not imported from
# services.billing.lifecycle: that pulls in the PDF renderers (reportlab, qrbill), a quarter of a
# second
# of the desktop app's start, for five strings.
INVOICE, CREDIT_NOTE, QUOTE = "invoice", "credit_note", "quote"
DRAFT, ISSUED, PARTLY_PAID, PAID, CREDITED, OVERDUE = (
    "draft",
    "issued",
    "partly_paid",
    "paid",
    "credited",
    "overdue",
)
ZERO = Decimal("0.00")
OPEN = "open"


def display_status(status: str, due: date | None, open_amount: Decimal, today: date) -> str:
    """As ``billing.display_status``: an open invoice past its due date is overdue."""
    if status in (ISSUED, PARTLY_PAID) and due is not None and due < today and open_amount > 0:
        return OVERDUE
    return status


# The status filter of the view: stored statuses, the derived ones, and the other kinds.
FILTERS = (DRAFT, OPEN, OVERDUE, PARTLY_PAID, PAID, CREDITED, CREDIT_NOTE, QUOTE)
SORT_KEYS = ("date", "number", "school", "status", "reason", "net", "vat", "payable", "open")


@dataclass(frozen=True)
class InvoiceListRow:
    id: int
    number: str | None
    kind: str
    status: str  # as shown: "overdue" when an open invoice is past its due date
    reason: str
    school: str
    school_name: str
    invoice_date: date
    due_date: date | None
    currency: str
    net: Decimal
    vat: Decimal
    payable: Decimal
    paid: Decimal
    credited: Decimal
    credits_invoice_id: int | None

    @property
    def open(self) -> Decimal:
        if self.kind != INVOICE or self.status in (DRAFT, CREDITED):
            return ZERO
        return max(ZERO, self.payable - self.paid - self.credited)


def _paid():
    total = select(func.coalesce(func.sum(Payment.amount), 0)).where(
        Payment.invoice_id == Invoice.id
    )
    return type_coerce(total.correlate(Invoice).scalar_subquery(), MONEY)


def _credited():
    note = Invoice.__table__.alias("note")
    total = select(func.coalesce(func.sum(note.c.payable), 0)).where(
        note.c.credits_invoice_id == Invoice.id, note.c.kind == CREDIT_NOTE
    )
    return type_coerce(total.correlate(Invoice).scalar_subquery(), MONEY)


def _query(columns, search: str, status: str | None, today: date) -> Select:
    query = select(*columns).join(School, School.id == Invoice.school_id)
    text = search.strip()
    if text:
        pattern = f"%{text}%"
        query = query.where(
            or_(
                Invoice.number.ilike(pattern),  # any case, as SQLite's LIKE on both backends
                # the school as the schools search finds it (folded on every backend)
                search_condition(text),
            )
        )
    is_open = and_(Invoice.kind == INVOICE, Invoice.status.in_((ISSUED, PARTLY_PAID)))
    if not status:
        return query
    if status == OPEN:
        return query.where(is_open)
    if status == OVERDUE:
        return query.where(is_open, Invoice.due_date < today)
    if status in (CREDIT_NOTE, QUOTE):
        return query.where(Invoice.kind == status)
    if status in (DRAFT, PARTLY_PAID, PAID, CREDITED, ISSUED):
        return query.where(Invoice.kind == INVOICE, Invoice.status == status)
    raise ValueError(f"unknown invoice filter {status!r}")


def count_invoices(
    db: Database, search: str = "", status: str | None = None, today: date | None = None
) -> int:
    query = _query([func.count(Invoice.id)], search, status, today or date.today())
    with db.reading() as session:
        return int(session.scalar(query) or 0)


def list_invoices(
    db: Database,
    search: str = "",
    status: str | None = None,
    offset: int = 0,
    limit: int = 200,
    sort_key: str = "date",
    descending: bool = True,
    today: date | None = None,
) -> list[InvoiceListRow]:
    if sort_key not in SORT_KEYS:
        raise ValueError(f"cannot sort invoices by {sort_key!r}")
    today = today or date.today()
    paid, credited = _paid(), _credited()
    columns = [Invoice, School.number, School.name, paid.label("paid"), credited.label("cr")]
    column = {
        "date": Invoice.invoice_date,
        "number": Invoice.number,
        "school": func.lower(School.name),
        "status": Invoice.status,
        "reason": Invoice.reason,
        "net": Invoice.net,
        "vat": Invoice.vat,
        "payable": Invoice.payable,
        "open": Invoice.payable - paid - credited,
    }[sort_key]
    ordered = column.desc() if descending else column.asc()
    tie = Invoice.id.desc() if descending else Invoice.id.asc()
    query = (
        _query(columns, search, status, today)
        .order_by(ordered.nulls_last(), tie)
        .offset(max(0, offset))
        .limit(max(0, limit))
    )
    with db.reading() as session:
        return [_row(*found, today) for found in session.execute(query)]


def _row(inv: Invoice, number: str, name: str, paid_sum, credited_sum, today: date):
    paid = paid_sum if paid_sum is not None else ZERO
    credited = credited_sum if credited_sum is not None else ZERO
    shown = inv.status
    if inv.kind == INVOICE:
        shown = display_status(inv.status, inv.due_date, inv.payable - paid - credited, today)
    return InvoiceListRow(
        id=inv.id,
        number=inv.number,
        kind=inv.kind,
        status=shown,
        reason=inv.reason,
        school=number,
        school_name=name,
        invoice_date=inv.invoice_date,
        due_date=inv.due_date,
        currency=inv.currency,
        net=inv.net,
        vat=inv.vat,
        payable=inv.payable,
        paid=paid,
        credited=credited,
        credits_invoice_id=inv.credits_invoice_id,
    )


def invoice_row(db: Database, invoice_id: int, today: date | None = None) -> InvoiceListRow | None:
    """One invoice as the list shows it (the dialogs use it to say what they act on)."""
    today = today or date.today()
    paid, credited = _paid(), _credited()
    query = (
        select(Invoice, School.number, School.name, paid, credited)
        .join(School, School.id == Invoice.school_id)
        .where(Invoice.id == invoice_id)
    )
    with db.reading() as session:
        found = session.execute(query).first()
        return None if found is None else _row(*found, today)


def invoice_ids(
    db: Database, search: str = "", status: str | None = None, today: date | None = None
) -> list[int]:
    """Every invoice id the list shows for a filter, newest first (for batch PDF exports)."""
    query = _query([Invoice.id], search, status, today or date.today()).order_by(
        Invoice.invoice_date.desc(), Invoice.id.desc()
    )
    with db.reading() as session:
        return list(session.scalars(query))
