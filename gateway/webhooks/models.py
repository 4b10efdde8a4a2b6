"""The outbox, its per-resource sequence counters, delivery attempts and secrets."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base


class WebhookEvent(Base):
    """One event for one partner, written in the transaction of the change it reports.

    ``body`` is the exact JSON sent on every attempt (the signature covers it).
    ``status``: ``pending`` → ``delivered`` | ``dead`` (dead-lettered after
    three days of failures; ``gateway webhooks replay`` makes it pending again).
    """

    __tablename__ = "webhook_events"
    __table_args__ = (
        Index("ix_webhook_events_status_next", "status", "next_attempt_at"),
        Index("ix_webhook_events_resource", "resource_id", "sequence"),
        Index("ix_webhook_events_tenant_created", "partner_id", "environment", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    partner_id: Mapped[str] = mapped_column(String(64))
    environment: Mapped[str] = mapped_column(String(16))
    type: Mapped[str] = mapped_column(String(48))
    resource_id: Mapped[str] = mapped_column(String(32))
    sequence: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime]
    next_attempt_at: Mapped[dt.datetime]
    retry_until: Mapped[dt.datetime]
    delivered_at: Mapped[dt.datetime | None]
    dead_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(300))


class WebhookAttempt(Base):
    """Every delivery attempt, for operations: when, where, what came back."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (Index("ix_webhook_attempts_event", "event_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("webhook_events.id"))
    number: Mapped[int] = mapped_column(Integer)
    attempted_at: Mapped[dt.datetime]
    url: Mapped[str | None] = mapped_column(String(500))
    status_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(String(300))


class WebhookSequence(Base):
    """The last sequence number given to a resource's events."""

    __tablename__ = "webhook_sequences"

    resource_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class WebhookSecret(Base):
    """A partner's ``whsec_`` signing secret in one environment, encrypted at rest.

    After a rotation the previous secret still signs (a second signature in
    the header) until ``previous_until``, so receivers can switch without loss.
    """

    __tablename__ = "webhook_secrets"

    partner_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    environment: Mapped[str] = mapped_column(String(16), primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    previous_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    previous_until: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    rotated_at: Mapped[dt.datetime | None]
