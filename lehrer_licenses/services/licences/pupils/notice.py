"""Downgrade or cancellation within the notice period (F11), and the notice reminders (F9)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import PlanKind
from lehrer_licenses.domain.per_pupil import (
    is_upgrade,
    reminder_date,
    variant_of,
)
from lehrer_licenses.i18n import _, format_date
from lehrer_licenses.services.catalogue import plan_from_row
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.cancellation import CancellationNotice
from lehrer_licenses.services.licences.contract_years import (
    notice_in_year,
    plan_of_kind,
    term_of,
)
from lehrer_licenses.services.licences.pupils.contract import running_pupils
from lehrer_licenses.services.licences.pupils.renewal import PUPILS
from lehrer_licenses.services.licences.seats.contracts import ACTIVE
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import (
    PlanRow,
    School,
    Subscription,
)


@dataclass(frozen=True)
class PlanAtRenewal:
    """A downgrade (or switch) asked for the renewal (F11), and from when it applies."""

    school: str
    plan: str
    new_plan: str
    received: date
    deadline: date
    in_time: bool
    from_day: date


def plan_notice(session: Session, school: School, received: date):
    """The running subscription and when a downgrade or cancellation received on ``received``
    takes effect (F11), with the refusals of both; writes nothing."""
    sub, plan = running_pupils(session, school)
    term, outcome = notice_in_year(PUPILS, sub, plan, received, _("a notice received"))
    if sub.ends_on is not None:
        raise InvalidInput(
            _("The subscription of school {school} is already cancelled, ending on {day}").format(
                school=school.number, day=format_date(sub.ends_on)
            )
        )
    return sub, plan, term, outcome


def change_at_renewal(
    db: Database, school_number: str, plan_code: str, received: date
) -> PlanAtRenewal:
    """Downgrade (or switch) to ``plan_code`` from a renewal on (F11): received within the notice
    period it applies at the coming renewal; later, at the one after it."""
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        _row, new_plan = plan_of_kind(session, plan_code, PlanKind.PER_UNIT)
        sub, plan, term, outcome = plan_notice(session, school, received)
        if new_plan.code == plan.code:
            raise InvalidInput(
                _("School {school} is on plan {plan} already").format(
                    school=school.number, plan=plan.code
                )
            )
        if is_upgrade(variant_of(plan), variant_of(new_plan)):
            raise InvalidInput(
                _("{old} to {new} is an upgrade: it can be done now (F10)").format(
                    old=variant_of(plan).name, new=variant_of(new_plan).name
                )
            )
        from_day = outcome.effective + (term.renewal_date - term.end)
        before = {"renew_plan_code": sub.renew_plan_code}
        sub.renew_plan_code = new_plan.code
        if not outcome.in_time:
            # Too late for the coming renewal: it renews as it is, the change comes a year later.
            sub.renew_plan_code = f"{new_plan.code}@{from_day.isoformat()}"
        audit.record(
            session,
            "pupils.change_at_renewal",
            "subscription",
            sub.id,
            school_id=school.id,
            before=before,
            after={"plan": new_plan.code, "from": from_day, "in_time": outcome.in_time},
        )
        return PlanAtRenewal(
            school.number,
            plan.code,
            new_plan.code,
            received,
            outcome.deadline,
            outcome.in_time,
            from_day,
        )


def cancel_pupils(db: Database, school_number: str, received: date) -> CancellationNotice:
    """Cancel within the notice period (F11): in time, the subscription ends with its year and
    nothing is settled (F7); later, it ends a year later."""
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        sub, _plan, _term, outcome = plan_notice(session, school, received)
        return PUPILS.cancel(session, school.number, sub, outcome)


@dataclass(frozen=True)
class ReminderDue:
    """A subscription whose notice reminder is due (F9)."""

    school: str
    school_name: str
    plan: str
    renewal: date
    reminder: date
    notice_deadline: date


def reminders_due(db: Database, on: date) -> list[ReminderDue]:
    """Per-pupil subscriptions whose notice reminder is due on ``on`` (F9): from 2 months before
    the renewal until it, not cancelled."""
    with db.reading() as session:
        rows = session.execute(
            select(Subscription, School)
            .join(PlanRow, PlanRow.id == Subscription.plan_id)
            .join(School, School.id == Subscription.school_id)
            .where(
                Subscription.status == ACTIVE,
                PlanRow.kind == PlanKind.PER_UNIT.value,
                Subscription.term_end >= on,
                Subscription.ends_on.is_(None),
            )
            .order_by(Subscription.term_end, School.number)
        ).all()
        due = []
        for sub, school in rows:
            term = term_of(sub)
            plan = plan_from_row(sub.plan)
            if reminder_date(term.renewal_date) <= on:
                due.append(
                    ReminderDue(
                        school.number,
                        school.name,
                        plan.code,
                        term.renewal_date,
                        reminder_date(term.renewal_date),
                        PUPILS.notice_deadline(sub),
                    )
                )
        return due
