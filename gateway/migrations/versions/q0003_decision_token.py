"""prequal: one signed decision token per prequalification; offers no longer signed one by one

Offers created before this revision keep their ``token`` (a partner may still
accept them with it); offers created after carry none, so the column becomes
nullable. Nothing is dropped.

Revision ID: q0003_decision_token
Revises: q0002_decision_features
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "q0003_decision_token"
down_revision: str | Sequence[str] | None = "q0002_decision_features"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("prequalifications") as batch:
        batch.add_column(sa.Column("decision_token", sa.Text(), nullable=True))
    with op.batch_alter_table("offers") as batch:
        batch.alter_column("token", existing_type=sa.Text(), nullable=True)


def downgrade() -> None:
    # Offers signed only by their decision's token cannot go back to a NOT NULL
    # offer token without losing them, so the downgrade refuses to lose data.
    bind = op.get_bind()
    unsigned = bind.execute(sa.text("SELECT count(*) FROM offers WHERE token IS NULL")).scalar()
    if unsigned:
        raise RuntimeError(
            f"{unsigned} offers are signed only by their decision token; "
            "cannot downgrade below q0003_decision_token without deleting them"
        )
    with op.batch_alter_table("offers") as batch:
        batch.alter_column("token", existing_type=sa.Text(), nullable=False)
    with op.batch_alter_table("prequalifications") as batch:
        batch.drop_column("decision_token")
