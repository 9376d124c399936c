"""The wording of the letters, in the school's language: payment reminders (three levels),
renewal letters, notice-period reminders and price-increase notices.

``documents.letters`` lays them out and prints them; the texts are written here, where the use
cases know what the letter is about (translations: ``translations/<lang>/billing.po``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from lehrer_licenses.documents import Address, DocumentDataError, DocumentLine, Vendor
from lehrer_licenses.documents.formatting import format_date, format_money
from lehrer_licenses.documents.letters import Letter, LetterRow, render_letters
from lehrer_licenses.domain.catalogue import SUBSCRIPTION, Billing, PlanKind
from lehrer_licenses.domain.periods import notice_deadline
from lehrer_licenses.i18n import N_, _, gettext_for, translator
from lehrer_licenses.i18n import format_date as i18n_date
from lehrer_licenses.services.billing.printing import require_postal_address, school_address
from lehrer_licenses.services.billing.vendor import VendorSettings, load_vendor, require_complete
from lehrer_licenses.services.catalogue import plan_from_row, plan_row
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.seats.contracts import active_seats
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import (
    Invoice,
    InvoicePdf,
    IssuedCode,
    PlanRow,
    PreInvestmentRow,
    School,
    Subscription,
)

DUNNING_SUBJECTS = {
    1: N_("Payment reminder"),
    2: N_("Second reminder"),
    3: N_("Final reminder"),
}


def _closing(language: str, vendor: Vendor, country: str) -> tuple[str, ...]:
    tr = gettext_for(language, country)
    return (tr("Kind regards"), vendor.name)


def dunning_letter(
    *,
    vendor: Vendor,
    recipient: Address,
    school_number: str,
    language: str,
    currency: str,
    on: date,
    level: int,
    invoice_number: str,
    invoice_date: date,
    due_date: date,
    payable: Decimal,
    settled: Decimal,
    fee: Decimal,
    earlier_fees: Decimal,
    pay_by: date,
    previous_reminder: date | None,
    reference: str | None,
    licence_holder: str | None = None,
    product: str = "",
) -> Letter:
    """Reminder ``level`` (1-3) for an invoice: the open amount plus all reminder fees so far;
    ``licence_holder`` names the school when the invoice went to another party; ``product``
    the plan the invoice billed, in the letter's language."""
    tr = gettext_for(language, recipient.country)

    def day(value: date | None) -> str:
        return format_date(value, language) if value else ""

    if level == 1:
        before = tr(
            "According to our records, the invoice below has not been paid yet. "
            "Perhaps it was overlooked. Please pay the amount due by {date}."
        ).format(date=day(pay_by))
        after = tr("If you have paid in the meantime, please disregard this letter.")
    elif level == 2:
        before = tr(
            "Despite our reminder of {previous}, the invoice below is still unpaid. "
            "Please pay the amount due by {date} at the latest."
        ).format(previous=day(previous_reminder), date=day(pay_by))
        after = tr("If you have paid in the meantime, please disregard this letter.")
    else:
        before = tr(
            "The invoice below is still unpaid despite our reminders. This is our "
            "final reminder: please pay the amount due by {date}."
        ).format(date=day(pay_by))
        after = tr(
            "Otherwise we shall have to suspend updates and support for your "
            "licences and hand the claim over for collection."
        )
    due = payable - settled + earlier_fees + fee
    rows = [
        LetterRow(
            label=tr("Invoice {number}").format(number=invoice_number),
            detail=tr("of {date}, due {due}").format(date=day(invoice_date), due=day(due_date)),
            amount=payable,
        )
    ]
    if settled:
        rows.append(LetterRow(label=tr("Paid or credited"), amount=-settled))
    if earlier_fees:
        rows.append(LetterRow(label=tr("Fees of earlier reminders"), amount=earlier_fees))
    if fee:
        rows.append(LetterRow(label=tr("Reminder fee"), amount=fee))
    rows.append(LetterRow(label=tr("Amount due"), amount=due, total=True))
    return Letter(
        kind="dunning",
        language=language,
        letter_date=on,
        vendor=vendor,
        recipient=recipient,
        school_number=school_number,
        currency=currency,
        subject=tr(DUNNING_SUBJECTS[level]),
        # the plan first, as the reference line a clerk looks for on the school's side
        paragraphs=(product, before) if product else (before,),
        rows=tuple(rows),
        after=(after,),
        closing=_closing(language, vendor, recipient.country),
        invoice_number=invoice_number,
        payment_amount=due,
        reference=reference,
        licence_holder=licence_holder,
    )


