"""Checkout sessions (partner server) and the widget's own endpoints (browser).

On-site messaging and the widget's funnel reports are in
:mod:`gateway.widget.messaging_views`, on the same blueprint.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from flask import Response, current_app, request

from gateway.api.operations import operation
from gateway.clock import utcnow
from gateway.consent import notices
from gateway.consent import services as consent
from gateway.identity import device_hash, ip_hash
from gateway.prequal import services as prequal
from gateway.prequal.presenters import money, prequalification_view
from gateway.principal import current_principal
from gateway.reviews.services import review_of
from gateway.risk.extension import controls as risk_controls
from gateway.sessions import session
from gateway.widget import messaging_views, presentation, progress, selection, services
from gateway.widget.blueprint import (
    CLIENT_TOKEN_ERRORS,
    SESSION,
    STATIC,
    authenticated_checkout,
    bp,
    gateway_settings,
    issuer_url,
    partner_config,
    partner_names,
)
from gateway.widget.models import CheckoutSession
from gateway.widget.schemas import (
    PURPOSES,
    BrowserPrequalificationSchema,
    CheckoutSessionCreateSchema,
    CheckoutSessionSchema,
    LocaleBodySchema,
    LocaleQuerySchema,
    NoticeListSchema,
    SelectionSchema,
    SessionStateSchema,
    WidgetConsentCreateSchema,
    WidgetConsentsSchema,
    WidgetPrequalifySchema,
)

# ``bp`` carries the routes of both modules (the app registers ``views.bp``).
__all__ = ["bp", "messaging_views"]


def _static(name: str, mimetype: str) -> Response:
    # Read whole (a few KB): no file handle outlives the request, and the ETag
    # lets browsers revalidate once the five minutes of caching are up.
    response = current_app.response_class((STATIC / name).read_bytes(), mimetype=mimetype)
    response.cache_control.public = True
    response.cache_control.max_age = 300
    response.add_etag()
    response.make_conditional(request)  # 304 when the browser's copy is current
    return response


def _decision(
    checkout: CheckoutSession, found: tuple[Any, list[Any]], locale: str
) -> dict[str, Any]:
    pq, offers = found
    arm = presentation.arm_of(partner_config(checkout.partner_id), pq.experiment_arm)
    view = prequalification_view(pq, offers, locale, utcnow(), review=review_of(session(), pq))
    return view | presentation.layout_view(presentation.layout(offers, arm))


@bp.post("/v1/checkout-sessions")
@operation(
    body=CheckoutSessionCreateSchema,
    response=CheckoutSessionSchema,
    status=201,
    scope="prequalify",
    tags=["widget"],
)
def create_checkout_session(body: dict[str, Any]) -> dict[str, Any]:
    """Create a checkout session: a 15-minute client token for the browser widget.

    The token is bound to this partner and environment, the amount, currency
    and scenario, and one of the partner's configured allowed origins.
    """
    principal = current_principal()
    created = services.create_session(
        session(),
        principal.caller,
        partner_config(principal.partner_id),
        services.NewSession(**body),
        issuer=issuer_url(),
        now=utcnow(),
    )
    return {
        "id": created.checkout.id,
        "client_token": created.client_token,
        "expires_at": created.checkout.expires_at,
    }


@bp.get("/widget/v1/instalments.js")
@operation(tags=["widget"])
def widget_script() -> Response:
    """The widget script: plain JavaScript, no dependencies; load it with a script tag."""
    return _static("instalments.js", "text/javascript")


@bp.get("/widget/v1/messages.js")
@operation(tags=["widget"])
def messaging_script() -> Response:
    """The on-site messaging script: "from ¥x/month" on product and cart pages."""
    return _static("messages.js", "text/javascript")


@bp.get("/widget/v1/instalments.css")
@operation(tags=["widget"])
def widget_stylesheet() -> Response:
    """The widget's stylesheet (the script adds it; override with your own rules)."""
    return _static("instalments.css", "text/css")


@bp.get(SESSION)
@operation(response=SessionStateSchema, tags=["widget"], errors=CLIENT_TOKEN_ERRORS)
def session_state(session_id: str) -> dict[str, Any]:
    """The checkout session as the widget sees it (client token)."""
    checkout = authenticated_checkout(session_id)
    config = partner_config(checkout.partner_id)
    return {
        "id": checkout.id,
        "amount": money(checkout.amount),
        "currency": checkout.currency,
        "scenario": checkout.scenario,
        "expires_at": checkout.expires_at,
        "partner": {"id": checkout.partner_id, "name": partner_names(config)},
        "customer_bound": checkout.customer_ref is not None,
        "consents": {
            purpose: getattr(checkout, column) is not None
            for purpose, column in services.PURPOSE_COLUMNS.items()
        },
        "prequalification_id": checkout.prequalification_id,
        "selected_offer_id": checkout.selected_offer_id,
        "application_status": progress.application_status(session(), checkout),
    }


