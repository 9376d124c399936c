"""invoice.vat_regime: the VAT regime an invoice was priced and issued under

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 09:30:00

VAT follows the place of supply as the vendor declares it per country (domestic VAT, a foreign
registration with its own number, reverse charge, not taxable). The regime is fixed with the
draft's rate and kept on the invoice, so that an issued invoice's reprint and e-invoice say what
it said when issued even after the vendor changes a setting. Existing rows stay NULL: they were
billed by the school's country, and are read so (domestic at home, the home number abroad).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("invoice", sa.Column("vat_regime", sa.String(60), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("invoice") as batch:
        batch.drop_column("vat_regime")
