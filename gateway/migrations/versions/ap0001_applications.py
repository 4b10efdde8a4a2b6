"""applications: applications and refunds

Revision ID: ap0001_applications
Revises: 0001_foundation
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gateway.db

revision: str = "ap0001_applications"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("applications",)
depends_on: str | Sequence[str] | None = "q0001_prequal"


def upgrade() -> None:
    money = gateway.db.Money()
    when = gateway.db.UTCDateTime()
    op.create_table(
        "applications",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("offer_id", sa.String(length=32), nullable=False),
        sa.Column("prequalification_id", sa.String(length=32), nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=False),
        sa.Column("environment", sa.String(length=16), nullable=False),
        sa.Column("customer_ref", sa.String(length=80), nullable=False),
        sa.Column("credit_inquiry_consent_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("principal", money, nullable=False),
        sa.Column("underwriting_decision", sa.String(length=16), nullable=True),
        sa.Column("decision_reasons", sa.JSON(), nullable=False),
        sa.Column("funded_amount", money, nullable=True),
        sa.Column("outstanding_principal", money, nullable=True),
        sa.Column("refunded_amount", money, nullable=False),
        sa.Column("schedule", sa.JSON(), nullable=True),
        sa.Column("cancel_reason", sa.String(length=200), nullable=True),
        sa.Column("created_at", when, nullable=False),
        sa.Column("updated_at", when, nullable=False),
        sa.Column("review_started_at", when, nullable=True),
        sa.Column("decided_at", when, nullable=True),
        sa.Column("funded_at", when, nullable=True),
        sa.Column("cancelled_at", when, nullable=True),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_applications_offer_id_offers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint("offer_id", name="uq_applications_offer_id"),
    )
    op.create_index("ix_applications_status_updated", "applications", ["status", "updated_at"])
    op.create_index(
        "ix_applications_tenant_created",
        "applications",
        ["partner_id", "environment", "created_at"],
    )
    op.create_table(
        "refunds",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("application_id", sa.String(length=32), nullable=False),
        sa.Column("refund_id", sa.String(length=64), nullable=False),
        sa.Column("amount", money, nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("outstanding_before", money, nullable=False),
        sa.Column("outstanding_after", money, nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_refunds_application_id_applications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refunds")),
        sa.UniqueConstraint("application_id", "refund_id", name="uq_refunds_application_id"),
    )


def downgrade() -> None:
    op.drop_table("refunds")
    op.drop_table("applications")
