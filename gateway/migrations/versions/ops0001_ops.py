"""ops: operations console users

Revision ID: ops0001_ops
Revises: 0001_foundation
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gateway.db

revision: str = "ops0001_ops"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("ops",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    when = gateway.db.UTCDateTime()
    op.create_table(
        "ops_users",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("totp_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("totp_last_step", sa.Integer(), nullable=True),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("locked_until", when, nullable=True),
        sa.Column("disabled_at", when, nullable=True),
        sa.Column("created_at", when, nullable=False),
        sa.Column("password_changed_at", when, nullable=True),
        sa.Column("last_sign_in_at", when, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ops_users")),
        sa.UniqueConstraint("email", name=op.f("uq_ops_users_email")),
    )


def downgrade() -> None:
    op.drop_table("ops_users")
