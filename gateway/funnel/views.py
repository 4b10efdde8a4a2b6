"""``POST /v1/events``: funnel events from the partner's checkout."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from gateway.api.operations import operation
from gateway.funnel import services
from gateway.funnel.schemas import EventCreateSchema, EventSchema
from gateway.principal import current_principal
from gateway.sessions import session

bp = Blueprint("funnel", __name__)


@bp.post("/v1/events")
@operation(
    body=EventCreateSchema,
    response=EventSchema,
    status=202,
    scope="events:write",
    tags=["events"],
    extra_responses={404: "No such offer for this partner and environment."},
)
def create_event(body: dict[str, Any]) -> dict[str, Any]:
    """Report a funnel event for one of your offers; a repeated event id is ignored.

    ``checkout_completed`` funds the offer's approved application;
    ``checkout_abandoned`` cancels one not yet funded.
    """
    principal = current_principal()
    recorded = services.record_event(
        session(),
        partner_id=principal.partner_id,
        environment=principal.environment,
        event_id=body["id"],
        event_type=body["type"],
        offer_id=body["offer_id"],
        occurred_at=body["occurred_at"],
    )
    event = recorded.event
    return {
        "id": event.id,
        "type": event.type,
        "offer_id": event.offer_id,
        "prequalification_id": event.prequalification_id,
        "occurred_at": event.occurred_at,
        "received_at": event.received_at,
        "duplicate": recorded.duplicate,
    }
