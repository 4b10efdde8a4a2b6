"""audit: hash-chained entries and per-shard chain heads

Revision ID: a0001_audit
Revises: 0001_foundation
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gateway.db

revision: str = "a0001_audit"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("audit",)
depends_on: str | Sequence[str] | None = None

SHARDS = 16
GENESIS_HASH = "0" * 64


def upgrade() -> None:
    big = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "audit_entries",
        sa.Column("id", big, autoincrement=True, nullable=False),
        sa.Column("shard", sa.Integer(), nullable=False),
        sa.Column("seq", big, nullable=False),
        sa.Column("created_at", gateway.db.UTCDateTime(), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=True),
        sa.Column("environment", sa.String(length=16), nullable=True),
        sa.Column("subject", sa.String(length=128), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("chain_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
        sa.UniqueConstraint("shard", "seq", name="uq_audit_entries_shard_seq"),
    )
    op.create_index(op.f("ix_audit_entries_action"), "audit_entries", ["action"])
    op.create_index(op.f("ix_audit_entries_partner_id"), "audit_entries", ["partner_id"])
    op.create_index(op.f("ix_audit_entries_subject"), "audit_entries", ["subject"])
    heads = op.create_table(
        "audit_chain_heads",
        sa.Column("shard", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", big, nullable=False),
        sa.Column("chain_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("shard", name=op.f("pk_audit_chain_heads")),
    )
    op.bulk_insert(
        heads, [{"shard": s, "seq": 0, "chain_hash": GENESIS_HASH} for s in range(SHARDS)]
    )


def downgrade() -> None:
    op.drop_table("audit_chain_heads")
    op.drop_table("audit_entries")
