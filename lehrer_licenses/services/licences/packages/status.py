"""What the school's admin sees of a package (M11): size, licence year, deadline, latest
count, pending changes and the renewal price from 6 months before the renewal.
"""

from __future__ import annotations

from datetime import date

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
from lehrer_licenses.services.amount_text import money_text
from lehrer_licenses.services.catalogue import plan_from_row
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.contract_years import (
    running_of_kind,
    term_of,
)
from lehrer_licenses.services.licences.packages.common import ADDON_ACTIVE
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import (
    Addon,
    PackageCount,
)

# --- what the admin sees (M11) --------------------------------------------------------------


def renewal_quote(plan: Plan, component_name: str, renewal: date, on: date) -> dict:
    """The price at the renewal, shown from 6 months before it (M11), with any increase that was
    announced too late to apply at it."""
    if not renewal_price_visible(renewal, on):
        return {
            "visible_from": announcement_deadline(renewal).isoformat(),
            "amount": None,
            "postponed_increases": [],
        }
    price = renewal_price(plan, component_name, renewal)
    return {
        "visible_from": announcement_deadline(renewal).isoformat(),
        "amount": money_text(price.amount),
        "postponed_increases": [
            {
                "amount": money_text(p.amount),
                "valid_from": p.valid_from.isoformat(),
                "announced_on": p.announced_on.isoformat() if p.announced_on else None,
            }
            for p in price.postponed
        ],
    }


def latest_count(session: Session, subscription_id: int) -> PackageCount | None:
    """The package's most recent user count, if any."""
    return session.scalar(
        select(PackageCount)
        .where(PackageCount.subscription_id == subscription_id)
        .order_by(PackageCount.counted_on.desc())
        .limit(1)
    )


def package_status(db: Database, school_number: str, on: date) -> dict:
    """The package as the school's admin sees it on ``on``: size, licence year, deadline, the
    latest count, pending changes, and the renewal price of the package and of each add-on from
    6 months before their renewal (M11)."""
    with db.reading() as session:
        school = school_by_number(session, school_number)
        sub = running_of_kind(session, school.id, PlanKind.PACKAGE)
        if sub is None:
            raise InvalidInput(
                _("school {school} has no running user package").format(school=school.number)
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
        return {
            "school": school.number,
            "plan": plan.code,
            "currency": plan.currency,
            "capacity": sub.capacity,
            "full_package": sub.full_package,
            "term_start": term.start.isoformat(),
            "term_end": term.end.isoformat(),
            "cancellation_deadline": cancellation_deadline(term, plan.notice_months).isoformat(),
            "ends_on": sub.ends_on.isoformat() if sub.ends_on else None,
            "latest_count": (
                {"date": latest.counted_on.isoformat(), "users": latest.users} if latest else None
            ),
            "renewal": (
                {
                    "date": term.renewal_date.isoformat(),
                    "capacity": next_capacity,
                    **renewal_quote(plan, component(prefix, next_capacity), term.renewal_date, on),
                }
                if renewing
                else None
            ),
            "addons": [
                addon_json(
                    a,
                    plan,
                    on,
                    next_capacity if a.term_end >= term.end else sub.capacity or 0,
                )
                for a in addons
            ],
        }


def addon_json(
    addon: Addon,
    plan: Plan | None = None,
    on: date | None = None,
    capacity_at_renewal: int | None = None,
) -> dict:
    """An add-on as the views show it; with ``plan`` and ``on``, its renewal price (M11) at the
    package size it will follow then (M3)."""
    term = Term(addon.term_start, addon.term_end)
    doc = {
        "id": addon.id,
        "subject": addon.subject,
        "status": addon.status,
        "started_on": addon.started_on.isoformat(),
        "term_start": term.start.isoformat(),
        "term_end": term.end.isoformat(),
        "capacity": addon.capacity,
        "price": money_text(addon.price),
        "cancellation_deadline": cancellation_deadline(term).isoformat(),
        "ends_on": addon.ends_on.isoformat() if addon.ends_on else None,
        "refunded_on": addon.refunded_on.isoformat() if addon.refunded_on else None,
        "billing_address": {
            "name": addon.billing_name,
            "street": addon.billing_street,
            "postcode": addon.billing_postcode,
            "city": addon.billing_city,
            "country": addon.billing_country,
        },
    }
    if plan is not None and on is not None and addon.status == ADDON_ACTIVE:
        doc["renewal"] = {
            "date": term.renewal_date.isoformat(),
            "capacity": capacity_at_renewal or addon.capacity,
            **renewal_quote(
                plan,
                component(ADDON, capacity_at_renewal or addon.capacity),
                term.renewal_date,
                on,
            ),
        }
    return doc