def renewal_letter(
    *,
    vendor: Vendor,
    recipient: Address,
    school_number: str,
    language: str,
    currency: str,
    on: date,
    product: str,
    quantity: str,
    term_start: date,
    term_end: date,
    lines: Sequence[DocumentLine] = (),
    invoice_number: str | None = None,
    registration_code: str | None = None,
    invoice_pdf: bytes | None = None,
) -> Letter:
    """The renewal letter; ``invoice_pdf``, the issued invoice it announces, is enclosed."""
    tr = gettext_for(language, recipient.country)
    paragraphs = [
        tr(
            "Thank you for your trust. Your subscription for {product} with {quantity} "
            "renews on {start} and runs until {end}."
        ).format(
            product=product,
            quantity=quantity,
            start=format_date(term_start, language),
            end=format_date(term_end, language),
        )
    ]
    if invoice_number:
        paragraphs.append(
            tr("The invoice {number} for the new term is enclosed.").format(number=invoice_number)
        )
    if registration_code:
        paragraphs.append(tr("Your registration code for the new term is printed below."))
    return Letter(
        kind="renewal",
        language=language,
        letter_date=on,
        vendor=vendor,
        recipient=recipient,
        school_number=school_number,
        currency=currency,
        subject=tr("Renewal of your subscription {start} – {end}").format(
            start=format_date(term_start, language), end=format_date(term_end, language)
        ),
        paragraphs=tuple(paragraphs),
        lines=tuple(lines),
        closing=_closing(language, vendor, recipient.country),
        invoice_number=invoice_number,
        registration_code=registration_code,
        enclosure=invoice_pdf,
        enclosure_name=f"{invoice_number}.pdf" if invoice_pdf and invoice_number else "",
    )


def notice_reminder_letter(
    *,
    vendor: Vendor,
    recipient: Address,
    school_number: str,
    language: str,
    on: date,
    product: str,
    quantity: str,
    renewal_on: date,
    deadline: date,
) -> Letter:
    tr = gettext_for(language, recipient.country)
    return Letter(
        kind="notice_reminder",
        language=language,
        letter_date=on,
        vendor=vendor,
        recipient=recipient,
        school_number=school_number,
        subject=tr("Your subscription renews on {date}").format(
            date=format_date(renewal_on, language)
        ),
        paragraphs=(
            tr(
                "Your subscription for {product} with {quantity} renews automatically on {date} "
                "for another term."
            ).format(product=product, quantity=quantity, date=format_date(renewal_on, language)),
            tr(
                "If you want to reduce or cancel your subscription, your written notice must "
                "reach us by {deadline}. A later notice takes effect one term later."
            ).format(deadline=format_date(deadline, language)),
            tr("If everything stays as it is, there is nothing you need to do."),
        ),
        closing=_closing(language, vendor, recipient.country),
    )


