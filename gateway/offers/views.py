"""Offer endpoints."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from gateway.api.operations import Presented, operation
from gateway.api.problems import ProblemError
from gateway.applications.schemas import AcceptSchema, ApplicationSchema, application_view
from gateway.clock import utcnow
from gateway.offers import acceptance
from gateway.offers.services import get_offer
from gateway.offers.tokens import DecisionTokenMismatch, OfferTokenMismatch
from gateway.prequal.presenters import offer_view
from gateway.prequal.schemas import OfferSchema
from gateway.principal import current_principal
from gateway.risk.extension import controls as risk_controls
from gateway.sessions import session

bp = Blueprint("offers", __name__)


@bp.get("/v1/offers/<offer_id>")
@operation(response=OfferSchema, scope="applications:write", tags=["offers"])
def read_offer(offer_id: str) -> dict[str, Any]:
    """Read an offer: its terms, schedule and status (its prequalification's token signs it)."""
    principal = current_principal()
    offer = get_offer(session(), principal.partner_id, principal.environment, offer_id)
    return Presented(offer_view(offer, utcnow()))


@bp.post("/v1/offers/<offer_id>/accept")
@operation(
    body=AcceptSchema,
    response=ApplicationSchema,
    status=201,
    scope="applications:write",
    tags=["offers"],
    errors=(400, 403, 409, 410),
)
def accept_offer(offer_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Accept an offer with its decision token: creates the application (exactly one per offer).

    Send the prequalification's ``decision_token`` as received (``offer_token``
    is deprecated, for offers issued with one). Needs an active
    ``credit_inquiry`` consent of the offer's customer (``403 consent_required``).
    ``410 offer_expired``, ``409 offer_void``, ``409 offer_already_accepted``,
    ``400 decision_token_mismatch`` (or ``offer_token_mismatch``), ``400 bad_request``
    (not exactly one token), ``409 exposure_limit`` (the customer's credit
    across partners would pass the cap).
    """
    principal = current_principal()
    try:
        application = acceptance.accept_offer(
            session(),
            partner_id=principal.partner_id,
            environment=principal.environment,
            offer_id=offer_id,
            credit_inquiry_consent_id=body["credit_inquiry_consent_id"],
            decision_token=body["decision_token"],
            offer_token=body["offer_token"],
            actor=principal.client_id,
            exposure_cap=risk_controls().rules().exposure.cap_per_customer,
        )
    except (OfferTokenMismatch, DecisionTokenMismatch, acceptance.AcceptanceTokenRequired) as exc:
        # A forged or altered token is a bad request, not a field that failed a rule.
        extra = {**exc.extra, **({"field": exc.field} if exc.field else {})}
        raise ProblemError(400, exc.code, exc.detail, extra=extra) from None
    return application_view(application)
