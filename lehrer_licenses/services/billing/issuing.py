"""Issuing a draft: the next number, the dates, the payment reference, the document, the stored
PDF and the audit entry, in one transaction, so a failed issue leaves no gap in the numbers.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from lehrer_licenses.i18n import _
from lehrer_licenses.services.billing.lookups import find_invoice, invoice_json
from lehrer_licenses.services.billing.numbering import number_in_order
from lehrer_licenses.services.billing.printing import (
    build_document,
    registration_code,
    render,
    require_postal_address,
    store_pdf,
)
from lehrer_licenses.services.billing.references import payment_reference
from lehrer_licenses.services.billing.states import (
    DRAFT,
    INVOICE,
    ISSUED,
    ZERO,
    refuse_unless_draft,
)
from lehrer_licenses.services.billing.vendor import VendorSettings, load_vendor, require_complete
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import Invoice


def issue_invoice(db: Database, key: str, on: date | None = None) -> dict:
    """Number the draft, fix its dates and reference, store its PDF, all in one transaction."""
    on = on or date.today()
    with db.transaction() as session:
        vendor = load_vendor(session)
        invoice = find_invoice(session, key, lock=True)
        issue_in(session, invoice, on, vendor)
        return invoice_json(invoice, ZERO, ZERO, on)


def issue_in(session: Session, invoice: Invoice, on: date, vendor: VendorSettings) -> bytes:
    """Issue ``invoice`` inside the caller's transaction (a batch run issues one per contract,
    each in its own transaction, so a crash can leave no gap in the numbers)."""
    if invoice.kind == INVOICE and invoice.status != DRAFT:
        raise InvalidInput(
            _("invoice {number} is already issued; it cannot be issued again").format(
                number=invoice.number
            )
        )
    refuse_unless_draft(invoice, _("issued"))
    require_complete(vendor)
    require_postal_address(invoice.school)
    if not invoice.lines:
        raise InvalidInput(_("draft {id} has no lines").format(id=invoice.id))
    if invoice.payable < 0:
        raise InvalidInput(
            _("draft {id} has a negative amount: issue a credit note instead").format(id=invoice.id)
        )
    code = registration_code(session, invoice)
    before = {"status": invoice.status, "date": invoice.invoice_date}
    invoice.number, _counter = number_in_order(session, on, vendor)
    invoice.status = ISSUED
    invoice.invoice_date = on
    invoice.due_date = on + timedelta(days=vendor.payment_terms_days)
    invoice.issued_at = datetime.now()
    invoice.reference = payment_reference(invoice.number, invoice.currency, vendor)
    pdf = render(build_document(session, invoice, vendor, registration_code=code))
    store_pdf(session, invoice, pdf)
    audit.record(
        session,
        "invoice.issue",
        "invoice",
        invoice.id,
        school_id=invoice.school_id,
        before=before,
        after={
            "number": invoice.number,
            "date": on,
            "due_date": invoice.due_date,
            "reference": invoice.reference,
            "payable": invoice.payable,
            "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
        },
    )
    session.flush()
    return pdf
