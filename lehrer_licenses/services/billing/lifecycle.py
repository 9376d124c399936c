"""The invoice lifecycle: quote -> draft -> issued -> paid / partly paid / overdue, and credit
notes, the only way to void (part of) an issued invoice.

- Issuing takes the next number of its series and year from ``number_counter`` in the same
  transaction, so a failed issue (vendor incomplete, bad bank data, already issued) leaves no gap,
  renders the PDF through ``documents`` and stores it: a re-print is the same bytes.
- An issued invoice, a credit note and a quote never change; drafts can be edited or deleted.
- Each invoice carries a payment reference made from its number: a 27-digit QR reference when
  the vendor has a QR-IBAN (CHF), otherwise an ISO 11649 creditor reference "RF..." (SCOR), so
  incoming payments can be matched.
- Paid, partly paid and overdue follow from the payments, the credit notes and the due date
  (``services.billing.payments``); the stored status is kept up to date by the use cases.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, selectinload

from lehrer_licenses.documents import (
    Address,
    DocumentDataError,
    DocumentLine,
    InvoiceDocument,
    Vendor,
    render_invoice,
)
from lehrer_licenses.domain.invoice import compute_totals
from lehrer_licenses.domain.money import round_half_up
from lehrer_licenses.domain.pricing import Line
from lehrer_licenses.domain.vat import vat_rate_for
from lehrer_licenses.i18n import _, gettext_for
from lehrer_licenses.services.billing.drafts import line_columns
from lehrer_licenses.services.billing.vendor import VendorSettings, load_vendor, require_complete
from lehrer_licenses.services.catalogue import load_vat_rates
from lehrer_licenses.services.errors import InvalidInput, NotFound
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import (
    Invoice,
    InvoiceLine,
    InvoicePdf,
    IssuedCode,
    NumberCounter,
    Payment,
    School,
)

INVOICE = "invoice"
CREDIT_NOTE = "credit_note"
QUOTE = "quote"

DRAFT = "draft"
ISSUED = "issued"
PARTLY_PAID = "partly_paid"
PAID = "paid"
CREDITED = "credited"  # voided by credit notes for its full amount
OVERDUE = "overdue"  # derived, never stored
QUOTED = "quote"
ACCEPTED = "accepted"

SERIES_FORMAT = {
    INVOICE: "invoice_format",
    CREDIT_NOTE: "credit_format",
    QUOTE: "quote_format",
}
ZERO = Decimal("0.00")


# --- payment references -----------------------------------------------------------------------


def _mod10_recursive(digits: str) -> str:
    """The check digit of a Swiss QR reference (modulo 10, recursive)."""
    table = (0, 9, 4, 6, 8, 2, 7, 1, 3, 5)
    carry = 0
    for ch in digits:
        carry = table[(carry + int(ch)) % 10]
    return str((10 - carry) % 10)


def qr_reference(number: str) -> str:
    """A 27-digit QR reference from the digits of an invoice number ("2026-00017" ->
    "000000000000000002026000177")."""
    digits = "".join(ch for ch in number if ch.isdigit())[-26:]
    body = digits.rjust(26, "0")
    return body + _mod10_recursive(body)


def creditor_reference(number: str) -> str:
    """An ISO 11649 creditor reference "RF.." from the letters and digits of a number."""
    body = "".join(ch for ch in number.upper() if ch.isalnum())[-21:] or "0"
    numeric = "".join(str(int(ch, 36)) for ch in body + "RF00")
    check = 98 - int(numeric) % 97
    return f"RF{check:02d}{body}"


def payment_reference(number: str, currency: str, vendor: VendorSettings) -> str:
    if currency == "CHF" and vendor.qr_iban:
        return qr_reference(number)
    return creditor_reference(number)


def compact_reference(text: str) -> str:
    return "".join(text.split()).upper()


# --- numbering ---------------------------------------------------------------------------------


_COUNTER = NumberCounter.__table__
_COUNTER_WHERE = (
    _COUNTER.c.series == bindparam("b_series"),
    _COUNTER.c.year == bindparam("b_year"),
)
_COUNTER_LAST = select(_COUNTER.c.last).where(*_COUNTER_WHERE).with_for_update()
_COUNTER_MOVE = _COUNTER.update().where(*_COUNTER_WHERE).values(last=bindparam("b_last"))
_COUNTER_NEW = _COUNTER.insert()
_NUMBER_TAKEN = select(Invoice.__table__.c.id).where(
    Invoice.__table__.c.number == bindparam("b_number")
)


def _advance_counter(session: Session, series: str, year: int) -> int:
    """Move the counter of ``series`` in ``year`` on by one; returns where it stood. In the
    caller's transaction, so a rollback gives the number back (no gap)."""
    key = {"b_series": series, "b_year": year}
    last = session.execute(_COUNTER_LAST, key).scalar()
    if last is None:
        session.execute(_COUNTER_NEW, {"series": series, "year": year, "last": 1})
        return 0
    session.execute(_COUNTER_MOVE, {**key, "b_last": last + 1})
    return last


