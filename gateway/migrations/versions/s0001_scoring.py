"""scoring: model activations

Revision ID: s0001_scoring
Revises: 0001_foundation
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gateway.db

revision: str = "s0001_scoring"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("scoring",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "model_activations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.String(length=120), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("activated_at", gateway.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_activations")),
    )


def downgrade() -> None:
    op.drop_table("model_activations")
