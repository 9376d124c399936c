"""The move to the full package (M10): the difference of the annual prices for the rest of the
year, and each running subject add-on refunded pro rata on a document of its own.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.money import round_half_up
from lehrer_licenses.domain.packages import (
    full_package_lines,
    refund_lines,
)
from lehrer_licenses.domain.periods import Term
from lehrer_licenses.i18n import _, format_date, gettext_for
from lehrer_licenses.services.amount_text import money_text
from lehrer_licenses.services.billing import (
    credit_notes,
    draft_edits,
    printing,
    states,
    transactions,
)
from lehrer_licenses.services.billing.drafts import (
    create_draft,
    invoice_view,
    preview_invoice,
)
from lehrer_licenses.services.billing.vendor import load_vendor, require_complete
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.codes import issue_for
from lehrer_licenses.services.licences.contract_years import (
    require_in_year,
    term_of,
)
from lehrer_licenses.services.licences.packages.contract import (
    ADDON_ACTIVE,
    ADDON_REFUNDED,
    REFUND,
    PackageResult,
    running_package,
)
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.keystore import KeyStore
from lehrer_licenses.store.models import (
    Addon,
    Invoice,
    School,
)

# --- the full package and add-on refunds (M10) ----------------------------------------------


def _plan_full(session: Session, school: School, on: date):
    sub, plan = running_package(session, school)
    if sub.full_package:
        raise InvalidInput(
            _("School {school} has the full package already").format(school=school.number)
        )
    term = term_of(sub)
    require_in_year(term, on, _("the move to the full package"))
    tr = gettext_for(school.language)
    lines = full_package_lines(plan, sub.capacity or 0, term, on, tr)
    addons = session.scalars(
        select(Addon)
        .where(Addon.subscription_id == sub.id, Addon.status == ADDON_ACTIVE)
        .order_by(Addon.id)
    ).all()
    refunds = []
    for addon in addons:
        addon_term = Term(addon.term_start, addon.term_end)
        if addon_term.contains(on):
            refund = refund_lines(addon.subject, addon.price, addon_term, on, tr)
            refunds.append((addon, refund, _addon_year_invoice(session, addon)))
    if any(invoice.status != states.DRAFT for _a, _l, invoice in refunds):
        # What a credit note needs, checked before anything is written (and in the quote).
        require_complete(load_vendor(session))
        printing.require_postal_address(school)
    return sub, plan, lines, refunds


def _addon_year_invoice(session: Session, addon: Addon) -> Invoice:
    """The invoice of the add-on's running year (M10): the one a refund corrects."""
    key = f"addon:{addon.id}:{addon.term_start.isoformat()}"
    invoice = session.scalar(select(Invoice).where(Invoice.billing_key == key))
    if invoice is None:  # data from before billing keys: the add-on's latest invoice
        invoice = session.scalar(
            select(Invoice)
            .where(Invoice.addon_id == addon.id, Invoice.kind == states.INVOICE)
            .order_by(Invoice.invoice_date.desc(), Invoice.id.desc())
            .limit(1)
        )
    if invoice is None:
        raise InvalidInput(
            _("The add-on {subject} has no invoice for its year from {day} to refund").format(
                subject=addon.subject, day=format_date(addon.term_start)
            )
        )
    return invoice


def _credit_amount(invoice: Invoice, refund: Decimal) -> Decimal:
    """The refund (net) incl. VAT at the invoice's rate, as ``credit_invoice`` takes it; the
    whole price credits the whole invoice. Taking the VAT out again gives back the net refund
    to the cent, as the rate is positive."""
    if refund == invoice.net:
        return invoice.payable
    return round_half_up(refund * (100 + invoice.vat_rate) / 100)


def _refund_notice(addon: Addon, invoice: Invoice, refund: Decimal) -> str:
    if invoice.status == states.DRAFT:
        return _(
            "The add-on {subject}: its invoice is still a draft (id {id}); the refund of "
            "{currency} {amount} net is deducted from it."
        ).format(
            subject=addon.subject, id=invoice.id, currency=invoice.currency,
            amount=money_text(refund),
        )  # fmt: skip
    return _(
        "The add-on {subject}: a credit note on invoice {number} for {currency} {amount} "
        "(incl. VAT)."
    ).format(
        subject=addon.subject, number=invoice.number, currency=invoice.currency,
        amount=money_text(_credit_amount(invoice, refund)),
    )  # fmt: skip


