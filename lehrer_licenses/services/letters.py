"""The wording of the letters, in the school's language: payment reminders (three levels),
renewal letters, notice-period reminders and price-increase notices.

``documents.letters`` lays them out and prints them; the texts are written here, where the use
cases know what the letter is about (translations: ``translations/<lang>/billing.po``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from lehrer_licenses.documents import Address, DocumentLine, Vendor
from lehrer_licenses.documents.formatting import format_date, format_money
from lehrer_licenses.documents.letters import Letter, LetterRow
from lehrer_licenses.i18n import N_, gettext_for

DUNNING_SUBJECTS = {
    1: N_("Payment reminder"),
    2: N_("Second reminder"),
    3: N_("Final reminder"),
}


def _closing(language: str, vendor: Vendor) -> tuple[str, ...]:
    tr = gettext_for(language)
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
) -> Letter:
    """Reminder ``level`` (1-3) for an invoice: the open amount plus all reminder fees so far."""
    tr = gettext_for(language)

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
        paragraphs=(before,),
        rows=tuple(rows),
        after=(after,),
        closing=_closing(language, vendor),
        invoice_number=invoice_number,
        payment_amount=due,
        reference=reference,
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
    seats: int,
    term_start: date,
    term_end: date,
    lines: Sequence[DocumentLine] = (),
    invoice_number: str | None = None,
    registration_code: str | None = None,
) -> Letter:
    tr = gettext_for(language)
    paragraphs = [
        tr(
            "Thank you for your trust. Your subscription for {product} with {seats} "
            "licence(s) renews on {start} and runs until {end}."
        ).format(
            product=product,
            seats=seats,
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
        closing=_closing(language, vendor),
        invoice_number=invoice_number,
        registration_code=registration_code,
    )


def notice_reminder_letter(
    *,
    vendor: Vendor,
    recipient: Address,
    school_number: str,
    language: str,
    on: date,
    product: str,
    seats: int,
    renewal_on: date,
    deadline: date,
) -> Letter:
    tr = gettext_for(language)
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
                "Your subscription for {product} with {seats} licence(s) renews automatically "
                "on {date} for another term."
            ).format(product=product, seats=seats, date=format_date(renewal_on, language)),
            tr(
                "If you want fewer licences or wish to cancel, your written notice must reach "
                "us by {deadline}. A later notice takes effect one term later."
            ).format(deadline=format_date(deadline, language)),
            tr("If everything stays as it is, there is nothing you need to do."),
        ),
        closing=_closing(language, vendor),
    )


def price_increase_letter(
    *,
    vendor: Vendor,
    recipient: Address,
    school_number: str,
    language: str,
    currency: str,
    on: date,
    item: str,
    old_price: Decimal,
    new_price: Decimal,
    valid_from: date,
    renewal_on: date,
) -> Letter:
    tr = gettext_for(language)
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
            tr("From {date}, the price of {item} changes from {old} to {new} (excl. VAT).").format(
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
        closing=_closing(language, vendor),
    )
