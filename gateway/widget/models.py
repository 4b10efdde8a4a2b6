"""Checkout sessions: one basket, one origin, one customer, fifteen minutes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base, Money


class CheckoutSession(Base):
    """What a client token may act on.

    The customer is bound when the widget records the first consent: only the
    keyed ``customer_ref`` (and, in the sandbox, the test persona the phone
    chose) is kept, never the phone itself.
    """

    __tablename__ = "widget_checkout_sessions"
    __table_args__ = (Index("ix_widget_checkout_sessions_tenant", "partner_id", "environment"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    partner_id: Mapped[str] = mapped_column(String(64))
    environment: Mapped[str] = mapped_column(String(16))
    client_id: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3))
    scenario: Mapped[str] = mapped_column(String(16))
    allowed_origin: Mapped[str] = mapped_column(String(255))
    merchant_order_ref: Mapped[str | None] = mapped_column(String(64))
    customer_ref: Mapped[str | None] = mapped_column(String(80))
    sandbox_persona: Mapped[str | None] = mapped_column(String(32))
    prequalification_consent_id: Mapped[str | None] = mapped_column(String(32))
    credit_inquiry_consent_id: Mapped[str | None] = mapped_column(String(32))
    marketing_consent_id: Mapped[str | None] = mapped_column(String(32))
    prequalification_id: Mapped[str | None] = mapped_column(String(32))
    selected_offer_id: Mapped[str | None] = mapped_column(String(32))
    selected_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
