"""a payment can be reversed: a counter-booking that names the payment it reverses and why

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 10:05:00

A wrong payment is never deleted (the books keep what was booked): a reversal is a second
payment row with the negated amount, pointing at the original. The unique index makes a second
reversal of the same payment impossible even when two desks try at once. Rows before this
revision are ordinary payments: no reversal, no reason.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, no batch (table copy): see 0002 for why.
    op.add_column("payment", sa.Column("reverses_id", sa.Integer(), nullable=True))
    op.add_column(
        "payment",
        sa.Column("reason", sa.String(length=200), server_default="", nullable=False),
    )
    op.create_index("ix_payment_reverses_id", "payment", ["reverses_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_payment_reverses_id", table_name="payment")
    op.drop_column("payment", "reason")
    op.drop_column("payment", "reverses_id")
