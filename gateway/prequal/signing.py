"""Offers as rows, ordered for the customer's segment, and the one token that signs them all."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy.orm import Session

from gateway import ids
from gateway.identity import pairwise_customer_ref
from gateway.offers.services import schedule_hash
from gateway.offers.tokens import DECISION_TOKEN_TYPE, decision_claims
from gateway.prequal.pricing import PricedOffer
from gateway.prequal.types import Engine


def order_for(segment: str, offers: Sequence[PricedOffer]) -> list[PricedOffer]:
    """Offers best first for the segment: cheapest overall for the affluent,
    lowest monthly payment for everyone else."""
    if segment == "high_net_worth":
        return sorted(offers, key=lambda o: (o.total_cost, o.tenor_months))
    return sorted(offers, key=lambda o: (o.monthly_payment, o.total_cost))


def schedule_rows(offer: PricedOffer) -> list[dict[str, Any]]:
    return [
        {
            "number": item.number,
            "due_date": item.due_date.isoformat(),
            "payment": str(item.payment),
            "principal": str(item.principal),
            "interest": str(item.interest),
            "fee": str(item.fee),
            "balance_after": str(item.balance_after),
        }
        for item in offer.schedule.instalments
    ]


def offer_row(pq: Mapping[str, Any], rank: int, priced: PricedOffer) -> dict[str, Any]:
    """The offer row of one priced offer (unsigned: its decision's token pins it)."""
    schedule = schedule_rows(priced)
    return {
        "id": ids.new_id("off"),
        "prequalification_id": pq["id"],
        "partner_id": pq["partner_id"],
        "environment": pq["environment"],
        "customer_ref": pq["customer_ref"],
        "consent_id": pq["consent_id"],
        "rank": rank,
        "product_code": priced.product_code,
        "currency": priced.currency,
        "principal": priced.principal,
        "tenor_months": priced.tenor_months,
        "repayment_method": priced.repayment_method,
        "apr": priced.apr,
        "monthly_payment": priced.monthly_payment,
        "total_interest": priced.total_interest,
        "total_fees": priced.total_fees,
        "total_cost": priced.total_cost,
        "total_repayable": priced.total_repayable,
        "merchant_subsidy": priced.merchant_subsidy.amount if priced.merchant_subsidy else None,
        "schedule": schedule,
        "schedule_hash": schedule_hash(schedule),
        "status": "open",
        "void_reason": None,
        "created_at": pq["created_at"],
        "expires_at": pq["expires_at"],
        # Only offers issued before decision tokens carry their own (offer+jwt).
        "token": None,
    }


def signed_decision(
    session: Session, pq: Mapping[str, Any], offers: Sequence[Mapping[str, Any]], engine: Engine
) -> str | None:
    """The decision token pinning every offer: one signature per decision (``None`` if no offer).

    Args:
        session: reads the signing key.
        pq: the decision's ``id``, parties, ``consent_id``, ``created_at`` and
            ``expires_at`` (the offers'); ``partner_customer_ref`` if known.
        offers: the offer rows of :func:`offer_row`, in rank order.
        engine: the issuer, and the pepper that derives the partner's reference.
    """
    from gateway.keys.services import sign

    if not offers:
        return None
    # The partner's reference: kept on its consent, else derived (needs the pepper).
    partner_ref = pq.get("partner_customer_ref") or pairwise_customer_ref(
        engine.pepper, pq["partner_id"], pq["customer_ref"]
    )
    rows = [SimpleNamespace(**offer) for offer in offers]
    claims = decision_claims(pq, rows, engine.issuer, partner_ref)
    return sign(session, claims, typ=DECISION_TOKEN_TYPE)
