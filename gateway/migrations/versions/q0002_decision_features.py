"""prequal: the features each decision was scored on, and the shadow challenger's score

Revision ID: q0002_decision_features
Revises: q0001_prequal
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "q0002_decision_features"
down_revision: str | Sequence[str] | None = "q0001_prequal"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("prequalifications") as batch:
        batch.add_column(sa.Column("features", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("shadow_model_version", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("shadow_score", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("shadow_pd", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("prequalifications") as batch:
        batch.drop_column("shadow_pd")
        batch.drop_column("shadow_score")
        batch.drop_column("shadow_model_version")
        batch.drop_column("features")
