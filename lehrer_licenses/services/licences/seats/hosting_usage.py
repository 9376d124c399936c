"""Monthly user counts for DB-hosting (L7): entered, or counted from the seats held.

The admin login (L11) and frozen users (L9) are never counted.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from lehrer_licenses.domain.catalogue import Billing
from lehrer_licenses.domain.periods import month_start
from lehrer_licenses.i18n import _, format_date, month_text
from lehrer_licenses.services.errors import InvalidInput
from lehrer_licenses.services.licences.seats.contracts import (
    running_subscription,
    subscription_plan,
)
from lehrer_licenses.services.schools import school_by_number
from lehrer_licenses.store import audit
from lehrer_licenses.store.database import Database
from lehrer_licenses.store.models import Invoice, School, SeatAssignment, Teacher, UsageCount


def counted_users_query(school_id: int):
    return (
        select(func.count(SeatAssignment.id))
        .join(Teacher, Teacher.id == SeatAssignment.teacher_id)
        .where(
            Teacher.school_id == school_id,
            SeatAssignment.end_on.is_(None),
            Teacher.frozen.is_(False),
            Teacher.is_admin.is_(False),
        )
    )


def require_hosting(session, school: School):
    sub = running_subscription(session, school)
    if sub is None or subscription_plan(sub).billing is not Billing.ARREARS:
        raise InvalidInput(
            _(
                "School {school} is not on DB-hosting: monthly counts are billed "
                "only for DB-hosting"
            ).format(school=school.number)
        )
    return sub


def record_usage(db: Database, school_number: str, month: date, count: int | None = None) -> int:
    """Record the count for ``month``; without a count, count the users holding seats now."""
    with db.transaction() as session:
        return record_usage_in(session, school_number, month, count)


def record_usage_in(
    session, school_number: str, month: date, count: int | None = None, source: str = "manual"
) -> int:
    """``record_usage`` inside the caller's transaction: a CSV import records all its rows in
    one transaction, each exactly as if it had been entered by hand."""
    month = month_start(month)
    school = school_by_number(session, school_number)
    sub = require_hosting(session, school)
    if month < month_start(sub.started_on):
        raise InvalidInput(
            _("{month} is before the contract started on {day}").format(
                month=month_text(month), day=format_date(sub.started_on)
            )
        )
    if month.year < sub.term_start.year:
        # The year-end run into the next term billed this year's usage from the counts it found
        # (an invoice, or none when they were nil); a count recorded after it would be billed
        # nowhere, so it is refused rather than silently kept.
        billed = session.scalar(
            select(Invoice).where(Invoice.billing_key == f"usage:{sub.id}:{month.year}")
        )
        raise InvalidInput(
            _(
                "The usage of {year} was already billed by the renewal into {next} ({invoice}): "
                "a count for {month} can no longer be billed; correct that invoice with a credit "
                "note and a new one"
            ).format(
                year=month.year,
                next=sub.term_start.year,
                invoice=(
                    _("invoice {number}").format(number=billed.number or billed.id)
                    if billed is not None
                    else _("no invoice, there were no counts")
                ),
                month=month_text(month),
            )
        )
    if count is None:
        count = session.scalar(counted_users_query(school.id)) or 0
        source = "counted"
    if count < 0:
        raise InvalidInput(_("a user count cannot be negative: {n}").format(n=count))
    row = session.scalar(
        select(UsageCount).where(UsageCount.school_id == school.id, UsageCount.month == month)
    )
    before = {"count": row.count} if row else {}
    if row is None:
        row = UsageCount(school_id=school.id, month=month, count=count, source=source)
        session.add(row)
    else:
        row.count, row.source = count, source
    session.flush()
    audit.record(
        session,
        "usage.record",
        "usage_count",
        row.id,
        school_id=school.id,
        before=before,
        after={"month": month, "count": count, "source": source},
    )
    return count


def usage_for_schools(session, school_ids: list[int], year: int) -> dict[int, dict[date, int]]:
    """``usage_for_year`` of several schools with one query: school id -> month -> count."""
    usage: dict[int, dict[date, int]] = {school_id: {} for school_id in school_ids}
    if school_ids:
        rows = session.execute(
            select(UsageCount.school_id, UsageCount.month, UsageCount.count).where(
                UsageCount.school_id.in_(school_ids),
                UsageCount.month >= date(year, 1, 1),
                UsageCount.month <= date(year, 12, 1),
            )
        )
        for school_id, month, count in rows:
            usage[school_id][month] = count
    return usage


def usage_for_year(session, school_id: int, year: int) -> dict[date, int]:
    return usage_for_schools(session, [school_id], year)[school_id]
