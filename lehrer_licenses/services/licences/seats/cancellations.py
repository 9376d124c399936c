"""Written cancellations: in time or not, and when they take effect (L4, L5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import Plan
from lehrer_licenses.domain.periods import CancellationOutcome, cancellation_effective
from lehrer_licenses.i18n import _, format_date
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.cancellation import LicenceModel
from lehrer_licenses.services.licences.seats.contracts import (
    cancellable_seats,
    open_assignment,
    require_in_term,
    running_subscription,
    subscription_plan,
    term_of,
)
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import School, Seat, Subscription


@dataclass(frozen=True)
class CancellationResult:
    school: str
    received: date
    deadline: date
    in_time: bool
    effective: date
    seats: int | None  # None: the whole contract
    seats_after: int


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


class SeatContracts(LicenceModel):
    """Per-teacher seats: the calendar-year term of the contract and the plan's notice period
    (L4, L5); a cancellation names a number of seats or the whole contract."""

    name = "seats"
    cancel_action = "cancellation.record"

    def plan(self, contract: Subscription) -> Plan:
        return subscription_plan(contract)


SEATS = SeatContracts()


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
            _("The number of seats to cancel must be at least 1, not {n}").format(n=seats)
        )
    school = school_by_number(session, school_number)
    sub = running_subscription(session, school)
    if sub is None:
        raise InvalidInput(
            _("School {school} has no running contract to cancel").format(school=school.number)
        )
    running = require_in_term(sub, received, _("a cancellation received"))
    if running == term_of(sub):
        outcome = SEATS.notice(sub, received)
    else:
        plan = subscription_plan(sub)
        outcome = cancellation_effective(
            plan.term, running, received, plan.notice_months, plan.term_days
        )
        if outcome.in_time:
            # The renewal already invoiced the seats for the next term; a credit for them is a
            # clerk's decision (credit note), not something a cancellation should write alone.
            raise InvalidInput(
                _(
                    "A cancellation received on {day} is in time to end the seats on {end}, "
                    "but the renewal into {year} has already billed them for {year}: it cannot "
                    "be recorded after that run"
                ).format(
                    day=format_date(received),
                    end=format_date(running.end),
                    year=running.end.year + 1,
                )
            )
    candidates = cancellable_seats(sub)
    if whole_contract:
        if sub.ends_on is not None:
            raise InvalidInput(
                _("The contract of school {school} is already cancelled, ending on {day}").format(
                    school=school.number, day=format_date(sub.ends_on)
                )
            )
        return _Plan(school, sub, outcome, candidates, candidates)
    assert seats is not None
    if seats > len(candidates):
        raise InvalidInput(
            _("School {school} has {n} seat(s) that could be cancelled, not {wanted}").format(
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
        for seat in p.chosen:
            seat.release_on = outcome.effective
        remaining = len(p.candidates) - len(p.chosen)
        SEATS.record_cancellation(
            session,
            p.sub,
            outcome,
            seats=None if whole_contract else seats,
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
