"""reviews: human review cases

Revision ID: rv0001_reviews
Revises: 0001_foundation
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gateway.db

revision: str = "rv0001_reviews"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("reviews",)
depends_on: str | Sequence[str] | None = "q0001_prequal"


def upgrade() -> None:
    money = gateway.db.Money()
    when = gateway.db.UTCDateTime()
    op.create_table(
        "review_cases",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("prequalification_id", sa.String(length=32), nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=False),
        sa.Column("environment", sa.String(length=16), nullable=False),
        sa.Column("consent_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reviewer", sa.String(length=128), nullable=True),
        sa.Column("second_reviewer", sa.String(length=128), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reason_codes", sa.JSON(), nullable=False),
        sa.Column("approved_amount", money, nullable=True),
        sa.Column("decision", sa.JSON(), nullable=True),
        sa.Column("created_at", when, nullable=False),
        sa.Column("due_at", when, nullable=False),
        sa.Column("claimed_at", when, nullable=True),
        sa.Column("decided_at", when, nullable=True),
        sa.Column("withdrawn_at", when, nullable=True),
        sa.Column("updated_at", when, nullable=False),
        sa.ForeignKeyConstraint(
            ["prequalification_id"],
            ["prequalifications.id"],
            name=op.f("fk_review_cases_prequalification_id_prequalifications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_cases")),
        sa.UniqueConstraint(
            "prequalification_id", name=op.f("uq_review_cases_prequalification_id")
        ),
    )
    op.create_index("ix_review_cases_consent", "review_cases", ["consent_id"])
    op.create_index("ix_review_cases_status_due", "review_cases", ["status", "due_at"])
    op.create_index(
        "ix_review_cases_tenant_created",
        "review_cases",
        ["partner_id", "environment", "created_at"],
    )


def downgrade() -> None:
    op.drop_table("review_cases")
