"""Offers, each persisted with the prequalification that produced it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base, Money, Rate


class Offer(Base):
    """A priced offer: terms and full schedule, pinned by its decision's signed token.

    ``token`` is the offer's own ``offer+jwt``, kept only on offers issued
    before decisions were signed as a whole (``q0003_decision_token``); newer
    offers are signed by ``Prequalification.decision_token``.

    ``status``: ``open`` → ``accepted`` | ``void`` (consent revoked, or
    superseded); an open offer past ``expires_at`` is reported ``expired``.
    """

    __tablename__ = "offers"
    __table_args__ = (
        Index("ix_offers_consent_status", "consent_id", "status"),
        Index("ix_offers_prequalification", "prequalification_id"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    prequalification_id: Mapped[str] = mapped_column(ForeignKey("prequalifications.id"))
    partner_id: Mapped[str] = mapped_column(String(64))
    environment: Mapped[str] = mapped_column(String(16))
    customer_ref: Mapped[str] = mapped_column(String(80))
    consent_id: Mapped[str] = mapped_column(String(32))
    rank: Mapped[int] = mapped_column(Integer)
    product_code: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    principal: Mapped[Decimal] = mapped_column(Money())
    tenor_months: Mapped[int] = mapped_column(Integer)
    repayment_method: Mapped[str] = mapped_column(String(32))
    apr: Mapped[Decimal] = mapped_column(Rate())
    monthly_payment: Mapped[Decimal] = mapped_column(Money())
    total_interest: Mapped[Decimal] = mapped_column(Money())
    total_fees: Mapped[Decimal] = mapped_column(Money())
    total_cost: Mapped[Decimal] = mapped_column(Money())
    total_repayable: Mapped[Decimal] = mapped_column(Money())
    merchant_subsidy: Mapped[Decimal | None] = mapped_column(Money())
    schedule: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    schedule_hash: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16))
    void_reason: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    token: Mapped[str | None] = mapped_column(Text)

    def status_at(self, now: dt.datetime) -> str:
        """The status as of ``now`` (an open offer past expiry is expired)."""
        return offer_status(self.status, self.expires_at, now)


def offer_status(status: str, expires_at: dt.datetime, now: dt.datetime) -> str:
    """An offer's status as of ``now``: an open offer past its expiry is ``expired``."""
    if status == "open" and expires_at <= now:
        return "expired"
    return status