def _format_free(session: Session, series: str, year: int, seq: int, vendor: VendorSettings) -> str:
    number = getattr(vendor, SERIES_FORMAT[series]).format(year=year, seq=seq)
    taken = session.execute(_NUMBER_TAKEN, {"b_number": number}).first()
    if taken is not None:
        raise InvalidInput(
            _(
                "the number {number} is already taken (was the number format changed?); "
                "change the format with 'vendor set' and issue again"
            ).format(number=number)
        )
    return number


def next_number(session: Session, series: str, year: int, vendor: VendorSettings) -> str:
    """Take the next number of ``series`` in ``year``; rolled back with the transaction."""
    return _format_free(session, series, year, _advance_counter(session, series, year) + 1, vendor)


# --- loading and describing --------------------------------------------------------------------


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


def settled_status(payable: Decimal, paid: Decimal, credited: Decimal) -> str:
    """The stored status of an issued invoice from its payments and credit notes."""
    if credited >= payable:
        return CREDITED
    if paid + credited >= payable:
        return PAID
    if paid > 0:
        return PARTLY_PAID
    return ISSUED


def display_status(status: str, due: date | None, open_amount: Decimal, today: date) -> str:
    """The status shown: an issued or partly paid invoice past its due date is overdue."""
    if status in (ISSUED, PARTLY_PAID) and due is not None and due < today and open_amount > 0:
        return OVERDUE
    return status


def update_settlement(session: Session, invoice: Invoice) -> str:
    before = invoice.status
    invoice.status = settled_status(
        invoice.payable, paid_amount(session, invoice.id), credited_amount(session, invoice.id)
    )
    return before


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def invoice_json(
    invoice: Invoice, paid: Decimal, credited: Decimal, today: date | None = None
) -> dict:
    """DESIGN §5's invoice JSON, with the lifecycle fields of this module."""
    from lehrer_licenses.services.billing.drafts import invoice_view

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
            "paid": _money(paid),
            "credited": _money(credited),
            "open": _money(open_amount),
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
            {"date": p.paid_on.isoformat(), "amount": _money(p.amount), "reference": p.reference}
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


# --- documents ---------------------------------------------------------------------------------


def school_address(school: School) -> Address:
    return Address(
        name=school.name,
        street=school.street,
        house_number=school.house_number,
        postcode=school.postcode,
        city=school.city,
        country=school.country,
    )


