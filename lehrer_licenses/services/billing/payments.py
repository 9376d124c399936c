"""Payments received, the balance of a school and the list of overdue invoices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lehrer_licenses.i18n import _, format_date
from lehrer_licenses.services.billing.lookups import (
    InvoiceRecord,
    PaymentLine,
    credited_amount,
    find_invoice,
    invoice_record,
    list_invoices,
    paid_amount,
    payment_lines,
    update_settlement,
)
from lehrer_licenses.services.billing.states import (
    CREDIT_NOTE,
    DRAFT,
    INVOICE,
    ISSUED,
    PARTLY_PAID,
    ZERO,
)
from lehrer_licenses.services.errors import InvalidInput, NotFound
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import DunningNotice, Invoice, Payment


@dataclass(frozen=True)
class BookedPayment:
    record: InvoiceRecord  # the invoice after the payment
    payment_id: int
    paid_on: date
    amount: Decimal
    overpaid: Decimal  # paid and credited beyond the payable amount (0.00 if not)


def record_payment(
    db: Database, key: str, amount: Decimal, on: date, reference: str = ""
) -> BookedPayment:
    """Book money received for an issued invoice (``key``: its number, id or payment
    reference). Full or partial; an overpayment is booked and reported."""
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(
            _("a payment must be a positive amount with at most two decimals, not {amount}").format(
                amount=amount
            )
        )
    with db.transaction() as session:
        invoice = find_invoice(session, key, lock=True)
        if invoice.kind != INVOICE:
            raise InvalidInput(
                _("{number} is not an invoice; payments are booked on invoices").format(
                    number=invoice.number
                )
            )
        if invoice.status == DRAFT:
            raise InvalidInput(
                _("draft {id} is not issued yet; issue it before booking a payment").format(
                    id=invoice.id
                )
            )
        if on < invoice.invoice_date:
            raise InvalidInput(
                _("the payment date {date} lies before the invoice date {invoice_date}").format(
                    date=format_date(on), invoice_date=format_date(invoice.invoice_date)
                )
            )
        payment = Payment(
            invoice_id=invoice.id,
            school_id=invoice.school_id,
            paid_on=on,
            amount=amount,
            currency=invoice.currency,
            reference=(reference or "").strip()[:80],
            created_at=datetime.now(),
        )
        before, paid, credited = _book(session, invoice, payment)
        audit.record(
            session,
            "invoice.payment",
            "invoice",
            invoice.id,
            school_id=invoice.school_id,
            before={"status": before},
            after={"status": invoice.status, "amount": amount, "paid_on": on, "paid": paid},
        )
        overpaid = paid + credited - invoice.payable
        return BookedPayment(
            invoice_record(invoice, paid, credited, on), payment.id, on, amount, max(overpaid, ZERO)
        )


def _book(session: Session, invoice: Invoice, row: Payment) -> tuple[str, Decimal, Decimal]:
    """Write a payment or reversal row and settle its invoice: (status before, paid, credited)."""
    session.add(row)
    session.flush()
    before = update_settlement(session, invoice)
    return before, paid_amount(session, invoice.id), credited_amount(session, invoice.id)


@dataclass(frozen=True)
class ReversedPayment:
    record: InvoiceRecord  # the invoice after the reversal
    reversal_id: int
    payment_id: int  # the payment reversed, kept as it was booked
    reversed_on: date
    amount: Decimal  # the amount taken back (positive)
    reason: str


def reverse_payment(db: Database, payment_id: int, reason: str, on: date) -> ReversedPayment:
    """Take back a payment booked by mistake: a counter-booking of the negated amount on ``on``,
    with the reason, audited. The payment itself stays in the books; the invoice's status follows
    what is left paid (paid -> partly paid or issued, overdue if its due date has passed)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput(_("a reversal needs a reason (why the payment was wrong)"))
    if len(reason) > 200:
        raise InvalidInput(
            _("the reason is {length} characters long; at most 200 are kept").format(
                length=len(reason)
            )
        )
    with db.transaction() as session:
        payment = session.get(Payment, payment_id, with_for_update=True)
        if payment is None:
            raise NotFound(_("no payment with id {id}").format(id=payment_id))
        if payment.reverses_id is not None:
            raise InvalidInput(
                _(
                    "payment {id} is itself the reversal of payment {original}; "
                    "book the payment again instead"
                ).format(id=payment.id, original=payment.reverses_id)
            )
        earlier = session.scalar(select(Payment).where(Payment.reverses_id == payment.id))
        if earlier is not None:
            raise InvalidInput(
                _("payment {id} was already reversed on {date} (reversal {reversal})").format(
                    id=payment.id, date=format_date(earlier.paid_on), reversal=earlier.id
                )
            )
        if on < payment.paid_on:
            raise InvalidInput(
                _("the reversal date {date} lies before the payment's date {paid_on}").format(
                    date=format_date(on), paid_on=format_date(payment.paid_on)
                )
            )
        invoice = session.get(Invoice, payment.invoice_id, with_for_update=True)
        assert invoice is not None  # a payment's invoice is kept (foreign key)
        reversal = Payment(
            invoice_id=invoice.id,
            school_id=payment.school_id,
            paid_on=on,
            amount=-payment.amount,
            currency=payment.currency,
            reference=payment.reference,
            created_at=datetime.now(),
            reverses_id=payment.id,
            reason=reason,
        )
        before, paid, credited = _book(session, invoice, reversal)
        audit.record(
            session,
            "invoice.payment_reversed",
            "invoice",
            invoice.id,
            school_id=invoice.school_id,
            before={"status": before, "payment": payment.id},
            after={
                "status": invoice.status,
                "amount": -payment.amount,
                "reversed_on": on,
                "reason": reason,
                "paid": paid,
            },
        )
        return ReversedPayment(
            invoice_record(invoice, paid, credited, on),
            reversal.id,
            payment.id,
            on,
            payment.amount,
            reason,
        )


