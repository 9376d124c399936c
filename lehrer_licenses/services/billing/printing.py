"""The document model of an invoice, credit note or quote, its PDF, and the stored PDF: an
issued document is rendered once and kept, so a re-print is the same bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.documents import (
    Address,
    DocumentDataError,
    DocumentLine,
    InvoiceDocument,
    Vendor,
    render_invoice,
)
from lehrer_licenses.i18n import _
from lehrer_licenses.services.billing.lookups import find_invoice
from lehrer_licenses.services.billing.states import DRAFT
from lehrer_licenses.services.billing.vat_regimes import stored_regime
from lehrer_licenses.services.billing.vendor import VendorSettings, load_vendor, require_complete
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import Invoice, InvoicePdf, IssuedCode, School


def school_address(school: School) -> Address:
    return Address(
        name=school.name,
        street=school.street,
        house_number=school.house_number,
        postcode=school.postcode,
        city=school.city,
        country=school.country,
    )


def registration_code(session: Session, invoice: Invoice) -> str | None:
    if invoice.subscription_id is None or invoice.reason not in ("order", "renewal"):
        return None
    return session.scalar(
        select(IssuedCode.code)
        .where(
            IssuedCode.subscription_id == invoice.subscription_id,
            IssuedCode.issued_on <= invoice.invoice_date,
        )
        .order_by(IssuedCode.issued_on.desc(), IssuedCode.serial.desc())
        .limit(1)
    )


def build_document(
    session: Session,
    invoice: Invoice,
    vendor: VendorSettings,
    *,
    registration_code: str | None = None,
    references_invoice: str | None = None,
    document_vendor: Vendor | None = None,
) -> InvoiceDocument:
    school = invoice.school
    regime = stored_regime(vendor.country, school.country, invoice.vat_regime)
    base = document_vendor or vendor.document_vendor()
    number = regime.number(vendor.vat_id)
    return InvoiceDocument(
        kind=invoice.kind,  # type: ignore[arg-type]
        number=invoice.number,
        issue_date=invoice.invoice_date,
        due_date=invoice.due_date,
        language=invoice.language,
        currency=invoice.currency,
        vendor=base if base.vat_id == number else replace(base, vat_id=number),
        recipient=school_address(school),
        school_number=school.number,
        lines=tuple(
            DocumentLine(
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                amount=line.amount,
                period_start=line.period_start,
                period_end=line.period_end,
            )
            for line in invoice.lines
        ),
        net=invoice.net,
        vat_rate=invoice.vat_rate,
        vat=invoice.vat,
        total=invoice.total,
        rounding=invoice.rounding,
        payable=invoice.payable,
        reference=invoice.reference,
        references_invoice=references_invoice,
        registration_code=registration_code,
        note=invoice.note or None,
        vat_regime=regime.kind,
        tax_country=regime.tax_country(vendor.country),
        buyer_vat_id=school.vat_id or "",
    )


def require_postal_address(school: School) -> None:
    """Documents go out by post (and the QR-bill needs the town): refuse without one."""
    missing = [
        label
        for label, value in ((_("postcode"), school.postcode), (_("town"), school.city))
        if not (value or "").strip()
    ]
    if missing:
        raise InvalidInput(
            _(
                "school {number} has no postal address ({missing} missing): add it with "
                "Edit school… in the app or 'school edit' on the command line"
            ).format(number=school.number, missing=", ".join(missing))
        )


def render(document: InvoiceDocument) -> bytes:
    try:
        return render_invoice(document)
    except DocumentDataError as exc:
        raise InvalidInput(
            _("the document cannot be printed: {problem}").format(problem=exc)
        ) from exc


def store_pdf(session: Session, invoice: Invoice, pdf: bytes) -> None:
    session.add(
        InvoicePdf(
            invoice_id=invoice.id,
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            created_at=datetime.now(),
        )
    )


@dataclass(frozen=True)
class PdfResult:
    number: str | None
    kind: str
    pdf: bytes
    stored: bool  # the PDF kept since issuing (False: a draft, rendered now)


def invoice_pdf(db: Database, key: str) -> PdfResult:
    """The stored PDF of an issued invoice, credit note or quote; a draft is rendered now, with
    "DRAFT" instead of a number and no payable QR code."""
    with db.reading() as session:
        invoice = find_invoice(session, key)
        stored = session.scalar(select(InvoicePdf.pdf).where(InvoicePdf.invoice_id == invoice.id))
        if stored is not None:
            return PdfResult(invoice.number, invoice.kind, stored, True)
        if invoice.status != DRAFT:
            raise InvalidInput(
                _("no stored PDF for {kind} {number}").format(
                    kind=invoice.kind, number=invoice.number
                )
            )
        vendor = load_vendor(session)
        require_complete(vendor)
        document = build_document(
            session, invoice, vendor, registration_code=registration_code(session, invoice)
        )
        return PdfResult(None, invoice.kind, render(document), False)