def price_increase_letter(
    *,
    vendor: Vendor,
    recipient: Address,
    school_number: str,
    language: str,
    currency: str,
    on: date,
    item: str | None,  # None: the update subscription
    old_price: Decimal,
    new_price: Decimal,
    valid_from: date,
    renewal_on: date,
) -> Letter:
    tr = gettext_for(language, recipient.country)
    return Letter(
        kind="price_increase",
        language=language,
        letter_date=on,
        vendor=vendor,
        recipient=recipient,
        school_number=school_number,
        currency=currency,
        subject=tr("Price change from {date}").format(date=format_date(valid_from, language)),
        paragraphs=(
            # The subscription has a sentence of its own: "il prezzo dell'abbonamento" cannot be
            # put together from "il prezzo di" and "l'abbonamento".
            (
                tr(
                    "From {date}, the price of the update subscription per licence and year "
                    "changes from {old} to {new} (excl. VAT)."
                )
                if item is None
                else tr("From {date}, the price of {item} changes from {old} to {new} (excl. VAT).")
            ).format(
                date=format_date(valid_from, language),
                item=item,
                old=format_money(old_price, currency, language),
                new=format_money(new_price, currency, language),
            ),
            tr(
                "For your subscription the new price applies from your next renewal on {date}. "
                "Until then nothing changes."
            ).format(date=format_date(renewal_on, language)),
            tr(
                "You may cancel in writing within the notice period, as set out in the terms "
                "of your subscription."
            ),
        ),
        closing=_closing(language, vendor, recipient.country),
    )


# --- batch runs: which schools get which letter ----------------------------------------------


@dataclass(frozen=True)
class NoticeReminderSchool:
    school: str
    name: str
    renewal: date
    deadline: date
    seats: int


@dataclass(frozen=True)
class RenewalLetterSchool:
    school: str
    name: str
    invoice: str | None  # the enclosed renewal invoice's number; None while it is a draft


@dataclass(frozen=True)
class PriceChangeSchool:
    school: str
    name: str
    renewal: date  # the first renewal at the new price


LetterSchool = NoticeReminderSchool | RenewalLetterSchool | PriceChangeSchool


@dataclass(frozen=True)
class NoLetter:
    """A school the run writes no letter to, and why (in the UI's language)."""

    school: str
    name: str
    reason: str


@dataclass
class LetterRun:
    kind: str
    on: date
    letters: list[Letter] = field(default_factory=list)
    schools: list[LetterSchool] = field(default_factory=list)
    without_letter: list[NoLetter] = field(default_factory=list)

    def batch_pdf(self) -> bytes:
        return render_letters(self.letters)

    def pdf_per_school(self) -> dict[str, bytes]:
        by_school: dict[str, list[Letter]] = defaultdict(list)
        for letter in self.letters:
            by_school[letter.school_number].append(letter)
        return {school: render_letters(items) for school, items in sorted(by_school.items())}


def licence_quantity(session: Session, sub: Subscription, language: str) -> tuple[int, str]:
    """How much the subscription holds, and its words in ``language``: seats as licences, a
    package as users, a per-pupil plan as pupils per grade range (its newest licence year). The
    words have a context of their own: they follow "with" ("mit 500 Benutzern", dative)."""
    words = translator(language)
    if sub.plan.kind == PlanKind.PACKAGE:
        users = sub.capacity or 0
        return users, words.npgettext(
            "subscription quantity", "{n} user", "{n} users", users
        ).format(n=users)
    if sub.plan.kind == PlanKind.PER_UNIT:
        parts = session.scalars(
            select(PreInvestmentRow)
            .where(PreInvestmentRow.subscription_id == sub.id)
            .order_by(PreInvestmentRow.term_start.desc(), PreInvestmentRow.part)
        ).all()
        newest = [p for p in parts if p.term_start == parts[0].term_start] if parts else []
        pupils = sum(p.pupils for p in newest)
        return pupils, ", ".join(
            words.npgettext(
                "subscription quantity",
                "{n} pupil in grades {part}",
                "{n} pupils in grades {part}",
                p.pupils,
            ).format(n=p.pupils, part=p.part)
            for p in newest
        ) or words.npgettext("subscription quantity", "{n} pupil", "{n} pupils", 0).format(n=0)
    seats = len(active_seats(sub))
    return seats, words.npgettext(
        "subscription quantity", "{n} licence", "{n} licences", seats
    ).format(n=seats)