def _registration_code(session: Session, invoice: Invoice) -> str | None:
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
    return InvoiceDocument(
        kind=invoice.kind,  # type: ignore[arg-type]
        number=invoice.number,
        issue_date=invoice.invoice_date,
        due_date=invoice.due_date,
        language=invoice.language,
        currency=invoice.currency,
        vendor=document_vendor or vendor.document_vendor(),
        recipient=school_address(school),
        school_number=school.number,
        lines=tuple(
            DocumentLine(
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                amount=line.amount,
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
            _("school {number} has no postal address ({missing} missing): set it first").format(
                number=school.number, missing=", ".join(missing)
            )
        )


def render(document: InvoiceDocument) -> bytes:
    try:
        return render_invoice(document)
    except DocumentDataError as exc:
        raise InvalidInput(
            _("the document cannot be printed: {problem}").format(problem=exc)
        ) from exc


def _store_pdf(session: Session, invoice: Invoice, pdf: bytes) -> None:
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

    def to_json(self) -> dict:
        return {"number": self.number, "kind": self.kind, "bytes": len(self.pdf)}


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
            session, invoice, vendor, registration_code=_registration_code(session, invoice)
        )
        return PdfResult(None, invoice.kind, render(document), False)


# --- issuing -----------------------------------------------------------------------------------


def _refuse_unless_draft(invoice: Invoice, action: str) -> None:
    if invoice.kind == QUOTE:
        raise InvalidInput(
            _("{number} is a quote and cannot be {action}; accepting it makes a draft").format(
                number=invoice.number, action=action
            )
        )
    if invoice.kind == CREDIT_NOTE:
        raise InvalidInput(
            _("credit note {number} was issued and cannot be {action}").format(
                number=invoice.number, action=action
            )
        )
    if invoice.status != DRAFT:
        raise InvalidInput(
            _(
                "invoice {number} is already issued (status {status}) and cannot be {action}: "
                "correct it with a credit note"
            ).format(number=invoice.number, status=invoice.status, action=action)
        )


def _latest_date(session: Session, kind: str, year: int) -> tuple[date, str] | None:
    row = session.execute(
        select(Invoice.invoice_date, Invoice.number)
        .where(
            Invoice.kind == kind,
            Invoice.number.is_not(None),
            Invoice.invoice_date >= date(year, 1, 1),
            Invoice.invoice_date <= date(year, 12, 31),
        )
        .order_by(Invoice.invoice_date.desc(), Invoice.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def _check_date_order(session: Session, kind: str, on: date) -> None:
    """Numbers follow the dates: no document dated before the last one of its series."""
    latest = _latest_date(session, kind, on.year)
    if latest is not None and on < latest[0]:
        raise InvalidInput(
            _(
                "the date {date} lies before {number} of {latest}: numbers follow the dates, "
                "issue on {latest} or later"
            ).format(date=on.isoformat(), number=latest[1], latest=latest[0].isoformat())
        )


def number_in_order(
    session: Session,
    on: date,
    vendor: VendorSettings,
    trusted: Callable[[int], bool] | None = None,
) -> tuple[str, int]:
    """The next invoice number for a document dated ``on`` and the counter after it, refused
    when an invoice of the same year is dated later (numbers follow the dates). ``trusted``
    (a batch run's) may say the counter's last value shows the order already checked."""
    last = _advance_counter(session, INVOICE, on.year)
    if trusted is None or not trusted(last):
        _check_date_order(session, INVOICE, on)
    return _format_free(session, INVOICE, on.year, last + 1, vendor), last + 1


def invoice_counter(session: Session, year: int) -> int:
    """Where the invoice counter of ``year`` stands (0 before the first invoice)."""
    return session.execute(_COUNTER_LAST, {"b_series": INVOICE, "b_year": year}).scalar() or 0


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
    _refuse_unless_draft(invoice, _("issued"))
    require_complete(vendor)
    require_postal_address(invoice.school)
    if not invoice.lines:
        raise InvalidInput(_("draft {id} has no lines").format(id=invoice.id))
    if invoice.payable < 0:
        raise InvalidInput(
            _("draft {id} has a negative amount: issue a credit note instead").format(id=invoice.id)
        )
    code = _registration_code(session, invoice)
    before = {"status": invoice.status, "date": invoice.invoice_date}
    invoice.number, _counter = number_in_order(session, on, vendor)
    invoice.status = ISSUED
    invoice.invoice_date = on
    invoice.due_date = on + timedelta(days=vendor.payment_terms_days)
    invoice.issued_at = datetime.now()
    invoice.reference = payment_reference(invoice.number, invoice.currency, vendor)
    pdf = render(build_document(session, invoice, vendor, registration_code=code))
    _store_pdf(session, invoice, pdf)
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


# --- drafts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    description: str
    quantity: Decimal
    unit_price: Decimal


# Drafts written by a use case that delivered a licence (seats, a term, a package, an add-on,
# pupils): deleting one would leave the licence delivered but unbilled.
LICENCE_REASONS = frozenset(
    {"order", "renewal", "usage", "addon", "pre_investment", "settlement", "upgrade"}
)


def _refuse_licence_bound(invoice: Invoice) -> None:
    if invoice.reason == "order":
        raise InvalidInput(
            _(
                "draft #{id} belongs to an order whose seats were delivered and cannot simply "
                "be deleted: undo the order (`invoice undo-order {id}`)"
            ).format(id=invoice.id)
        )
    if (
        invoice.billing_key
        or invoice.reason in LICENCE_REASONS
        or invoice.subscription_id is not None
        or invoice.addon_id is not None
    ):
        raise InvalidInput(
            _(
                "draft #{id} bills a licence already delivered ({reason}) and cannot be deleted: "
                "change its lines (`invoice edit {id}`) or issue it and write a credit note"
            ).format(id=invoice.id, reason=invoice.reason)
        )


def delete_draft(db: Database, key: str) -> dict:
    """Delete a draft not tied to a delivered licence (an order's draft: ``order_undo``)."""
    with db.transaction() as session:
        invoice = find_invoice(session, key, lock=True)
        _refuse_unless_draft(invoice, _("deleted"))
        _refuse_licence_bound(invoice)
        snapshot = {
            "school": invoice.school.number,
            "reason": invoice.reason,
            "date": invoice.invoice_date,
            "payable": invoice.payable,
            "lines": [line.description for line in invoice.lines],
        }
        invoice_id, school_id = invoice.id, invoice.school_id
        session.delete(invoice)
        audit.record(
            session, "invoice.delete", "invoice", invoice_id, school_id=school_id, before=snapshot
        )
        return {"id": invoice_id, "deleted": True}


def edit_draft(
    db: Database,
    key: str,
    *,
    add: Sequence[LineInput] = (),
    remove: Sequence[int] = (),
    on: date | None = None,
) -> dict:
    """Remove lines (by position, 1-based), add lines, change the date; totals are recomputed."""
    with db.transaction() as session:
        invoice = find_invoice(session, key, lock=True)
        _refuse_unless_draft(invoice, _("edited"))
        positions = {line.position for line in invoice.lines}
        wrong = sorted(set(remove) - positions)
        if wrong:
            raise InvalidInput(
                _("draft {id} has no line {positions}").format(
                    id=invoice.id, positions=", ".join(str(p) for p in wrong)
                )
            )
        for item in add:
            if not item.description.strip():
                raise InvalidInput(_("a line needs a description"))
            if item.quantity == 0:
                raise InvalidInput(_("a line needs a quantity other than 0"))
        before = {
            "date": invoice.invoice_date,
            "payable": invoice.payable,
            "lines": [line.description for line in invoice.lines],
        }
        kept = [line for line in invoice.lines if line.position not in set(remove)]
        new_lines = [
            Line(
                line.code,
                line.description,
                line.quantity,
                line.unit_price,
                line.amount,
                line.period_start,
                line.period_end,
            )
            for line in kept
        ] + [
            Line(
                "manual",
                item.description.strip(),
                item.quantity,
                item.unit_price,
                round_half_up(item.quantity * item.unit_price),
            )
            for item in add
        ]
        if not new_lines:
            raise InvalidInput(_("a draft needs at least one line; delete the draft instead"))
        day = on or invoice.invoice_date
        rate = vat_rate_for(load_vat_rates(session), invoice.school.country, day)
        totals = compute_totals(new_lines, rate, invoice.currency)
        invoice.lines.clear()
        session.flush()
        for position, line in enumerate(new_lines, start=1):
            invoice.lines.append(
                InvoiceLine(
                    position=position,
                    code=line.code,
                    description=line.description,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    amount=line.amount,
                    period_start=line.period_start,
                    period_end=line.period_end,
                )
            )
        invoice.invoice_date = day
        invoice.net = totals.net.amount
        invoice.vat_rate = totals.vat_rate
        invoice.vat = totals.vat.amount
        invoice.total = totals.total.amount
        invoice.rounding = totals.rounding.amount
        invoice.payable = totals.payable.amount
        session.flush()
        audit.record(
            session,
            "invoice.edit",
            "invoice",
            invoice.id,
            school_id=invoice.school_id,
            before=before,
            after={
                "date": day,
                "payable": invoice.payable,
                "lines": [line.description for line in invoice.lines],
            },
        )
        return invoice_json(invoice, ZERO, ZERO, day)


# --- credit notes ------------------------------------------------------------------------------


def credit_invoice(
    db: Database,
    key: str,
    *,
    reason: str,
    amount: Decimal | None = None,
    on: date | None = None,
    line_text: str | None = None,
) -> dict:
    """A credit note for all of the invoice's remaining amount, or for ``amount`` (incl. VAT).

    A part is one line, "Partial credit on invoice N" unless ``line_text`` says what it is
    (an add-on's pro-rata refund names the subject and the days)."""
    on = on or date.today()
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("a credit note needs a reason (--reason)"))
    with db.transaction() as session:
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
                    amount=_money(amount),
                    currency=invoice.currency,
                    creditable=_money(creditable),
                    number=invoice.number,
                )
            )
        require_complete(vendor)
        require_postal_address(invoice.school)
        _check_date_order(session, CREDIT_NOTE, on)
        if on < invoice.invoice_date:
            raise InvalidInput(
                _("a credit note cannot be dated before the invoice it corrects ({date})").format(
                    date=invoice.invoice_date.isoformat()
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
        )
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
        pdf = render(build_document(session, note, vendor, references_invoice=invoice.number))
        _store_pdf(session, note, pdf)
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
        doc = invoice_json(note, ZERO, ZERO, on)
        doc["credits_invoice"] = invoice.number
        doc["invoice_status"] = invoice.status
        return doc


# --- quotes ------------------------------------------------------------------------------------


def create_quote(
    db: Database, school_number: str, seats: int, on: date, plan_code: str | None = None
) -> tuple[dict, bytes]:
    """A numbered quote (Offerte) for an order of seats, its PDF stored; nothing else changes."""
    from lehrer_licenses.services.licences.seats.orders import quote_order

    priced = quote_order(db, school_number, seats, on, plan_code)
    with db.transaction() as session:
        vendor = load_vendor(session)
        require_complete(vendor)
        school = school_by_number(session, school_number)
        require_postal_address(school)
        _check_date_order(session, QUOTE, on)
        view = priced.invoice
        t = view.totals
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
            net=t.net.amount,
            vat_rate=t.vat_rate,
            vat=t.vat.amount,
            total=t.total.amount,
            rounding=t.rounding.amount,
            payable=t.payable.amount,
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
            quote.lines.append(
                InvoiceLine(
                    position=position,
                    code=line.code,
                    description=line.description,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    amount=line.amount,
                    period_start=line.period_start,
                    period_end=line.period_end,
                )
            )
        session.add(quote)
        quote.school = school
        quote.number = next_number(session, QUOTE, on.year, vendor)
        session.flush()
        pdf = render(build_document(session, quote, vendor))
        _store_pdf(session, quote, pdf)
        audit.record(
            session,
            "quote.create",
            "invoice",
            quote.id,
            school_id=school.id,
            after={"number": quote.number, "seats": seats, "payable": quote.payable},
        )
        session.flush()
        return invoice_json(quote, ZERO, ZERO, on), pdf


class InTransaction:
    """A ``Database`` look-alike whose transaction is one already open, so that one use case
    can run another's steps inside its own transaction (all or nothing)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        yield self._session

    reading = transaction


def accept_quote(db: Database, key: str, on: date | None = None) -> dict:
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
                    number=quote.number, date=quote.due_date.isoformat()
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
        doc = result.invoice.to_json()
        doc["quote"] = quote.number
        doc["code"] = result.code
        return doc


# --- lists -------------------------------------------------------------------------------------


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
