"""funnel: funnel events

Revision ID: f0001_funnel
Revises: 0001_foundation
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gateway.db

revision: str = "f0001_funnel"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("funnel",)
depends_on: str | Sequence[str] | None = "q0001_prequal"


def upgrade() -> None:
    when = gateway.db.UTCDateTime()
    op.create_table(
        "funnel_events",
        sa.Column("partner_id", sa.String(length=64), nullable=False),
        sa.Column("environment", sa.String(length=16), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("offer_id", sa.String(length=32), nullable=False),
        sa.Column("prequalification_id", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", when, nullable=False),
        sa.Column("received_at", when, nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_funnel_events_offer_id_offers")
        ),
        sa.PrimaryKeyConstraint("partner_id", "environment", "id", name=op.f("pk_funnel_events")),
    )
    op.create_index(
        "ix_funnel_events_prequalification", "funnel_events", ["prequalification_id", "type"]
    )
    op.create_index(
        "ix_funnel_events_tenant_occurred",
        "funnel_events",
        ["partner_id", "environment", "occurred_at"],
    )


def downgrade() -> None:
    op.drop_table("funnel_events")
