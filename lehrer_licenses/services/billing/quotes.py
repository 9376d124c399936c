"""Quotes (Offerten): numbered, their PDF stored, nothing else changes; accepting one orders
the quoted seats (a draft invoice) in the same transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lehrer_licenses.i18n import _, format_date
from lehrer_licenses.services.billing.drafts import InvoiceView, line_columns, total_columns
from lehrer_licenses.services.billing.lookups import InvoiceRecord, find_invoice, invoice_record
from lehrer_licenses.services.billing.numbering import check_date_order, next_number
from lehrer_licenses.services.billing.printing import (
    build_document,
    render,
    require_postal_address,
    store_pdf,
)
from lehrer_licenses.services.billing.states import ACCEPTED, QUOTE, QUOTED, ZERO
from lehrer_licenses.services.billing.transactions import InTransaction
from lehrer_licenses.services.billing.vendor import load_vendor, require_complete
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import Invoice, InvoiceLine


def create_quote(
    db: Database, school_number: str, seats: int, on: date, plan_code: str | None = None
) -> tuple[InvoiceRecord, bytes]:
    """A numbered quote (Offerte) for an order of seats, its PDF stored; nothing else changes."""
    from lehrer_licenses.services.licences.seats.orders import quote_order

    priced = quote_order(db, school_number, seats, on, plan_code)
    with db.transaction() as session:
        vendor = load_vendor(session)
        require_complete(vendor)
        school = school_by_number(session, school_number)
        require_postal_address(school)
        check_date_order(session, QUOTE, on)
        view = priced.invoice
        quote = Invoice(
            kind=QUOTE,
            status=QUOTED,
            school_id=school.id,
            subscription_id=None,
            reason="order",
            currency=view.currency,
            language=school.language,
            invoice_date=on,
            due_date=on + timedelta(days=vendor.quote_valid_days),
            **total_columns(view.totals),
            vat_regime=view.vat_regime,
            created_at=datetime.now(),
            issued_at=datetime.now(),
            note="\n".join(priced.notices) or None,
            details=json.dumps(
                {
                    "seats": seats,
                    "plan": priced.plan,
                    "order_kind": priced.kind,
                    "term_start": priced.term_start.isoformat(),
                    "term_end": priced.term_end.isoformat(),
                }
            ),
        )
        for position, line in enumerate(view.lines, start=1):
            quote.lines.append(InvoiceLine(**line_columns(position, line)))
        session.add(quote)
        quote.school = school
        quote.number = next_number(session, QUOTE, on.year, vendor)
        session.flush()
        pdf = render(build_document(session, quote, vendor))
        store_pdf(session, quote, pdf)
        audit.record(
            session,
            "quote.create",
            "invoice",
            quote.id,
            school_id=school.id,
            after={"number": quote.number, "seats": seats, "payable": quote.payable},
        )
        session.flush()
        return invoice_record(quote, ZERO, ZERO, on), pdf


@dataclass(frozen=True)
class AcceptedQuote:
    invoice: InvoiceView  # the order's draft invoice
    quote: str  # the quote's number
    code: str | None  # the order's registration code


def accept_quote(db: Database, key: str, on: date | None = None) -> AcceptedQuote:
    """Order the quoted seats (the draft invoice, the seats, the registration code) and mark the
    quote accepted, in one transaction. The order is priced on ``on``, as any order."""
    from lehrer_licenses.services.licences.seats.orders import order_seats

    on = on or date.today()
    with db.transaction() as session:
        quote = find_invoice(session, key, lock=True)
        if quote.kind != QUOTE:
            raise InvalidInput(_("{key} is not a quote").format(key=key))
        if quote.status != QUOTED:
            raise InvalidInput(_("quote {number} was already accepted").format(number=quote.number))
        if quote.due_date is not None and on > quote.due_date:
            raise InvalidInput(
                _("quote {number} was valid until {date}; make a new quote").format(
                    number=quote.number, date=format_date(quote.due_date)
                )
            )
        details = json.loads(quote.details or "{}")
        result = order_seats(
            InTransaction(session),  # type: ignore[arg-type]
            quote.school.number,
            int(details["seats"]),
            on,
            details.get("plan"),
        )
        quote.status = ACCEPTED
        details["draft_invoice_id"] = result.invoice.id
        quote.details = json.dumps(details)
        audit.record(
            session,
            "quote.accept",
            "invoice",
            quote.id,
            school_id=quote.school_id,
            before={"status": QUOTED},
            after={"status": ACCEPTED, "draft_invoice_id": result.invoice.id},
        )
        return AcceptedQuote(result.invoice, quote.number, result.code)
