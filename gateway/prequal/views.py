"""Prequalification endpoints."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, current_app, request

from gateway.api.operations import Presented, fail_after_commit, operation
from gateway.api.pagination import list_schema
from gateway.campaigns.checkout import honoured_for
from gateway.clock import utcnow
from gateway.config import Settings
from gateway.db import reading
from gateway.identity import device_hash, ip_hash
from gateway.prequal import listing, services
from gateway.prequal.presenters import prequalification_view
from gateway.prequal.pricing import teaser
from gateway.prequal.products import terms_of
from gateway.prequal.schemas import (
    PrequalificationCreateSchema,
    PrequalificationSchema,
    ProductListSchema,
    ProductsQuerySchema,
)
from gateway.principal import current_principal
from gateway.reviews.services import review_of
from gateway.risk.extension import controls as risk_controls
from gateway.sessions import session

bp = Blueprint("prequal", __name__)


def _device(pepper: str, device: dict[str, Any] | None) -> tuple[str | None, str | None]:
    """The device's fingerprint and IP as keyed hashes (the raw values go no further)."""
    if not device:
        return None, None
    ip = device.get("ip")
    return device_hash(pepper, device["fingerprint"]), ip_hash(pepper, str(ip)) if ip else None


def _locale() -> str:
    return "zh-CN" if request.headers.get("Accept-Language", "").lower().startswith("zh") else "en"


def _bank_ref(partner_id: str, partner_ref: str | None) -> str | None:
    """The bank's reference of a customer the partner names by its pairwise one."""
    if partner_ref is None:
        return None
    from gateway.consent.pairwise import NO_CUSTOMER, resolve_partner_ref

    return resolve_partner_ref(session(), partner_id, partner_ref) or NO_CUSTOMER


def _issuer(settings: Settings) -> str:
    return settings.issuer or request.url_root.rstrip("/")


@bp.post("/v1/prequalifications")
@operation(
    body=PrequalificationCreateSchema,
    response=PrequalificationSchema,
    status=201,
    scope="prequalify",
    tags=["prequalification"],
    errors=(403,),
)
def create_prequalification(body: dict[str, Any]) -> dict[str, Any]:
    """Decide whether the customer is pre-approved; returns signed offers or reasons.

    Needs an active ``prequalification`` consent for the same customer
    (``403 consent_required`` otherwise). Reasons follow ``Accept-Language``.
    """
    from gateway.partners.services import request_partner_config
    from gateway.scoring.registry import active_scorer, shadow_scorer

    settings: Settings = current_app.extensions["gateway.settings"]
    principal = current_principal()
    db = session()
    with reading(db):  # the active model's version, at most once per refresh interval
        scorer = active_scorer(db)
        shadow = shadow_scorer(db)
    scenario = body["scenario"]
    declared = body["customer"]["declared"] or {}
    device = _device(settings.identifier_pepper, body["device"])
    outcome = services.prequalify(
        db,
        principal.caller,
        request_partner_config(db, principal.partner_id),
        services.PrequalRequest(
            consent_id=body["consent_id"],
            phone=body["customer"]["phone"],
            customer_ref=_bank_ref(principal.partner_id, body["customer"]["customer_ref"]),
            id_number=body["customer"]["id_number"],
            declared=services.Declared(**declared),
            amount=scenario["amount"],
            currency=scenario["currency"],
            scenario_type=scenario["type"],
            scenario_fields={
                k: v for k, v in scenario.items() if k not in ("type", "amount", "currency")
            },
            requested_tenors=body["requested_tenors"],
            product_code=body["product_code"],
            device_hash=device[0],
            ip_hash=device[1],
        ),
        services.Engine(
            pepper=settings.identifier_pepper,
            issuer=_issuer(settings),
            scorer=scorer,
            shadow=shadow,
            offer_ttl=dt.timedelta(minutes=settings.offer_ttl_minutes),
            risk=risk_controls().rules(),
        ),
    )
    if outcome.fail_after_commit:
        fail_after_commit()
    return Presented(
        prequalification_view(
            outcome.prequalification,
            outcome.offers,
            _locale(),
            outcome.prequalification.created_at,
            review=outcome.review,
            pre_approval=outcome.pre_approval,
        )
    )


