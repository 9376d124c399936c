"""one active seat per number in a contract

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 10:00:00

A reorder numbered its new seats from "seats held + 1", so after a seat was given up the next
order repeated a number still in use (seats 2, 3, 3). Orders now number after the highest
number the contract ever used; this migration mends the duplicates already written the same way
(the later seat of a pair, by id, takes the contract's next unused number) and then lets the
database refuse a duplicate: a partial unique index, which SQLite and PostgreSQL both have.

Every renumbered seat gets an audit entry, so a clerk who finds "seat 4" where a letter said
"seat 3" can see when and why it changed.
"""

import json
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = sa.text("status = 'active'")

_SEAT = sa.table(
    "seat",
    sa.column("id", sa.Integer()),
    sa.column("school_id", sa.Integer()),
    sa.column("subscription_id", sa.Integer()),
    sa.column("position", sa.Integer()),
    sa.column("status", sa.String()),
)
_AUDIT = sa.table(
    "audit_entry",
    sa.column("at", sa.DateTime()),
    sa.column("actor", sa.String()),
    sa.column("action", sa.String()),
    sa.column("entity", sa.String()),
    sa.column("entity_id", sa.Integer()),
    sa.column("school_id", sa.Integer()),
    sa.column("before", sa.Text()),
    sa.column("after", sa.Text()),
)


def renumbered_seats(seats: list[tuple[int, int, int, int, str]]) -> list[tuple[int, int, int]]:
    """(seat id, old number, new number) for the later active seat of every duplicate number,
    from rows of (id, school id, contract id, number, status)."""
    highest: dict[int, int] = {}
    for _, _, contract, position, _ in seats:
        highest[contract] = max(highest.get(contract, 0), position)
    seen: set[tuple[int, int]] = set()
    changes = []
    for seat_id, _, contract, position, status in sorted(seats):
        if status != "active":
            continue
        if (contract, position) in seen:
            highest[contract] += 1
            changes.append((seat_id, position, highest[contract]))
        else:
            seen.add((contract, position))
    return changes


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            _SEAT.c.id, _SEAT.c.school_id, _SEAT.c.subscription_id, _SEAT.c.position, _SEAT.c.status
        )
    ).all()
    school_of = {r.id: r.school_id for r in rows}
    now = datetime.now()
    for seat_id, old, new in renumbered_seats([tuple(r) for r in rows]):
        bind.execute(sa.update(_SEAT).where(_SEAT.c.id == seat_id).values(position=new))
        bind.execute(
            sa.insert(_AUDIT).values(
                at=now,
                actor="migration 0010",
                action="seat.renumber",
                entity="seat",
                entity_id=seat_id,
                school_id=school_of[seat_id],
                before=json.dumps({"seat": old}),
                after=json.dumps({"seat": new, "why": "number already held by an active seat"}),
            )
        )
    op.create_index(
        "ux_seat_active_position",
        "seat",
        ["subscription_id", "position"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )


def downgrade() -> None:
    # The renumbering stays: the old duplicate numbers were the bug, not data to bring back.
    op.drop_index("ux_seat_active_position", table_name="seat")
