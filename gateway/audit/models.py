"""Audit entries, hash-chained per shard.

A single global chain would make every decision in every process wait for the
one chain head. Instead the log is split into ``SHARDS`` chains; a transaction
appends to one shard, locking only that shard's head row, so concurrent
requests rarely wait on each other, and each chain is still verifiable end
to end.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base

SHARDS = 16
GENESIS_HASH = "0" * 64


class AuditEntry(Base):
    """One audited event: what happened, to what, by whom, and the chain links."""

    __tablename__ = "audit_entries"
    __table_args__ = (UniqueConstraint("shard", "seq", name="uq_audit_entries_shard_seq"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    shard: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    created_at: Mapped[dt.datetime]
    action: Mapped[str] = mapped_column(String(64), index=True)
    actor: Mapped[str] = mapped_column(String(128))
    partner_id: Mapped[str | None] = mapped_column(String(64), index=True)
    environment: Mapped[str | None] = mapped_column(String(16))
    subject: Mapped[str | None] = mapped_column(String(128), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    chain_hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(Base):
    """The last entry of one shard's chain (locked while appending)."""

    __tablename__ = "audit_chain_heads"

    shard: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    chain_hash: Mapped[str] = mapped_column(String(64))
