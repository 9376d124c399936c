"""E-invoices of issued invoices and credit notes: a Factur-X / ZUGFeRD PDF (the stored PDF with
the EN 16931 CII XML embedded) or, for German public schools, an XRechnung CII XML addressed with
the school's Leitweg-ID. Each is checked with the official validation artefacts (the CII schema,
the CEN EN 16931 rules, the KoSIT XRechnung rules) and refused, naming the rules, if it fails."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lehrer_licenses.documents import DocumentDataError
from lehrer_licenses.documents.einvoice import EInvoiceParties, cii_xml, facturx_pdf
from lehrer_licenses.documents.einvoice_rules import EInvoiceRejected, require_valid
from lehrer_licenses.i18n import _
from lehrer_licenses.services.billing.lookups import find_invoice
from lehrer_licenses.services.billing.printing import build_document
from lehrer_licenses.services.billing.states import CREDIT_NOTE, INVOICE
from lehrer_licenses.services.billing.vendor import load_vendor, require_complete
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import Invoice, InvoicePdf


@dataclass(frozen=True)
class EInvoice:
    number: str
    kind: str  # "factur-x" (PDF) | "xrechnung" (XML)
    data: bytes


@dataclass(frozen=True)
class LeitwegId:
    school: str
    leitweg_id: str | None  # None: cleared


def set_leitweg_id(db: Database, school_number: str, value: str) -> LeitwegId:
    """The Leitweg-ID of a German public school (checked with python-stdnum); empty clears it."""
    from stdnum.de import leitweg

    text = value.strip().upper()
    if text and not leitweg.is_valid(text):
        raise InvalidInput(_("not a valid Leitweg-ID: {value!r}").format(value=value))
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        before = school.leitweg_id
        school.leitweg_id = leitweg.compact(text) if text else None
        audit.record(
            session,
            "school.leitweg_id",
            "school",
            school.id,
            school_id=school.id,
            before={"leitweg_id": before},
            after={"leitweg_id": school.leitweg_id},
        )
        return LeitwegId(school.number, school.leitweg_id)


def make_einvoice(db: Database, key: str, *, xrechnung: bool = False) -> EInvoice:
    with db.reading() as session:
        invoice = find_invoice(session, key)
        if invoice.kind not in (INVOICE, CREDIT_NOTE) or invoice.number is None:
            raise InvalidInput(
                _("only issued invoices and credit notes have an e-invoice, not {key}").format(
                    key=key
                )
            )
        vendor = load_vendor(session)
        require_complete(vendor)
        school = invoice.school
        references = None
        if invoice.credits_invoice_id is not None:
            references = session.scalar(
                select(Invoice.number).where(Invoice.id == invoice.credits_invoice_id)
            )
        document = build_document(session, invoice, vendor, references_invoice=references)
        # Another billed party (an add-on's payer, M10) has none of the school's identifiers.
        school_buys = not invoice.buyer_name
        parties = EInvoiceParties(
            buyer_reference=(school.leitweg_id or "") if school_buys else "",
            buyer_email=school.email if school_buys else "",
            buyer_vat_id=school.vat_id if school_buys else "",
            seller_email=vendor.email,
            seller_phone=vendor.phone,
            seller_contact=vendor.name,
        )
        if xrechnung and not school_buys:
            raise InvalidInput(
                _(
                    "{number} is billed to {buyer}, which has no Leitweg-ID for an XRechnung: "
                    "make a Factur-X instead"
                ).format(number=invoice.number, buyer=invoice.buyer_name)
            )
        if xrechnung:
            missing = [
                label
                for label, value in (
                    (
                        _("the school's Leitweg-ID (invoice leitweg-id SCHOOL ID)"),
                        school.leitweg_id,
                    ),
                    (_("the school's e-mail address"), school.email),
                    (_("the vendor's e-mail address"), vendor.email),
                    (_("the vendor's telephone number"), vendor.phone),
                )
                if not (value or "").strip()
            ]
            if missing:
                raise InvalidInput(
                    _("an XRechnung for {number} needs {missing}").format(
                        number=invoice.number, missing="; ".join(missing)
                    )
                )
        try:
            xml = cii_xml(document, parties, "xrechnung" if xrechnung else "en16931")
            # The rules are checked before anything is made: a file a portal rejects is not
            # written at all. The XRechnung rules need the XRechnung guideline id, so they
            # judge the XRechnung; a Factur-X is judged by EN 16931.
            require_valid(xml, xrechnung=xrechnung)
            if xrechnung:
                return EInvoice(invoice.number, "xrechnung", xml)
            pdf = session.scalar(select(InvoicePdf.pdf).where(InvoicePdf.invoice_id == invoice.id))
            if pdf is None:
                raise InvalidInput(_("no stored PDF for {number}").format(number=invoice.number))
            return EInvoice(invoice.number, "factur-x", facturx_pdf(pdf, xml, invoice.language))
        except EInvoiceRejected as exc:
            raise InvalidInput(
                _(
                    "the e-invoice of {number} breaks the official rules and is not written: "
                    "{findings}"
                ).format(number=invoice.number, findings=exc)
            ) from exc
        except DocumentDataError as exc:
            raise InvalidInput(
                _("the e-invoice cannot be made: {problem}").format(problem=exc)
            ) from exc
