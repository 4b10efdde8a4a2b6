"""outcomes: loan events and servicing state

Revision ID: lo0001_outcomes
Revises: 0001_foundation
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gateway.db

revision: str = "lo0001_outcomes"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("outcomes",)
depends_on: str | Sequence[str] | None = "ap0001_applications"


def upgrade() -> None:
    money = gateway.db.Money()
    when = gateway.db.UTCDateTime()
    op.create_table(
        "loan_events",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("application_id", sa.String(length=32), nullable=False),
        sa.Column("type", sa.String(length=24), nullable=False),
        sa.Column("occurred_at", when, nullable=False),
        sa.Column("instalment", sa.Integer(), nullable=True),
        sa.Column("amount", money, nullable=True),
        sa.Column("days_past_due", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", when, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_events")),
    )
    op.create_index(
        "ix_loan_events_application_occurred",
        "loan_events",
        ["application_id", "occurred_at"],
        unique=False,
    )
    op.create_table(
        "loan_servicing",
        sa.Column("application_id", sa.String(length=32), nullable=False),
        sa.Column("prequalification_id", sa.String(length=32), nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=False),
        sa.Column("environment", sa.String(length=16), nullable=False),
        sa.Column("funded_at", when, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("days_past_due", sa.Integer(), nullable=False),
        sa.Column("max_days_past_due", sa.Integer(), nullable=False),
        sa.Column("first_60_at", when, nullable=True),
        sa.Column("paid_instalments", sa.Integer(), nullable=False),
        sa.Column("paid_amount", money, nullable=False),
        sa.Column("closed_at", when, nullable=True),
        sa.Column("last_event_at", when, nullable=False),
        sa.Column("updated_at", when, nullable=False),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_loan_servicing")),
    )
    op.create_index(
        "ix_loan_servicing_funded", "loan_servicing", ["environment", "funded_at"], unique=False
    )
    op.create_index(
        op.f("ix_loan_servicing_prequalification_id"),
        "loan_servicing",
        ["prequalification_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("loan_servicing")
    op.drop_table("loan_events")
