"""campaigns: loaded pre-approval lists and the decisions they shaped

Revision ID: cm0001_campaigns
Revises: 0001_foundation
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gateway.db

revision: str = "cm0001_campaigns"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("campaigns",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    money = gateway.db.Money()
    when = gateway.db.UTCDateTime()
    op.create_table(
        "campaign_entries",
        sa.Column("campaign_id", sa.String(length=48), nullable=False),
        sa.Column("customer_ref", sa.String(length=80), nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=False),
        sa.Column("product_code", sa.String(length=64), nullable=False),
        sa.Column("environment", sa.String(length=16), nullable=False),
        sa.Column("scenario", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("limit_amount", money, nullable=False),
        sa.Column("grade", sa.String(length=1), nullable=False),
        sa.Column("pd_band", sa.String(length=16), nullable=False),
        sa.Column("segment", sa.String(length=32), nullable=False),
        sa.Column("contact_rank", sa.Integer(), nullable=False),
        sa.Column("issued_at", when, nullable=False),
        sa.Column("expires_at", when, nullable=False),
        sa.Column("loaded_at", when, nullable=False),
        sa.PrimaryKeyConstraint(
            "campaign_id",
            "customer_ref",
            "partner_id",
            "product_code",
            name=op.f("pk_campaign_entries"),
        ),
    )
    op.create_index(
        "ix_campaign_entries_checkout",
        "campaign_entries",
        ["customer_ref", "partner_id", "environment"],
    )
    op.create_table(
        "campaign_decisions",
        sa.Column("prequalification_id", sa.String(length=32), nullable=False),
        sa.Column("campaign_id", sa.String(length=48), nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=False),
        sa.Column("environment", sa.String(length=16), nullable=False),
        sa.Column("customer_ref", sa.String(length=80), nullable=False),
        sa.Column("segment", sa.String(length=32), nullable=False),
        sa.Column("grade", sa.String(length=1), nullable=False),
        sa.Column("campaign_limit", money, nullable=False),
        sa.Column("honoured_limit", money, nullable=False),
        sa.Column("decided_at", when, nullable=False),
        sa.PrimaryKeyConstraint("prequalification_id", name=op.f("pk_campaign_decisions")),
    )
    op.create_index(
        "ix_campaign_decisions_campaign", "campaign_decisions", ["campaign_id", "decided_at"]
    )


def downgrade() -> None:
    op.drop_table("campaign_decisions")
    op.drop_table("campaign_entries")
