"""Loaded campaign lists, and which decisions a campaign's pre-approval shaped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base, Money


class CampaignEntry(Base):
    """One contact of a campaign list: a customer pre-approved at one partner's product.

    Loaded by ``gateway campaigns load`` from the job's Parquet; an entry is
    a contact of the customer (``issued_at``) for the next builds' budgets.
    """

    __tablename__ = "campaign_entries"
    __table_args__ = (
        Index("ix_campaign_entries_checkout", "customer_ref", "partner_id", "environment"),
    )

    campaign_id: Mapped[str] = mapped_column(String(48), primary_key=True)
    customer_ref: Mapped[str] = mapped_column(String(80), primary_key=True)
    partner_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    product_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    environment: Mapped[str] = mapped_column(String(16))
    scenario: Mapped[str] = mapped_column(String(32))
    currency: Mapped[str] = mapped_column(String(3))
    limit_amount: Mapped[Decimal] = mapped_column(Money())
    grade: Mapped[str] = mapped_column(String(1))
    pd_band: Mapped[str] = mapped_column(String(16))
    segment: Mapped[str] = mapped_column(String(32))
    contact_rank: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    loaded_at: Mapped[dt.datetime]


class CampaignDecision(Base):
    """A prequalification that honoured a campaign's pre-approval (funnel attribution)."""

    __tablename__ = "campaign_decisions"
    __table_args__ = (Index("ix_campaign_decisions_campaign", "campaign_id", "decided_at"),)

    prequalification_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(48))
    partner_id: Mapped[str] = mapped_column(String(64))
    environment: Mapped[str] = mapped_column(String(16))
    customer_ref: Mapped[str] = mapped_column(String(80))
    segment: Mapped[str] = mapped_column(String(32))
    grade: Mapped[str] = mapped_column(String(1))
    campaign_limit: Mapped[Decimal] = mapped_column(Money())
    honoured_limit: Mapped[Decimal] = mapped_column(Money())
    decided_at: Mapped[dt.datetime]
