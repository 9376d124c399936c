"""Draft invoices as data: built from priced lines, stored, and shown (DESIGN section 5 JSON)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lehrer_licenses.domain.invoice import Totals, compute_totals
from lehrer_licenses.domain.money import Money
from lehrer_licenses.domain.pricing import Line
from lehrer_licenses.domain.vat import VatRate
from lehrer_licenses.i18n import _
from lehrer_licenses.services.billing.vat_regimes import Regimes, priced_regime
from lehrer_licenses.services.catalogue import load_vat_rates
from lehrer_licenses.services.errors import NotFound
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import Invoice, InvoiceLine, School, Subscription


@dataclass(frozen=True)
class InvoiceView:
    id: int | None
    number: str | None
    status: str
    school: str
    school_name: str
    currency: str
    reason: str
    invoice_date: date
    lines: tuple[Line, ...]
    totals: Totals
    vat_regime: str | None = None  # VatRegime.encode(); None: billed before regimes existed


def preview_invoice(
    session: Session,
    school: School,
    currency: str,
    reason: str,
    lines: Sequence[Line],
    on: date,
    vat_rates: Sequence[VatRate] | None = None,
    regimes: Regimes | None = None,
) -> InvoiceView:
    """The invoice as it would be written; batch runs pass the VAT table and the vendor's VAT
    regimes they loaded once."""
    rates = vat_rates if vat_rates is not None else load_vat_rates(session)
    regime, rate = priced_regime(session, school, list(rates), on, regimes)
    return InvoiceView(
        None,
        None,
        "preview",
        school.number,
        school.name,
        currency,
        reason,
        on,
        tuple(lines),
        compute_totals(lines, rate, currency),
        regime.encode(),
    )


def line_columns(position: int, line: Line) -> dict:
    """The ``invoice_line`` columns of a priced line (all but the invoice it belongs to)."""
    return {
        "position": position,
        "code": line.code,
        "description": line.description,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "amount": line.amount,
        "period_start": line.period_start,
        "period_end": line.period_end,
    }


def total_columns(totals: Totals) -> dict:
    """The ``invoice`` amount columns of computed totals."""
    return {
        "net": totals.net.amount,
        "vat_rate": totals.vat_rate,
        "vat": totals.vat.amount,
        "total": totals.total.amount,
        "rounding": totals.rounding.amount,
        "payable": totals.payable.amount,
    }


def create_draft(
    session: Session,
    school: School,
    subscription: Subscription | None,
    currency: str,
    reason: str,
    lines: Sequence[Line],
    on: date,
    billing_key: str | None = None,
    vat_rates: Sequence[VatRate] | None = None,
    regimes: Regimes | None = None,
) -> Invoice:
    preview = preview_invoice(session, school, currency, reason, lines, on, vat_rates, regimes)
    t = preview.totals
    invoice = Invoice(
        kind="invoice",
        status="draft",
        school_id=school.id,
        subscription_id=subscription.id if subscription else None,
        reason=reason,
        billing_key=billing_key,
        currency=currency,
        language=school.language,
        invoice_date=on,
        **total_columns(t),
        vat_regime=preview.vat_regime,
        created_at=datetime.now(),
    )
    for position, line in enumerate(lines, start=1):
        invoice.lines.append(InvoiceLine(**line_columns(position, line)))
    session.add(invoice)
    session.flush()
    audit.record(
        session,
        "invoice.draft",
        "invoice",
        invoice.id,
        school_id=school.id,
        after={
            "reason": reason,
            "net": t.net.amount,
            "payable": t.payable.amount,
            "currency": currency,
            "billing_key": billing_key,
        },
    )
    return invoice


def invoice_view(invoice: Invoice) -> InvoiceView:
    lines = tuple(
        Line(
            li.code,
            li.description,
            li.quantity,
            li.unit_price,
            li.amount,
            li.period_start,
            li.period_end,
        )
        for li in invoice.lines
    )
    totals = Totals(
        Money(invoice.net, invoice.currency),
        invoice.vat_rate,
        Money(invoice.vat, invoice.currency),
        Money(invoice.total, invoice.currency),
        Money(invoice.rounding, invoice.currency),
        Money(invoice.payable, invoice.currency),
    )
    return InvoiceView(
        invoice.id,
        invoice.number,
        invoice.status,
        invoice.school.number,
        invoice.school.name,
        invoice.currency,
        invoice.reason,
        invoice.invoice_date,
        lines,
        totals,
        invoice.vat_regime,
    )


def get_invoice(db: Database, key: str) -> InvoiceView:
    """By number (2026-00017) or by id."""
    with db.reading() as session:
        query = select(Invoice).options(selectinload(Invoice.lines), selectinload(Invoice.school))
        invoice = session.scalar(query.where(Invoice.number == key))
        if invoice is None and key.strip().isdigit():
            invoice = session.scalar(query.where(Invoice.id == int(key)))
        if invoice is None:
            raise NotFound(_("no invoice with number or id {key}").format(key=key))
        return invoice_view(invoice)
