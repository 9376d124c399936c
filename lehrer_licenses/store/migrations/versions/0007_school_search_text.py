"""school.search_text: number, name, postcode and city folded for the search

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 09:00:00

The search folds what the user types (case, accents, letters such as ø, ł, ı) in Python. SQLite
folded the stored names with the same Python function at query time; PostgreSQL cannot call it,
so "Zürich" found nothing there. The stored names are now folded once, when they are written
(store/models.py), into this column, and both databases compare it with the folded needle.

On PostgreSQL the audit trigger of 0004 now raises its refusal as an integrity violation
(SQLSTATE 23000), as SQLite's RAISE(ABORT) in a trigger is one: the app and other tools see the
same kind of error on both databases (an IntegrityError, not a generic "raise exception").

The back-fill folds the existing rows in Python, with the app's own ``school_search_text``: the
column must be exactly what the app would write, on either database.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from lehrer_licenses.store.textsearch import school_search_text

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUDIT_MESSAGE = "audit entries cannot be changed or deleted"

_SCHOOL = sa.table(
    "school",
    sa.column("id", sa.Integer()),
    sa.column("number", sa.String()),
    sa.column("name", sa.String()),
    sa.column("postcode", sa.String()),
    sa.column("city", sa.String()),
    sa.column("search_text", sa.Text()),
)


def upgrade() -> None:
    op.add_column("school", sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            _SCHOOL.c.id, _SCHOOL.c.number, _SCHOOL.c.name, _SCHOOL.c.postcode, _SCHOOL.c.city
        )
    ).all()
    if rows:
        bind.execute(
            sa.update(_SCHOOL)
            .where(_SCHOOL.c.id == sa.bindparam("b_id"))
            .values(search_text=sa.bindparam("b_text")),
            [
                {"b_id": r.id, "b_text": school_search_text(r.number, r.name, r.postcode, r.city)}
                for r in rows
            ],
        )
    op.create_index(op.f("ix_school_search_text"), "school", ["search_text"])
    if bind.dialect.name == "postgresql":
        _audit_refusal("USING ERRCODE = 'integrity_constraint_violation'")


def _audit_refusal(errcode: str) -> None:
    op.execute(
        "CREATE OR REPLACE FUNCTION audit_entry_immutable() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{AUDIT_MESSAGE}' {errcode}; END $$"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _audit_refusal("")
    op.drop_index(op.f("ix_school_search_text"), table_name="school")
    op.drop_column("school", "search_text")
