"""widget: checkout sessions for the browser widget

Revision ID: wd0001_widget
Revises: 0001_foundation
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gateway.db

revision: str = "wd0001_widget"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("widget",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "widget_checkout_sessions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=False),
        sa.Column("environment", sa.String(length=16), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("amount", gateway.db.Money(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("scenario", sa.String(length=16), nullable=False),
        sa.Column("allowed_origin", sa.String(length=255), nullable=False),
        sa.Column("merchant_order_ref", sa.String(length=64), nullable=True),
        sa.Column("customer_ref", sa.String(length=80), nullable=True),
        sa.Column("sandbox_persona", sa.String(length=32), nullable=True),
        sa.Column("prequalification_consent_id", sa.String(length=32), nullable=True),
        sa.Column("credit_inquiry_consent_id", sa.String(length=32), nullable=True),
        sa.Column("marketing_consent_id", sa.String(length=32), nullable=True),
        sa.Column("prequalification_id", sa.String(length=32), nullable=True),
        sa.Column("selected_offer_id", sa.String(length=32), nullable=True),
        sa.Column("selected_at", gateway.db.UTCDateTime(), nullable=True),
        sa.Column("created_at", gateway.db.UTCDateTime(), nullable=False),
        sa.Column("expires_at", gateway.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_widget_checkout_sessions")),
    )
    op.create_index(
        "ix_widget_checkout_sessions_tenant",
        "widget_checkout_sessions",
        ["partner_id", "environment"],
    )


def downgrade() -> None:
    op.drop_index("ix_widget_checkout_sessions_tenant", table_name="widget_checkout_sessions")
    op.drop_table("widget_checkout_sessions")
