"""Stored idempotent responses, scoped to one partner and environment."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base


class IdempotencyRecord(Base):
    """One key's first request and, once it finished, its response."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("tenant", "key", name="uq_idempotency_records_tenant_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))  # in_flight | completed
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    response_mimetype: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
