"""packages and per-pupil plans: package counts, subject add-ons, trials, pupil counts,
pre-investments; package size and renewal changes on subscriptions; terms and DPA on schools

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 02:50:30

Columns are added with plain ``ADD COLUMN`` (no batch table copy), as in 0002.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pupil_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("part", sa.String(length=10), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_pupil_count_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pupil_count")),
        sa.UniqueConstraint("school_id", "month", "part", name=op.f("uq_pupil_count_school_id")),
    )
    op.create_table(
        "pupil_trial",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_pupil_trial_plan_id_plan")),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_pupil_trial_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pupil_trial")),
        sa.UniqueConstraint("school_id", name=op.f("uq_pupil_trial_school_id")),
    )
    op.create_table(
        "addon",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("refunded_on", sa.Date(), nullable=True),
        sa.Column("billing_name", sa.String(length=200), nullable=False),
        sa.Column("billing_street", sa.String(length=200), nullable=False),
        sa.Column("billing_postcode", sa.String(length=20), nullable=False),
        sa.Column("billing_city", sa.String(length=100), nullable=False),
        sa.Column("billing_country", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_addon_school_id_school")
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscription.id"],
            name=op.f("fk_addon_subscription_id_subscription"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_addon")),
    )
    op.create_index(op.f("ix_addon_school_id"), "addon", ["school_id"], unique=False)
    op.create_index(op.f("ix_addon_subscription_id"), "addon", ["subscription_id"], unique=False)

    op.create_table(
        "package_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("counted_on", sa.Date(), nullable=False),
        sa.Column("users", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_package_count_school_id_school")
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscription.id"],
            name=op.f("fk_package_count_subscription_id_subscription"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_package_count")),
        sa.UniqueConstraint(
            "subscription_id", "counted_on", name=op.f("uq_package_count_subscription_id")
        ),
    )
    op.create_index(
        op.f("ix_package_count_school_id"), "package_count", ["school_id"], unique=False
    )

    op.create_table(
        "pre_investment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
        sa.Column("part", sa.String(length=10), nullable=False),
        sa.Column("pupils", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("settled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_pre_investment_invoice_id_invoice")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_pre_investment_plan_id_plan")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_pre_investment_school_id_school")
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscription.id"],
            name=op.f("fk_pre_investment_subscription_id_subscription"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pre_investment")),
        sa.UniqueConstraint(
            "subscription_id", "term_start", "part", name=op.f("uq_pre_investment_subscription_id")
        ),
    )
    op.create_index(
        op.f("ix_pre_investment_school_id"), "pre_investment", ["school_id"], unique=False
    )

    # Plain ADD COLUMN, no batch (table copy): see 0002 for why.
    fk_name = op.f("fk_invoice_addon_id_addon")
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE invoice ADD COLUMN addon_id INTEGER "
            f"CONSTRAINT {fk_name} REFERENCES addon (id)"
        )
    else:
        op.add_column("invoice", sa.Column("addon_id", sa.Integer(), nullable=True))
        op.create_foreign_key(fk_name, "invoice", "addon", ["addon_id"], ["id"])
    op.create_index(op.f("ix_invoice_addon_id"), "invoice", ["addon_id"], unique=False)

    op.add_column("school", sa.Column("terms_accepted_on", sa.Date(), nullable=True))
    op.add_column("school", sa.Column("dpa_reference", sa.String(length=80), nullable=True))
    op.add_column("school", sa.Column("dpa_signed_on", sa.Date(), nullable=True))

    op.add_column("subscription", sa.Column("capacity", sa.Integer(), nullable=True))
    op.add_column(
        "subscription",
        sa.Column("full_package", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("subscription", sa.Column("renew_capacity", sa.Integer(), nullable=True))
    op.add_column("subscription", sa.Column("renew_plan_code", sa.String(length=40), nullable=True))


def downgrade() -> None:
    # Dropping columns needs SQLite 3.35 or newer (no table copy, see 0002).
    for column in ("renew_plan_code", "renew_capacity", "full_package", "capacity"):
        op.drop_column("subscription", column)
    for column in ("dpa_signed_on", "dpa_reference", "terms_accepted_on"):
        op.drop_column("school", column)
    op.drop_index(op.f("ix_invoice_addon_id"), table_name="invoice")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("fk_invoice_addon_id_addon"), "invoice", type_="foreignkey")
    op.drop_column("invoice", "addon_id")
    op.drop_index(op.f("ix_pre_investment_school_id"), table_name="pre_investment")
    op.drop_table("pre_investment")
    op.drop_index(op.f("ix_package_count_school_id"), table_name="package_count")
    op.drop_table("package_count")
    op.drop_index(op.f("ix_addon_subscription_id"), table_name="addon")
    op.drop_index(op.f("ix_addon_school_id"), table_name="addon")
    op.drop_table("addon")
    op.drop_table("pupil_trial")
    op.drop_table("pupil_count")
