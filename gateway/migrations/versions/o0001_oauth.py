"""auth: OAuth clients, used client assertions, revoked access tokens

Revision ID: o0001_oauth
Revises: k0001_keys
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gateway.db

revision: str = "o0001_oauth"
down_revision: str | Sequence[str] | None = "k0001_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "oauth_clients",
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=True),
        sa.Column("environment", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=255), nullable=True),
        sa.Column("previous_secret_hash", sa.String(length=255), nullable=True),
        sa.Column("previous_secret_expires_at", gateway.db.UTCDateTime(), nullable=True),
        sa.Column("created_at", gateway.db.UTCDateTime(), nullable=False),
        sa.Column("rotated_at", gateway.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_oauth_clients_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_oauth_clients")),
        sa.UniqueConstraint("partner_id", "environment", name="uq_oauth_clients_partner_id"),
    )
    op.create_table(
        "oauth_used_assertions",
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("jti", sa.String(length=255), nullable=False),
        sa.Column("expires_at", gateway.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("client_id", "jti", name=op.f("pk_oauth_used_assertions")),
    )
    op.create_index(
        op.f("ix_oauth_used_assertions_expires_at"), "oauth_used_assertions", ["expires_at"]
    )
    op.create_table(
        "oauth_revoked_tokens",
        sa.Column("jti", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("expires_at", gateway.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("jti", name=op.f("pk_oauth_revoked_tokens")),
    )
    op.create_index(
        op.f("ix_oauth_revoked_tokens_expires_at"), "oauth_revoked_tokens", ["expires_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_oauth_revoked_tokens_expires_at"), table_name="oauth_revoked_tokens")
    op.drop_table("oauth_revoked_tokens")
    op.drop_index(op.f("ix_oauth_used_assertions_expires_at"), table_name="oauth_used_assertions")
    op.drop_table("oauth_used_assertions")
    op.drop_table("oauth_clients")
