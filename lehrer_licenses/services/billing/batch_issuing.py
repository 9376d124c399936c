"""Issuing the invoices of a batch run (the year-end run), one contract per transaction.

``insert_issued`` and ``print_issued`` write what ``invoicing.create_draft`` followed by
``billing.issue_in`` write -- the same rows, checks and audit entries -- as plain INSERTs, so a
contract's transaction stays cheap: no unit-of-work flush per row, the vendor checked once per
run, the date-order scan only when someone else issued an invoice meanwhile (``IssueRun``).
``expected_document`` lets the run predict a document to have it rendered ahead
(``services.season.prerender``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from lehrer_licenses.documents import InvoiceDocument
from lehrer_licenses.domain.pricing import Line
from lehrer_licenses.i18n import _
from lehrer_licenses.services.billing.drafts import InvoiceView, line_columns
from lehrer_licenses.services.billing.numbering import number_in_order
from lehrer_licenses.services.billing.printing import build_document, render, require_postal_address
from lehrer_licenses.services.billing.references import payment_reference
from lehrer_licenses.services.billing.states import DRAFT, INVOICE, ISSUED
from lehrer_licenses.services.billing.vendor import VendorSettings, require_complete
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.season.batch_audit import AuditJournal
from lehrer_licenses.services.season.prerender import PreRenderer
from lehrer_licenses.store import audit
from lehrer_licenses.store.models import Invoice, InvoiceLine, InvoicePdf, School

_INVOICE = Invoice.__table__
_INSERT_INVOICE = _INVOICE.insert().returning(_INVOICE.c.id)
_INSERT_LINES = InvoiceLine.__table__.insert()
_INSERT_PDF = InvoicePdf.__table__.insert()


class IssueRun:
    """Many invoices issued on one date, each in a transaction of its own (the year-end run).

    What does not change between them is checked and built once: the vendor (checked complete),
    its document data. The date order (a scan of the year's invoices) is checked in full for the
    first invoice, and again only when the counter shows that an invoice was issued by someone
    else since this run's last one: while the counter still stands where this run's last
    committed issue left it, that invoice, dated ``on``, is the latest.
    The caller says ``committed()`` after each transaction that committed; a rolled back one
    leaves the next issue to check in full.
    """

    def __init__(self, vendor: VendorSettings, on: date) -> None:
        require_complete(vendor)  # before anything is written
        self.vendor = vendor
        self.on = on
        self.document_vendor = vendor.document_vendor()
        self._confirmed: int | None = None  # the counter after our last committed issue
        self._pending: int | None = None  # the counter after our issue in this transaction

    def take_number(self, session: Session) -> str:
        """The next invoice number, in this contract's transaction."""
        number, self._pending = number_in_order(session, self.on, self.vendor, self._trusted)
        self._confirmed = None  # until this transaction commits
        return number

    def _trusted(self, last: int) -> bool:
        return self._confirmed is not None and last == self._confirmed

    def committed(self) -> None:
        if self._pending is not None:
            self._confirmed, self._pending = self._pending, None

    def rolled_back(self) -> None:
        self._confirmed = self._pending = None


@dataclass(frozen=True)
class _Printed:
    """What ``build_document`` reads of an invoice, for one written without the ORM."""

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
    note: None = None


def _printed(run: IssueRun, draft: InvoiceView, school: School, number: str) -> _Printed:
    t, vendor = draft.totals, run.vendor
    return _Printed(
        kind=INVOICE,
        number=number,
        invoice_date=run.on,
        due_date=run.on + timedelta(days=vendor.payment_terms_days),
        language=school.language,
        currency=draft.currency,
        school=school,
        lines=draft.lines,
        net=t.net.amount,
        vat_rate=t.vat_rate,
        vat=t.vat.amount,
        total=t.total.amount,
        rounding=t.rounding.amount,
        payable=t.payable.amount,
        reference=payment_reference(number, draft.currency, vendor),
    )


def _document(run: IssueRun, printed: _Printed, registration_code: str | None) -> InvoiceDocument:
    return build_document(
        None,  # type: ignore[arg-type]  # reads the invoice only
        printed,  # type: ignore[arg-type]
        run.vendor,
        registration_code=registration_code,
        document_vendor=run.document_vendor,
    )


def expected_document(
    run: IssueRun, draft: InvoiceView, school: School, seq: int, registration_code: str | None
) -> InvoiceDocument:
    """The document ``insert_issued`` and ``print_issued`` will print for ``draft`` if it gets
    the number ``seq`` of ``run.on``'s year and carries ``registration_code``."""
    number = run.vendor.invoice_format.format(year=run.on.year, seq=seq)
    return _document(run, _printed(run, draft, school, number), registration_code)


def insert_issued(
    session: Session,
    run: IssueRun,
    draft: InvoiceView,
    school: School,
    subscription_id: int | None,
    billing_key: str | None,
    journal: AuditJournal,
) -> tuple[InvoiceView, _Printed]:
    """Write the priced ``draft`` as an invoice issued on ``run.on``: what ``create_draft`` and
    then ``issue_in`` write (the same rows, checks and audit entries), as plain INSERTs in the
    caller's transaction, so that one contract of a batch run stays cheap. The PDF follows
    with ``print_issued`` (after the registration code it carries)."""
    t = draft.totals
    require_postal_address(school)
    if not draft.lines:
        raise InvalidInput(_("draft {id} has no lines").format(id=billing_key))
    if t.payable.amount < 0:
        raise InvalidInput(
            _("draft {id} has a negative amount: issue a credit note instead").format(
                id=billing_key
            )
        )
    on = run.on
    number = run.take_number(session)
    now = datetime.now()
    printed = _printed(run, draft, school, number)
    invoice_id = session.execute(
        _INSERT_INVOICE,
        dict(
            kind=INVOICE,
            status=ISSUED,
            number=number,
            school_id=school.id,
            subscription_id=subscription_id,
            reason=draft.reason,
            billing_key=billing_key,
            currency=draft.currency,
            language=school.language,
            invoice_date=on,
            due_date=printed.due_date,
            net=printed.net,
            vat_rate=printed.vat_rate,
            vat=printed.vat,
            total=printed.total,
            rounding=printed.rounding,
            payable=printed.payable,
            reference=printed.reference,
            created_at=now,
            issued_at=now,
        ),
    ).scalar_one()
    session.execute(
        _INSERT_LINES,
        [
            {"invoice_id": invoice_id, **line_columns(position, line)}
            for position, line in enumerate(draft.lines, start=1)
        ],
    )
    audit.record(
        journal,  # type: ignore[arg-type]
        "invoice.draft",
        "invoice",
        invoice_id,
        school_id=school.id,
        after={
            "reason": draft.reason,
            "net": printed.net,
            "payable": printed.payable,
            "currency": draft.currency,
            "billing_key": billing_key,
        },
    )
    view = replace(draft, id=invoice_id, number=number, status=ISSUED, invoice_date=on)
    return view, printed


def print_issued(
    session: Session,
    run: IssueRun,
    view: InvoiceView,
    printed: _Printed,
    draft_date: date,
    registration_code: str | None,
    journal: AuditJournal,
    ahead: PreRenderer | None = None,
    key: str = "",
) -> bytes:
    """Render and store the PDF of an invoice written by ``insert_issued``, and audit the issue
    as ``issue_in`` does."""
    document = _document(run, printed, registration_code)
    pdf = ahead.take(key, document) if ahead is not None else None
    if pdf is None:
        pdf = render(document)
    sha256 = hashlib.sha256(pdf).hexdigest()
    session.execute(
        _INSERT_PDF,
        {"invoice_id": view.id, "pdf": pdf, "sha256": sha256, "created_at": datetime.now()},
    )
    audit.record(
        journal,  # type: ignore[arg-type]
        "invoice.issue",
        "invoice",
        view.id,
        school_id=printed.school.id,
        before={"status": DRAFT, "date": draft_date},
        after={
            "number": printed.number,
            "date": printed.invoice_date,
            "due_date": printed.due_date,
            "reference": printed.reference,
            "payable": printed.payable,
            "pdf_sha256": sha256,
        },
    )
    return pdf
