"""Choosing an offer in a checkout session: one choice, recorded once.

The customer's choice is what the partner's server then accepts, so a session
holds exactly one: the first selection stands, a repeat of it is answered the
same, and any other offer is refused (``409 offer_already_selected``) — even
when two requests race in two processes.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gateway.audit.services import record as audit
from gateway.consent import services as consent
from gateway.errors import Conflict
from gateway.funnel.services import record_event
from gateway.widget.models import CheckoutSession
from gateway.widget.services import actor, decision_of


class OfferNotSelectable(Conflict):
    """The offer is not open, or belongs to another decision."""

    code = "offer_not_selectable"


class OfferAlreadySelected(Conflict):
    """The checkout session's customer has already chosen another offer."""

    code = "offer_already_selected"

    def __init__(self, selected_offer_id: str) -> None:
        super().__init__(
            "another plan has already been chosen in this checkout session",
            extra={"selected_offer_id": selected_offer_id},
        )
        self.selected_offer_id = selected_offer_id


def select_offer(
    session: Session, checkout: CheckoutSession, offer_id: str, *, now: dt.datetime
) -> CheckoutSession:
    """Record the offer the customer chose (and an ``offer_selected`` funnel event).

    Args:
        session: the unit of work (the caller commits).
        checkout: the authenticated session.
        offer_id: one of the session's offers.
        now: the current time.

    Returns:
        The session, with ``selected_offer_id``.

    Raises:
        OfferNotSelectable: the offer is not one of this session's, or not open.
        OfferAlreadySelected: the session has chosen another offer already
            (one choice per checkout; choosing the same one again is a repeat).
        ConsentRequired: ``credit_inquiry`` consent is missing (the partner
            could not accept the offer without it).
    """
    if checkout.selected_offer_id == offer_id:
        return checkout  # a repeat (a retried request): the same answer
    if checkout.selected_offer_id is not None:
        raise OfferAlreadySelected(checkout.selected_offer_id)
    pq, offers = decision_of(session, checkout)
    offer = next((o for o in offers if o.id == offer_id), None)
    if offer is None:
        raise OfferNotSelectable("the offer is not one of this checkout session's offers")
    if offer.status_at(now) != "open":
        raise OfferNotSelectable(f"the offer is {offer.status_at(now)}")
    if checkout.credit_inquiry_consent_id is None:
        raise consent.ConsentRequired(
            "the credit_inquiry consent is needed before an offer can be chosen"
        )
    # One choice per checkout, even for two requests racing in two processes:
    # only the update that finds no choice yet wins.
    won = session.execute(
        update(CheckoutSession)
        .where(CheckoutSession.id == checkout.id, CheckoutSession.selected_offer_id.is_(None))
        .values(selected_offer_id=offer.id, selected_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(won, "rowcount", 0) != 1:
        chosen = session.scalar(
            select(CheckoutSession.selected_offer_id).where(CheckoutSession.id == checkout.id)
        )
        session.refresh(checkout)
        if chosen == offer.id:
            return checkout
        raise OfferAlreadySelected(chosen or "")
    session.refresh(checkout)
    # The partner's funnel counts the selection as if its page had reported it.
    record_event(
        session,
        partner_id=checkout.partner_id,
        environment=checkout.environment,
        event_id=f"widget-selected:{offer.id}",
        event_type="offer_selected",
        offer_id=offer.id,
        occurred_at=now,
        now=now,
    )
    audit(
        session,
        action="offer.selected",
        actor=actor(checkout),
        partner_id=checkout.partner_id,
        environment=checkout.environment,
        subject=offer.id,
        data={"checkout_session_id": checkout.id, "prequalification_id": pq.id},
    )
    session.flush()
    return checkout
