"""Offer endpoints."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from gateway.api.operations import operation
from gateway.clock import utcnow
from gateway.db import session
from gateway.offers.services import get_offer
from gateway.prequal.presenters import offer_view
from gateway.prequal.schemas import OfferSchema
from gateway.principal import current_principal

bp = Blueprint("offers", __name__)


@bp.get("/v1/offers/<offer_id>")
@operation(response=OfferSchema, scope="applications:write", tags=["offers"])
def read_offer(offer_id: str) -> dict[str, Any]:
    """Read an offer: its terms, schedule, status and signed token."""
    principal = current_principal()
    offer = get_offer(session(), principal.partner_id, principal.environment, offer_id)
    return offer_view(offer, utcnow())