def invoice_payments(db: Database, key: str) -> tuple[InvoiceRecord, tuple[PaymentLine, ...]]:
    """An invoice (number, id or payment reference) with its payments and reversals."""
    with db.reading() as session:
        invoice = find_invoice(session, key)
        record = invoice_record(
            invoice, paid_amount(session, invoice.id), credited_amount(session, invoice.id)
        )
        return record, payment_lines(session, invoice.id)


@dataclass(frozen=True)
class Balance:
    currency: str
    invoiced: Decimal
    credited: Decimal
    paid: Decimal
    fees: Decimal

    @property
    def open(self) -> Decimal:
        return self.invoiced - self.credited - self.paid


@dataclass(frozen=True)
class SchoolBalance:
    school: str
    school_name: str
    balances: tuple[Balance, ...]  # per currency
    open_invoices: tuple[InvoiceRecord, ...]


def school_balance(db: Database, school_number: str, today: date | None = None) -> SchoolBalance:
    """What a school was billed (issued invoices), credited and paid, per currency; a negative
    open amount is money owed to the school. Dunning fees are listed apart."""
    today = today or date.today()
    with db.reading() as session:
        school = school_by_number(session, school_number)
        sums: dict[str, dict[str, Decimal]] = {}

        def add(currency: str, name: str, value: Decimal | None) -> None:
            bucket = sums.setdefault(
                currency, {"invoiced": ZERO, "credited": ZERO, "paid": ZERO, "fees": ZERO}
            )
            bucket[name] += value or ZERO

        for kind, currency, total in session.execute(
            select(Invoice.kind, Invoice.currency, func.sum(Invoice.payable))
            .where(
                Invoice.school_id == school.id,
                Invoice.kind.in_((INVOICE, CREDIT_NOTE)),
                Invoice.number.is_not(None),
            )
            .group_by(Invoice.kind, Invoice.currency)
        ):
            add(currency, "invoiced" if kind == INVOICE else "credited", total)
        for currency, total in session.execute(
            select(Payment.currency, func.sum(Payment.amount))
            .where(Payment.school_id == school.id)
            .group_by(Payment.currency)
        ):
            add(currency, "paid", total)
        for currency, total in session.execute(
            select(Invoice.currency, func.sum(DunningNotice.fee))
            .join(Invoice, Invoice.id == DunningNotice.invoice_id)
            .where(DunningNotice.school_id == school.id)
            .group_by(Invoice.currency)
        ):
            add(currency, "fees", total)
        balances = [Balance(cur, **values) for cur, values in sorted(sums.items())]
        school_name = school.name
    open_invoices = tuple(
        record
        for record in list_invoices(db, school=school_number, kind=INVOICE, today=today)
        if record.status in (ISSUED, PARTLY_PAID, "overdue")
    )
    return SchoolBalance(school_number, school_name, tuple(balances), open_invoices)


@dataclass(frozen=True)
class OverdueInvoice:
    record: InvoiceRecord
    dunning_level: int  # the last reminder's level (0: none yet)


def overdue_invoices(db: Database, today: date | None = None) -> list[OverdueInvoice]:
    """Issued invoices past their due date with money still open, the longest overdue first,
    with their last reminder level."""
    today = today or date.today()
    records = list_invoices(db, overdue=True, today=today)
    if not records:
        return []
    with db.reading() as session:
        levels = dict(
            session.execute(
                select(DunningNotice.invoice_id, func.max(DunningNotice.level)).group_by(
                    DunningNotice.invoice_id
                )
            ).all()
        )
    overdue = [OverdueInvoice(r, levels.get(r.id, 0)) for r in records]
    overdue.sort(key=lambda o: (-o.record.days_overdue, o.record.number))
    return overdue
