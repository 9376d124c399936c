"""Read queries of the renewals view: contracts whose notice deadline comes up (the last day a
cancellation still stops the next renewal, L4/M1/F11), the cancellations waiting to take
effect, and the prices that change in the months ahead (L13/M11)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from lehrer_licenses.domain.periods import notice_deadline
from lehrer_licenses.i18n import ui_language
from lehrer_licenses.services.catalogue import plan_display_names
from lehrer_licenses.services.licences.seats.contracts import ACTIVE
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import (
    Cancellation,
    PlanRow,
    PriceRow,
    School,
    Seat,
    Subscription,
)

UPCOMING_LIMIT = 2000


@dataclass(frozen=True)
class UpcomingRenewal:
    school: str
    school_name: str
    plan: str
    term_end: date
    renewal_date: date
    notice_deadline: date
    seats: int
    ending: bool  # cancelled as a whole: it will not renew
    plan_name: str = ""  # in the UI's language


@dataclass(frozen=True)
class PendingCancellation:
    school: str
    school_name: str
    received_on: date
    seats: int | None  # None: the whole contract
    in_time: bool
    effective_on: date


@dataclass(frozen=True)
class PriceChange:
    plan: str
    component: str
    amount: Decimal
    valid_from: date
    announced_on: date | None
    plan_name: str = ""  # in the UI's language


def upcoming_deadlines(
    db: Database, today: date | None = None, days: int = 90, limit: int = UPCOMING_LIMIT
) -> tuple[list[UpcomingRenewal], int]:
    """Running contracts whose notice deadline falls within ``days`` from ``today`` (the
    soonest first, at most ``limit``), and how many there are in all."""
    today = today or date.today()
    until = today + timedelta(days=days)
    seats = (
        select(Seat.subscription_id, func.count(Seat.id).label("n"))
        .where(Seat.status == ACTIVE)
        .group_by(Seat.subscription_id)
        .subquery()
    )
    query = (
        select(
            School.number,
            School.name,
            PlanRow.id,
            PlanRow.notice_months,
            Subscription.term_end,
            Subscription.ends_on,
            func.coalesce(seats.c.n, 0),
        )
        .join(School, School.id == Subscription.school_id)
        .join(PlanRow, PlanRow.id == Subscription.plan_id)
        .outerjoin(seats, seats.c.subscription_id == Subscription.id)
        .where(Subscription.status == ACTIVE, Subscription.term_end >= today)
    )
    rows = []
    with db.reading() as session:
        plans = plan_display_names(session, ui_language())
        for number, name, plan_id, months, term_end, ends_on, count in session.execute(query):
            renewal = term_end + timedelta(days=1)
            deadline = notice_deadline(renewal, months)
            if today <= deadline <= until:
                rows.append(
                    UpcomingRenewal(
                        number,
                        name,
                        plans[plan_id][0],
                        term_end,
                        renewal,
                        deadline,
                        int(count),
                        ends_on is not None,
                        plans[plan_id][1],
                    )
                )
    rows.sort(key=lambda r: (r.notice_deadline, r.school))
    return rows[:limit], len(rows)


def pending_cancellations(db: Database, limit: int = UPCOMING_LIMIT) -> list[PendingCancellation]:
    query = (
        select(Cancellation, School.number, School.name)
        .join(School, School.id == Cancellation.school_id)
        .where(Cancellation.status == "pending")
        .order_by(Cancellation.effective_on, School.number)
        .limit(limit)
    )
    with db.reading() as session:
        return [
            PendingCancellation(number, name, c.received_on, c.seats, c.in_time, c.effective_on)
            for c, number, name in session.execute(query)
        ]


def price_changes(db: Database, today: date | None = None) -> list[PriceChange]:
    """Prices valid from a day after ``today``: what renewals and orders will cost then."""
    today = today or date.today()
    query = (
        select(PriceRow, PlanRow.code)
        .join(PlanRow, PlanRow.id == PriceRow.plan_id)
        .where(PriceRow.valid_from > today)
        .order_by(PriceRow.valid_from, PlanRow.code, PriceRow.component)
    )
    with db.reading() as session:
        plans = plan_display_names(session, ui_language())
        return [
            PriceChange(
                code, p.component, p.amount, p.valid_from, p.announced_on, plans[p.plan_id][1]
            )
            for p, code in session.execute(query)
        ]
