"""What the risk rules count, and what they found.

``risk_observations``: one row per prequalification with the keyed hashes
the rules count over (customer, ID number, device, IP); each window is one
index range scan. ``risk_hits``: one row per rule hit, the line in the
review dossier with the detail for bank staff (the customer sees only the
reason code's own text).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base


class RiskObservation(Base):
    """Who asked, from where, when: hashes only, never the numbers."""

    __tablename__ = "risk_observations"
    __table_args__ = (
        Index("ix_risk_observations_customer", "environment", "customer_ref", "created_at"),
        Index("ix_risk_observations_id_number", "environment", "id_number_hash", "created_at"),
        Index("ix_risk_observations_device", "environment", "device_hash", "created_at"),
        Index("ix_risk_observations_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    environment: Mapped[str] = mapped_column(String(16))
    partner_id: Mapped[str] = mapped_column(String(64))
    customer_ref: Mapped[str] = mapped_column(String(80))
    id_number_hash: Mapped[str | None] = mapped_column(String(80))
    device_hash: Mapped[str | None] = mapped_column(String(80))
    ip_hash: Mapped[str | None] = mapped_column(String(80))
    prequalification_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[dt.datetime]


class RiskHit(Base):
    """One rule (or limit) that hit one prequalification or acceptance."""

    __tablename__ = "risk_hits"
    __table_args__ = (
        Index("ix_risk_hits_customer", "customer_ref", "created_at"),
        Index("ix_risk_hits_subject", "subject"),
        Index("ix_risk_hits_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(String(32))
    partner_id: Mapped[str] = mapped_column(String(64))
    environment: Mapped[str] = mapped_column(String(16))
    customer_ref: Mapped[str] = mapped_column(String(80))
    rule: Mapped[str] = mapped_column(String(32))
    mode: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))
    reason_code: Mapped[str] = mapped_column(String(48))
    detail: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime]
