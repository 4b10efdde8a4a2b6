"""Funnel events a partner reports from its checkout."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base

EVENT_TYPES = ("offer_displayed", "offer_selected", "checkout_completed", "checkout_abandoned")


class FunnelEvent(Base):
    """One event, keyed by the partner's own event id (a repeat is the same event)."""

    __tablename__ = "funnel_events"
    __table_args__ = (
        Index("ix_funnel_events_prequalification", "prequalification_id", "type"),
        Index("ix_funnel_events_tenant_occurred", "partner_id", "environment", "occurred_at"),
    )

    partner_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    environment: Mapped[str] = mapped_column(String(16), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    type: Mapped[str] = mapped_column(String(32))
    offer_id: Mapped[str] = mapped_column(ForeignKey("offers.id"))
    prequalification_id: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[dt.datetime]
    received_at: Mapped[dt.datetime]
