"""auth: scopes of bank-internal clients (loans:write for the loan performance feed)

Revision ID: o0002_internal_scopes
Revises: o0001_oauth
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "o0002_internal_scopes"
down_revision: str | Sequence[str] | None = "o0001_oauth"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("oauth_clients") as batch:
        batch.add_column(sa.Column("scopes", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("oauth_clients") as batch:
        batch.drop_column("scopes")
