"""a server stores the invoices' PDFs without trying to compress them

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 19:50:00

PostgreSQL tries to compress every value over 2 KB before it stores it (the column's storage
EXTENDED). A PDF is compressed already: the attempt fails and only costs time, five times the
write of the PDF itself (the year-end run writes one per invoice). EXTERNAL stores them out of
line as they are. The PDFs already stored stay as they are; SQLite has no such setting.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE invoice_pdf ALTER COLUMN pdf SET STORAGE EXTERNAL")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE invoice_pdf ALTER COLUMN pdf SET STORAGE EXTENDED")
