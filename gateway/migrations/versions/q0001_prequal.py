"""prequal: prequalification decisions and their offers

Revision ID: q0001_prequal
Revises: 0001_foundation
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gateway.db

revision: str = "q0001_prequal"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("prequal",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    money = gateway.db.Money()
    op.create_table(
        "prequalifications",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=False),
        sa.Column("environment", sa.String(length=16), nullable=False),
        sa.Column("customer_ref", sa.String(length=80), nullable=False),
        sa.Column("consent_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("scenario_type", sa.String(length=16), nullable=False),
        sa.Column("scenario", sa.JSON(), nullable=False),
        sa.Column("product_code", sa.String(length=64), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("requested_amount", money, nullable=False),
        sa.Column("approved_amount", money, nullable=True),
        sa.Column("upfront_payment", money, nullable=True),
        sa.Column("grade", sa.String(length=2), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("pd", sa.Float(), nullable=True),
        sa.Column("score_band", sa.String(length=16), nullable=True),
        sa.Column("segment", sa.String(length=32), nullable=True),
        sa.Column("model_version", sa.String(length=80), nullable=False),
        sa.Column("inputs_hash", sa.String(length=80), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("new_to_bank", sa.Boolean(), nullable=False),
        sa.Column("sandbox_persona", sa.String(length=32), nullable=True),
        sa.Column("experiment_arm", sa.String(length=32), nullable=True),
        sa.Column("human_review_requested_at", gateway.db.UTCDateTime(), nullable=True),
        sa.Column("created_at", gateway.db.UTCDateTime(), nullable=False),
        sa.Column("expires_at", gateway.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prequalifications")),
    )
    op.create_index(
        "ix_prequalifications_customer_created", "prequalifications", ["customer_ref", "created_at"]
    )
    op.create_index(
        "ix_prequalifications_tenant_created",
        "prequalifications",
        ["partner_id", "environment", "created_at"],
    )
    op.create_table(
        "offers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("prequalification_id", sa.String(length=32), nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=False),
        sa.Column("environment", sa.String(length=16), nullable=False),
        sa.Column("customer_ref", sa.String(length=80), nullable=False),
        sa.Column("consent_id", sa.String(length=32), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("product_code", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("principal", money, nullable=False),
        sa.Column("tenor_months", sa.Integer(), nullable=False),
        sa.Column("repayment_method", sa.String(length=32), nullable=False),
        sa.Column("apr", gateway.db.Rate(), nullable=False),
        sa.Column("monthly_payment", money, nullable=False),
        sa.Column("total_interest", money, nullable=False),
        sa.Column("total_fees", money, nullable=False),
        sa.Column("total_cost", money, nullable=False),
        sa.Column("total_repayable", money, nullable=False),
        sa.Column("merchant_subsidy", money, nullable=True),
        sa.Column("schedule", sa.JSON(), nullable=False),
        sa.Column("schedule_hash", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("void_reason", sa.String(length=64), nullable=True),
        sa.Column("created_at", gateway.db.UTCDateTime(), nullable=False),
        sa.Column("expires_at", gateway.db.UTCDateTime(), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["prequalification_id"],
            ["prequalifications.id"],
            name=op.f("fk_offers_prequalification_id_prequalifications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offers")),
    )
    op.create_index("ix_offers_consent_status", "offers", ["consent_id", "status"])
    op.create_index("ix_offers_prequalification", "offers", ["prequalification_id"])


def downgrade() -> None:
    op.drop_table("offers")
    op.drop_table("prequalifications")
