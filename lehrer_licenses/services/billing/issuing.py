"""Issuing an invoice: the one way an invoice gets its number, whichever path asks for it.

``issue`` does what every issue needs -- the checks, the next number (gapless: in the caller's
transaction, so a failed issue gives it back), the dates, the payment reference, the document,
the PDF (rendered and stored here, or by a batch run at the end of its transaction,
``billing.pdf_batch``) and the audit entry. Only the final write of the invoice row is the caller's:
``issue_invoice`` (a single draft, `invoice issue`) UPDATEs the draft row; the year-end run
INSERTs a new invoice row with its lines (``billing.batch_issuing``), so that a contract's
transaction stays cheap. A quote's acceptance writes a draft, issued later through here.

``IssueRun`` holds what does not change between issues on one date: the vendor (checked complete
once), its document data, and how far the date order is already checked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from lehrer_licenses.documents import InvoiceDocument
from lehrer_licenses.domain.pricing import Line
from lehrer_licenses.i18n import _
from lehrer_licenses.services.billing.drafts import InvoiceView, invoice_view, total_columns
from lehrer_licenses.services.billing.lookups import InvoiceRecord, find_invoice, invoice_record
from lehrer_licenses.services.billing.numbering import number_in_order, set_counter
from lehrer_licenses.services.billing.printing import (
    build_document,
    buyer_of,
    plan_name,
    registration_code,
    render,
    require_postal_address,
)
from lehrer_licenses.services.billing.references import payment_reference
from lehrer_licenses.services.billing.states import (
    DRAFT,
    INVOICE,
    ISSUED,
    ZERO,
    refuse_unless_draft,
)
from lehrer_licenses.services.billing.vat_regimes import require_regime, stored_regime
from lehrer_licenses.services.billing.vendor import (
    VendorSettings,
    load_vendor,
    require_complete,
)
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import Invoice, InvoicePdf, School
from lehrer_licenses.store.roles import ACCOUNTANT, require

if TYPE_CHECKING:
    from lehrer_licenses.services.billing.pdf_batch import PdfBatch

_INSERT_PDF = InvoicePdf.__table__.insert()


class IssueRun:
    """Invoices issued on one date: one (`invoice issue`) or many, each in a transaction of its
    own (the year-end run).

    What does not change between them is checked and built once: the vendor (checked complete),
    its document data. The date order (a scan of the year's invoices) is checked in full for the
    first invoice, and again only when the counter shows that an invoice was issued by someone
    else since this run's last one: while the counter still stands where this run's last
    committed issue left it, that invoice, dated ``on``, is the latest.
    The caller says ``committed()`` after each transaction that committed; a rolled back one
    leaves the next issue to check in full.

    A batch that writes a group of invoices without savepoints may ``count_in_group``: the
    counter is read (and the date order checked) at the group's first number, the others are
    counted here, and ``end_group`` writes the counter. A number already taken is then found by
    the invoice table's unique index instead of a query per number; its error rolls the group
    back, and the batch writes it again with a savepoint and the full checks per invoice.
    """

    def __init__(self, vendor: VendorSettings, on: date) -> None:
        require_complete(vendor)  # before anything is written
        self.vendor = vendor
        self.on = on
        self.document_vendor = vendor.document_vendor()
        self._confirmed: int | None = None  # the counter after our last committed issue
        self._pending: int | None = None  # the counter after our issue in this transaction
        self._in_group = False
        self._counted: int | None = None  # the group's counter, once its first number is taken

    def take_number(self, session: Session) -> str:
        """The next invoice number, in this issue's transaction."""
        if self._counted is not None:
            self._counted += 1
            number = self.vendor.invoice_format.format(year=self.on.year, seq=self._counted)
            self._pending = self._counted
        else:
            number, self._pending = number_in_order(session, self.on, self.vendor, self._trusted)
            if self._in_group:
                self._counted = self._pending
        self._confirmed = None  # until this transaction commits
        return number

    def count_in_group(self) -> None:
        self._in_group, self._counted = True, None

    def end_group(self, session: Session) -> None:
        """Write the counter a group counted (before its transaction commits)."""
        if self._counted is not None:
            set_counter(session, INVOICE, self.on.year, self._counted)
        self._in_group, self._counted = False, None

    def _trusted(self, last: int) -> bool:
        return self._confirmed is not None and last == self._confirmed

    def committed(self) -> None:
        if self._pending is not None:
            self._confirmed, self._pending = self._pending, None

    def rolled_back(self) -> None:
        self._confirmed = self._pending = None
        self._in_group, self._counted = False, None


@dataclass(frozen=True)
class IssuedInvoice:
    """An invoice as issued: the columns the issue sets, and what its document is built from
    (``printing.build_document`` reads it as it reads an ``Invoice`` row)."""

    kind: str
    number: str
    invoice_date: date
    due_date: date
    language: str
    currency: str
    school: School
    lines: tuple[Line, ...]
    net: Decimal
    vat_rate: Decimal
    vat: Decimal
    total: Decimal
    rounding: Decimal
    payable: Decimal
    reference: str
    note: str | None = None
    vat_regime: str | None = None
    # The billed party when it is not the school (``Invoice.buyer_*``); empty: the school.
    buyer_name: str = ""
    buyer_street: str = ""
    buyer_postcode: str = ""
    buyer_city: str = ""
    buyer_country: str = ""
    product: str = ""  # the plan's name in the document's language


# Writes the issued invoice's row (UPDATE a draft, INSERT a new one) and returns its id.
WriteInvoice = Callable[[Session, IssuedInvoice], int]


def _issued(
    run: IssueRun,
    draft: InvoiceView,
    school: School,
    number: str,
    language: str,
    note: str | None,
    product: str = "",
) -> IssuedInvoice:
    vendor = run.vendor
    return IssuedInvoice(
        kind=INVOICE,
        number=number,
        invoice_date=run.on,
        due_date=run.on + timedelta(days=vendor.payment_terms_days),
        language=language,
        currency=draft.currency,
        school=school,
        lines=draft.lines,
        **total_columns(draft.totals),
        reference=payment_reference(number, draft.currency, vendor),
        note=note or None,
        vat_regime=draft.vat_regime,
        product=product,
    )


def _document(
    run: IssueRun, issued: IssuedInvoice, registration_code: str | None
) -> InvoiceDocument:
    return build_document(
        None,  # type: ignore[arg-type]  # reads the invoice only
        issued,  # type: ignore[arg-type]
        run.vendor,
        registration_code=registration_code,
        document_vendor=run.document_vendor,
        product=issued.product,
    )


@dataclass(frozen=True)
class Issued:
    view: InvoiceView  # the invoice as issued (id, number, status, date)
    pdf: bytes | None  # None: a batch run's PdfBatch stores it at the end of its transaction


def issue(
    session: Session,
    run: IssueRun,
    draft: InvoiceView,
    school: School,
    write: WriteInvoice,
    *,
    label: object,
    language: str,
    note: str | None = None,
    registration_code: str | None = None,
    audit_to: object = None,
    pdfs: PdfBatch | None = None,
    pdf_key: str = "",
    buyer: dict[str, str] | None = None,
    product: str = "",
) -> Issued:
    """Issue the priced ``draft`` of ``school`` on ``run.on`` in the caller's transaction: the
    checks, the number, the reference, the document, the PDF and the audit entry are those of
    every issue; ``write`` writes the invoice row. ``label`` names the draft in messages;
    ``audit_to`` is where the entry goes (the session, or a batch run's journal); ``buyer``: the
    draft's ``buyer_*`` columns when another party than the school is billed; ``product`` the
    plan's name in ``language``, printed under the title; ``pdfs``: a batch run's PDFs, which
    renders and stores this one (``pdf_key``: unique in the run) at the end of the transaction."""
    # a draft and an issued invoice are rows of one table: the table rights cannot tell them
    require(session, ACCOUNTANT, _("Issuing an invoice"))
    require_postal_address(school)
    if not draft.lines:
        raise InvalidInput(_("draft {id} has no lines").format(id=label))
    if draft.totals.payable.amount < 0:
        raise InvalidInput(
            _("draft {id} has a negative amount: issue a credit note instead").format(id=label)
        )
    require_regime(
        run.vendor,
        stored_regime(run.vendor.country, school.country, draft.vat_regime),
        draft.totals.vat_rate,
        school,
    )
    number = run.take_number(session)
    issued = replace(_issued(run, draft, school, number, language, note, product), **(buyer or {}))
    invoice_id = write(session, issued)
    document = _document(run, issued, registration_code)
    pdf = None
    if pdfs is not None:
        sha256 = pdfs.add(invoice_id, pdf_key, document)  # the hash, once the batch stores it
    else:
        pdf = render(document)
        sha256 = hashlib.sha256(pdf).hexdigest()
        session.execute(
            _INSERT_PDF,
            {"invoice_id": invoice_id, "pdf": pdf, "sha256": sha256, "created_at": datetime.now()},
        )
    audit.record(
        audit_to if audit_to is not None else session,  # type: ignore[arg-type]
        "invoice.issue",
        "invoice",
        invoice_id,
        school_id=school.id,
        before={"status": DRAFT, "date": draft.invoice_date},
        after={
            "number": number,
            "date": issued.invoice_date,
            "due_date": issued.due_date,
            "reference": issued.reference,
            "payable": issued.payable,
            "pdf_sha256": sha256,
        },
    )
    view = replace(draft, id=invoice_id, number=number, status=ISSUED, invoice_date=run.on)
    return Issued(view, pdf)


def _update_draft(invoice: Invoice) -> WriteInvoice:
    def write(session: Session, issued: IssuedInvoice) -> int:
        invoice.number = issued.number
        invoice.status = ISSUED
        invoice.invoice_date = issued.invoice_date
        invoice.due_date = issued.due_date
        invoice.issued_at = datetime.now()
        invoice.reference = issued.reference
        session.flush()
        return invoice.id

    return write


def issue_draft(session: Session, invoice: Invoice, on: date, vendor: VendorSettings) -> bytes:
    """Issue the draft ``invoice`` inside the caller's transaction; returns its PDF."""
    if invoice.kind == INVOICE and invoice.status != DRAFT:
        raise InvalidInput(
            _("invoice {number} is already issued; it cannot be issued again").format(
                number=invoice.number
            )
        )
    refuse_unless_draft(invoice, _("issued"))
    run = IssueRun(vendor, on)
    issued = issue(
        session,
        run,
        invoice_view(invoice),
        invoice.school,
        _update_draft(invoice),
        label=invoice.id,
        language=invoice.language,
        note=invoice.note,
        registration_code=registration_code(session, invoice),
        buyer=buyer_of(invoice),
        product=plan_name(session, invoice),
    )
    session.flush()
    assert issued.pdf is not None
    return issued.pdf


def issue_invoice(db: Database, key: str, on: date | None = None) -> InvoiceRecord:
    """Number the draft, fix its dates and reference, store its PDF, all in one transaction."""
    on = on or date.today()
    with db.transaction() as session:
        require(session, ACCOUNTANT, _("Issuing an invoice"))
        vendor = load_vendor(session)
        invoice = find_invoice(session, key, lock=True)
        issue_draft(session, invoice, on, vendor)
        return invoice_record(invoice, ZERO, ZERO, on)
