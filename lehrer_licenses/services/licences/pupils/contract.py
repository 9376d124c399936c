"""The school's running per-pupil subscription and what its use cases share: the result of a
use case that writes an invoice, the trial and the refusals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import Plan, PlanKind
from lehrer_licenses.domain.per_pupil import (
    PARTS,
    Settlement,
)
from lehrer_licenses.i18n import _
from lehrer_licenses.services.billing.drafts import (
    InvoiceView,
)
from lehrer_licenses.services.catalogue import plan_from_row
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.contract_years import (
    running_of_kind,
)
from lehrer_licenses.store.models import (
    PupilTrial,
    School,
    Subscription,
)

PRE_INVESTMENT = "pre_investment"
SETTLEMENT = "settlement"


@dataclass
class PupilResult:
    school: str
    plan: str
    variant: str
    action: str  # start | upgrade
    term_start: date
    term_end: date
    pupils: dict[str, int]
    invoice: InvoiceView
    parts: Settlement | None = None  # the settlement's three parts (upgrade)
    notices: list[str] = field(default_factory=list)
    code: str | None = None


def running_pupils(session: Session, school: School) -> tuple[Subscription, Plan]:
    sub = running_of_kind(session, school.id, PlanKind.PER_UNIT)
    if sub is None:
        raise InvalidInput(
            _("School {school} has no running per-pupil subscription").format(school=school.number)
        )
    return sub, plan_from_row(sub.plan)


def pupil_trial(session: Session, school: School) -> PupilTrial | None:
    return session.scalar(select(PupilTrial).where(PupilTrial.school_id == school.id))


def refuse(reasons: list[str], school: School, what: str) -> None:
    if reasons:
        raise InvalidInput(
            _("{what} for school {school} is refused: {reasons}").format(
                what=what, school=school.number, reasons="; ".join(reasons)
            )
        )


def check_parts(counts: Mapping[str, int]) -> None:
    unknown = sorted(set(counts) - set(PARTS))
    if unknown:
        raise InvalidInput(
            _("Unknown part(s) {parts}: the parts are {known}").format(
                parts=", ".join(unknown), known=", ".join(PARTS)
            )
        )
