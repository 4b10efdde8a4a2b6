"""Checkout sessions (partner server) and the widget's own endpoints (browser)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, request

from gateway.api.operations import operation
from gateway.clock import utcnow
from gateway.config import Settings
from gateway.consent import notices
from gateway.consent import services as consent
from gateway.identity import device_hash, ip_hash
from gateway.prequal import services as prequal
from gateway.prequal.presenters import money, prequalification_view
from gateway.principal import current_principal
from gateway.reviews.services import review_of
from gateway.risk.extension import controls as risk_controls
from gateway.sessions import session
from gateway.widget import cors, services, tokens
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

bp = Blueprint("widget", __name__)
STATIC = Path(__file__).resolve().parent / "static"
SESSION = "/widget/v1/sessions/<session_id>"
bp.before_request(cors.preflight)
bp.after_request(cors.add_headers)


def _settings() -> Settings:
    settings: Settings = current_app.extensions["gateway.settings"]
    return settings


def _issuer() -> str:
    return _settings().issuer or request.url_root.rstrip("/")


def _partner(partner_id: str) -> Any:
    from gateway.partners.services import get_partner

    return get_partner(session(), partner_id).config


def _names(config: Any) -> dict[str, str]:
    return {"zh-CN": config.display_name.zh_cn, "en": config.display_name.en}


# Every session call authenticates the client token (401) and the browser's origin (403).
CLIENT_TOKEN_ERRORS = (401, 403)


def _checkout(session_id: str) -> CheckoutSession:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return tokens.authenticate(
        session(),
        token.strip() if scheme.lower() == "bearer" else None,
        session_id=session_id,
        origin=request.headers.get("Origin"),
        issuer=_issuer(),
        now=utcnow(),
    )


def _static(name: str, mimetype: str) -> Response:
    # Read whole (a few KB): no file handle outlives the request, and the ETag
    # lets browsers revalidate once the five minutes of caching are up.
    response = current_app.response_class((STATIC / name).read_bytes(), mimetype=mimetype)
    response.cache_control.public = True
    response.cache_control.max_age = 300
    response.add_etag()
    response.make_conditional(request)  # 304 when the browser's copy is current
    return response


def _decision(found: tuple[Any, list[Any]], locale: str) -> dict[str, Any]:
    pq, offers = found
    return prequalification_view(pq, offers, locale, utcnow(), review=review_of(session(), pq))


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
        _partner(principal.partner_id),
        services.NewSession(**body),
        issuer=_issuer(),
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


@bp.get("/widget/v1/instalments.css")
@operation(tags=["widget"])
def widget_stylesheet() -> Response:
    """The widget's stylesheet (the script adds it; override with your own rules)."""
    return _static("instalments.css", "text/css")


@bp.get(SESSION)
@operation(response=SessionStateSchema, tags=["widget"], errors=CLIENT_TOKEN_ERRORS)
def session_state(session_id: str) -> dict[str, Any]:
    """The checkout session as the widget sees it (client token)."""
    checkout = _checkout(session_id)
    config = _partner(checkout.partner_id)
    return {
        "id": checkout.id,
        "amount": money(checkout.amount),
        "currency": checkout.currency,
        "scenario": checkout.scenario,
        "expires_at": checkout.expires_at,
        "partner": {"id": checkout.partner_id, "name": _names(config)},
        "customer_bound": checkout.customer_ref is not None,
        "consents": {
            purpose: getattr(checkout, column) is not None
            for purpose, column in services.PURPOSE_COLUMNS.items()
        },
        "prequalification_id": checkout.prequalification_id,
        "selected_offer_id": checkout.selected_offer_id,
    }


@bp.get(f"{SESSION}/notices")
@operation(
    query=LocaleQuerySchema, response=NoticeListSchema, tags=["widget"], errors=CLIENT_TOKEN_ERRORS
)
def session_notices(session_id: str, query: dict[str, Any]) -> dict[str, Any]:
    """The current notice of each purpose, filled with the partner's name (client token)."""
    checkout = _checkout(session_id)
    names = _names(_partner(checkout.partner_id))
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
    checkout = _checkout(session_id)
    settings = _settings()
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
        partner_names=_names(_partner(checkout.partner_id)),
        pepper=settings.identifier_pepper,
        policy=consent.ConsentPolicy(
            lifetime_days=settings.consent_lifetime_days,
            notice_grace=dt.timedelta(minutes=settings.notice_grace_minutes),
        ),
        issuer=_issuer(),
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

    checkout = _checkout(session_id)
    settings = _settings()
    db = session()
    found = services.prequalify(
        db,
        checkout,
        _partner(checkout.partner_id),
        prequal.Engine(
            pepper=settings.identifier_pepper,
            issuer=_issuer(),
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
    return _decision(found, body["locale"])


@bp.get(f"{SESSION}/prequalification")
@operation(
    query=LocaleQuerySchema,
    response=BrowserPrequalificationSchema,
    tags=["widget"],
    errors=CLIENT_TOKEN_ERRORS,
)
def session_decision(session_id: str, query: dict[str, Any]) -> dict[str, Any]:
    """Read the session's decision and offers (client token)."""
    checkout = _checkout(session_id)
    return _decision(services.decision_of(session(), checkout), query["locale"])


@bp.post(f"{SESSION}/prequalification/human-review")
@operation(
    body=LocaleBodySchema,
    response=BrowserPrequalificationSchema,
    tags=["widget"],
    errors=CLIENT_TOKEN_ERRORS,
)
def session_human_review(session_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """The customer asks for a person to review the decision (client token)."""
    checkout = _checkout(session_id)
    return _decision(services.request_human_review(session(), checkout), body["locale"])


@bp.post(f"{SESSION}/offers/<offer_id>/select")
@operation(response=SelectionSchema, tags=["widget"], errors=(*CLIENT_TOKEN_ERRORS, 409))
def session_select_offer(session_id: str, offer_id: str) -> dict[str, Any]:
    """Record the offer the customer chose, for the partner's server to accept (client token)."""
    checkout = services.select_offer(session(), _checkout(session_id), offer_id, now=utcnow())
    return {
        "checkout_session_id": checkout.id,
        "offer_id": checkout.selected_offer_id,
        "credit_inquiry_consent_id": checkout.credit_inquiry_consent_id,
        "selected_at": checkout.selected_at,
    }
