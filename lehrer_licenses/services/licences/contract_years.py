"""What the package, add-on and per-pupil use cases share: finding a school's contract of one
plan kind, and refusing dates outside its licence year."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import Plan, PlanKind
from lehrer_licenses.domain.periods import (
    ONE_CALENDAR_YEAR,
    CancellationOutcome,
    Term,
    cancellation_effective,
)
from lehrer_licenses.i18n import _, format_date
from lehrer_licenses.services.catalogue import plan_from_row, plan_row
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.cancellation import LicenceModel
from lehrer_licenses.services.licences.seats.contracts import ACTIVE, capitalised
from lehrer_licenses.store.models import PlanRow, Subscription


def running_of_kind(session: Session, school_id: int, kind: PlanKind) -> Subscription | None:
    """The school's active contract on a plan of ``kind`` (at most one runs at a time)."""
    return session.scalar(
        select(Subscription)
        .join(PlanRow, PlanRow.id == Subscription.plan_id)
        .where(
            Subscription.school_id == school_id,
            Subscription.status == ACTIVE,
            PlanRow.kind == kind.value,
        )
        .order_by(Subscription.id.desc())
        .limit(1)
    )


def latest_of_kind(session: Session, school_id: int, kind: PlanKind) -> Subscription | None:
    return session.scalar(
        select(Subscription)
        .join(PlanRow, PlanRow.id == Subscription.plan_id)
        .where(Subscription.school_id == school_id, PlanRow.kind == kind.value)
        .order_by(Subscription.started_on.desc(), Subscription.id.desc())
        .limit(1)
    )


def plan_of_kind(session: Session, code: str, kind: PlanKind) -> tuple[PlanRow, Plan]:
    row = plan_row(session, code)
    plan = plan_from_row(row)
    if plan.kind is not kind:
        message = {
            PlanKind.PACKAGE: _("plan {plan} is not sold as user packages"),
            PlanKind.PER_UNIT: _("plan {plan} is not sold per pupil"),
        }.get(kind, _("Plan {plan} is not sold per seat"))
        raise InvalidInput(message.format(plan=code))
    return row, plan


def term_of(sub: Subscription) -> Term:
    return Term(sub.term_start, sub.term_end)


def year_before_renewal(sub: Subscription, days: int, day: date) -> Term | None:
    """The licence year running on ``day`` when a renewal run ahead of its date (``renewals due
    --until`` a later day) already moved ``sub`` into its next year; None otherwise."""
    if day >= sub.term_start or day < sub.started_on:
        return None
    if days == ONE_CALENDAR_YEAR:
        start = sub.term_start - relativedelta(years=1)
    else:
        start = sub.term_start - timedelta(days=days)
    year = Term(max(start, sub.started_on), sub.term_start - timedelta(days=1))
    return year if year.contains(day) else None


def require_in_year(term: Term, day: date, what: str) -> None:
    """Refuse a date outside the running licence year, saying what to do instead."""
    if day < term.start:
        raise InvalidInput(
            _("{what} on {day} is before the licence year, which starts on {start}").format(
                what=capitalised(what), day=format_date(day), start=format_date(term.start)
            )
        )
    if day > term.end:
        raise InvalidInput(
            _(
                "{what} on {day} is after the licence year, which ends on {end}: run "
                "'renewals due --until {until}' first"
            ).format(
                what=capitalised(what),
                day=format_date(day),
                end=format_date(term.end),
                until=day.isoformat(),
            )
        )


def notice_in_year(
    model: LicenceModel, sub: Subscription, plan: Plan, received: date, what: str
) -> tuple[Term, CancellationOutcome]:
    """(the year running on ``received``, when a notice received then takes effect).

    Received before a renewal that was run ahead of its date, a late notice is reckoned on the
    year it arrived in and ends the renewed year (what it would have done had the run waited);
    one in time is refused, because the run already billed the renewed year."""
    year = year_before_renewal(sub, plan.term_days, received)
    if year is None:
        require_in_year(term_of(sub), received, what)
        return term_of(sub), model.notice(sub, received)
    outcome = cancellation_effective(
        plan.term, year, received, model.notice_months(plan), plan.term_days
    )
    if outcome.in_time:
        raise InvalidInput(
            _(
                "{what} on {day} is in time for the end of the licence year on {end}, but the "
                "renewal on {renewal} was run ahead and has already billed the next year: it "
                "cannot be recorded after that run"
            ).format(
                what=capitalised(what),
                day=format_date(received),
                end=format_date(year.end),
                renewal=format_date(sub.term_start),
            )
        )
    return year, outcome
