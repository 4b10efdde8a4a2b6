"""scoring: model activations get a role (champion or shadow)

Revision ID: s0002_shadow_role
Revises: s0001_scoring
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "s0002_shadow_role"
down_revision: str | Sequence[str] | None = "s0001_scoring"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("model_activations") as batch:
        batch.add_column(
            sa.Column("role", sa.String(length=16), server_default="champion", nullable=False)
        )
        batch.alter_column("version", existing_type=sa.String(length=120), nullable=True)
        batch.alter_column("sha256", existing_type=sa.String(length=64), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("model_activations") as batch:
        batch.drop_column("role")
