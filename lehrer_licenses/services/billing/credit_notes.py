"""Credit notes: the only way to void (part of) an issued invoice. Numbered in their own series,
their PDF stored, the credited invoice's status updated.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from lehrer_licenses.domain.money import round_half_up
from lehrer_licenses.i18n import _, format_date, gettext_for
from lehrer_licenses.services.billing.drafts import line_columns
from lehrer_licenses.services.billing.lookups import (
    InvoiceRecord,
    credited_amount,
    find_invoice,
    invoice_record,
    paid_amount,
    update_settlement,
)
from lehrer_licenses.services.billing.numbering import check_date_order, next_number
from lehrer_licenses.services.billing.printing import (
    build_document,
    copy_buyer,
    render,
    require_postal_address,
    store_pdf,
)
from lehrer_licenses.services.billing.states import CREDIT_NOTE, DRAFT, INVOICE, ISSUED, ZERO
from lehrer_licenses.services.billing.vat_regimes import require_regime, stored_regime
from lehrer_licenses.services.billing.vendor import (
    load_vendor,
    require_complete,
)
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import Invoice, InvoiceLine
from lehrer_licenses.store.roles import ACCOUNTANT, require


@dataclass(frozen=True)
class CreditNote:
    record: InvoiceRecord  # the credit note, ``credits_invoice`` the invoice's number
    invoice_status: str  # the credited invoice's status after it


def credit_invoice(
    db: Database,
    key: str,
    *,
    reason: str,
    amount: Decimal | None = None,
    on: date | None = None,
    line_text: str | None = None,
) -> CreditNote:
    """A credit note for all of the invoice's remaining amount, or for ``amount`` (incl. VAT).

    A part is one line, "Partial credit on invoice N" unless ``line_text`` says what it is
    (an add-on's pro-rata refund names the subject and the days)."""
    on = on or date.today()
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("a credit note needs a reason (--reason)"))
    with db.transaction() as session:
        require(session, ACCOUNTANT, _("Crediting an invoice"))
        vendor = load_vendor(session)
        invoice = find_invoice(session, key, lock=True)
        if invoice.kind != INVOICE:
            raise InvalidInput(
                _("{number} is not an invoice; only invoices can be credited").format(
                    number=invoice.number
                )
            )
        if invoice.status == DRAFT:
            raise InvalidInput(
                _("draft {id} is not issued: edit or delete it instead of crediting it").format(
                    id=invoice.id
                )
            )
        credited = credited_amount(session, invoice.id)
        creditable = invoice.payable - credited
        if creditable <= 0:
            raise InvalidInput(
                _("invoice {number} is already credited in full").format(number=invoice.number)
            )
        if amount is None:
            amount = creditable
        if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            raise InvalidInput(
                _(
                    "the amount to credit must be positive with at most two decimals, not {amount}"
                ).format(amount=amount)
            )
        if amount > creditable:
            raise InvalidInput(
                _(
                    "the amount {amount} is more than the {currency} {creditable} of invoice "
                    "{number} not yet credited"
                ).format(
                    amount=f"{amount:.2f}",
                    currency=invoice.currency,
                    creditable=f"{creditable:.2f}",
                    number=invoice.number,
                )
            )
        require_complete(vendor)
        require_regime(
            vendor,
            stored_regime(vendor.country, invoice.school.country, invoice.vat_regime),
            invoice.vat_rate,
            invoice.school,
        )
        require_postal_address(invoice.school)
        check_date_order(session, CREDIT_NOTE, on)
        if on < invoice.invoice_date:
            raise InvalidInput(
                _("a credit note cannot be dated before the invoice it corrects ({date})").format(
                    date=format_date(invoice.invoice_date)
                )
            )
        tr = gettext_for(invoice.language)
        note = Invoice(
            kind=CREDIT_NOTE,
            status=ISSUED,
            school_id=invoice.school_id,
            subscription_id=invoice.subscription_id,
            reason=invoice.reason,
            currency=invoice.currency,
            language=invoice.language,
            invoice_date=on,
            created_at=datetime.now(),
            issued_at=datetime.now(),
            credits_invoice_id=invoice.id,
            note=reason,
            vat_regime=invoice.vat_regime,  # credited as it was billed
        )
        copy_buyer(invoice, note)
        if amount == invoice.payable:  # the whole invoice, line by line
            for line in invoice.lines:
                note.lines.append(InvoiceLine(**line_columns(line.position, line)))
            note.net, note.vat_rate, note.vat = invoice.net, invoice.vat_rate, invoice.vat
            note.total, note.rounding, note.payable = invoice.total, invoice.rounding, amount
        else:  # a part: one line, VAT taken out of the amount at the invoice's rate
            net = round_half_up(amount * 100 / (100 + invoice.vat_rate))
            note.lines.append(
                InvoiceLine(
                    position=1,
                    code="credit",
                    description=line_text
                    or tr("Partial credit on invoice {number}").format(number=invoice.number),
                    quantity=Decimal(1),
                    unit_price=net,
                    amount=net,
                )
            )
            note.net, note.vat_rate, note.vat = net, invoice.vat_rate, amount - net
            note.total, note.rounding, note.payable = amount, ZERO, amount
        session.add(note)
        note.school = invoice.school
        note.number = next_number(session, CREDIT_NOTE, on.year, vendor)
        session.flush()
        # Only what was paid beyond the open amount goes back; the rest lowers what is owed.
        still_open = invoice.payable - credited - paid_amount(session, invoice.id)
        refund = max(ZERO, amount - max(ZERO, still_open))
        pdf = render(
            build_document(
                session, note, vendor, references_invoice=invoice.number, credit_refund=refund
            )
        )
        store_pdf(session, note, pdf)
        before_status = update_settlement(session, invoice)
        audit.record(
            session,
            "invoice.credit",
            "invoice",
            note.id,
            school_id=invoice.school_id,
            before={"invoice": invoice.number, "status": before_status},
            after={
                "credit_note": note.number,
                "amount": amount,
                "reason": reason,
                "invoice_status": invoice.status,
                "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
            },
        )
        session.flush()
        record = replace(invoice_record(note, ZERO, ZERO, on), credits_invoice=invoice.number)
        return CreditNote(record, invoice.status)