def _refund(session: Session, addon: Addon, invoice: Invoice, lines: list, on: date) -> Invoice:
    """The pro-rata refund of ``addon`` (M10) through billing's own use cases, inside this
    transaction: a credit note referencing the add-on's issued invoice, or, while that invoice is
    still a draft, the refund line deducted from the draft (nothing was billed yet)."""
    (line,) = lines
    refund = -line.amount
    here = transactions.InTransaction(session)
    if invoice.status == states.DRAFT:
        draft_edits.edit_draft(
            here,  # type: ignore[arg-type]
            str(invoice.id),
            add=[draft_edits.LineInput(line.description, line.quantity, line.unit_price)],
        )
        session.refresh(invoice)
        return invoice
    if refund <= 0:
        raise InvalidInput(
            _("The add-on {subject} has nothing left to refund on {day}").format(
                subject=addon.subject, day=format_date(on)
            )
        )
    credit = credit_notes.credit_invoice(
        here,  # type: ignore[arg-type]
        invoice.number or str(invoice.id),
        reason=line.description,
        amount=_credit_amount(invoice, refund),
        on=on,
        line_text=line.description,
    )
    return session.get(Invoice, credit.record.id)


def move_to_full_package(
    db: Database,
    school_number: str,
    on: date,
    *,
    quote: bool = False,
    keys: KeyStore | None = None,
) -> PackageResult:
    """Move to the full package (all subjects) on ``on``: the difference of the annual prices for
    the rest of the year, and every running subject add-on refunded pro rata (M10), each on a
    document of its own.

    A refund is a credit note referencing the add-on's invoice (DESIGN §4: an issued invoice is
    corrected only by a credit note), written by billing's ``credit_invoice`` in this same
    transaction; an add-on invoice still a draft gets the refund line deducted instead. The quote
    previews each refund as a negative document and says which of the two it will be.
    """
    if quote:
        with db.reading() as session:
            school = school_by_number(session, school_number)
            sub, plan, lines, refunds = _plan_full(session, school, on)
            return PackageResult(
                school.number,
                sub.plan.code,
                "full_package",
                sub.capacity or 0,
                sub.term_start,
                sub.term_end,
                preview_invoice(session, school, plan.currency, "upgrade", lines, on),
                [_refund_notice(a, inv, -refund[0].amount) for a, refund, inv in refunds],
                None,
                [
                    preview_invoice(session, school, plan.currency, REFUND, refund, on)
                    for _addon, refund, _invoice in refunds
                ],
            )
    signer = (keys or KeyStore()).load_private()
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        sub, plan, lines, refunds = _plan_full(session, school, on)
        sub.full_package = True
        invoice = create_draft(session, school, sub, plan.currency, "upgrade", lines, on)
        refund_views, notices = [], []
        for addon, refund, addon_invoice in refunds:
            notices.append(_refund_notice(addon, addon_invoice, -refund[0].amount))
            note = _refund(session, addon, addon_invoice, refund, on)
            addon.status, addon.refunded_on = ADDON_REFUNDED, on
            session.flush()
            refund_views.append(invoice_view(note))
        code = issue_for(session, school, sub, on, "upgrade", signer)
        audit.record(
            session,
            "package.full",
            "subscription",
            sub.id,
            school_id=school.id,
            after={
                "on": on,
                "invoice_id": invoice.id,
                "refunded_addons": [a.id for a, _lines, _invoice in refunds],
                "refunds": [r.id for r in refund_views],
            },
        )
        session.flush()
        session.refresh(invoice)
        return PackageResult(
            school.number,
            sub.plan.code,
            "full_package",
            sub.capacity or 0,
            sub.term_start,
            sub.term_end,
            invoice_view(invoice),
            notices,
            code.code,
            refund_views,
        )
