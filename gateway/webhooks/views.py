"""The event log and the sandbox test delivery."""

from __future__ import annotations

from typing import Any

import httpx
from flask import Blueprint, current_app
from marshmallow import Schema, fields

from gateway.api.operations import operation
from gateway.api.pagination import list_schema
from gateway.config import Settings
from gateway.principal import current_principal
from gateway.sessions import session
from gateway.webhooks import log
from gateway.webhooks.delivery import TIMEOUT
from gateway.webhooks.ping import send_ping

bp = Blueprint("webhooks", __name__)

WebhookEventList = list_schema(log.WebhookEventSchema, "WebhookEventListSchema")

#: ``app.extensions`` key of an ``httpx.Client`` for test deliveries (tests inject one).
HTTP_EXTENSION = "gateway.webhooks.http"


class PingRequestSchema(Schema):
    """No fields: send ``{}`` (or nothing)."""


class PingResultSchema(Schema):
    """What happened to the test delivery."""

    delivered = fields.Boolean(metadata={"description": "Your endpoint answered 2xx."})
    status_code = fields.Integer(allow_none=True, metadata={"description": "Your HTTP status."})
    duration_ms = fields.Integer()
    error = fields.String(allow_none=True)
    event = fields.Nested(log.WebhookEventSchema)


@bp.get("/v1/webhook-events")
@operation(
    query=log.WebhookEventListQuerySchema,
    response=WebhookEventList,
    scope="events:write",
    tags=["webhooks"],
)
def list_webhook_events(query: dict[str, Any]) -> dict[str, Any]:
    """List every event you were sent or will be sent, newest first, with delivery attempts.

    Reconcile after an outage: walk the list back to the last event you
    processed (``payload`` is the exact JSON that was signed and sent).
    """
    principal = current_principal()
    page, attempts = log.list_events(session(), principal.partner_id, principal.environment, query)
    return page.wire(
        "/v1/webhook-events", lambda event: log.event_view(event, attempts.get(event.id, []))
    )


@bp.get("/v1/webhook-events/<event_id>")
@operation(response=log.WebhookEventSchema, scope="events:write", tags=["webhooks"])
def get_webhook_event(event_id: str) -> dict[str, Any]:
    """Read one event: its payload, delivery status and every attempt."""
    principal = current_principal()
    event, attempts = log.get_event(
        session(), principal.partner_id, principal.environment, event_id
    )
    return log.event_view(event, attempts)


@bp.post("/v1/webhook-endpoints/test")
@operation(
    body=PingRequestSchema, response=PingResultSchema, scope="events:write", tags=["webhooks"]
)
def test_webhook_endpoint(body: dict[str, Any]) -> dict[str, Any]:
    """Sandbox: send a signed ``ping`` event to your webhook URL now; returns what happened.

    Signed with your sandbox ``whsec_`` secret like every delivery; attempted
    once, never retried. ``403 sandbox_only`` with a live token.
    """
    settings: Settings = current_app.extensions["gateway.settings"]
    principal = current_principal()
    injected: httpx.Client | None = current_app.extensions.get(HTTP_EXTENSION)
    http = injected or httpx.Client(timeout=TIMEOUT, follow_redirects=False)
    db = session()
    try:
        result = send_ping(
            db,
            partner_id=principal.partner_id,
            environment=principal.environment,
            http=http,
            secret_key=settings.secret_key,
        )
    finally:
        if injected is None:
            http.close()
    return {
        "delivered": result.event.status == "delivered",
        "status_code": result.attempt.status_code,
        "duration_ms": result.attempt.duration_ms,
        "error": result.attempt.error,
        "event": log.event_view(result.event, [result.attempt]),
    }
