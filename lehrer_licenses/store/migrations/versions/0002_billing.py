"""billing: numbering counters, stored PDFs, payments, dunning notices

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 02:28:22

Columns are added with plain ``ADD COLUMN`` and no batch (copy-and-move) mode: on SQLite a batch
recreates the table, and dropping the old ``invoice`` with foreign keys on would cascade to
``invoice_line`` (and dropping ``school`` would fail on its children).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "number_counter",
        sa.Column("series", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("series", "year", name=op.f("pk_number_counter")),
    )
    op.create_table(
        "dunning_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("open_amount", sa.BigInteger(), nullable=False),
        sa.Column("fee", sa.BigInteger(), nullable=False),
        sa.Column("pay_by", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_dunning_notice_invoice_id_invoice")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_dunning_notice_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dunning_notice")),
        sa.UniqueConstraint("invoice_id", "level", name=op.f("uq_dunning_notice_invoice_id")),
    )
    op.create_index(
        op.f("ix_dunning_notice_invoice_id"), "dunning_notice", ["invoice_id"], unique=False
    )
    op.create_index(
        op.f("ix_dunning_notice_school_id"), "dunning_notice", ["school_id"], unique=False
    )
    op.create_table(
        "invoice_pdf",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_invoice_pdf_invoice_id_invoice")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_pdf")),
        sa.UniqueConstraint("invoice_id", name=op.f("uq_invoice_pdf_invoice_id")),
    )
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_payment_invoice_id_invoice")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_payment_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
    )
    op.create_index(op.f("ix_payment_invoice_id"), "payment", ["invoice_id"], unique=False)
    op.create_index(op.f("ix_payment_school_id"), "payment", ["school_id"], unique=False)

    op.add_column("invoice", sa.Column("due_date", sa.Date(), nullable=True))
    op.add_column("invoice", sa.Column("issued_at", sa.DateTime(), nullable=True))
    op.add_column("invoice", sa.Column("reference", sa.String(length=40), nullable=True))
    fk_name = op.f("fk_invoice_credits_invoice_id_invoice")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot ALTER constraints, but ADD COLUMN may carry its REFERENCES clause.
        op.execute(
            f"ALTER TABLE invoice ADD COLUMN credits_invoice_id INTEGER "
            f"CONSTRAINT {fk_name} REFERENCES invoice (id)"
        )
    else:
        op.add_column("invoice", sa.Column("credits_invoice_id", sa.Integer(), nullable=True))
        op.create_foreign_key(fk_name, "invoice", "invoice", ["credits_invoice_id"], ["id"])
    op.add_column("invoice", sa.Column("note", sa.Text(), nullable=True))
    op.add_column("invoice", sa.Column("details", sa.Text(), nullable=True))
    op.create_index(
        op.f("ix_invoice_credits_invoice_id"), "invoice", ["credits_invoice_id"], unique=False
    )
    op.create_index(op.f("ix_invoice_reference"), "invoice", ["reference"], unique=False)
    op.add_column("school", sa.Column("leitweg_id", sa.String(length=50), nullable=True))


def downgrade() -> None:
    # Dropping columns needs SQLite 3.35 or newer (no table copy, for the reason above).
    op.drop_column("school", "leitweg_id")
    op.drop_index(op.f("ix_invoice_reference"), table_name="invoice")
    op.drop_index(op.f("ix_invoice_credits_invoice_id"), table_name="invoice")
    for column in ("details", "note", "reference", "issued_at", "due_date"):
        op.drop_column("invoice", column)
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(
            op.f("fk_invoice_credits_invoice_id_invoice"), "invoice", type_="foreignkey"
        )
    op.drop_column("invoice", "credits_invoice_id")
    op.drop_index(op.f("ix_payment_school_id"), table_name="payment")
    op.drop_index(op.f("ix_payment_invoice_id"), table_name="payment")
    op.drop_table("payment")
    op.drop_table("invoice_pdf")
    op.drop_index(op.f("ix_dunning_notice_school_id"), table_name="dunning_notice")
    op.drop_index(op.f("ix_dunning_notice_invoice_id"), table_name="dunning_notice")
    op.drop_table("dunning_notice")
    op.drop_table("number_counter")
