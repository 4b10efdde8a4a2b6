"""consent: each consent keeps the partner's pairwise customer reference

Revision ID: c0002_pairwise_customer_refs
Revises: c0001_consent
Create Date: 2026-11-28

Existing rows are filled in: the reference is an HMAC keyed with
``GATEWAY_IDENTIFIER_PEPPER``, which ``gateway db upgrade`` hands to the
migration (``config.attributes["identifier_pepper"]``). Upgrading a database
that already holds consents without it is refused rather than left half-filled.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

from gateway.identity import pairwise_customer_ref

revision: str = "c0002_pairwise_customer_refs"
down_revision: str | Sequence[str] | None = "c0001_consent"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("consents") as batch:
        batch.add_column(sa.Column("partner_customer_ref", sa.String(length=80), nullable=True))
        batch.create_index(
            "ix_consents_partner_customer_ref", ["partner_id", "partner_customer_ref"]
        )
    _fill_existing_rows()


def _fill_existing_rows() -> None:
    connection = op.get_bind()
    consents = sa.table(
        "consents",
        sa.column("partner_id", sa.String),
        sa.column("customer_ref", sa.String),
        sa.column("partner_customer_ref", sa.String),
    )
    pairs = connection.execute(
        sa.select(consents.c.partner_id, consents.c.customer_ref)
        .where(consents.c.partner_customer_ref.is_(None))
        .distinct()
    ).all()
    if not pairs:
        return
    pepper = context.config.attributes.get("identifier_pepper")
    if not pepper:
        raise RuntimeError(
            "consents exist: run `gateway db upgrade` with GATEWAY_IDENTIFIER_PEPPER set "
            "to derive their pairwise customer references"
        )
    for partner_id, ref in pairs:
        connection.execute(
            consents.update()
            .where(consents.c.partner_id == partner_id, consents.c.customer_ref == ref)
            .values(partner_customer_ref=pairwise_customer_ref(pepper, partner_id, ref))
        )


def downgrade() -> None:
    with op.batch_alter_table("consents") as batch:
        batch.drop_index("ix_consents_partner_customer_ref")
        batch.drop_column("partner_customer_ref")
