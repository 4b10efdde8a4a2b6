"""approvals: four-eyes requests

Revision ID: apv0001_approvals
Revises: 0001_foundation
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gateway.db

revision: str = "apv0001_approvals"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("approvals",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    when = gateway.db.UTCDateTime()
    op.create_table(
        "approval_requests",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("requested_by", sa.String(length=254), nullable=False),
        sa.Column("requested_at", when, nullable=False),
        sa.Column("expires_at", when, nullable=False),
        sa.Column("decided_by", sa.String(length=254), nullable=True),
        sa.Column("decided_at", when, nullable=True),
        sa.Column("used_at", when, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_requests")),
    )
    op.create_index(
        "ix_approval_requests_type_target", "approval_requests", ["type", "target", "status"]
    )


def downgrade() -> None:
    op.drop_index("ix_approval_requests_type_target", table_name="approval_requests")
    op.drop_table("approval_requests")
