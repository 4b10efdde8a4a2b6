"""Applications and their refunds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base, Money

STATUSES = ("submitted", "under_review", "approved", "declined", "funded", "cancelled")


class Application(Base):
    """One per accepted offer (the unique ``offer_id`` makes a second one impossible).

    ``status``: ``submitted`` → ``under_review`` → ``approved`` | ``declined``,
    then ``funded`` | ``cancelled``. ``schedule`` is the repayment schedule as
    funded and as refunds re-computed it; ``None`` before funding.
    """

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("offer_id", name="uq_applications_offer_id"),
        Index("ix_applications_status_updated", "status", "updated_at"),
        Index("ix_applications_tenant_created", "partner_id", "environment", "created_at"),
        # The customer's exposure across partners (gateway/risk/exposure.py).
        Index("ix_applications_customer", "customer_ref", "environment", "status"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    offer_id: Mapped[str] = mapped_column(ForeignKey("offers.id"))
    prequalification_id: Mapped[str] = mapped_column(String(32))
    partner_id: Mapped[str] = mapped_column(String(64))
    environment: Mapped[str] = mapped_column(String(16))
    customer_ref: Mapped[str] = mapped_column(String(80))
    credit_inquiry_consent_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    principal: Mapped[Decimal] = mapped_column(Money())
    underwriting_decision: Mapped[str | None] = mapped_column(String(16))
    decision_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    funded_amount: Mapped[Decimal | None] = mapped_column(Money())
    outstanding_principal: Mapped[Decimal | None] = mapped_column(Money())
    refunded_amount: Mapped[Decimal] = mapped_column(Money())
    schedule: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    review_started_at: Mapped[dt.datetime | None]
    decided_at: Mapped[dt.datetime | None]
    funded_at: Mapped[dt.datetime | None]
    cancelled_at: Mapped[dt.datetime | None]


class Refund(Base):
    """Money returned after funding (goods returned, trip cancelled, course withdrawn).

    ``refund_id`` is the partner's own id: the same one twice is one refund.
    """

    __tablename__ = "refunds"
    __table_args__ = (
        UniqueConstraint("application_id", "refund_id", name="uq_refunds_application_id"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"))
    refund_id: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(Money())
    reason: Mapped[str | None] = mapped_column(String(200))
    outstanding_before: Mapped[Decimal] = mapped_column(Money())
    outstanding_after: Mapped[Decimal] = mapped_column(Money())
    created_at: Mapped[dt.datetime]
