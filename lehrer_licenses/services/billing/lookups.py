"""Finding invoices (by number, id or payment reference), what was paid and credited on them,
their settled status, and showing and listing them (DESIGN section 5 invoice JSON).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lehrer_licenses.i18n import _
from lehrer_licenses.services.billing.drafts import invoice_view
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
from lehrer_licenses.store.models import Invoice, Payment


def _query():
    return select(Invoice).options(selectinload(Invoice.lines), selectinload(Invoice.school))


def find_invoice(session: Session, key: str | int, *, lock: bool = False) -> Invoice:
    """By number ("2026-00017"), by id, or by payment reference."""
    text = str(key).strip()
    query = _query()
    if lock:
        query = query.with_for_update()
    invoice = session.scalar(query.where(Invoice.number == text))
    if invoice is None and text.isdigit() and len(text) < 12:
        invoice = session.scalar(query.where(Invoice.id == int(text)))
    if invoice is None and text:
        invoice = session.scalar(
            query.where(Invoice.reference == compact_reference(text)).order_by(Invoice.id)
        )
    if invoice is None:
        raise NotFound(_("no invoice with number or id {key}").format(key=key))
    return invoice


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


def two_decimals(value: Decimal) -> str:
    return f"{value:.2f}"


def invoice_json(
    invoice: Invoice, paid: Decimal, credited: Decimal, today: date | None = None
) -> dict:
    """DESIGN §5's invoice JSON, with the lifecycle fields of this module."""

    today = today or date.today()
    doc = invoice_view(invoice).to_json()
    open_amount = invoice.payable - paid - credited if invoice.kind == INVOICE else ZERO
    if invoice.kind != INVOICE or invoice.status == DRAFT:
        open_amount = ZERO
    status = display_status(invoice.status, invoice.due_date, open_amount, today)
    days = (today - invoice.due_date).days if status == OVERDUE and invoice.due_date else 0
    doc.update(
        {
            "status": status,
            "kind": invoice.kind,
            "school_id": invoice.school_id,
            "language": invoice.language,
            "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
            "reference": invoice.reference,
            "paid": two_decimals(paid),
            "credited": two_decimals(credited),
            "open": two_decimals(open_amount),
            "days_overdue": days,
            "note": invoice.note,
        }
    )
    if invoice.kind == CREDIT_NOTE:
        doc["credits_invoice_id"] = invoice.credits_invoice_id
    if invoice.kind == QUOTE and invoice.details:
        doc["quote"] = json.loads(invoice.details)
    return doc


def show_invoice(db: Database, key: str, today: date | None = None) -> dict:
    with db.reading() as session:
        invoice = find_invoice(session, key)
        doc = invoice_json(
            invoice,
            paid_amount(session, invoice.id),
            credited_amount(session, invoice.id),
            today,
        )
        doc["payments"] = [
            {
                "date": p.paid_on.isoformat(),
                "amount": two_decimals(p.amount),
                "reference": p.reference,
            }
            for p in session.scalars(
                select(Payment).where(Payment.invoice_id == invoice.id).order_by(Payment.id)
            )
        ]
        doc["credit_notes"] = [
            n
            for (n,) in session.execute(
                select(Invoice.number)
                .where(Invoice.credits_invoice_id == invoice.id)
                .order_by(Invoice.id)
            )
        ]
        if invoice.credits_invoice_id is not None:
            doc["credits_invoice"] = session.scalar(
                select(Invoice.number).where(Invoice.id == invoice.credits_invoice_id)
            )
        return doc


def list_invoices(
    db: Database,
    *,
    status: str | None = None,
    school: str | None = None,
    kind: str | None = None,
    overdue: bool = False,
    today: date | None = None,
    limit: int | None = None,
) -> list[dict]:
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
        if status in (ISSUED, PARTLY_PAID, OVERDUE):
            query = query.where(Invoice.status.in_((ISSUED, PARTLY_PAID)))
            if status == OVERDUE:
                query = query.where(Invoice.kind == INVOICE, Invoice.due_date < today)
        elif status:
            query = query.where(Invoice.status == status)
        if limit:
            query = query.limit(limit)
        docs = []
        for invoice, paid_sum, credited_sum in session.execute(query):
            doc = invoice_json(invoice, paid_sum or ZERO, credited_sum or ZERO, today)
            if status and doc["status"] != status:
                continue  # the shown status (overdue) follows from the date
            docs.append(doc)
        return docs
