"""an index of the cancellations by contract

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 22:30:00

The year-end run applies each contract's pending cancellations (``UPDATE cancellation ... WHERE
subscription_id = ?``). Without an index every contract scanned the whole table: 0.27 ms each
on the 20,000-school demo's 3,666 cancellations, five of the run's seconds.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_cancellation_subscription_id", "cancellation", ["subscription_id"])


def downgrade() -> None:
    op.drop_index("ix_cancellation_subscription_id", table_name="cancellation")
