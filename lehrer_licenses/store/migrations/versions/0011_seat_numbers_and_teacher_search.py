"""one active seat per number in a contract; teacher.search_text folded for the search

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 10:00:00

A reorder numbered its new seats from "seats held + 1", so after a seat was given up the next
order repeated a number still in use (seats 2, 3, 3). Orders now number after the highest
number the contract ever used; this migration mends the duplicates already written the same way
(the later seat of a pair, by id, takes the contract's next unused number) and then lets the
database refuse a duplicate: a partial unique index, which SQLite and PostgreSQL both have.

Every renumbered seat gets an audit entry, so a clerk who finds "seat 4" where a letter said
"seat 3" can see when and why it changed.

teacher.search_text: "first last" folded (case, accents, ł/ø/ı) as school.search_text is since
0007. The seats view's teacher filter, past the names it lists by id, compared the names in SQL,
which PostgreSQL only lowercased; both databases now compare this stored text. The back-fill
folds in Python with the app's own ``teacher_search_text``.
"""

import json
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

from lehrer_licenses.store.textsearch import teacher_search_text

revision: str = "0011"
down_revision: str | None = "0010"
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
_TEACHER = sa.table(
    "teacher",
    sa.column("id", sa.Integer()),
    sa.column("first_name", sa.String()),
    sa.column("last_name", sa.String()),
    sa.column("search_text", sa.Text()),
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
    _teacher_search_text(bind)


def _teacher_search_text(bind) -> None:
    op.add_column("teacher", sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    rows = bind.execute(sa.select(_TEACHER.c.id, _TEACHER.c.first_name, _TEACHER.c.last_name)).all()
    if rows:
        bind.execute(
            sa.update(_TEACHER)
            .where(_TEACHER.c.id == sa.bindparam("b_id"))
            .values(search_text=sa.bindparam("b_text")),
            [
                {"b_id": r.id, "b_text": teacher_search_text(r.first_name, r.last_name)}
                for r in rows
            ],
        )


def downgrade() -> None:
    op.drop_column("teacher", "search_text")
    # The renumbering stays: the old duplicate numbers were the bug, not data to bring back.
    op.drop_index("ux_seat_active_position", table_name="seat")
