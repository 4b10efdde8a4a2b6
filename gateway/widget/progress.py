"""The customer's progress through a checkout session, as the widget reports and reads it.

- ``offer_displayed``: the widget reports the offers the customer has on
  screen; each becomes a funnel event of the partner's, as if its own page had
  reported it (a repeat is ignored), so the funnel no longer depends on the
  partner remembering to.
- The application: once the partner's server has accepted the chosen offer,
  the widget reads its status (never its decision reasons or amounts beyond
  what the customer chose) to tell the customer how it went.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.applications.models import Application
from gateway.errors import ValidationFailed
from gateway.funnel.services import record_event
from gateway.widget.models import CheckoutSession
from gateway.widget.services import decision_of

# What the widget may tell the customer about the application of its choice.
APPLICATION_STATUSES = ("submitted", "under_review", "approved", "declined", "funded", "cancelled")


def record_displayed(
    session: Session, checkout: CheckoutSession, offer_ids: Sequence[str], *, now: dt.datetime
) -> list[str]:
    """Record ``offer_displayed`` for offers the widget has shown the customer.

    Args:
        session: the unit of work (the caller commits).
        checkout: the authenticated session.
        offer_ids: the offers on screen (each one of the session's).
        now: the current time.

    Returns:
        The offer ids recorded now (repeats of earlier reports are left out).

    Raises:
        PrequalificationNotFound: the session has no decision yet.
        ValidationFailed: an offer that is not one of the session's.
    """
    _, offers = decision_of(session, checkout)
    known = {offer.id for offer in offers}
    unknown = [offer_id for offer_id in offer_ids if offer_id not in known]
    if unknown:
        raise ValidationFailed({"offer_ids": "must be offers of this checkout session"})
    recorded = []
    for offer_id in dict.fromkeys(offer_ids):
        event = record_event(
            session,
            partner_id=checkout.partner_id,
            environment=checkout.environment,
            event_id=f"widget-displayed:{offer_id}",
            event_type="offer_displayed",
            offer_id=offer_id,
            occurred_at=now,
            now=now,
        )
        if not event.duplicate:
            recorded.append(offer_id)
    session.flush()
    return recorded


def application_status(session: Session, checkout: CheckoutSession) -> str | None:
    """The status of the application for the session's chosen offer (``None``: none yet)."""
    if checkout.selected_offer_id is None:
        return None
    status = session.scalar(
        select(Application.status).where(
            Application.offer_id == checkout.selected_offer_id,
            Application.partner_id == checkout.partner_id,
            Application.environment == checkout.environment,
        )
    )
    return status if status in APPLICATION_STATUSES else None
