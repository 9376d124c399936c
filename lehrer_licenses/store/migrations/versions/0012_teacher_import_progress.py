"""a teacher import's progress: how many of a file's teachers its committed batches wrote

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 13:20:00

A canton's teacher file is written in batches, each its own transaction, so that other clerks'
writes get in between. A program stopped between two batches (killed, a power cut) leaves the
first batches written; this row, advanced in each batch's own transaction, says how many, so that
importing the same file again writes the rest instead of refusing its first half as "already at
the school". The row goes when the file's last batch is written.

The teachers that the 0.11 import wrote have no search text (its bulk insert skipped the event
that fills it, so the seats view's teacher filter did not find them): they get it here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from lehrer_licenses.store.textsearch import teacher_search_text

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "teacher_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("file", sa.String(length=255), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("written", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teacher_import")),
    )
    op.create_index(op.f("ix_teacher_import_digest"), "teacher_import", ["digest"], unique=False)
    teacher = sa.table(
        "teacher",
        sa.column("id", sa.Integer),
        sa.column("first_name", sa.String),
        sa.column("last_name", sa.String),
        sa.column("search_text", sa.Text),
    )
    bind = op.get_bind()
    unfolded = bind.execute(
        sa.select(teacher.c.id, teacher.c.first_name, teacher.c.last_name).where(
            teacher.c.search_text == ""
        )
    ).all()
    if unfolded:
        bind.execute(
            sa.update(teacher)
            .where(teacher.c.id == sa.bindparam("b_id"))
            .values(search_text=sa.bindparam("b_text")),
            [
                {"b_id": r.id, "b_text": teacher_search_text(r.first_name, r.last_name)}
                for r in unfolded
            ],
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_teacher_import_digest"), table_name="teacher_import")
    op.drop_table("teacher_import")
