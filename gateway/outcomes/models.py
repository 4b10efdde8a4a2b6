"""Loan events as the bank's core system sent them, and each loan's servicing state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base, Money


class LoanEvent(Base):
    """One event of a funded loan; ``id`` is the sender's event id (idempotency key).

    ``payload_hash`` is the SHA-256 of the event's canonical content: the same
    id with other content is a conflict, never a silent overwrite.
    """

    __tablename__ = "loan_events"
    __table_args__ = (
        Index("ix_loan_events_application_occurred", "application_id", "occurred_at"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    application_id: Mapped[str] = mapped_column(String(32))
    type: Mapped[str] = mapped_column(String(24))
    occurred_at: Mapped[dt.datetime]
    instalment: Mapped[int | None] = mapped_column(Integer)
    amount: Mapped[Decimal | None] = mapped_column(Money())
    days_past_due: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    payload_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime]


class LoanServicing(Base):
    """A funded loan's state, replayed from its events in time order.

    ``state``: ``current``, ``dpd_1_30``, ``dpd_31_60``, ``dpd_61_90``,
    ``dpd_90_plus``, ``charged_off`` or ``paid_off``. ``first_60_at`` is when
    the loan first reached 60 days past due (or was charged off): the
    monitoring's "bad" flag is "``first_60_at`` within the performance window".
    """

    __tablename__ = "loan_servicing"
    __table_args__ = (Index("ix_loan_servicing_funded", "environment", "funded_at"),)

    application_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    prequalification_id: Mapped[str] = mapped_column(String(32), index=True)
    partner_id: Mapped[str] = mapped_column(String(64))
    environment: Mapped[str] = mapped_column(String(16))
    funded_at: Mapped[dt.datetime]
    state: Mapped[str] = mapped_column(String(16))
    days_past_due: Mapped[int] = mapped_column(Integer)
    max_days_past_due: Mapped[int] = mapped_column(Integer)
    first_60_at: Mapped[dt.datetime | None]
    paid_instalments: Mapped[int] = mapped_column(Integer)
    paid_amount: Mapped[Decimal] = mapped_column(Money())
    closed_at: Mapped[dt.datetime | None]
    last_event_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
