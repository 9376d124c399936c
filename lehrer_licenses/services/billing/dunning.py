"""Dunning: up to three payment reminders per overdue invoice, each a printable letter.

Reminder 1 is due ``dunning_wait_days[0]`` days after the invoice's due date, reminder 2 and 3
that many days (``[1]``, ``[2]``) after the previous reminder. Each level may carry a fee
(``dunning_fees``); the letter asks for the open amount plus the fees so far, with a QR-bill (CHF)
or an EPC QR code (EUR) carrying the invoice's payment reference. A run records the reminders and
renders the letters in one transaction: if a letter cannot be printed, nothing is recorded.

A clerk first sees the proposal (``propose_dunning``: which invoice gets which level, fee and open
amount) and sends only the reminders chosen (``run_dunning(..., invoices=...)``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lehrer_licenses.documents import DocumentDataError
from lehrer_licenses.documents.letters import Letter, render_letters
from lehrer_licenses.i18n import _, format_date
from lehrer_licenses.services.billing.lookups import credited_amount, paid_amount
from lehrer_licenses.services.billing.printing import (
    billed_party,
    licence_holder,
    plan_name,
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
from lehrer_licenses.store.locks import for_change, writing
from lehrer_licenses.store.models import DunningNotice, Invoice, School


@dataclass(frozen=True)
class Reminder:
    """One reminder of a dunning run: what the letter asks for."""

    invoice_id: int
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


def _overdue(on: date, chosen: frozenset[int] | None):
    query = select(Invoice).where(
        Invoice.kind == INVOICE,
        Invoice.status.in_((ISSUED, PARTLY_PAID)),
        Invoice.due_date < on,
    )
    return query.where(Invoice.id.in_(chosen)) if chosen is not None else query


def _lock_schools(session: Session, on: date, chosen: frozenset[int] | None) -> None:
    """Lock the schools of the invoices the run may remind, before reading the invoices: a payment
    booked meanwhile (it locks the school first too) is then either seen or waits for the run."""
    school_ids = select(_overdue(on, chosen).with_only_columns(Invoice.school_id).subquery())
    if not writing(session):
        return
    session.execute(
        for_change(session, select(School.id).where(School.id.in_(school_ids)).order_by(School.id))
    ).all()


def _due_reminders(
    session: Session, on: date, vendor: VendorSettings, chosen: frozenset[int] | None = None
):
    """(invoice, level, previous notices, open amount, settled) for each reminder due on ``on``
    (of the ``chosen`` invoice ids only, if given)."""
    query = (
        _overdue(on, chosen)
        .options(selectinload(Invoice.school))
        .order_by(Invoice.due_date, Invoice.id)
        .execution_options(populate_existing=True)
    )
    invoices = session.scalars(for_change(session, query)).all()
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


def propose_dunning(db: Database, on: date) -> DunningRun:
    """The reminders due on ``on``, nothing written: what the clerk chooses from."""
    return run_dunning(db, on, dry_run=True)


def run_dunning(
    db: Database, on: date, *, dry_run: bool = False, invoices: Iterable[int] | None = None
) -> DunningRun:
    """Record and print every reminder due on ``on`` (or, dry, only say which); with
    ``invoices`` (ids, as the proposal lists them) only theirs. A chosen invoice whose reminder is
    no longer due (paid meanwhile, already reminded) is refused, so nothing is sent unseen."""
    chosen = frozenset(invoices) if invoices is not None else None
    if chosen is not None and not chosen:
        raise InvalidInput(_("choose at least one invoice to remind"))
    run = DunningRun(on, dry_run)
    # a dry run only reads: it must not wait for, nor hold up, a clerk booking a payment
    with db.reading() if dry_run else db.transaction() as session:
        _lock_schools(session, on, chosen)
        vendor = load_vendor(session)
        due, run.exhausted = _due_reminders(session, on, vendor, chosen)
        if chosen is not None:
            missing = chosen - {invoice.id for invoice, *_rest in due}
            if missing:
                raise InvalidInput(
                    _("no reminder is due on {date} for invoice id {ids}").format(
                        date=format_date(on), ids=", ".join(str(i) for i in sorted(missing))
                    )
                )
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
                    invoice_id=invoice.id,
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
                    product=plan_name(session, invoice),
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
