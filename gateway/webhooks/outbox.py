"""The transactional outbox: events are rows written with the change they report.

:func:`emit` adds the row to the caller's session, so the event commits or
rolls back with the change. The delivery worker (:mod:`gateway.webhooks.delivery`)
sends it later; nothing here touches the network.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from gateway import ids
from gateway.clock import rfc3339, utcnow
from gateway.jsonable import json_default
from gateway.webhooks.models import WebhookEvent, WebhookSequence

RETRY_WINDOW = dt.timedelta(days=3)  # then the event is dead-lettered

EVENT_TYPES = (
    "application.submitted",
    "application.approved",
    "application.declined",
    "application.funded",
    "application.cancelled",
    "application.refunded",
    "consent.revoked",
    "offer.voided",
    "prequalification.review_completed",
    "ping",  # sandbox test deliveries (POST /v1/webhook-endpoints/test)
)


def next_sequence(session: Session, resource_id: str) -> int:
    """Take the next sequence number of a resource (1, 2, …), atomically.

    An upsert that increments and returns the counter: concurrent
    transactions for the same resource queue on its row and never share a number.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement: Insert = insert(WebhookSequence).values(resource_id=resource_id, value=1)
    statement = statement.on_conflict_do_update(  # type: ignore[attr-defined]
        index_elements=[WebhookSequence.resource_id],
        set_={"value": WebhookSequence.value + 1},
    ).returning(WebhookSequence.value)
    return int(session.execute(statement).scalar_one())


def emit(
    session: Session,
    event_type: str,
    *,
    partner_id: str,
    environment: str,
    resource_id: str,
    obj: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> WebhookEvent:
    """Write an event to the outbox in the caller's transaction (the caller commits).

    Args:
        session: the unit of work of the change being reported.
        event_type: one of :data:`EVENT_TYPES`.
        partner_id: who receives it.
        environment: ``sandbox`` or ``live`` (each has its own endpoint and secret).
        resource_id: the application, consent or offer id (sequence is per resource).
        obj: the resource as the API shows it (JSON-ready values).
        now: the event time (tests).

    Returns:
        The pending event, due at once.

    Raises:
        ValueError: an unknown event type.
    """
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    now = now or utcnow()
    event_id = ids.new_id("evt")
    sequence = next_sequence(session, resource_id)
    body = json.dumps(
        {
            "id": event_id,
            "type": event_type,
            "created_at": rfc3339(now),
            "sequence": sequence,
            "data": {"object": dict(obj)},
        },
        separators=(",", ":"),
        ensure_ascii=False,
        default=json_default,
    )
    event = WebhookEvent(
        id=event_id,
        partner_id=partner_id,
        environment=environment,
        type=event_type,
        resource_id=resource_id,
        sequence=sequence,
        body=body,
        status="pending",
        attempts=0,
        created_at=now,
        next_attempt_at=now,
        retry_until=now + RETRY_WINDOW,
        delivered_at=None,
        dead_at=None,
        last_error=None,
    )
    session.add(event)
    session.flush()
    return event