PrequalificationList = list_schema(PrequalificationSchema, "PrequalificationListSchema")


@bp.get("/v1/prequalifications")
@operation(
    query=listing.PrequalificationListQuerySchema,
    response=PrequalificationList,
    scope="prequalify",
    tags=["prequalification"],
)
def list_prequalifications(query: dict[str, Any]) -> dict[str, Any]:
    """List decisions, newest first, one page at a time (offers as of now).

    Cursor pagination: pass the last id of a page as ``starting_after`` for
    the next (older) page, the first id as ``ending_before`` for the previous.
    """
    principal = current_principal()
    page, offers = listing.list_prequalifications(
        session(), principal.partner_id, principal.environment, query
    )
    now, locale = utcnow(), _locale()
    return page.wire(
        "/v1/prequalifications",
        lambda pq: prequalification_view(pq, offers.get(pq.id, []), locale, now),
    )


@bp.get("/v1/prequalifications/<prequalification_id>")
@operation(response=PrequalificationSchema, scope="prequalify", tags=["prequalification"])
def get_prequalification(prequalification_id: str) -> dict[str, Any]:
    """Read a decision, its offers (statuses as of now) and where its human review stands."""
    principal = current_principal()
    db = session()
    pq, offers = services.get_prequalification(
        db, principal.partner_id, principal.environment, prequalification_id
    )
    review = review_of(db, pq)
    honoured = honoured_for(db, pq.id)
    return Presented(
        prequalification_view(pq, offers, _locale(), utcnow(), review=review, pre_approval=honoured)
    )


@bp.post("/v1/prequalifications/<prequalification_id>/human-review")
@operation(response=PrequalificationSchema, scope="prequalify", tags=["prequalification"])
def request_human_review(prequalification_id: str) -> dict[str, Any]:
    """The customer asks for a person to review the decision (PIPL Art. 24)."""
    principal = current_principal()
    db = session()
    pq, offers = services.get_prequalification(
        db, principal.partner_id, principal.environment, prequalification_id
    )
    services.request_human_review(db, pq, actor=principal.client_id)
    review = review_of(db, pq)
    honoured = honoured_for(db, pq.id)
    return Presented(
        prequalification_view(pq, offers, _locale(), utcnow(), review=review, pre_approval=honoured)
    )


@bp.get("/v1/products")
@operation(
    query=ProductsQuerySchema, response=ProductListSchema, scope="offers:read", tags=["products"]
)
def list_products(query: dict[str, Any]) -> dict[str, Any]:
    """The partner's products and limits, with a "from X/month" teaser; no customer data."""
    from gateway.partners.services import request_partner_config

    principal = current_principal()
    products = request_partner_config(session(), principal.partner_id).products
    data = []
    for product in products:
        if product.currency != query["currency"]:
            continue
        terms = terms_of(product)
        amount = query["amount"] if query["amount"] is not None else terms.min_amount
        quote = teaser(terms, amount)
        data.append(
            {
                "code": product.code,
                "name": {"zh_cn": product.name.zh_cn, "en": product.name.en},
                "currency": product.currency,
                "min_amount": f"{product.min_amount:.2f}",
                "max_amount": f"{product.max_amount:.2f}",
                "tenors": list(product.tenors),
                "repayment_methods": list(product.repayment_methods),
                "teaser": None
                if quote is None
                else {
                    "monthly_payment_from": f"{quote.monthly_payment_from:.2f}",
                    "tenor_months": quote.tenor_months,
                    "apr_from": f"{quote.apr_from:.4f}",
                },
            }
        )
    return {"data": data}
