"""The package size for the renewal (M2) and the cancellation of a package (M1), with its
notice period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from lehrer_licenses.domain.packages import (
    package_sizes,
)
from lehrer_licenses.i18n import _, format_date
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.cancellation import CancellationNotice
from lehrer_licenses.services.licences.contract_years import (
    notice_in_year,
    require_in_year,
    term_of,
)
from lehrer_licenses.services.licences.packages.contract import running_package
from lehrer_licenses.services.licences.packages.renewal import PACKAGES
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import (
    School,
)

# --- size at the renewal (M2), cancellation (M1) --------------------------------------------


@dataclass(frozen=True)
class SizeAtRenewal:
    """The package size chosen for the next licence year (M2)."""

    school: str
    capacity: int | None
    capacity_from_renewal: int
    renewal: date
    received: date


def change_at_renewal(
    db: Database, school_number: str, capacity: int, received: date
) -> SizeAtRenewal:
    """Choose the package size for the next licence year (M2). A smaller package must arrive by
    the cancellation deadline, as it gives part of the licence up; a larger one any time."""
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        sub, plan = running_package(session, school)
        term = term_of(sub)
        require_in_year(term, received, _("a package change"))
        renewal = term.renewal_date
        if capacity not in package_sizes(plan, renewal):
            sizes = ", ".join(str(s) for s in package_sizes(plan, renewal))
            raise InvalidInput(
                _("Plan {plan} has no package for {n} users on {day}; sizes: {sizes}").format(
                    plan=plan.code, n=capacity, day=format_date(renewal), sizes=sizes
                )
            )
        if sub.ends_on is not None and sub.ends_on <= term.end:
            raise InvalidInput(
                _("The package of school {school} is cancelled to end on {day}").format(
                    school=school.number, day=format_date(sub.ends_on)
                )
            )
        deadline = PACKAGES.notice_deadline(sub)
        if capacity < (sub.capacity or 0) and received > deadline:
            raise InvalidInput(
                _(
                    "A smaller package for the renewal on {renewal} had to arrive by {deadline}; "
                    "ask again for the renewal after it"
                ).format(renewal=format_date(renewal), deadline=format_date(deadline))
            )
        before = {"renew_capacity": sub.renew_capacity}
        sub.renew_capacity = None if capacity == sub.capacity else capacity
        audit.record(
            session,
            "package.change_at_renewal",
            "subscription",
            sub.id,
            school_id=school.id,
            before=before,
            after={"renew_capacity": capacity, "renewal": renewal, "received": received},
        )
        return SizeAtRenewal(school.number, sub.capacity, capacity, renewal, received)


def plan_cancellation(session: Session, school: School, received: date):
    """The running package and when a cancellation received on ``received`` takes effect (M1),
    with the refusals of ``cancel_package``; writes nothing (the app's preview uses it too)."""
    sub, plan = running_package(session, school)
    _year, outcome = notice_in_year(PACKAGES, sub, plan, received, _("a cancellation received"))
    if sub.ends_on is not None:
        raise InvalidInput(
            _("The package of school {school} is already cancelled, ending on {day}").format(
                school=school.number, day=format_date(sub.ends_on)
            )
        )
    return sub, outcome


def cancel_package(db: Database, school_number: str, received: date) -> CancellationNotice:
    """A cancellation received on ``received``: in time (3 months before the end, M1) the
    package ends with its licence year, otherwise with the year after it."""
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        sub, outcome = plan_cancellation(session, school, received)
        return PACKAGES.cancel(session, school.number, sub, outcome)
