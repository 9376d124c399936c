"""an invoice names its buyer: the billing party when it is not the licence holder (school)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 09:30:00

An add-on may be paid by another party (a parents' association, M10). The invoice keeps the
party it was drafted for, so an issued invoice, its credit notes and its reminders keep going to
that party even when the add-on's billing address is changed later. Empty columns: the school
is the buyer (every invoice before this revision).

Existing add-on invoices take the billing address their add-on has now: the best the database
knows of who was billed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("buyer_name", 200),
    ("buyer_street", 200),
    ("buyer_postcode", 20),
    ("buyer_city", 100),
    ("buyer_country", 2),
)


def upgrade() -> None:
    # Plain ADD COLUMN, no batch (table copy): see 0002 for why.
    for name, length in COLUMNS:
        op.add_column(
            "invoice",
            sa.Column(name, sa.String(length=length), server_default="", nullable=False),
        )
    for name, _length in COLUMNS:
        source = name.replace("buyer_", "billing_")
        op.execute(
            f"UPDATE invoice SET {name} = (SELECT addon.{source} FROM addon "
            f"WHERE addon.id = invoice.addon_id) "
            "WHERE addon_id IS NOT NULL AND EXISTS (SELECT 1 FROM addon "
            "WHERE addon.id = invoice.addon_id AND addon.billing_name <> '')"
        )


def downgrade() -> None:
    for name, _length in reversed(COLUMNS):
        op.drop_column("invoice", name)
