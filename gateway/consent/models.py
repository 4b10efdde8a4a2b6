"""Consent records and the signed receipts given for them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base


class ConsentReceipt(Base):
    """A signed receipt (JWS) covering the consents granted in one request."""

    __tablename__ = "consent_receipts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    partner_id: Mapped[str] = mapped_column(String(64))
    environment: Mapped[str] = mapped_column(String(16))
    customer_ref: Mapped[str] = mapped_column(String(80))
    issued_at: Mapped[dt.datetime]
    token: Mapped[str] = mapped_column(Text)


class Consent(Base):
    """One customer's consent for one purpose, given to one partner in one environment.

    ``status`` is ``active`` until revoked (terminal) or past ``expires_at``
    (reported as ``expired``; :func:`gateway.consent.services.expire_due`
    writes it down and audits it).
    """

    __tablename__ = "consents"
    __table_args__ = (
        Index("ix_consents_tenant_customer", "partner_id", "environment", "customer_ref"),
        Index("ix_consents_customer_ref", "customer_ref"),
        Index("ix_consents_partner_customer_ref", "partner_id", "partner_customer_ref"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    partner_id: Mapped[str] = mapped_column(String(64))
    environment: Mapped[str] = mapped_column(String(16))
    customer_ref: Mapped[str] = mapped_column(String(80))
    # What this partner sees (gateway.identity.pairwise_customer_ref); indexed
    # so a partner's reference resolves to the bank's in one lookup.
    partner_customer_ref: Mapped[str | None] = mapped_column(String(80))
    id_number_hash: Mapped[str | None] = mapped_column(String(80))
    purpose: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    notice_version: Mapped[str] = mapped_column(String(32))
    notice_hash: Mapped[str] = mapped_column(String(80))
    locale: Mapped[str] = mapped_column(String(8))
    granted_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(String(128))
    revocation_reason: Mapped[str | None] = mapped_column(String(200))
    receipt_id: Mapped[str] = mapped_column(ForeignKey("consent_receipts.id"))
    granted_by: Mapped[str] = mapped_column(String(128))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)

    def status_at(self, now: dt.datetime) -> str:
        """The status as of ``now`` (an active consent past expiry is expired)."""
        if self.status == "active" and self.expires_at <= now:
            return "expired"
        return self.status
