"""Append to and verify the audit log.

Each entry stores the SHA-256 of its canonical content (``content_hash``), the
chain hash of the entry before it in its shard (``prev_hash``), and its own
chain hash ``SHA-256(prev_hash ‖ content_hash)``. Sequence numbers are
contiguous per shard and the shard's head row records the last one, so
:func:`verify` detects an altered entry (content no longer matches), a deleted
one (a gap in ``seq``, a broken link, or a head pointing past the end), and
reordered ones (``seq`` and links are inside the hashed content).
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from gateway.audit.models import GENESIS_HASH, SHARDS, AuditChainHead, AuditEntry
from gateway.clock import rfc3339, utcnow
from gateway.db import table_of

_SHARD_KEY = "gateway.audit.shard"


def canonical_content(entry: AuditEntry) -> bytes:
    """The bytes ``content_hash`` covers: every field but the hashes themselves."""
    content = {
        "shard": entry.shard,
        "seq": entry.seq,
        "created_at": rfc3339(entry.created_at),
        "action": entry.action,
        "actor": entry.actor,
        "partner_id": entry.partner_id,
        "environment": entry.environment,
        "subject": entry.subject,
        "data": entry.data,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def chain_hash(prev_hash: str, content_hash: str) -> str:
    """SHA-256 over the previous link and this entry's content hash."""
    return hashlib.sha256(f"{prev_hash}:{content_hash}".encode()).hexdigest()


def record(
    session: Session,
    *,
    action: str,
    actor: str = "system",
    partner_id: str | None = None,
    environment: str | None = None,
    subject: str | None = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry in the caller's transaction (the caller commits).

    One transaction always appends to the same shard, so it locks one head
    row at most and two transactions can never deadlock over shards.

    Args:
        session: the unit of work the audited change belongs to.
        action: dotted event name, e.g. ``consent.granted``.
        actor: who caused it: a client id, ``cli:<user>``, ``system``.
        partner_id: the partner concerned, if any.
        environment: ``sandbox`` or ``live``, if any.
        subject: the id of the thing concerned (``cns_…``, ``pq_…``).
        data: JSON-serialisable details; never raw identifiers or secrets.

    Returns:
        The new entry, written (a detached object: its values, not a session's).
    """
    # Anything the caller added is flushed first, as an ORM append would;
    # the entry itself is written with Core statements (the head row locked,
    # the entry, the head moved on; on PostgreSQL the last two are one
    # statement): this runs on every decision.
    if session.new or session.dirty or session.deleted:
        session.flush()
    shard = session.info.get(_SHARD_KEY)
    if shard is None:
        shard = random.randrange(SHARDS)
        session.info[_SHARD_KEY] = shard
    connection = session.connection()
    head = connection.execute(_HEAD, {"shard": shard}).first()
    if head is None:  # heads are seeded by the migration; recreate one if it was lost
        connection.execute(insert(_heads).values(shard=shard, seq=0, chain_hash=GENESIS_HASH))
        seq, prev_hash = 0, GENESIS_HASH
    else:
        seq, prev_hash = head
    entry = AuditEntry(
        shard=shard,
        seq=seq + 1,
        created_at=utcnow(),
        action=action,
        actor=actor,
        partner_id=partner_id,
        environment=environment,
        subject=subject,
        data=json.loads(json.dumps(dict(data or {}), default=str)),
        prev_hash=prev_hash,
    )
    entry.content_hash = hashlib.sha256(canonical_content(entry)).hexdigest()
    entry.chain_hash = chain_hash(entry.prev_hash, entry.content_hash)
    values = {column: getattr(entry, column) for column in _ENTRY_COLUMNS}
    if connection.dialect.name == "postgresql":
        # One round trip: the head moves in a CTE of the entry's INSERT (the
        # head row is already held FOR UPDATE, so the chain stays serial).
        moving = {f"entry_{column}": value for column, value in values.items()}
        moving.update(head_shard=shard, head_seq=entry.seq, head_chain_hash=entry.chain_hash)
        entry.id = connection.execute(_INSERT_ENTRY_MOVING_HEAD, moving).scalar_one()
    else:
        key = connection.execute(_INSERT_ENTRY, values).inserted_primary_key
        assert key is not None
        entry.id = key[0]
        connection.execute(
            _MOVE_HEAD, {"head_shard": shard, "seq": entry.seq, "chain_hash": entry.chain_hash}
        )
    return entry


# Built once: an entry is appended on every decision.
_ENTRY_COLUMNS = (
    "shard",
    "seq",
    "created_at",
    "action",
    "actor",
    "partner_id",
    "environment",
    "subject",
    "data",
    "content_hash",
    "prev_hash",
    "chain_hash",
)

_heads = table_of(AuditChainHead)
_HEAD = (
    select(_heads.c.seq, _heads.c.chain_hash)
    .where(_heads.c.shard == bindparam("shard"))
    .with_for_update()
)
_MOVE_HEAD = update(_heads).where(_heads.c.shard == bindparam("head_shard"))
_entry_table = table_of(AuditEntry)
_INSERT_ENTRY = insert(_entry_table)
_INSERT_ENTRY_MOVING_HEAD = (
    _INSERT_ENTRY.values({column: bindparam(f"entry_{column}") for column in _ENTRY_COLUMNS})
    .add_cte(
        update(_heads)
        .where(_heads.c.shard == bindparam("head_shard"))
        .values(seq=bindparam("head_seq"), chain_hash=bindparam("head_chain_hash"))
        .cte("moved_head")
    )
    .returning(_entry_table.c.id)
)


def release_shard(session: Session) -> None:
    """Forget the session's shard (after commit or rollback)."""
    session.info.pop(_SHARD_KEY, None)


@dataclass(frozen=True)
class Finding:
    """The first problem found in one shard's chain."""

    shard: int
    seq: int
    entry_id: int | None
    problem: str

    def describe(self) -> str:
        """One line naming the entry."""
        where = f"entry id {self.entry_id}" if self.entry_id is not None else "no entry"
        return f"shard {self.shard} seq {self.seq} ({where}): {self.problem}"


@dataclass(frozen=True)
class VerifyReport:
    """Outcome of walking every chain."""

    entries: int
    shards: int
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        """No chain is broken."""
        return not self.findings


def verify(session: Session, batch_size: int = 2000) -> VerifyReport:
    """Walk every shard's chain and report the first break in each.

    Returns:
        The number of entries checked and, per broken shard, the first entry
        that was altered, deleted or reordered.
    """
    findings: list[Finding] = []
    total = 0
    heads = {h.shard: h for h in session.scalars(select(AuditChainHead))}
    for shard in range(SHARDS):
        head = heads.get(shard)
        count, finding = _verify_shard(session, shard, head, batch_size)
        total += count
        if finding is not None:
            findings.append(finding)
    return VerifyReport(entries=total, shards=SHARDS, findings=tuple(findings))


def _entries(session: Session, shard: int, batch_size: int) -> Iterator[AuditEntry]:
    last_seq = -1
    while True:
        batch = list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.shard == shard, AuditEntry.seq > last_seq)
                .order_by(AuditEntry.seq)
                .limit(batch_size)
            )
        )
        if not batch:
            return
        yield from batch
        last_seq = batch[-1].seq
        session.expunge_all()


