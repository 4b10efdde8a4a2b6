"""risk: observations the velocity and identity rules count, and their hits

Revision ID: r0001_risk
Revises: 0001_foundation
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gateway.db

revision: str = "r0001_risk"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("risk",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    when = gateway.db.UTCDateTime()
    op.create_table(
        "risk_observations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("environment", sa.String(length=16), nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=False),
        sa.Column("customer_ref", sa.String(length=80), nullable=False),
        sa.Column("id_number_hash", sa.String(length=80), nullable=True),
        sa.Column("device_hash", sa.String(length=80), nullable=True),
        sa.Column("ip_hash", sa.String(length=80), nullable=True),
        sa.Column("prequalification_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", when, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_observations")),
    )
    for name, columns in (
        ("ix_risk_observations_customer", ["environment", "customer_ref", "created_at"]),
        ("ix_risk_observations_id_number", ["environment", "id_number_hash", "created_at"]),
        ("ix_risk_observations_device", ["environment", "device_hash", "created_at"]),
        ("ix_risk_observations_created", ["created_at"]),
    ):
        op.create_index(name, "risk_observations", columns)
    op.create_table(
        "risk_hits",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject", sa.String(length=32), nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=False),
        sa.Column("environment", sa.String(length=16), nullable=False),
        sa.Column("customer_ref", sa.String(length=80), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("reason_code", sa.String(length=48), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_hits")),
    )
    op.create_index("ix_risk_hits_customer", "risk_hits", ["customer_ref", "created_at"])
    op.create_index("ix_risk_hits_subject", "risk_hits", ["subject"])
    op.create_index("ix_risk_hits_created", "risk_hits", ["created_at"])


def downgrade() -> None:
    op.drop_table("risk_hits")
    op.drop_table("risk_observations")
