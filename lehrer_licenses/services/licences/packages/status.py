"""What the school's admin sees of a package (M11): size, licence year, deadline, latest
count, pending changes and the renewal price from 6 months before the renewal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import Plan, PlanKind
from lehrer_licenses.domain.packages import (
    ADDON,
    FULL,
    PACKAGE,
    announcement_deadline,
    cancellation_deadline,
    component,
    renewal_price,
    renewal_price_visible,
)
from lehrer_licenses.domain.periods import Term
from lehrer_licenses.i18n import _
from lehrer_licenses.services.catalogue import plan_from_row
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.contract_years import (
    running_of_kind,
    term_of,
)
from lehrer_licenses.services.licences.packages.contract import ADDON_ACTIVE, BillingAddress
from lehrer_licenses.services.licences.packages.renewal import PACKAGES
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import (
    Addon,
    PackageCount,
)

# --- what the admin sees (M11) --------------------------------------------------------------


@dataclass(frozen=True)
class PostponedIncrease:
    """A price increase announced too late to apply at the coming renewal (M11)."""

    amount: Decimal
    valid_from: date
    announced_on: date | None


@dataclass(frozen=True)
class RenewalQuote:
    """The price at a renewal, shown from ``visible_from`` on (M11)."""

    visible_from: date
    amount: Decimal | None  # None: not shown yet
    postponed_increases: list[PostponedIncrease] = field(default_factory=list)


@dataclass(frozen=True)
class RenewalAt:
    """A contract's next renewal: the day, the size it renews at, and its price."""

    on: date
    capacity: int
    quote: RenewalQuote


@dataclass(frozen=True)
class AddonView:
    """An add-on as the views show it; ``renewal`` only where it was asked for (a running
    add-on, with the plan and the day)."""

    id: int
    subject: str
    status: str
    started_on: date
    term_start: date
    term_end: date
    capacity: int
    price: Decimal
    cancellation_deadline: date
    ends_on: date | None
    refunded_on: date | None
    billing_address: BillingAddress
    renewal: RenewalAt | None = None


@dataclass(frozen=True)
class LatestCount:
    on: date
    users: int


@dataclass(frozen=True)
class PackageStatus:
    school: str
    plan: str
    currency: str
    capacity: int | None
    full_package: bool
    term_start: date
    term_end: date
    cancellation_deadline: date
    ends_on: date | None
    latest_count: LatestCount | None
    renewal: RenewalAt | None  # None: the package ends with this year
    addons: list[AddonView]


def renewal_quote(plan: Plan, component_name: str, renewal: date, on: date) -> RenewalQuote:
    """The price at the renewal, shown from 6 months before it (M11), with any increase that was
    announced too late to apply at it."""
    visible_from = announcement_deadline(renewal)
    if not renewal_price_visible(renewal, on):
        return RenewalQuote(visible_from, None)
    price = renewal_price(plan, component_name, renewal)
    return RenewalQuote(
        visible_from,
        price.amount,
        [PostponedIncrease(p.amount, p.valid_from, p.announced_on) for p in price.postponed],
    )


def latest_count(session: Session, subscription_id: int) -> PackageCount | None:
    """The package's most recent user count, if any."""
    return session.scalar(
        select(PackageCount)
        .where(PackageCount.subscription_id == subscription_id)
        .order_by(PackageCount.counted_on.desc())
        .limit(1)
    )


def package_status(db: Database, school_number: str, on: date) -> PackageStatus:
    """The package as the school's admin sees it on ``on``: size, licence year, deadline, the
    latest count, pending changes, and the renewal price of the package and of each add-on from
    6 months before their renewal (M11)."""
    with db.reading() as session:
        school = school_by_number(session, school_number)
        sub = running_of_kind(session, school.id, PlanKind.PACKAGE)
        if sub is None:
            raise InvalidInput(
                _("School {school} has no running user package").format(school=school.number)
            )
        plan = plan_from_row(sub.plan)
        term = term_of(sub)
        latest = latest_count(session, sub.id)
        next_capacity = sub.renew_capacity or sub.capacity or 0
        prefix = FULL if sub.full_package else PACKAGE
        renewing = sub.ends_on is None or sub.ends_on > term.end
        addons = session.scalars(
            select(Addon).where(Addon.subscription_id == sub.id).order_by(Addon.id)
        ).all()
        return PackageStatus(
            school.number,
            plan.code,
            plan.currency,
            sub.capacity,
            sub.full_package,
            term.start,
            term.end,
            PACKAGES.notice_deadline(sub),
            sub.ends_on,
            LatestCount(latest.counted_on, latest.users) if latest else None,
            RenewalAt(
                term.renewal_date,
                next_capacity,
                renewal_quote(plan, component(prefix, next_capacity), term.renewal_date, on),
            )
            if renewing
            else None,
            [
                addon_view(
                    a,
                    plan,
                    on,
                    next_capacity if a.term_end >= term.end else sub.capacity or 0,
                )
                for a in addons
            ],
        )


def addon_view(
    addon: Addon,
    plan: Plan | None = None,
    on: date | None = None,
    capacity_at_renewal: int | None = None,
) -> AddonView:
    """An add-on as the views show it; with ``plan`` and ``on``, its renewal price (M11) at the
    package size it will follow then (M3)."""
    term = Term(addon.term_start, addon.term_end)
    renewal = None
    if plan is not None and on is not None and addon.status == ADDON_ACTIVE:
        capacity = capacity_at_renewal or addon.capacity
        renewal = RenewalAt(
            term.renewal_date,
            capacity,
            renewal_quote(plan, component(ADDON, capacity), term.renewal_date, on),
        )
    return AddonView(
        addon.id,
        addon.subject,
        addon.status,
        addon.started_on,
        term.start,
        term.end,
        addon.capacity,
        addon.price,
        cancellation_deadline(term),
        addon.ends_on,
        addon.refunded_on,
        BillingAddress(
            addon.billing_name,
            addon.billing_street,
            addon.billing_postcode,
            addon.billing_city,
            addon.billing_country,
        ),
        renewal,
    )
