"""Subject add-ons of a user package (M10): ordered any time, one year from their own start,
invoiced on their own (optionally to a billing address of their own), renewed with 3 months'
notice, priced by the package size (M3). The refund on the move to the full package is in
``services.licences.packages.full_package``; renewals run in
``services.season.renewals_due``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import PlanKind
from lehrer_licenses.domain.packages import addon_lines, addon_price, licence_year
from lehrer_licenses.domain.periods import Term
from lehrer_licenses.domain.vat import COUNTRIES
from lehrer_licenses.i18n import _, format_date, gettext_for
from lehrer_licenses.services.billing.drafts import (
    InvoiceView,
    create_draft,
    invoice_view,
    preview_invoice,
)
from lehrer_licenses.services.catalogue import plan_from_row
from lehrer_licenses.services.errors import InvalidInput, NotFound
from lehrer_licenses.services.licences.cancellation import CancellationNotice
from lehrer_licenses.services.licences.contract_years import (
    require_in_year,
    running_of_kind,
    term_of,
)
from lehrer_licenses.services.licences.packages.contract import (
    ADDON_ACTIVE,
    ADDON_REASON,
    BillingAddress,
    bill_addon,
)
from lehrer_licenses.services.licences.packages.renewal import ADDONS
from lehrer_licenses.services.licences.packages.status import AddonView, addon_view
from lehrer_licenses.services.schools import school_by_number, unpayable_reason
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import Addon, School


@dataclass
class AddonResult:
    """An add-on ordered (``addon`` set) or quoted (its year and size only), with its invoice."""

    school: str
    subject: str
    term: Term  # the add-on's own year
    capacity: int
    invoice: InvoiceView
    notices: list[str] = field(default_factory=list)
    addon: AddonView | None = None


def check_billing_address(address: BillingAddress) -> None:
    """An add-on's own billing address is either empty or complete, in a known country."""
    if address.is_empty():
        return
    missing = [
        label
        for label, value in (
            (_("name"), address.name),
            (_("postcode"), address.postcode),
            (_("town"), address.city),
            (_("country"), address.country),
        )
        if not value.strip()
    ]
    if missing:
        raise InvalidInput(
            _("The billing address of the add-on is incomplete ({missing} missing)").format(
                missing=", ".join(missing)
            )
        )
    for label, value in (
        (_("name"), address.name),
        (_("street"), address.street),
        (_("postcode"), address.postcode),
        (_("town"), address.city),
    ):
        reason = unpayable_reason(value)
        if reason:
            raise InvalidInput(
                _("the billing address of the add-on: the {field} {reason}").format(
                    field=label, reason=reason
                )
            )
    if address.country not in COUNTRIES:
        raise InvalidInput(
            _("unknown country {country}: use one of {countries}").format(
                country=address.country, countries=", ".join(COUNTRIES)
            )
        )


def _plan_addon(session: Session, school_number: str, subject: str, on: date):
    subject = " ".join(subject.split())
    if not subject:
        raise InvalidInput(_("An add-on needs a subject"))
    school = school_by_number(session, school_number)
    sub = running_of_kind(session, school.id, PlanKind.PACKAGE)
    if sub is None:
        raise InvalidInput(
            _("School {school} has no running user package to add a subject to").format(
                school=school.number
            )
        )
    require_in_year(term_of(sub), on, _("an add-on order"))
    if sub.full_package:
        raise InvalidInput(
            _("School {school} has the full package: every subject is included").format(
                school=school.number
            )
        )
    running = session.scalar(
        select(Addon).where(
            Addon.subscription_id == sub.id,
            Addon.status == ADDON_ACTIVE,
            Addon.subject == subject,
        )
    )
    if running is not None:
        raise InvalidInput(
            _("School {school} has the add-on {subject} already, until {end}").format(
                school=school.number, subject=subject, end=format_date(running.term_end)
            )
        )
    plan = plan_from_row(sub.plan)
    capacity = sub.capacity or 0
    price = addon_price(plan, capacity, on)
    term = licence_year(on, plan.term_days)
    lines = addon_lines(subject, capacity, term, price, gettext_for(school.language))
    return school, sub, plan, subject, capacity, price, term, lines


