"""product and plan display names per language (de, fr, it, en, nl) as catalogue data

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 13:10:00

Product and plan names were one English text, shown as such in a German UI and on a French
invoice. ``names`` holds a JSON object {"de": ..., "fr": ...}; ``name`` stays the base name for a
language the object lacks (a plan the vendor added in one language). The shipped products and
plans get the shipped names, taken from the catalogue the app installs, so a desk made before
this revision reads the same as a new one. Only the rows of the shipped codes are filled: a
vendor's own plans keep their one name until renamed in the Catalogue view.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from lehrer_licenses.domain.default_catalogue import SHIPPED_PLAN_NAMES, SHIPPED_PRODUCT_NAMES

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, no batch (table copy): see 0002 for why.
    for table, shipped in (("product", SHIPPED_PRODUCT_NAMES), ("plan", SHIPPED_PLAN_NAMES)):
        op.add_column(table, sa.Column("names", sa.Text(), server_default="{}", nullable=False))
        rows = sa.table(table, sa.column("code", sa.String()), sa.column("names", sa.Text()))
        for code, names in shipped.items():
            op.execute(
                rows.update()
                .where(rows.c.code == code)
                .values(names=json.dumps(names, ensure_ascii=False, sort_keys=True))
            )


def downgrade() -> None:
    op.drop_column("plan", "names")
    op.drop_column("product", "names")