@bp.get(f"{SESSION}/notices")
@operation(
    query=LocaleQuerySchema, response=NoticeListSchema, tags=["widget"], errors=CLIENT_TOKEN_ERRORS
)
def session_notices(session_id: str, query: dict[str, Any]) -> dict[str, Any]:
    """The current notice of each purpose, filled with the partner's name (client token)."""
    checkout = authenticated_checkout(session_id)
    names = partner_names(partner_config(checkout.partner_id))
    now = utcnow()
    return {
        "data": [
            dataclasses.asdict(
                notices.render(
                    notices.current_version(purpose, now),
                    query["locale"],
                    checkout.partner_id,
                    names,
                )
            )
            for purpose in PURPOSES
        ]
    }


@bp.post(f"{SESSION}/consents")
@operation(
    body=WidgetConsentCreateSchema,
    response=WidgetConsentsSchema,
    status=201,
    tags=["widget"],
    errors=CLIENT_TOKEN_ERRORS,
)
def session_consents(session_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Record the purposes the customer ticked in the widget (client token)."""
    checkout = authenticated_checkout(session_id)
    settings = gateway_settings()
    page_url = body["page_url"]
    if page_url is not None and not page_url.startswith(checkout.allowed_origin + "/"):
        page_url = None  # only the session's own pages are evidence worth keeping
    recorded = services.record_consents(
        session(),
        checkout,
        phone=body["phone"],
        grants=[consent.Grant(g["purpose"], True, g["notice_version"]) for g in body["grants"]],
        evidence=consent.Evidence(
            captured_at=utcnow(),
            channel="widget",
            locale=body["locale"],
            ip=request.remote_addr,
            user_agent=request.headers.get("User-Agent", "")[:512] or None,
            page_url=page_url,
        ),
        partner_names=partner_names(partner_config(checkout.partner_id)),
        pepper=settings.identifier_pepper,
        policy=consent.ConsentPolicy(
            lifetime_days=settings.consent_lifetime_days,
            notice_grace=dt.timedelta(minutes=settings.notice_grace_minutes),
        ),
        issuer=issuer_url(),
    )
    return {
        "consents": [
            {"id": c.id, "purpose": c.purpose, "status": "active", "expires_at": c.expires_at}
            for c in recorded.consents
        ],
        "receipt_id": recorded.receipt.id,
    }


@bp.post(f"{SESSION}/prequalification")
@operation(
    body=WidgetPrequalifySchema,
    response=BrowserPrequalificationSchema,
    status=201,
    tags=["widget"],
    errors=CLIENT_TOKEN_ERRORS,
)
def session_prequalify(session_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Ask for the session's prequalification; needs the prequalification consent (client token)."""
    from gateway.scoring.registry import active_scorer, shadow_scorer

    checkout = authenticated_checkout(session_id)
    settings = gateway_settings()
    db = session()
    found = services.prequalify(
        db,
        checkout,
        partner_config(checkout.partner_id),
        prequal.Engine(
            pepper=settings.identifier_pepper,
            issuer=issuer_url(),
            scorer=active_scorer(db),
            shadow=shadow_scorer(db),
            offer_ttl=dt.timedelta(minutes=settings.offer_ttl_minutes),
            risk=risk_controls().rules(),
        ),
        now=utcnow(),
        device_hash=(
            device_hash(settings.identifier_pepper, body["device_fingerprint"])
            if body["device_fingerprint"]
            else None
        ),
        ip_hash=ip_hash(settings.identifier_pepper, request.remote_addr)
        if request.remote_addr
        else None,
    )
    return _decision(checkout, found, body["locale"])


@bp.get(f"{SESSION}/prequalification")
@operation(
    query=LocaleQuerySchema,
    response=BrowserPrequalificationSchema,
    tags=["widget"],
    errors=CLIENT_TOKEN_ERRORS,
)
def session_decision(session_id: str, query: dict[str, Any]) -> dict[str, Any]:
    """Read the session's decision and offers (client token)."""
    checkout = authenticated_checkout(session_id)
    return _decision(checkout, services.decision_of(session(), checkout), query["locale"])


@bp.post(f"{SESSION}/prequalification/human-review")
@operation(
    body=LocaleBodySchema,
    response=BrowserPrequalificationSchema,
    tags=["widget"],
    errors=CLIENT_TOKEN_ERRORS,
)
def session_human_review(session_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """The customer asks for a person to review the decision (client token)."""
    checkout = authenticated_checkout(session_id)
    return _decision(checkout, services.request_human_review(session(), checkout), body["locale"])


@bp.post(f"{SESSION}/offers/<offer_id>/select")
@operation(response=SelectionSchema, tags=["widget"], errors=(*CLIENT_TOKEN_ERRORS, 409))
def session_select_offer(session_id: str, offer_id: str) -> dict[str, Any]:
    """Record the offer the customer chose, for the partner's server to accept (client token)."""
    checkout = selection.select_offer(
        session(), authenticated_checkout(session_id), offer_id, now=utcnow()
    )
    return {
        "checkout_session_id": checkout.id,
        "offer_id": checkout.selected_offer_id,
        "credit_inquiry_consent_id": checkout.credit_inquiry_consent_id,
        "selected_at": checkout.selected_at,
    }
