"""monitoring: snapshots of the alerting figures

Revision ID: mo0001_monitoring
Revises: 0001_foundation
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gateway.db

revision: str = "mo0001_monitoring"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("monitoring",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "monitoring_snapshots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("model_version", sa.String(length=120), nullable=False),
        sa.Column("window_start", gateway.db.UTCDateTime(), nullable=False),
        sa.Column("computed_at", gateway.db.UTCDateTime(), nullable=False),
        sa.Column("gauges", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_snapshots")),
    )
    op.create_index(
        op.f("ix_monitoring_snapshots_computed_at"),
        "monitoring_snapshots",
        ["computed_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("monitoring_snapshots")
