"""per-pupil licence years run one calendar year from their start, not 365 days

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 09:00:00

Focus PO sells a one-year subscription renewed on its anniversary (2027-09-01 -> 2028-08-31);
365 days made a year spanning 29 February end a day early, and every later renewal with it. The
per-pupil plans get ``term_days`` 0 (``domain.periods.ONE_CALENDAR_YEAR``), and each running
per-pupil year that ends after 365 days is moved to the day before its anniversary, with what
was reckoned from that end: the contract's end after a cancellation, the pending cancellation's
effective day and the year's pre-investment. Years already over stay as they were billed.
Registration codes already issued keep their validity; the next code carries the new end.

Downgrade restores 365-day years the same way.
"""

from collections.abc import Sequence
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op
from dateutil.relativedelta import relativedelta

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PER_UNIT = "per_unit"


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _dated(sql: str) -> sa.TextClause:
    """``sql`` with its day parameters bound as dates (SQLite keeps them as ISO text)."""
    return sa.text(sql).bindparams(
        *(
            sa.bindparam(name, type_=sa.Date)
            for name in ("old", "new", "start")
            if f":{name}" in sql
        )
    )


def _move(old_days: int, new_days: int) -> None:
    bind = op.get_bind()
    bind.execute(
        sa.text("UPDATE plan SET term_days = :new WHERE kind = :kind AND term_days = :old"),
        {"new": new_days, "kind": PER_UNIT, "old": old_days},
    )
    rows = bind.execute(
        sa.text(
            "SELECT s.id, s.term_start, s.term_end FROM subscription s "
            "JOIN plan p ON p.id = s.plan_id WHERE p.kind = :kind AND s.status = 'active'"
        ),
        {"kind": PER_UNIT},
    ).all()
    for sub_id, start, end in rows:
        start, end = _as_date(start), _as_date(end)
        calendar_end = start + relativedelta(years=1) - timedelta(days=1)
        days_end = start + timedelta(days=364)
        old_end, new_end = (days_end, calendar_end) if new_days == 0 else (calendar_end, days_end)
        if end != old_end or old_end == new_end:
            continue
        args = {"id": sub_id, "old": old_end, "new": new_end, "start": start}
        bind.execute(_dated("UPDATE subscription SET term_end = :new WHERE id = :id"), args)
        bind.execute(
            _dated("UPDATE subscription SET ends_on = :new WHERE id = :id AND ends_on = :old"),
            args,
        )
        bind.execute(
            _dated(
                "UPDATE cancellation SET effective_on = :new WHERE subscription_id = :id "
                "AND effective_on = :old AND status = 'pending'"
            ),
            args,
        )
        bind.execute(
            _dated(
                "UPDATE pre_investment SET term_end = :new WHERE subscription_id = :id "
                "AND term_start = :start AND term_end = :old"
            ),
            args,
        )


def upgrade() -> None:
    _move(365, 0)


def downgrade() -> None:
    _move(0, 365)
