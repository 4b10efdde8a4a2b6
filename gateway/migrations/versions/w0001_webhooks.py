"""webhooks: outbox, sequences, attempts, secrets

Revision ID: w0001_webhooks
Revises: 0001_foundation
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gateway.db

revision: str = "w0001_webhooks"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("webhooks",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    when = gateway.db.UTCDateTime()
    op.create_table(
        "webhook_events",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=False),
        sa.Column("environment", sa.String(length=16), nullable=False),
        sa.Column("type", sa.String(length=48), nullable=False),
        sa.Column("resource_id", sa.String(length=32), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.Column("next_attempt_at", when, nullable=False),
        sa.Column("retry_until", when, nullable=False),
        sa.Column("delivered_at", when, nullable=True),
        sa.Column("dead_at", when, nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_events")),
    )
    op.create_index(
        "ix_webhook_events_status_next", "webhook_events", ["status", "next_attempt_at"]
    )
    op.create_index("ix_webhook_events_resource", "webhook_events", ["resource_id", "sequence"])
    op.create_index(
        "ix_webhook_events_tenant_created",
        "webhook_events",
        ["partner_id", "environment", "created_at"],
    )
    op.create_table(
        "webhook_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("attempted_at", when, nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["webhook_events.id"],
            name=op.f("fk_webhook_attempts_event_id_webhook_events"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_attempts")),
    )
    op.create_index("ix_webhook_attempts_event", "webhook_attempts", ["event_id", "number"])
    op.create_table(
        "webhook_sequences",
        sa.Column("resource_id", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("resource_id", name=op.f("pk_webhook_sequences")),
    )
    op.create_table(
        "webhook_secrets",
        sa.Column("partner_id", sa.String(length=64), nullable=False),
        sa.Column("environment", sa.String(length=16), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("previous_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("previous_until", when, nullable=True),
        sa.Column("created_at", when, nullable=False),
        sa.Column("rotated_at", when, nullable=True),
        sa.PrimaryKeyConstraint("partner_id", "environment", name=op.f("pk_webhook_secrets")),
    )


def downgrade() -> None:
    op.drop_table("webhook_secrets")
    op.drop_table("webhook_sequences")
    op.drop_table("webhook_attempts")
    op.drop_table("webhook_events")
