"""a teacher import's progress: how many of a file's teachers its committed batches wrote

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 13:20:00

A canton's teacher file is written in batches, each its own transaction, so that other clerks'
writes get in between. A program stopped between two batches (killed, a power cut) leaves the
first batches written; this row, advanced in each batch's own transaction, says how many, so that
importing the same file again writes the rest instead of refusing its first half as "already at
the school". The row goes when the file's last batch is written.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

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


def downgrade() -> None:
    op.drop_index(op.f("ix_teacher_import_digest"), table_name="teacher_import")
    op.drop_table("teacher_import")
