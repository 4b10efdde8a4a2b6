"""How decisions and offers look on the wire (docs/resources.md).

The presenters read attributes only, so they take the ORM objects or the
attribute views :func:`gateway.prequal.services.prequalify` returns of the
rows it inserted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from gateway.campaigns.checkout import view as campaign_view
from gateway.offers.models import offer_status
from gateway.reviews.presenters import human_review_view


def money(value: Any) -> str | None:
    """A Decimal as a two-place string (``None`` stays ``None``)."""
    return None if value is None else f"{value:.2f}"


def offer_view(offer: Any, now: dt.datetime) -> dict[str, Any]:
    """An offer with every term and its schedule (``offer_token``: only older offers have one)."""
    return {
        "id": offer.id,
        "prequalification_id": offer.prequalification_id,
        "status": offer_status(offer.status, offer.expires_at, now),
        "void_reason": offer.void_reason,
        "product_code": offer.product_code,
        "currency": offer.currency,
        "principal": money(offer.principal),
        "tenor_months": offer.tenor_months,
        "repayment_method": offer.repayment_method,
        "apr": f"{offer.apr:.4f}",
        "monthly_payment": money(offer.monthly_payment),
        "total_interest": money(offer.total_interest),
        "total_fees": money(offer.total_fees),
        "total_cost": money(offer.total_cost),
        "total_repayable": money(offer.total_repayable),
        "merchant_subsidy": money(offer.merchant_subsidy),
        "schedule": offer.schedule,
        "expires_at": offer.expires_at,
        "offer_token": offer.token,
    }


def prequalification_view(
    pq: Any,
    offers: Sequence[Any],
    locale: str,
    now: dt.datetime,
    review: Any | None = None,
    pre_approval: Any = None,
) -> dict[str, Any]:
    """A decision: offers when approved, reasons when not; never the score.

    ``review`` is the decision's review case, if it has one: ``human_review``
    then says where the review stands and, once decided, what came of it.
    ``pre_approval`` is the campaign pre-approval the decision honoured, if any.
    """
    key = "zh-CN" if locale.lower().startswith("zh") else "en"
    return {
        "id": pq.id,
        "status": pq.status,
        "created_at": pq.created_at,
        "expires_at": pq.expires_at,
        "consent_id": pq.consent_id,
        "currency": pq.currency,
        "requested_amount": money(pq.requested_amount),
        "approved_amount": money(pq.approved_amount),
        "upfront_payment": money(pq.upfront_payment),
        "decision_token": pq.decision_token,
        "offers": [offer_view(o, now) for o in offers],
        "reasons": [{"code": r["code"], "message": r[key], "locale": key} for r in pq.reasons],
        "human_review": human_review_view(pq, review, key),
        **campaign_view(pre_approval),
    }
