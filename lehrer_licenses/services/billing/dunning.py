"""Dunning: up to three payment reminders per overdue invoice, each a printable letter.

Reminder 1 is due ``dunning_wait_days[0]`` days after the invoice's due date, reminder 2 and 3
that many days (``[1]``, ``[2]``) after the previous reminder. Each level may carry a fee
(``dunning_fees``); the letter asks for the open amount plus the fees so far, with a QR-bill (CHF)
or an EPC QR code (EUR) carrying the invoice's payment reference. A run records the reminders and
renders the letters in one transaction: if a letter cannot be printed, nothing is recorded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lehrer_licenses.documents import DocumentDataError
from lehrer_licenses.documents.letters import Letter, render_letters
from lehrer_licenses.i18n import _
from lehrer_licenses.services.billing.lookups import credited_amount, paid_amount
from lehrer_licenses.services.billing.printing import (
    billed_party,
    licence_holder,
    require_postal_address,
)
from lehrer_licenses.services.billing.states import INVOICE, ISSUED, PARTLY_PAID, ZERO
from lehrer_licenses.services.billing.vendor import (
    DUNNING_LEVELS,
    VendorSettings,
    load_vendor,
    require_complete,
)
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.season.letters import dunning_letter
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import DunningNotice, Invoice


@dataclass(frozen=True)
class Reminder:
    """One reminder of a dunning run: what the letter asks for."""

    number: str
    school: str
    school_name: str
    level: int
    currency: str
    open: Decimal
    fee: Decimal
    amount_due: Decimal  # open, the earlier reminders' fees and this one's
    days_overdue: int
    pay_by: date


@dataclass
class DunningRun:
    on: date
    dry_run: bool
    notices: list[Reminder] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)
    batch_pdf: bytes = b""
    exhausted: list[str] = field(default_factory=list)  # overdue after the last reminder

    def pdf_per_school(self) -> dict[str, bytes]:
        by_school: dict[str, list[Letter]] = defaultdict(list)
        for letter in self.letters:
            by_school[letter.school_number].append(letter)
        return {school: render_letters(letters) for school, letters in sorted(by_school.items())}


def _due_reminders(session: Session, on: date, vendor: VendorSettings):
    """(invoice, level, previous notices, open amount, settled) for each reminder due on ``on``."""
    invoices = session.scalars(
        select(Invoice)
        .options(selectinload(Invoice.school))
        .where(
            Invoice.kind == INVOICE,
            Invoice.status.in_((ISSUED, PARTLY_PAID)),
            Invoice.due_date < on,
        )
        .order_by(Invoice.due_date, Invoice.id)
    ).all()
    if not invoices:
        return [], []
    notices: dict[int, list[DunningNotice]] = defaultdict(list)
    for notice in session.scalars(
        select(DunningNotice)
        .where(DunningNotice.invoice_id.in_([i.id for i in invoices]))
        .order_by(DunningNotice.level)
    ):
        notices[notice.invoice_id].append(notice)
    due, exhausted = [], []
    for invoice in invoices:
        settled = paid_amount(session, invoice.id) + credited_amount(session, invoice.id)
        open_amount = invoice.payable - settled
        if open_amount <= 0:
            continue
        earlier = notices.get(invoice.id, [])
        level = len(earlier) + 1
        if level > DUNNING_LEVELS:
            exhausted.append(invoice.number)
            continue
        since = earlier[-1].sent_on if earlier else invoice.due_date
        if on < since + timedelta(days=vendor.dunning_wait_days[level - 1]):
            continue
        due.append((invoice, level, earlier, open_amount, settled))
    return due, exhausted


def run_dunning(db: Database, on: date, *, dry_run: bool = False) -> DunningRun:
    """Record and print every reminder due on ``on`` (or, dry, only say which)."""
    run = DunningRun(on, dry_run)
    with db.transaction() as session:
        vendor = load_vendor(session)
        due, run.exhausted = _due_reminders(session, on, vendor)
        if due and not dry_run:
            require_complete(vendor)
        document_vendor = vendor.document_vendor() if not vendor.missing() else None
        for invoice, level, earlier, open_amount, settled in due:
            school = invoice.school
            fee = vendor.dunning_fees[level - 1]
            pay_by = on + timedelta(days=vendor.dunning_pay_days)
            earlier_fees = sum((n.fee for n in earlier), ZERO)
            run.notices.append(
                Reminder(
                    number=invoice.number,
                    school=school.number,
                    school_name=school.name,
                    level=level,
                    currency=invoice.currency,
                    open=open_amount,
                    fee=fee,
                    amount_due=open_amount + earlier_fees + fee,
                    days_overdue=(on - invoice.due_date).days,
                    pay_by=pay_by,
                )
            )
            if dry_run:
                continue
            require_postal_address(school)
            assert document_vendor is not None
            run.letters.append(
                dunning_letter(
                    vendor=document_vendor,
                    recipient=billed_party(invoice),
                    licence_holder=licence_holder(invoice),
                    school_number=school.number,
                    language=invoice.language,
                    currency=invoice.currency,
                    on=on,
                    level=level,
                    invoice_number=invoice.number,
                    invoice_date=invoice.invoice_date,
                    due_date=invoice.due_date,
                    payable=invoice.payable,
                    settled=settled,
                    fee=fee,
                    earlier_fees=earlier_fees,
                    pay_by=pay_by,
                    previous_reminder=earlier[-1].sent_on if earlier else None,
                    reference=invoice.reference,
                )
            )
            session.add(
                DunningNotice(
                    invoice_id=invoice.id,
                    school_id=school.id,
                    level=level,
                    sent_on=on,
                    open_amount=open_amount,
                    fee=fee,
                    pay_by=pay_by,
                    created_at=datetime.now(),
                )
            )
            audit.record(
                session,
                "invoice.reminder",
                "invoice",
                invoice.id,
                school_id=school.id,
                after={"level": level, "open": open_amount, "fee": fee, "pay_by": pay_by},
            )
        if run.letters:
            try:
                run.batch_pdf = render_letters(run.letters)
            except DocumentDataError as exc:
                raise InvalidInput(
                    _("the reminders cannot be printed: {problem}").format(problem=exc)
                ) from exc
    return run