def _running(session: Session, plan_code: str | None = None) -> list[Subscription]:
    query = (
        select(Subscription)
        .options(
            selectinload(Subscription.school),
            selectinload(Subscription.plan).selectinload(PlanRow.product),
            selectinload(Subscription.plan).selectinload(PlanRow.prices),
            selectinload(Subscription.seats),
        )
        .where(Subscription.status == "active", Subscription.ends_on.is_(None))
        .order_by(Subscription.id)
    )
    if plan_code:
        query = query.where(Subscription.plan_id == plan_row(session, plan_code).id)
    return list(session.scalars(query))


def _finish(session: Session, run: LetterRun, vendor: VendorSettings) -> LetterRun:
    if run.letters:
        try:
            render_letters(run.letters[:1])  # bad data shows up before anything is recorded
        except DocumentDataError as exc:
            raise InvalidInput(
                _("the letters cannot be printed: {problem}").format(problem=exc)
            ) from exc
    audit.record(
        session,
        f"letters.{run.kind}",
        "school",
        None,
        after={"date": run.on, "letters": len(run.letters), "vendor": vendor.name},
    )
    return run


def notice_reminders(db: Database, on: date, within_days: int = 60) -> LetterRun:
    """A reminder to every school whose notice deadline falls within ``within_days`` from
    ``on``: its subscription renews unless a written notice arrives by then."""
    if not 0 <= within_days <= 366:
        raise InvalidInput(_("--within must be between 0 and 366 days"))
    run = LetterRun("notice_reminder", on)
    with db.transaction() as session:
        vendor = load_vendor(session)
        require_complete(vendor)
        for sub in _running(session):
            renewal = sub.term_end + timedelta(days=1)
            deadline = notice_deadline(renewal, sub.plan.notice_months)
            if not on <= deadline <= on + timedelta(days=within_days):
                continue
            school = sub.school
            require_postal_address(school)
            seats, quantity = licence_quantity(session, sub, school.language)
            run.letters.append(
                notice_reminder_letter(
                    vendor=vendor.document_vendor(),
                    recipient=school_address(school),
                    school_number=school.number,
                    language=school.language,
                    on=on,
                    product=sub.plan.product.display_name(school.language),
                    quantity=quantity,
                    renewal_on=renewal,
                    deadline=deadline,
                )
            )
            run.schools.append(
                NoticeReminderSchool(school.number, school.name, renewal, deadline, seats)
            )
        return _finish(session, run, vendor)


def renewal_letters(db: Database, year: int, on: date) -> LetterRun:
    """A letter for every renewal invoice of the term starting in ``year`` (draft or issued),
    with the lines of the new term and the school's newest registration code; an issued
    invoice is enclosed (its stored PDF after the letter)."""
    run = LetterRun("renewal", on)
    with db.transaction() as session:
        vendor = load_vendor(session)
        require_complete(vendor)
        invoices = session.scalars(
            select(Invoice)
            .options(selectinload(Invoice.school), selectinload(Invoice.lines))
            .where(
                Invoice.kind == "invoice",
                # a per-pupil plan's renewal is its settlement with the new pre-investment
                or_(Invoice.reason == "renewal", Invoice.billing_key.like("pupil-renewal:%")),
                Invoice.subscription_id.is_not(None),
            )
            .order_by(Invoice.school_id, Invoice.id)
        ).all()
        for invoice in invoices:
            starts = [li.period_start for li in invoice.lines if li.period_start]
            ends = [li.period_end for li in invoice.lines if li.period_end]
            # A settlement also holds lines of the year before: the new term is the latest.
            if not starts or max(starts).year != year:
                continue
            school = invoice.school
            require_postal_address(school)
            sub = session.get(Subscription, invoice.subscription_id)
            code = session.scalar(
                select(IssuedCode.code)
                .where(IssuedCode.subscription_id == invoice.subscription_id)
                .order_by(IssuedCode.serial.desc())
                .limit(1)
            )
            _seats, quantity = (
                licence_quantity(session, sub, invoice.language) if sub is not None else (0, "")
            )
            run.letters.append(
                renewal_letter(
                    vendor=vendor.document_vendor(),
                    recipient=school_address(school),
                    school_number=school.number,
                    language=invoice.language,
                    currency=invoice.currency,
                    on=on,
                    product=(
                        sub.plan.product.display_name(invoice.language) if sub is not None else ""
                    ),
                    quantity=quantity,
                    term_start=max(starts),
                    term_end=max(ends) if ends else max(starts),
                    lines=[
                        DocumentLine(
                            description=li.description,
                            quantity=li.quantity,
                            unit_price=li.unit_price,
                            amount=li.amount,
                        )
                        for li in invoice.lines
                    ],
                    invoice_number=invoice.number,
                    registration_code=code,
                    invoice_pdf=session.scalar(
                        select(InvoicePdf.pdf).where(InvoicePdf.invoice_id == invoice.id)
                    ),
                )
            )
            run.schools.append(RenewalLetterSchool(school.number, school.name, invoice.number))
        run.without_letter = _billed_in_arrears(session, {s.school for s in run.schools})
        return _finish(session, run, vendor)


