"""retention: the retention job's runs

Revision ID: rt0001_retention
Revises: 0001_foundation
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gateway.db

revision: str = "rt0001_retention"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("retention",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "retention_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", gateway.db.UTCDateTime(), nullable=False),
        sa.Column("finished_at", gateway.db.UTCDateTime(), nullable=True),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("removed", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_runs")),
    )
    op.create_index("ix_retention_runs_started", "retention_runs", ["started_at"])


def downgrade() -> None:
    op.drop_table("retention_runs")
