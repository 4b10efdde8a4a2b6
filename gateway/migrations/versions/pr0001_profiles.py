"""profiles: customer profiles keyed by customer reference

Revision ID: pr0001_profiles
Revises: 0001_foundation
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gateway.db

revision: str = "pr0001_profiles"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("profiles",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_profiles",
        sa.Column("customer_ref", sa.String(length=68), nullable=False),
        sa.Column("id_number_hash", sa.String(length=68), nullable=True),
        sa.Column("age", sa.Integer(), nullable=False),
        sa.Column("employment_type", sa.String(length=32), nullable=False),
        sa.Column("employment_years", sa.Float(), nullable=False),
        sa.Column("verified_monthly_income", gateway.db.Money(), nullable=False),
        sa.Column("months_with_bank", sa.Integer(), nullable=False),
        sa.Column("avg_balance", gateway.db.Money(), nullable=False),
        sa.Column("app_logins_30d", sa.Integer(), nullable=False),
        sa.Column("past_loans", sa.Integer(), nullable=False),
        sa.Column("on_time_ratio", sa.Float(), nullable=True),
        sa.Column("delinquencies_12m", sa.Integer(), nullable=False),
        sa.Column("utilisation", sa.Float(), nullable=True),
        sa.Column("inquiries_6m", sa.Integer(), nullable=False),
        sa.Column("oldest_account_months", sa.Integer(), nullable=False),
        sa.Column("fraud_flag", sa.Boolean(), nullable=False),
        sa.Column("blacklist_flag", sa.Boolean(), nullable=False),
        sa.Column("current_delinquency", sa.Boolean(), nullable=False),
        sa.Column("monthly_debt_service", gateway.db.Money(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("updated_at", gateway.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("customer_ref", name=op.f("pk_customer_profiles")),
    )
    op.create_index(
        op.f("ix_customer_profiles_id_number_hash"),
        "customer_profiles",
        ["id_number_hash"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_customer_profiles_id_number_hash"), table_name="customer_profiles")
    op.drop_table("customer_profiles")
