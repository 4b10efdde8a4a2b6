"""Idempotency: the same key and body replay the first response.

Protocol, per request carrying ``Idempotency-Key`` (scoped to the tenant):

1. :func:`claim` inserts an ``in_flight`` row and commits it, or finds the
   existing row: completed with the same fingerprint → replay; another
   fingerprint → :class:`IdempotencyConflict`; still in flight →
   :class:`IdempotencyInFlight` (``409`` with ``Retry-After``).
2. The operation runs in the same session; :func:`complete` stores the
   response *in the same transaction* as the changes it reports, so a crash
   can never leave a change without its replayable response.
3. If the operation fails, :func:`release` deletes the claim: nothing was
   written, so a retry may run it again.

Keys are kept at least 24 hours; an in-flight claim older than
``STALE_AFTER`` belongs to a crashed process and is taken over.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.db import table_of
from gateway.errors import DomainError
from gateway.idempotency.models import IdempotencyRecord

RETENTION = dt.timedelta(hours=24)
STALE_AFTER = dt.timedelta(seconds=60)
MAX_KEY_LENGTH = 255


class IdempotencyConflict(DomainError):
    """The key was used before with a different request."""

    code = "idempotency_conflict"
    kind = "conflict"
    title = "Idempotency key reused with a different request"


class IdempotencyInFlight(DomainError):
    """The first request with this key is still being processed."""

    code = "idempotency_in_flight"
    kind = "conflict"
    title = "A request with this idempotency key is in progress"
    retry_after = 1


class InvalidIdempotencyKey(DomainError):
    """The key is empty or too long."""

    code = "invalid_idempotency_key"
    kind = "invalid"
    title = "Invalid Idempotency-Key header"


@dataclass(frozen=True)
class StoredResponse:
    """A response to replay."""

    status: int
    body: bytes
    mimetype: str


def fingerprint(method: str, path: str, body: bytes) -> str:
    """SHA-256 over what makes two requests 'the same'."""
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def claim(session: Session, tenant: str, key: str, print_: str) -> StoredResponse | None:
    """Claim ``key`` for this request, or return the response to replay.

    Args:
        session: the request's session; committed here (ends any open transaction).
        tenant: the isolation scope (partner and environment).
        key: the client's ``Idempotency-Key``.
        print_: the request's :func:`fingerprint`.

    Returns:
        ``None`` if the caller now owns the key, else the stored response.

    Raises:
        IdempotencyConflict: same key, different request.
        IdempotencyInFlight: the first request has not finished.
        InvalidIdempotencyKey: empty or over 255 characters.
    """
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidIdempotencyKey(
            "Idempotency-Key must be 1 to 255 printable characters", field="Idempotency-Key"
        )
    session.commit()
    now = utcnow()
    claim_row = {
        "tenant": tenant,
        "key": key,
        "fingerprint": print_,
        "state": "in_flight",
        "created_at": now,
        "expires_at": now + RETENTION,
    }
    for _ in range(3):
        # The common case first: a new key is one INSERT (ON CONFLICT DO
        # NOTHING: a concurrent claim of the same key waits for the first's
        # commit, then inserts nothing), not a SELECT and an INSERT.
        connection = session.connection()
        if connection.execute(_CLAIM[connection.dialect.name], claim_row).first() is not None:
            session.commit()
            return None
        record = session.scalars(
            select(IdempotencyRecord).where(
                IdempotencyRecord.tenant == tenant, IdempotencyRecord.key == key
            )
        ).first()
        if record is None:  # deleted since: try again
            session.rollback()
            continue
        if record.expires_at <= now or (
            record.state == "in_flight" and record.created_at <= now - STALE_AFTER
        ):
            session.delete(record)
            session.commit()
            continue
        if record.fingerprint != print_:
            session.rollback()
            raise IdempotencyConflict(
                "this Idempotency-Key was used with a different request body or URL"
            )
        if record.state == "in_flight":
            session.rollback()
            raise IdempotencyInFlight("the first request with this key is still in progress")
        assert record.response_status is not None and record.response_body is not None
        stored = StoredResponse(
            record.response_status, record.response_body, record.response_mimetype or ""
        )
        session.rollback()
        return stored
    raise IdempotencyInFlight("the first request with this key is still in progress")


def complete(session: Session, tenant: str, key: str, response: StoredResponse) -> None:
    """Store the response with the operation's own changes (caller commits).

    Raises:
        NoResultFound: the claim is gone (nothing to complete).
    """
    # One UPDATE on the session's connection, not a load and a flush: this
    # runs on every request that carries a key (the SDK always sends one).
    done = session.connection().execute(
        _COMPLETE,
        {
            "tenant_": tenant,
            "key_": key,
            "response_status": response.status,
            "response_body": response.body,
            "response_mimetype": response.mimetype,
        },
    )
    if done.rowcount != 1:
        raise NoResultFound("no idempotency claim to complete")


_records = table_of(IdempotencyRecord)
_CLAIM = {
    dialect.__name__.rsplit(".", 1)[-1]: dialect.insert(_records)
    .on_conflict_do_nothing(index_elements=["tenant", "key"])
    .returning(_records.c.id)
    for dialect in (postgresql, sqlite)
}
_COMPLETE = (
    update(_records)
    .where(_records.c.tenant == bindparam("tenant_"), _records.c.key == bindparam("key_"))
    .values(state="completed")
)


def release(session: Session, tenant: str, key: str) -> None:
    """Drop an in-flight claim after the operation failed (commits)."""
    session.rollback()
    session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.tenant == tenant,
            IdempotencyRecord.key == key,
            IdempotencyRecord.state == "in_flight",
        )
    )
    session.commit()


def purge_expired(session: Session) -> int:
    """Delete records past retention; returns how many (caller commits)."""
    result = session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)
