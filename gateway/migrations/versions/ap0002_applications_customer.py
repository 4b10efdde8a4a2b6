"""applications: index by customer, for the exposure across partners

Revision ID: ap0002_applications_customer
Revises: ap0001_applications
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "ap0002_applications_customer"
down_revision: str | Sequence[str] | None = "ap0001_applications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_applications_customer", "applications", ["customer_ref", "environment", "status"]
    )


def downgrade() -> None:
    op.drop_index("ix_applications_customer", table_name="applications")
