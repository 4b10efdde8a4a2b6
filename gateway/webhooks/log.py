"""The partner's event log: every webhook event it was sent or will be sent, with attempts.

``GET /v1/webhook-events`` lets a partner that missed a delivery reconcile:
each event carries the exact payload that is (or was) signed and sent, its
delivery status and every attempt. Lists are cursor-paginated
(:mod:`gateway.api.pagination`); a page costs the same statements whatever
its size (the attempts of the whole page are one ``IN`` query).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.api.fields import Timestamp
from gateway.api.pagination import ListQuerySchema, Page, paginate
from gateway.errors import NotFound
from gateway.webhooks.models import WebhookAttempt, WebhookEvent

EVENT_STATUSES = ("pending", "delivered", "dead")


class WebhookEventNotFound(NotFound):
    """No such event for this partner and environment."""

    code = "webhook_event_not_found"


class WebhookEventListQuerySchema(ListQuerySchema):
    """Pagination plus the event filters."""

    status = fields.String(
        load_default=None,
        validate=validate.OneOf(EVENT_STATUSES),
        metadata={"description": "pending | delivered | dead"},
    )
    type = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=48),
        metadata={"description": "Only events of this type, e.g. application.funded."},
    )


class AttemptSchema(Schema):
    """One delivery attempt."""

    number = fields.Integer()
    attempted_at = Timestamp()
    url = fields.String(allow_none=True)
    status_code = fields.Integer(allow_none=True, metadata={"description": "Your HTTP status."})
    duration_ms = fields.Integer()
    outcome = fields.String(metadata={"description": "delivered | failed"})
    error = fields.String(allow_none=True)


class WebhookEventSchema(Schema):
    """An event, its signed payload, its delivery status and every attempt."""

    id = fields.String(metadata={"description": "The webhook-id header of every attempt."})
    type = fields.String()
    status = fields.String(metadata={"description": "pending | delivered | dead"})
    created_at = Timestamp()
    sequence = fields.Integer(metadata={"description": "1, 2, … per resource."})
    resource_id = fields.String()
    next_attempt_at = Timestamp(allow_none=True)
    delivered_at = Timestamp(allow_none=True)
    last_error = fields.String(allow_none=True)
    payload = fields.Dict(metadata={"description": "The JSON body as signed and sent."})
    attempts = fields.List(fields.Nested(AttemptSchema))


def event_view(event: WebhookEvent, attempts: Sequence[WebhookAttempt]) -> dict[str, Any]:
    """An event as the API shows it."""
    return {
        "id": event.id,
        "type": event.type,
        "status": event.status,
        "created_at": event.created_at,
        "sequence": event.sequence,
        "resource_id": event.resource_id,
        "next_attempt_at": event.next_attempt_at if event.status == "pending" else None,
        "delivered_at": event.delivered_at,
        "last_error": event.last_error,
        "payload": json.loads(event.body),
        "attempts": [
            {
                "number": a.number,
                "attempted_at": a.attempted_at,
                "url": a.url,
                "status_code": a.status_code,
                "duration_ms": a.duration_ms,
                "outcome": a.outcome,
                "error": a.error,
            }
            for a in attempts
        ],
    }


def attempts_of(session: Session, event_ids: Sequence[str]) -> dict[str, list[WebhookAttempt]]:
    """The attempts of many events, in order, with one statement."""
    found: dict[str, list[WebhookAttempt]] = defaultdict(list)
    if event_ids:
        for attempt in session.scalars(
            select(WebhookAttempt)
            .where(WebhookAttempt.event_id.in_(list(event_ids)))
            .order_by(WebhookAttempt.event_id, WebhookAttempt.number)
        ):
            found[attempt.event_id].append(attempt)
    return found


def list_events(
    session: Session, partner_id: str, environment: str, query: dict[str, Any]
) -> tuple[Page[WebhookEvent], dict[str, list[WebhookAttempt]]]:
    """One page of a tenant's events, newest first, with their attempts."""
    statement = select(WebhookEvent).where(
        WebhookEvent.partner_id == partner_id, WebhookEvent.environment == environment
    )
    if query.get("status"):
        statement = statement.where(WebhookEvent.status == query["status"])
    if query.get("type"):
        statement = statement.where(WebhookEvent.type == query["type"])
    page = paginate(
        session, statement, created=WebhookEvent.created_at, key=WebhookEvent.id, query=query
    )
    return page, attempts_of(session, [event.id for event in page.items])


def get_event(
    session: Session, partner_id: str, environment: str, event_id: str
) -> tuple[WebhookEvent, list[WebhookAttempt]]:
    """One of the tenant's events with its attempts.

    Raises:
        WebhookEventNotFound: not found here (another tenant's is not found either).
    """
    event = session.get(WebhookEvent, event_id)
    if event is None or (event.partner_id, event.environment) != (partner_id, environment):
        raise WebhookEventNotFound("no such webhook event")
    return event, attempts_of(session, [event.id])[event.id]
