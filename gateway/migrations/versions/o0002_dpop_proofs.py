"""oauth: the jti of every DPoP proof, refused a second time within the window

Revision ID: o0002_dpop_proofs
Revises: o0001_oauth
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gateway.db

revision: str = "o0002_dpop_proofs"
down_revision: str | Sequence[str] | None = "o0001_oauth"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "oauth_used_dpop_proofs",
        sa.Column("proof_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", gateway.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("proof_hash", name=op.f("pk_oauth_used_dpop_proofs")),
    )
    op.create_index(
        op.f("ix_oauth_used_dpop_proofs_expires_at"), "oauth_used_dpop_proofs", ["expires_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_oauth_used_dpop_proofs_expires_at"), "oauth_used_dpop_proofs")
    op.drop_table("oauth_used_dpop_proofs")
