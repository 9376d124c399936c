"""User packages over their capacity (M3): the running packages whose latest user count is above
the package size, by how much, and what the way out costs (M7, M8): the smallest package that
fits, the upgrade now (one-time fee plus the difference, the year runs on) and that package's
annual price (a new licence year, or the size to choose at the renewal, M2).

Read-only; amounts are net (excl. VAT), priced by the same domain rules the upgrade uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lehrer_licenses.domain.catalogue import Plan, PlanKind
from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.domain.packages import (
    UPGRADE,
    check_capacity,
    package_price,
    upgrade_options,
)
from lehrer_licenses.domain.periods import Term
from lehrer_licenses.i18n import gettext_for
from lehrer_licenses.services.catalogue import plan_from_row
from lehrer_licenses.services.licences.seats.contracts import ACTIVE
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import PackageCount, PlanRow, Subscription


@dataclass(frozen=True)
class OverCapacity:
    school: str
    school_name: str
    plan: str
    currency: str
    counted_on: date
    users: int
    capacity: int
    over: int  # users above the capacity
    suggested: int | None  # the smallest package that fits; None: no package is big enough
    upgrade_amount: Decimal | None  # fee + difference now, the licence year runs on (M8)
    suggested_price: Decimal | None  # the annual price of the suggested package
    term_end: date


def _prices(
    plan: Plan, sub: Subscription, suggested: int, on: date
) -> tuple[Decimal | None, Decimal | None]:
    term = Term(sub.term_start, sub.term_end)
    day = on if term.contains(on) else None
    try:
        annual = package_price(plan, suggested, day or term.end)
        if day is None:
            return None, annual  # outside the licence year there is nothing to upgrade now
        options = upgrade_options(
            plan,
            current_capacity=sub.capacity or 0,
            new_capacity=suggested,
            term=term,
            on=day,
            tr=gettext_for("en"),
        )
    except DomainError:
        return None, None  # a size missing from the price list: show the count, not a price
    upgrade = next(o for o in options if o.kind == UPGRADE)
    return upgrade.amount, annual


def over_capacity(db: Database, on: date | None = None) -> list[OverCapacity]:
    """Running packages whose latest count (on or before ``on``) exceeds their capacity, the
    largest excess first."""
    on = on or date.today()
    latest = (
        select(
            PackageCount.subscription_id.label("sub_id"),
            func.max(PackageCount.counted_on).label("counted_on"),
        )
        .where(PackageCount.counted_on <= on)
        .group_by(PackageCount.subscription_id)
        .subquery()
    )
    with db.reading() as session:
        rows = session.execute(
            select(Subscription, PackageCount)
            .join(PlanRow, PlanRow.id == Subscription.plan_id)
            .join(latest, latest.c.sub_id == Subscription.id)
            .join(
                PackageCount,
                (PackageCount.subscription_id == Subscription.id)
                & (PackageCount.counted_on == latest.c.counted_on),
            )
            .where(
                Subscription.status == ACTIVE,
                PlanRow.kind == PlanKind.PACKAGE.value,
                PackageCount.users > func.coalesce(Subscription.capacity, 0),
            )
            .options(
                selectinload(Subscription.school),
                selectinload(Subscription.plan).selectinload(PlanRow.product),
                selectinload(Subscription.plan).selectinload(PlanRow.prices),
            )
        ).all()
        plans: dict[int, Plan] = {}
        found = []
        for sub, count in rows:
            plan = plans.get(sub.plan_id) or plans.setdefault(sub.plan_id, plan_from_row(sub.plan))
            capacity = sub.capacity or 0
            check = check_capacity(plan, capacity, count.users, on)
            upgrade, annual = (
                _prices(plan, sub, check.suggested, on) if check.suggested else (None, None)
            )
            found.append(
                OverCapacity(
                    school=sub.school.number,
                    school_name=sub.school.name,
                    plan=plan.code,
                    currency=plan.currency,
                    counted_on=count.counted_on,
                    users=count.users,
                    capacity=capacity,
                    over=check.over,
                    suggested=check.suggested,
                    upgrade_amount=upgrade,
                    suggested_price=annual,
                    term_end=sub.term_end,
                )
            )
        found.sort(key=lambda o: (-o.over, o.school))
        return found
