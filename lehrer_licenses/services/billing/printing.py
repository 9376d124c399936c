"""The document model of an invoice, credit note or quote, its PDF, and the stored PDF: an
issued document is rendered once and kept, so a re-print is the same bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.documents import (
    Address,
    DocumentDataError,
    DocumentLine,
    InvoiceDocument,
    Vendor,
)
from lehrer_licenses.i18n import _
from lehrer_licenses.services.billing.lookups import find_invoice
from lehrer_licenses.services.billing.states import DRAFT
from lehrer_licenses.services.billing.vat_regimes import stored_regime
from lehrer_licenses.services.billing.vendor import VendorSettings, load_vendor, require_complete
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import (
    Invoice,
    InvoicePdf,
    IssuedCode,
    PlanRow,
    School,
    Subscription,
)


def school_address(school: School) -> Address:
    return Address(
        name=school.name,
        street=school.street,
        house_number=school.house_number,
        postcode=school.postcode,
        city=school.city,
        country=school.country,
    )


def billed_party(invoice: Invoice) -> Address:
    """Who the invoice goes to: its buyer as stored at drafting (an add-on's own billing
    address, M10), else the school."""
    if not invoice.buyer_name:
        return school_address(invoice.school)
    return stored_address(invoice, "buyer_")


def stored_address(row: object, prefix: str) -> Address:
    """An address kept as ``<prefix>name``, ``street`` (with the number), ``postcode``, ``city``
    and ``country`` columns: an invoice's buyer, an add-on's billing address."""
    name, street, postcode, city, country = (
        getattr(row, prefix + part) for part in ("name", "street", "postcode", "city", "country")
    )
    return Address(name=name, street=street, postcode=postcode, city=city, country=country)


def licence_holder(invoice: Invoice) -> str | None:
    """The school, named on a document that goes to another party; None when it goes to it."""
    return invoice.school.name if invoice.buyer_name else None


def bill_to(invoice: Invoice, party: Address | None) -> None:
    """Make ``party`` the invoice's buyer (None or an unnamed party: the school)."""
    party = party if party is not None and party.name.strip() else None
    invoice.buyer_name = party.name.strip() if party else ""
    invoice.buyer_street = party.street_line if party else ""
    invoice.buyer_postcode = party.postcode.strip() if party else ""
    invoice.buyer_city = party.city.strip() if party else ""
    invoice.buyer_country = party.country if party else ""


BUYER_COLUMNS = ("buyer_name", "buyer_street", "buyer_postcode", "buyer_city", "buyer_country")


def buyer_of(invoice: Invoice) -> dict[str, str]:
    return {column: getattr(invoice, column) for column in BUYER_COLUMNS}


def copy_buyer(source: Invoice, target: Invoice) -> None:
    """A credit note goes to the party the credited invoice went to."""
    for column, value in buyer_of(source).items():
        setattr(target, column, value)


# The invoice reasons whose action issues a new registration code: a seat or package order, a
# renewal, a package upgrade or the move to the full package, the start of a per-pupil plan
# (pre-investment) and its settlement (at the renewal or an upgrade). Not an add-on, usage,
# trial or refund: those leave the licence's code as it was.
CODE_REASONS = frozenset({"order", "renewal", "upgrade", "pre_investment", "settlement"})


def registration_code(session: Session, invoice: Invoice) -> str | None:
    """The code the invoice's action issued: the newest of its licence up to the invoice."""
    if invoice.subscription_id is None or invoice.reason not in CODE_REASONS:
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


def plan_name(session: Session, invoice: Invoice) -> str:
    """The name of the plan an invoice bills, in the invoice's language ("" for none)."""
    if invoice.subscription_id is None:
        return ""
    plan = session.scalar(
        select(PlanRow)
        .join(Subscription, Subscription.plan_id == PlanRow.id)
        .where(Subscription.id == invoice.subscription_id)
    )
    return plan.display_name(invoice.language) if plan is not None else ""


def build_document(
    session: Session,
    invoice: Invoice,
    vendor: VendorSettings,
    *,
    registration_code: str | None = None,
    references_invoice: str | None = None,
    document_vendor: Vendor | None = None,
    credit_refund: Decimal | None = None,
    product: str | None = None,
) -> InvoiceDocument:
    """The document of ``invoice``; ``product`` the plan's name when the caller knows it (an
    issue builds the document without a session), else read here."""
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
        recipient=billed_party(invoice),
        licence_holder=licence_holder(invoice),
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
        credit_refund=credit_refund,
        product=product if product is not None else plan_name(session, invoice),
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
    # Imported here: reportlab and the fonts cost the app's start a quarter of a second, and
    # the schools list reaches this module without printing anything.
    from lehrer_licenses.documents.invoice_pdf import render_invoice

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
