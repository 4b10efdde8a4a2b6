"""Recording funnel events, and what checkout outcomes do to an application.

In the sandbox and in production alike the bank disburses when the merchant
completes the order: ``checkout_completed`` for an offer whose application is
``approved`` funds it; ``checkout_abandoned`` cancels an application that is
not funded yet. Both happen in the event's transaction, with their webhooks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from gateway.applications import services as applications
from gateway.applications.models import Application
from gateway.clock import utcnow
from gateway.errors import ValidationFailed
from gateway.funnel.models import EVENT_TYPES, FunnelEvent
from gateway.offers.services import get_offer

MAX_CLOCK_SKEW = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Recorded:
    """The stored event and whether this call was a repeat of an earlier one."""

    event: FunnelEvent
    duplicate: bool


def record_event(
    session: Session,
    *,
    partner_id: str,
    environment: str,
    event_id: str,
    event_type: str,
    offer_id: str,
    occurred_at: dt.datetime,
    now: dt.datetime | None = None,
) -> Recorded:
    """Store a funnel event once; a repeated event id is accepted and ignored.

    Args:
        session: the unit of work (the caller commits).
        partner_id: the reporting partner; only its own offers count.
        environment: ``sandbox`` or ``live``.
        event_id: the partner's unique id for the event.
        event_type: one of :data:`~gateway.funnel.models.EVENT_TYPES`.
        offer_id: the offer the event is about.
        occurred_at: when it happened at the checkout.
        now: the current time (tests).

    Returns:
        The stored event (the first one, for a repeat) and whether it was a repeat.

    Raises:
        OfferNotFound: the offer is not this partner's (404, as if it did not exist).
        ValidationFailed: an unknown type, or ``occurred_at`` in the future.
    """
    now = now or utcnow()
    if event_type not in EVENT_TYPES:
        raise ValidationFailed({"type": f"must be one of {', '.join(EVENT_TYPES)}"})
    if occurred_at > now + MAX_CLOCK_SKEW:
        raise ValidationFailed({"occurred_at": "is in the future"})
    offer = get_offer(session, partner_id, environment, offer_id)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    inserted = session.execute(
        insert(FunnelEvent)
        .values(
            partner_id=partner_id,
            environment=environment,
            id=event_id,
            type=event_type,
            offer_id=offer.id,
            prequalification_id=offer.prequalification_id,
            occurred_at=occurred_at,
            received_at=now,
        )
        .on_conflict_do_nothing()
        .returning(FunnelEvent.id)
    ).first()
    event = session.get(FunnelEvent, (partner_id, environment, event_id))
    assert event is not None
    if inserted is None:
        return Recorded(event, duplicate=True)
    if event_type in ("checkout_completed", "checkout_abandoned"):
        _settle_application(session, offer.id, event_type, now)
    return Recorded(event, duplicate=False)


def _settle_application(session: Session, offer_id: str, event_type: str, now: dt.datetime) -> None:
    app_id = session.scalar(select(Application.id).where(Application.offer_id == offer_id))
    if app_id is None:
        return
    app = applications.lock(session, app_id)
    assert app is not None
    if event_type == "checkout_completed" and app.status == "approved":
        applications.fund(session, app, now)
    elif event_type == "checkout_abandoned" and app.status in applications.CANCELLABLE:
        applications.cancel(session, app, reason="checkout_abandoned", now=now)
