"""Written cancellations: in time or not, and when they take effect (L4, L5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from lehrer_licenses.domain.periods import CancellationOutcome, cancellation_effective
from lehrer_licenses.i18n import _
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.seats.contracts import (
    cancellable_seats,
    open_assignment,
    require_in_term,
    running_subscription,
    subscription_plan,
    term_of,
)
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import Cancellation, School, Seat, Subscription


@dataclass(frozen=True)
class CancellationResult:
    school: str
    received: date
    deadline: date
    in_time: bool
    effective: date
    seats: int | None  # None: the whole contract
    seats_after: int

    def to_json(self) -> dict:
        return {
            "school": self.school,
            "received": self.received.isoformat(),
            "deadline": self.deadline.isoformat(),
            "in_time": self.in_time,
            "effective": self.effective.isoformat(),
            "seats": "all" if self.seats is None else self.seats,
            "seats_after": self.seats_after,
        }


@dataclass(frozen=True)
class CancellationPreview:
    """What a cancellation would do, before it is recorded."""

    school: str
    received: date
    deadline: date
    in_time: bool
    effective: date
    seats_cancellable: int
    seats_after: int  # seats still running after the cancellation takes effect
    whole_contract: bool


@dataclass
class _Plan:
    school: School
    sub: Subscription
    outcome: CancellationOutcome
    candidates: list[Seat]
    chosen: list[Seat]


def _plan_cancellation(
    session: Session, school_number: str, seats: int | None, received: date, whole_contract: bool
) -> _Plan:
    """The refusals and the seats chosen, shared by the preview and the real cancellation."""
    if not whole_contract and (seats is None or seats <= 0):
        raise InvalidInput(
            _("the number of seats to cancel must be at least 1, not {n}").format(n=seats)
        )
    school = school_by_number(session, school_number)
    sub = running_subscription(session, school)
    if sub is None:
        raise InvalidInput(
            _("school {school} has no running contract to cancel").format(school=school.number)
        )
    require_in_term(sub, received, _("a cancellation received"))
    plan = subscription_plan(sub)
    outcome = cancellation_effective(
        plan.term, term_of(sub), received, plan.notice_months, plan.term_days
    )
    candidates = cancellable_seats(sub)
    if whole_contract:
        if sub.ends_on is not None:
            raise InvalidInput(
                _("the contract of school {school} is already cancelled, ending on {day}").format(
                    school=school.number, day=sub.ends_on.isoformat()
                )
            )
        return _Plan(school, sub, outcome, candidates, candidates)
    assert seats is not None
    if seats > len(candidates):
        raise InvalidInput(
            _("school {school} has {n} seat(s) that could be cancelled, not {wanted}").format(
                school=school.number, n=len(candidates), wanted=seats
            )
        )
    # Free seats go first, then the most recently added: nobody loses a seat needlessly.
    chosen = sorted(candidates, key=lambda s: (open_assignment(s) is not None, -s.position))
    return _Plan(school, sub, outcome, candidates, chosen[:seats])


def preview_cancellation(
    db: Database,
    school_number: str,
    *,
    seats: int | None,
    received: date,
    whole_contract: bool = False,
) -> CancellationPreview:
    """What ``cancel`` would record, written nowhere (same refusals, same dates)."""
    with db.reading() as session:
        p = _plan_cancellation(session, school_number, seats, received, whole_contract)
        return CancellationPreview(
            p.school.number,
            received,
            p.outcome.deadline,
            p.outcome.in_time,
            p.outcome.effective,
            len(p.candidates),
            len(p.candidates) - len(p.chosen),
            whole_contract,
        )


def cancel(
    db: Database,
    school_number: str,
    *,
    seats: int | None,
    received: date,
    whole_contract: bool = False,
) -> CancellationResult:
    """Record a written cancellation of ``seats`` seats, or of the whole contract."""
    with db.transaction() as session:
        p = _plan_cancellation(session, school_number, seats, received, whole_contract)
        outcome = p.outcome
        if whole_contract:
            p.sub.ends_on = outcome.effective
        for seat in p.chosen:
            seat.release_on = outcome.effective
        record = Cancellation(
            school_id=p.school.id,
            subscription_id=p.sub.id,
            received_on=received,
            seats=None if whole_contract else seats,
            deadline=outcome.deadline,
            in_time=outcome.in_time,
            effective_on=outcome.effective,
            status="pending",
        )
        session.add(record)
        session.flush()
        remaining = len(p.candidates) - len(p.chosen)
        audit.record(
            session,
            "cancellation.record",
            "cancellation",
            record.id,
            school_id=p.school.id,
            before={"seats": len(p.candidates)},
            after={
                "seats_cancelled": len(p.chosen),
                "whole_contract": whole_contract,
                "received": received,
                "effective": outcome.effective,
                "in_time": outcome.in_time,
            },
        )
        return CancellationResult(
            p.school.number,
            received,
            outcome.deadline,
            outcome.in_time,
            outcome.effective,
            None if whole_contract else seats,
            remaining,
        )
