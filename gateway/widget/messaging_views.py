"""On-site messaging (public) and the widget's funnel reports (client token)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from gateway.api.operations import operation
from gateway.clock import utcnow
from gateway.errors import NotFound
from gateway.prequal.presenters import money
from gateway.sessions import session
from gateway.widget import messages, progress
from gateway.widget.blueprint import CLIENT_TOKEN_ERRORS, SESSION, authenticated_checkout, bp
from gateway.widget.schemas import (
    DisplayedRecordedSchema,
    DisplayedSchema,
    MessageQuerySchema,
    MessageSchema,
)

MESSAGE_MAX_AGE = 300  # seconds; product terms change by a reviewed config, rarely


@bp.get("/widget/v1/messages", endpoint="messages")
@operation(query=MessageQuerySchema, response=MessageSchema, tags=["widget"], errors=(404, 429))
def messages_quote(query: dict[str, Any]) -> Response:
    """ "From ¥x/month · annualised from y%" for a partner's product or cart page; no customer data.

    Public and cacheable (any origin may read it): the answer depends only on
    the partner's products and the amount.
    """
    from gateway.partners.services import get_partner

    try:
        partner = get_partner(session(), query["partner"])
    except NotFound:
        partner = None
    if partner is None or partner.status != "active":
        raise NotFound(f"no partner {query['partner']!r} offers instalments")
    found = messages.quote(partner.config, query["amount"])
    body: dict[str, Any] = {
        "partner": query["partner"],
        "amount": money(query["amount"]),
        "currency": messages.CURRENCY,
        "available": found is not None,
        "monthly_payment_from": None if found is None else money(found.monthly_payment_from),
        "tenor_months": None if found is None else found.tenor_months,
        "apr_from": None if found is None else f"{found.apr_from:.4f}",
        "interest_free_available": found is not None and found.interest_free_available,
    }
    response = jsonify(MessageSchema().dump(body))
    response.cache_control.public = True
    response.cache_control.max_age = MESSAGE_MAX_AGE
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.add_etag()
    response.make_conditional(request)
    return response


@bp.post(f"{SESSION}/events/offer-displayed")
@operation(
    body=DisplayedSchema,
    response=DisplayedRecordedSchema,
    status=201,
    tags=["widget"],
    errors=(*CLIENT_TOKEN_ERRORS, 404),
)
def session_offers_displayed(session_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Report the offers on the customer's screen: ``offer_displayed`` events (client token)."""
    checkout = authenticated_checkout(session_id)
    recorded = progress.record_displayed(session(), checkout, body["offer_ids"], now=utcnow())
    return {"recorded": recorded}
