"""Prequalification decisions, stored with everything needed to explain them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base, Money


class Prequalification(Base):
    """One decision: the consent it relied on, the model version, the inputs' hash,
    the grade and score band, the decision and its reasons.

    No raw identifier is stored: the customer is a keyed reference and the
    inputs are kept as a SHA-256 hash. ``features`` holds the facts the model
    scored (income, utilisation, … — never an identifier), so monitoring can
    compare live characteristics with the development sample and join
    outcomes to what the model saw. ``shadow_*`` is the shadow challenger's
    score of the same features, when a model version is set ``shadow``.
    """

    __tablename__ = "prequalifications"
    __table_args__ = (
        Index("ix_prequalifications_customer_created", "customer_ref", "created_at"),
        Index("ix_prequalifications_tenant_created", "partner_id", "environment", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    partner_id: Mapped[str] = mapped_column(String(64))
    environment: Mapped[str] = mapped_column(String(16))
    customer_ref: Mapped[str] = mapped_column(String(80))
    consent_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(24))
    scenario_type: Mapped[str] = mapped_column(String(16))
    scenario: Mapped[dict[str, Any]] = mapped_column(JSON)
    product_code: Mapped[str | None] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    requested_amount: Mapped[Decimal] = mapped_column(Money())
    approved_amount: Mapped[Decimal | None] = mapped_column(Money())
    upfront_payment: Mapped[Decimal | None] = mapped_column(Money())
    grade: Mapped[str | None] = mapped_column(String(2))
    score: Mapped[int | None] = mapped_column(Integer)
    pd: Mapped[float | None] = mapped_column(Float)
    score_band: Mapped[str | None] = mapped_column(String(16))
    segment: Mapped[str | None] = mapped_column(String(32))
    model_version: Mapped[str] = mapped_column(String(80))
    inputs_hash: Mapped[str] = mapped_column(String(80))
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    new_to_bank: Mapped[bool] = mapped_column(Boolean)
    sandbox_persona: Mapped[str | None] = mapped_column(String(32))
    experiment_arm: Mapped[str | None] = mapped_column(String(32))
    features: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    shadow_model_version: Mapped[str | None] = mapped_column(String(80))
    shadow_score: Mapped[int | None] = mapped_column(Integer)
    shadow_pd: Mapped[float | None] = mapped_column(Float)
    human_review_requested_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    #: The ``decision+jwt`` pinning every offer's terms (``None`` for a decision
    #: without offers, and for those made before ``q0003_decision_token``).
    decision_token: Mapped[str | None] = mapped_column(Text)
