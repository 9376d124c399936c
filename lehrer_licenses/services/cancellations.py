"""Written cancellations: in time or not, and when they take effect (L4, L5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lehrer_licenses.domain.periods import cancellation_effective
from lehrer_licenses.i18n import _
from lehrer_licenses.services.contracts import (
    cancellable_seats,
    open_assignment,
    require_in_term,
    running_subscription,
    subscription_plan,
    term_of,
)
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import Cancellation


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


def cancel(
    db: Database,
    school_number: str,
    *,
    seats: int | None,
    received: date,
    whole_contract: bool = False,
) -> CancellationResult:
    """Record a written cancellation of ``seats`` seats, or of the whole contract."""
    if not whole_contract and (seats is None or seats <= 0):
        raise InvalidInput(
            _("the number of seats to cancel must be at least 1, not {n}").format(n=seats)
        )
    with db.transaction() as session:
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
                    _(
                        "the contract of school {school} is already cancelled, ending on {day}"
                    ).format(school=school.number, day=sub.ends_on.isoformat())
                )
            chosen = candidates
            sub.ends_on = outcome.effective
        else:
            assert seats is not None
            if seats > len(candidates):
                raise InvalidInput(
                    _(
                        "school {school} has {n} seat(s) that could be cancelled, not {wanted}"
                    ).format(school=school.number, n=len(candidates), wanted=seats)
                )
            # Free seats go first, then the most recently added: nobody loses a seat needlessly.
            chosen = sorted(
                candidates, key=lambda s: (open_assignment(s) is not None, -s.position)
            )[:seats]
        for seat in chosen:
            seat.release_on = outcome.effective
        record = Cancellation(
            school_id=school.id,
            subscription_id=sub.id,
            received_on=received,
            seats=None if whole_contract else seats,
            deadline=outcome.deadline,
            in_time=outcome.in_time,
            effective_on=outcome.effective,
            status="pending",
        )
        session.add(record)
        session.flush()
        remaining = len(cancellable_seats(sub))
        audit.record(
            session,
            "cancellation.record",
            "cancellation",
            record.id,
            school_id=school.id,
            before={"seats": remaining + len(chosen)},
            after={
                "seats_cancelled": len(chosen),
                "whole_contract": whole_contract,
                "received": received,
                "effective": outcome.effective,
                "in_time": outcome.in_time,
            },
        )
        return CancellationResult(
            school.number,
            received,
            outcome.deadline,
            outcome.in_time,
            outcome.effective,
            None if whole_contract else seats,
            remaining,
        )