def quote_addon(db: Database, school_number: str, subject: str, on: date) -> AddonResult:
    with db.reading() as session:
        school, _sub, plan, subject, capacity, _price, term, lines = _plan_addon(
            session, school_number, subject, on
        )
        invoice = preview_invoice(session, school, plan.currency, ADDON_REASON, lines, on)
        return AddonResult(school.number, subject, term, capacity, invoice)


def order_addon(
    db: Database,
    school_number: str,
    subject: str,
    on: date,
    billing: BillingAddress | None = None,
) -> AddonResult:
    """Order the subject add-on ``subject`` from ``on``: a year of its own and an invoice of its
    own (M10), priced by the package size (M3)."""
    billing = billing or BillingAddress()
    check_billing_address(billing)
    with db.transaction() as session:
        school, sub, plan, subject, capacity, price, term, lines = _plan_addon(
            session, school_number, subject, on
        )
        addon = Addon(
            school_id=school.id,
            subscription_id=sub.id,
            subject=subject,
            status=ADDON_ACTIVE,
            started_on=on,
            term_start=term.start,
            term_end=term.end,
            capacity=capacity,
            price=price,
            billing_name=billing.name.strip(),
            billing_street=billing.street.strip(),
            billing_postcode=billing.postcode.strip(),
            billing_city=billing.city.strip(),
            billing_country=billing.country.strip(),
            created_at=datetime.now(),
        )
        session.add(addon)
        session.flush()
        invoice = addon_invoice(session, school, addon, plan.currency, lines, on)
        audit.record(
            session,
            "addon.order",
            "addon",
            addon.id,
            school_id=school.id,
            after={
                "subject": subject,
                "term_start": term.start,
                "term_end": term.end,
                "price": price,
                "invoice_id": invoice.id,
            },
        )
        view = invoice_view(invoice)
        return AddonResult(school.number, subject, term, capacity, view, addon=addon_view(addon))


def addon_invoice(session: Session, school: School, addon: Addon, currency, lines, on: date):
    """The add-on's own invoice for the year starting ``addon.term_start`` (M10)."""
    invoice = create_draft(
        session,
        school,
        addon.subscription,
        currency,
        ADDON_REASON,
        lines,
        on,
        f"addon:{addon.id}:{addon.term_start.isoformat()}",
    )
    bill_addon(invoice, addon)
    session.flush()
    session.refresh(invoice)
    return invoice


def _addon(session: Session, school: School, addon_id: int) -> Addon:
    addon = session.get(Addon, addon_id)
    if addon is None or addon.school_id != school.id:
        raise NotFound(
            _("school {school} has no add-on {id}").format(school=school.number, id=addon_id)
        )
    return addon


@dataclass(frozen=True)
class AddonCancellation(CancellationNotice):
    addon: int
    subject: str


def plan_addon_cancellation(session: Session, school: School, addon_id: int, received: date):
    """The add-on and when a cancellation received on ``received`` takes effect (its own year
    and notice, M10), with the refusals of ``cancel_addon``; writes nothing."""
    addon = _addon(session, school, addon_id)
    if addon.status != ADDON_ACTIVE:
        raise InvalidInput(
            _("The add-on {id} is not running ({status})").format(id=addon.id, status=addon.status)
        )
    if addon.ends_on is not None:
        raise InvalidInput(
            _("The add-on {id} is already cancelled, ending on {day}").format(
                id=addon.id, day=format_date(addon.ends_on)
            )
        )
    require_in_year(ADDONS.term(addon), received, _("a cancellation received"))
    return addon, ADDONS.notice(addon, received)


def cancel_addon(
    db: Database, school_number: str, addon_id: int, received: date
) -> AddonCancellation:
    """A cancellation of an add-on: 3 months before the end of its own year (M10)."""
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        addon, outcome = plan_addon_cancellation(session, school, addon_id, received)
        ADDONS.record_cancellation(session, addon, outcome)
        return AddonCancellation(
            school.number,
            received,
            outcome.deadline,
            outcome.in_time,
            outcome.effective,
            addon.id,
            addon.subject,
        )


def list_addons(db: Database, school_number: str, on: date | None = None) -> list[AddonView]:
    with db.reading() as session:
        school = school_by_number(session, school_number)
        rows = session.scalars(
            select(Addon).where(Addon.school_id == school.id).order_by(Addon.id)
        ).all()
        return [addon_view(a, plan_from_row(a.subscription.plan) if on else None, on) for a in rows]
