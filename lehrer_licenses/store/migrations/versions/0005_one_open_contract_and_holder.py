"""what two clerks at once must not write twice is refused by the database itself

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 09:00:00

The use cases lock a school before they change its contracts and seats (store/locks.py); these
indexes make a duplicate that slipped past them (a tool, a bug) an error instead of silent
corruption: one running contract per school and plan, one holder per seat, one seat per teacher.
Partial unique indexes, which SQLite and PostgreSQL both have.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUNNING = sa.text("status = 'active'")
HELD = sa.text("end_on IS NULL")


def upgrade() -> None:
    op.create_index(
        "ux_subscription_running",
        "subscription",
        ["school_id", "plan_id"],
        unique=True,
        sqlite_where=RUNNING,
        postgresql_where=RUNNING,
    )
    for column in ("seat_id", "teacher_id"):
        op.create_index(
            f"ux_seat_assignment_open_{column}",
            "seat_assignment",
            [column],
            unique=True,
            sqlite_where=HELD,
            postgresql_where=HELD,
        )


def downgrade() -> None:
    op.drop_index("ux_seat_assignment_open_teacher_id", table_name="seat_assignment")
    op.drop_index("ux_seat_assignment_open_seat_id", table_name="seat_assignment")
    op.drop_index("ux_subscription_running", table_name="subscription")
