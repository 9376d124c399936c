"""Notice and cancellation, once for the four licence models (per-teacher seats, user packages,
their subject add-ons, per-pupil subscriptions).

A *contract* is the row with a licence year of its own: a subscription, or an add-on. Each model
says how to find its plan and notice period; the reckoning of a notice (deadline, in time or not,
the last day the contract runs) and the cancellation record with its audit entry exist here only.
The renewal applies the pending records (``apply_pending``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import Plan
from lehrer_licenses.domain.periods import (
    CancellationOutcome,
    Term,
    cancellation_effective,
    notice_deadline,
)
from lehrer_licenses.store import audit
from lehrer_licenses.store.models import Cancellation

PENDING = "pending"
APPLIED = "applied"


@dataclass(frozen=True)
class CancellationNotice:
    """A recorded cancellation of a whole contract: when it arrived, the deadline it was measured
    against, and the last day the contract runs."""

    school: str
    received: date
    deadline: date
    in_time: bool
    effective: date


class LicenceModel(ABC):
    """One licence model as notice and cancellation see it (the renewal adds its steps in
    ``licences.renewal_steps``)."""

    #: the contract's name in renewal items and audit actions: seats | package | addon | per_pupil
    name: ClassVar[str]
    #: the audit action of a cancellation
    cancel_action: ClassVar[str]

    @abstractmethod
    def plan(self, contract: Any) -> Plan:
        """The plan whose notice period and terms the contract follows."""

    def notice_months(self, plan: Plan) -> int:
        return plan.notice_months

    def term(self, contract: Any) -> Term:
        """The contract's running licence year (or calendar-year term, for seats)."""
        return Term(contract.term_start, contract.term_end)

    def notice_deadline(self, contract: Any) -> date:
        """The last day a cancellation may arrive to end the contract with its running year."""
        return notice_deadline(
            self.term(contract).renewal_date, self.notice_months(self.plan(contract))
        )

    def notice(self, contract: Any, received: date) -> CancellationOutcome:
        """When a notice received on ``received`` takes effect: in time, with the running year;
        later, with the year after it."""
        plan = self.plan(contract)
        return cancellation_effective(
            plan.term, self.term(contract), received, self.notice_months(plan), plan.term_days
        )

    def subscription_id(self, contract: Any) -> int:
        return contract.id

    def audit_target(self, contract: Any, record: Cancellation) -> tuple[str, int]:
        return "cancellation", record.id

    def record_cancellation(
        self,
        session: Session,
        contract: Any,
        outcome: CancellationOutcome,
        *,
        seats: int | None = None,
        before: dict | None = None,
        after: dict | None = None,
    ) -> Cancellation:
        """Write the cancellation record the renewal applies, with its audit entry; with
        ``seats`` None the whole contract ends on the effective day."""
        if seats is None:
            contract.ends_on = outcome.effective
        record = Cancellation(
            school_id=contract.school_id,
            subscription_id=self.subscription_id(contract),
            received_on=outcome.received,
            seats=seats,
            deadline=outcome.deadline,
            in_time=outcome.in_time,
            effective_on=outcome.effective,
            status=PENDING,
        )
        session.add(record)
        session.flush()
        entity, entity_id = self.audit_target(contract, record)
        audit.record(
            session,
            self.cancel_action,
            entity,
            entity_id,
            school_id=contract.school_id,
            before=before,
            after=after
            if after is not None
            else {
                "received": outcome.received,
                "deadline": outcome.deadline,
                "in_time": outcome.in_time,
                "effective": outcome.effective,
            },
        )
        return record

    def cancel(
        self, session: Session, school_number: str, contract: Any, outcome: CancellationOutcome
    ) -> CancellationNotice:
        """Cancel the whole contract as reckoned in ``outcome``."""
        self.record_cancellation(session, contract, outcome)
        return CancellationNotice(
            school_number, outcome.received, outcome.deadline, outcome.in_time, outcome.effective
        )


def apply_pending(session: Session, subscription_id: int, renewal: date) -> None:
    """Mark the cancellations that took effect before ``renewal`` as applied."""
    for cancellation in session.scalars(
        select(Cancellation).where(
            Cancellation.subscription_id == subscription_id,
            Cancellation.status == PENDING,
            Cancellation.effective_on < renewal,
        )
    ):
        cancellation.status = APPLIED
