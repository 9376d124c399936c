"""Monthly pupil counts (F5): the pupils with data processed in the last 9 months, per part."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehrer_licenses.domain.catalogue import PlanKind
from lehrer_licenses.domain.per_pupil import (
    variant_of,
)
from lehrer_licenses.domain.periods import month_start
from lehrer_licenses.i18n import _, format_date, month_text
from lehrer_licenses.services.catalogue import plan_from_row
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.contract_years import (
    running_of_kind,
)
from lehrer_licenses.services.licences.pupils.contract import check_parts
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import (
    PlanRow,
    PreInvestmentRow,
    PupilCount,
    Subscription,
)


def monthly_counts(session: Session, school_id: int) -> list[tuple[date, str, int]]:
    return [
        (month, part, count)
        for month, part, count in session.execute(
            select(PupilCount.month, PupilCount.part, PupilCount.count).where(
                PupilCount.school_id == school_id
            )
        )
    ]


@dataclass(frozen=True)
class PupilCounts:
    """A month's pupil counts as recorded, per part, with what the running plan says of them."""

    school: str
    month: date
    counts: dict[str, int]
    notices: list[str]


# --- monthly counts (F5) --------------------------------------------------------------------


def record_pupil_counts(
    db: Database, school_number: str, month: date, counts: Mapping[str, int]
) -> PupilCounts:
    """Record the pupils with data processed in the last 9 months, per part, for ``month``."""
    month = month_start(month)
    if not counts:
        raise InvalidInput(_("Give at least one count, e.g. 3-8=210"))
    check_parts(counts)
    for part, count in counts.items():
        if count < 0:
            raise InvalidInput(
                _("A pupil count cannot be negative: {part}={n}").format(part=part, n=count)
            )
    with db.transaction() as session:
        school = school_by_number(session, school_number)
        first = session.scalar(
            select(Subscription.started_on)
            .join(PlanRow, PlanRow.id == Subscription.plan_id)
            .where(Subscription.school_id == school.id, PlanRow.kind == PlanKind.PER_UNIT.value)
            .order_by(Subscription.started_on)
            .limit(1)
        )
        if first is None:
            raise InvalidInput(
                _("School {school} has no per-pupil subscription to count pupils for").format(
                    school=school.number
                )
            )
        if month < month_start(first):
            raise InvalidInput(
                _("{month} is before the subscription started on {day}").format(
                    month=month_text(month), day=format_date(first)
                )
            )
        notices = []
        sub = running_of_kind(session, school.id, PlanKind.PER_UNIT)
        if sub is not None and month < month_start(sub.term_start):
            settled = session.scalar(
                select(PreInvestmentRow.term_start)
                .where(
                    PreInvestmentRow.subscription_id == sub.id,
                    PreInvestmentRow.settled.is_(True),
                )
                .limit(1)
            )
            if settled is not None:
                # A settlement bills the months it knows; a count arriving after it would be
                # billed nowhere, so it is refused rather than silently kept.
                raise InvalidInput(
                    _(
                        "The use of {month} was already settled: the licence year running "
                        "since {day} bills its months from {first} on. A count for {month} "
                        "can no longer be billed; record counts before the renewal or upgrade "
                        "that settles their month"
                    ).format(
                        month=month_text(month),
                        day=format_date(sub.term_start),
                        first=month_text(month_start(sub.term_start)),
                    )
                )
        if sub is not None:
            parts = variant_of(plan_from_row(sub.plan)).parts
            others = sorted(set(counts) - set(parts))
            if others:
                notices.append(
                    _("The running plan has the part(s) {parts}, not {others}.").format(
                        parts=", ".join(parts), others=", ".join(others)
                    )
                )
        before = {}
        for part, count in sorted(counts.items()):
            row = session.scalar(
                select(PupilCount).where(
                    PupilCount.school_id == school.id,
                    PupilCount.month == month,
                    PupilCount.part == part,
                )
            )
            if row is None:
                session.add(
                    PupilCount(
                        school_id=school.id,
                        month=month,
                        part=part,
                        count=count,
                        created_at=datetime.now(),
                    )
                )
            else:
                before[part] = row.count
                row.count = count
        session.flush()
        audit.record(
            session,
            "pupils.count",
            "pupil_count",
            None,
            school_id=school.id,
            before=before,
            after={"month": month, **counts},
        )
        return PupilCounts(school.number, month, dict(sorted(counts.items())), notices)