def _billed_in_arrears(session: Session, lettered: set[str]) -> list[NoLetter]:
    """Running DB-hosting contracts: their year is billed afterwards from the monthly counts
    (L7), so there is no renewal invoice to write a letter about; the run says so."""
    reason = _(
        "DB-hosting: billed after the year from the monthly user counts (usage invoice), so "
        "there is no renewal invoice and no renewal letter"
    )
    rows = session.execute(
        select(School.number, School.name)
        .join(Subscription, Subscription.school_id == School.id)
        .join(PlanRow, PlanRow.id == Subscription.plan_id)
        .where(
            Subscription.status == "active",
            Subscription.ends_on.is_(None),
            PlanRow.billing == Billing.ARREARS.value,
        )
        .order_by(School.number)
    )
    return [NoLetter(number, name, reason) for number, name in rows if number not in lettered]


def price_change_notices(
    db: Database, plan_code: str, valid_from: date, on: date, component: str = SUBSCRIPTION
) -> LetterRun:
    """A notice to every school on ``plan_code`` whose ``component`` price changes on
    ``valid_from``, applying from its first renewal on or after that day."""
    run = LetterRun("price_increase", on)
    with db.transaction() as session:
        vendor = load_vendor(session)
        require_complete(vendor)
        plan = plan_from_row(plan_row(session, plan_code))
        if not plan.has_price(component, valid_from - timedelta(days=1)) or not any(
            p.component == component and p.valid_from == valid_from for p in plan.prices
        ):
            raise InvalidInput(
                _("plan {plan} has no new {component} price from {day}").format(
                    plan=plan_code, component=component, day=i18n_date(valid_from)
                )
            )
        old = plan.price(component, valid_from - timedelta(days=1))
        new = plan.price(component, valid_from)
        for sub in _running(session, plan_code):
            school = sub.school
            require_postal_address(school)
            renewal = sub.term_end + timedelta(days=1)
            while renewal < valid_from:  # the first renewal the new price applies to
                renewal = date(renewal.year + 1, renewal.month, renewal.day)
            run.letters.append(
                price_increase_letter(
                    vendor=vendor.document_vendor(),
                    recipient=school_address(school),
                    school_number=school.number,
                    language=school.language,
                    currency=plan.currency,
                    on=on,
                    item=None if component == SUBSCRIPTION else component,
                    old_price=old,
                    new_price=new,
                    valid_from=valid_from,
                    renewal_on=renewal,
                )
            )
            run.schools.append(PriceChangeSchool(school.number, school.name, renewal))
        return _finish(session, run, vendor)
