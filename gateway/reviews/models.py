"""Review cases: one per prequalification that a person must look at."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base, Money

KINDS = ("referral", "customer_request")
STATUSES = ("open", "in_review", "decided", "withdrawn")
PENDING = ("open", "in_review")
OUTCOMES = ("approved", "upheld")


class ReviewCase(Base):
    """A decision waiting for (or decided by) a person.

    ``version`` grows with every change: a decision is written only if the
    version it read is still the stored one, so of two reviewers deciding at
    once exactly one succeeds (with a row lock on PostgreSQL besides).
    Reviewers are recorded by e-mail address; no customer identifier is
    stored here besides the prequalification's keyed reference there.
    """

    __tablename__ = "review_cases"
    __table_args__ = (
        Index("ix_review_cases_status_due", "status", "due_at"),
        Index("ix_review_cases_consent", "consent_id"),
        Index("ix_review_cases_tenant_created", "partner_id", "environment", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    prequalification_id: Mapped[str] = mapped_column(
        ForeignKey("prequalifications.id"), unique=True
    )
    partner_id: Mapped[str] = mapped_column(String(64))
    environment: Mapped[str] = mapped_column(String(16))
    consent_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    reviewer: Mapped[str | None] = mapped_column(String(128))
    second_reviewer: Mapped[str | None] = mapped_column(String(128))
    outcome: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    reason_codes: Mapped[list[str]] = mapped_column(JSON)
    approved_amount: Mapped[Decimal | None] = mapped_column(Money())
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime]
    due_at: Mapped[dt.datetime]
    claimed_at: Mapped[dt.datetime | None]
    decided_at: Mapped[dt.datetime | None]
    withdrawn_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime]

    def overdue_at(self, now: dt.datetime) -> bool:
        """Still waiting for a decision after its due time."""
        return self.status in PENDING and now > self.due_at