def _verify_shard(
    session: Session, shard: int, head: AuditChainHead | None, batch_size: int
) -> tuple[int, Finding | None]:
    expected_seq = 1
    prev = GENESIS_HASH
    count = 0
    for entry in _entries(session, shard, batch_size):
        count += 1
        if entry.seq != expected_seq:
            return count, Finding(
                shard,
                expected_seq,
                entry.id,
                f"entry seq {expected_seq} is missing (deleted); next is seq {entry.seq}",
            )
        if hashlib.sha256(canonical_content(entry)).hexdigest() != entry.content_hash:
            return count, Finding(shard, entry.seq, entry.id, "content altered (hash mismatch)")
        if entry.prev_hash != prev:
            return count, Finding(
                shard,
                entry.seq,
                entry.id,
                "link to the previous entry broken (deleted or reordered)",
            )
        if chain_hash(entry.prev_hash, entry.content_hash) != entry.chain_hash:
            return count, Finding(shard, entry.seq, entry.id, "chain hash altered")
        prev = entry.chain_hash
        expected_seq += 1
    last = expected_seq - 1
    head_seq, head_hash = (head.seq, head.chain_hash) if head else (0, GENESIS_HASH)
    if head_seq != last or head_hash != prev:
        return count, Finding(
            shard,
            last + 1,
            None,
            f"chain ends at seq {last} but its head records seq {head_seq} "
            "(entries deleted at the end)",
        )
    return count, None
