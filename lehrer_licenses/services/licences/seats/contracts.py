"""Finding a school's contract and its seats; shared by orders, cancellations and renewals."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import Plan, PlanKind
from lehrer_licenses.domain.default_catalogue import HOSTED_PLAN, LOCAL_PLAN
from lehrer_licenses.domain.periods import Term, calendar_year_term
from lehrer_licenses.i18n import _, format_date
from lehrer_licenses.services.catalogue import plan_from_row
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.store.models import School, Seat, SeatAssignment, Subscription

ACTIVE = "active"
LAPSED = "lapsed"
RELEASED = "released"


def default_plan_code(school: School) -> str:
    return HOSTED_PLAN if school.db_hosting else LOCAL_PLAN


def running_subscription(
    session: Session, school: School, product_id: int | None = None, *, any_kind: bool = False
) -> Subscription | None:
    """The school's active per-seat contract (for the product, when given); at most one runs at
    a time. A school may also have a user package or a per-pupil subscription running beside it
    (``services.licences.contract_years.running_of_kind``); ``any_kind`` lets those count too."""
    subs = [
        s
        for s in session.scalars(
            select(Subscription)
            .where(Subscription.school_id == school.id, Subscription.status == ACTIVE)
            .order_by(Subscription.id)
        )
        if (product_id is None or s.plan.product_id == product_id)
        and (any_kind or s.plan.kind == PlanKind.PER_SEAT.value)
    ]
    return subs[0] if subs else None


def latest_subscription(session: Session, school: School) -> Subscription | None:
    return session.scalar(
        select(Subscription)
        .where(Subscription.school_id == school.id)
        .order_by(Subscription.started_on.desc(), Subscription.id.desc())
        .limit(1)
    )


def subscription_plan(sub: Subscription) -> Plan:
    return plan_from_row(sub.plan)


def term_of(sub: Subscription) -> Term:
    return Term(sub.term_start, sub.term_end)


def active_seats(sub: Subscription) -> list[Seat]:
    return [s for s in sub.seats if s.status == ACTIVE]


def cancellable_seats(sub: Subscription) -> list[Seat]:
    """Active seats without a pending cancellation."""
    return [s for s in active_seats(sub) if s.release_on is None]


def open_assignment(seat: Seat) -> SeatAssignment | None:
    for assignment in seat.assignments:
        if assignment.end_on is None:
            return assignment
    return None


def renewed_ahead_term(sub: Subscription, day: date) -> Term | None:
    """The term running on ``day`` when the year-end run already moved ``sub`` into the next
    term (it runs in December, before the new term starts); None otherwise."""
    if day >= sub.term_start or day < sub.started_on:
        return None
    previous = calendar_year_term(sub.term_start - timedelta(days=1))
    return previous if previous.contains(day) else None


def require_in_term(sub: Subscription, day: date, what: str) -> Term:
    """The term running on ``day``: the contract's own, or the one before it when the renewal
    was run ahead (``renewed_ahead_term``); other dates are refused with a message that says
    what to do instead."""
    ahead = renewed_ahead_term(sub, day)
    if ahead is not None:
        return ahead
    if day < sub.term_start:
        raise InvalidInput(
            _("{what} on {day} is before the running term, which starts on {start}").format(
                what=capitalised(what), day=format_date(day), start=format_date(sub.term_start)
            )
        )
    if day > sub.term_end:
        raise InvalidInput(
            _(
                "{what} on {day} is after the running term, which ends on {end}: "
                "run the renewal into {year} first"
            ).format(
                what=capitalised(what),
                day=format_date(day),
                end=format_date(sub.term_end),
                year=sub.term_end.year + 1,
            )
        )
    return term_of(sub)


def capitalised(text: str) -> str:
    """``text`` with its first letter upper-case, for a phrase that opens a message."""
    return text[:1].upper() + text[1:]
