"""Finding invoices (by number, id or payment reference), what was paid and credited on them,
their settled status, and showing and listing them as typed records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lehrer_licenses.i18n import _
from lehrer_licenses.services.billing.drafts import InvoiceView, invoice_view
from lehrer_licenses.services.billing.references import compact_reference
from lehrer_licenses.services.billing.states import (
    CREDIT_NOTE,
    DRAFT,
    INVOICE,
    ISSUED,
    OVERDUE,
    PARTLY_PAID,
    QUOTE,
    ZERO,
    display_status,
    settled_status,
)
from lehrer_licenses.services.errors import NotFound
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import Invoice, Payment, School


def _query():
    return select(Invoice).options(selectinload(Invoice.lines), selectinload(Invoice.school))


def find_invoice(session: Session, key: str | int, *, lock: bool = False) -> Invoice:
    """By number ("2026-00017"), by id, or by payment reference. ``lock``: the invoice will be
    changed; its school's row is locked first, then the invoice's (the order of store/locks.py)."""
    text = str(key).strip()
    if not lock:
        found = _located(session, _query(), text)
        if found is None:
            raise NotFound(_("no invoice with number or id {key}").format(key=key))
        return found[0]
    found = _located(session, select(Invoice.id, Invoice.school_id), text)
    if found is None:
        raise NotFound(_("no invoice with number or id {key}").format(key=key))
    session.execute(select(School.id).where(School.id == found.school_id).with_for_update())
    locked = _query().where(Invoice.id == found.id).with_for_update(of=Invoice)
    return session.scalars(locked.execution_options(populate_existing=True)).one()


def _located(session: Session, query, text: str):
    """The first row of ``query`` for the invoice ``text`` names: by its number, else its id,
    else its payment reference."""
    row = session.execute(query.where(Invoice.number == text)).first()
    if row is None and text.isdigit() and len(text) < 12:
        row = session.execute(query.where(Invoice.id == int(text))).first()
    if row is None and text:
        row = session.execute(
            query.where(Invoice.reference == compact_reference(text)).order_by(Invoice.id).limit(1)
        ).first()
    return row


def credited_amount(session: Session, invoice_id: int) -> Decimal:
    value = session.scalar(
        select(func.sum(Invoice.payable)).where(
            Invoice.credits_invoice_id == invoice_id, Invoice.kind == CREDIT_NOTE
        )
    )
    return value if value is not None else ZERO


def paid_amount(session: Session, invoice_id: int) -> Decimal:
    value = session.scalar(select(func.sum(Payment.amount)).where(Payment.invoice_id == invoice_id))
    return value if value is not None else ZERO


def update_settlement(session: Session, invoice: Invoice) -> str:
    before = invoice.status
    invoice.status = settled_status(
        invoice.payable, paid_amount(session, invoice.id), credited_amount(session, invoice.id)
    )
    return before


@dataclass(frozen=True)
class PaymentLine:
    paid_on: date
    amount: Decimal
    reference: str
    id: int = 0
    reverses_id: int | None = None  # set on a reversal: the payment it undoes
    reason: str = ""  # why a reversal was booked
    reversed_by: int | None = None  # set on a payment that was reversed: the reversal's id


@dataclass(frozen=True)
class InvoiceRecord:
    """An invoice, credit note or quote with what follows from its payments, its credit notes
    and its due date (``cli.json_billing`` shapes it as DESIGN section 5's invoice JSON)."""

    view: InvoiceView  # the document: number, lines, totals (its status: the stored one)
    status: str  # the status shown: an issued invoice past its due date is overdue
    kind: str
    school_id: int
    language: str
    due_date: date | None
    reference: str | None
    paid: Decimal
    credited: Decimal
    open: Decimal
    days_overdue: int
    note: str | None
    credits_invoice_id: int | None  # a credit note's invoice
    quote: dict | None  # a quote's details, as stored
    # What ``show_invoice`` adds (None: not looked up)
    payments: tuple[PaymentLine, ...] | None = None
    credit_notes: tuple[str, ...] | None = None
    credits_invoice: str | None = None  # a credit note's invoice number

    @property
    def id(self) -> int:
        return self.view.id  # type: ignore[return-value]

    @property
    def number(self) -> str | None:
        return self.view.number

    @property
    def currency(self) -> str:
        return self.view.currency

    @property
    def payable(self) -> Decimal:
        return self.view.totals.payable.amount


def invoice_record(
    invoice: Invoice, paid: Decimal, credited: Decimal, today: date | None = None
) -> InvoiceRecord:
    """The invoice with its lifecycle fields as of ``today``."""
    today = today or date.today()
    open_amount = invoice.payable - paid - credited if invoice.kind == INVOICE else ZERO
    if invoice.kind != INVOICE or invoice.status == DRAFT:
        open_amount = ZERO
    status = display_status(invoice.status, invoice.due_date, open_amount, today)
    days = (today - invoice.due_date).days if status == OVERDUE and invoice.due_date else 0
    return InvoiceRecord(
        view=invoice_view(invoice),
        status=status,
        kind=invoice.kind,
        school_id=invoice.school_id,
        language=invoice.language,
        due_date=invoice.due_date,
        reference=invoice.reference,
        paid=paid,
        credited=credited,
        open=open_amount,
        days_overdue=days,
        note=invoice.note,
        credits_invoice_id=invoice.credits_invoice_id if invoice.kind == CREDIT_NOTE else None,
        quote=json.loads(invoice.details) if invoice.kind == QUOTE and invoice.details else None,
    )


def payment_lines(session: Session, invoice_id: int) -> tuple[PaymentLine, ...]:
    """The payments of an invoice in booking order, reversals included, each payment knowing
    the reversal that undid it."""
    rows = list(
        session.scalars(
            select(Payment).where(Payment.invoice_id == invoice_id).order_by(Payment.id)
        )
    )
    reversed_by = {p.reverses_id: p.id for p in rows if p.reverses_id is not None}
    return tuple(
        PaymentLine(
            p.paid_on, p.amount, p.reference, p.id, p.reverses_id, p.reason, reversed_by.get(p.id)
        )
        for p in rows
    )


def show_invoice(db: Database, key: str, today: date | None = None) -> InvoiceRecord:
    with db.reading() as session:
        invoice = find_invoice(session, key)
        record = invoice_record(
            invoice,
            paid_amount(session, invoice.id),
            credited_amount(session, invoice.id),
            today,
        )
        payments = payment_lines(session, invoice.id)
        credit_notes = tuple(
            n
            for (n,) in session.execute(
                select(Invoice.number)
                .where(Invoice.credits_invoice_id == invoice.id)
                .order_by(Invoice.id)
            )
        )
        credits_invoice = None
        if invoice.credits_invoice_id is not None:
            credits_invoice = session.scalar(
                select(Invoice.number).where(Invoice.id == invoice.credits_invoice_id)
            )
        return replace(
            record, payments=payments, credit_notes=credit_notes, credits_invoice=credits_invoice
        )


def list_invoices(
    db: Database,
    *,
    status: str | None = None,
    school: str | None = None,
    kind: str | None = None,
    overdue: bool = False,
    today: date | None = None,
    limit: int | None = None,
) -> list[InvoiceRecord]:
    """Invoices with their paid, credited and open amounts (three queries, no N+1)."""
    today = today or date.today()
    with db.reading() as session:
        paid = (
            select(Payment.invoice_id, func.sum(Payment.amount).label("paid"))
            .group_by(Payment.invoice_id)
            .subquery()
        )
        credit = (
            select(
                Invoice.credits_invoice_id.label("invoice_id"),
                func.sum(Invoice.payable).label("credited"),
            )
            .where(Invoice.kind == CREDIT_NOTE)
            .group_by(Invoice.credits_invoice_id)
            .subquery()
        )
        query = (
            select(Invoice, paid.c.paid, credit.c.credited)
            .outerjoin(paid, paid.c.invoice_id == Invoice.id)
            .outerjoin(credit, credit.c.invoice_id == Invoice.id)
            .options(selectinload(Invoice.lines), selectinload(Invoice.school))
            .order_by(Invoice.invoice_date, Invoice.id)
        )
        if school:
            query = query.where(Invoice.school_id == school_by_number(session, school).id)
        if kind:
            query = query.where(Invoice.kind == kind)
        if overdue:
            status = OVERDUE
        if status in (ISSUED, OVERDUE):
            query = query.where(Invoice.status.in_((ISSUED, PARTLY_PAID)))
            if status == OVERDUE:
                query = query.where(Invoice.kind == INVOICE, Invoice.due_date < today)
        elif status:
            # partly paid, as the app's filter: what was paid, overdue or not
            query = query.where(Invoice.status == status)
        if limit:
            query = query.limit(limit)
        records = []
        for invoice, paid_sum, credited_sum in session.execute(query):
            record = invoice_record(invoice, paid_sum or ZERO, credited_sum or ZERO, today)
            if status in (ISSUED, OVERDUE) and record.status != status:
                continue  # the shown status (overdue) follows from the date
            records.append(record)
        return records
