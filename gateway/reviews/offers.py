"""Offers made by a review: priced at the reviewer's grade, signed like any other offer.

The rows are the same as a prequalification's (``offers`` table, one per tenor
and repayment method, a token over every term), so a partner accepts them
exactly as it accepts the offers of the original decision. They rely on the
decision's consent: revoking it voids them too. The decision's earlier offers
that are still open are voided as ``superseded``: one purchase, one set of offers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from gateway import ids
from gateway.keys.services import sign
from gateway.offers.models import Offer
from gateway.offers.services import schedule_hash, token_claims
from gateway.prequal.models import Prequalification
from gateway.prequal.pricing import PricedOffer, price_offers
from gateway.prequal.terms import ProductTerms

CHINA = dt.timezone(dt.timedelta(hours=8))


def make_offers(
    session: Session,
    pq: Prequalification,
    terms: ProductTerms,
    *,
    grade: str,
    amount: Decimal,
    tenors: Sequence[int],
    issuer: str,
    ttl: dt.timedelta,
    now: dt.datetime,
) -> list[Offer]:
    """Price, sign and store the offers of an approval; void the decision's open ones.

    Args:
        session: the decision's unit of work.
        pq: the prequalification reviewed.
        terms: its product's terms.
        grade: the grade the reviewer set (prices follow it).
        amount: the principal approved.
        tenors: the tenors offered.
        issuer: the ``iss`` of the offer tokens.
        ttl: how long the offers can be accepted.
        now: the decision time (offers start now; schedules from today in China).

    Returns:
        The new offers, lowest monthly payment first.
    """
    session.execute(
        update(Offer)
        .where(Offer.prequalification_id == pq.id, Offer.status == "open")
        .values(status="void", void_reason="superseded")
        .execution_options(synchronize_session="fetch")
    )
    first_rank = session.scalar(
        select(func.coalesce(func.max(Offer.rank) + 1, 0)).where(Offer.prequalification_id == pq.id)
    )
    priced = sorted(
        price_offers(terms, grade, amount, tenors, now.astimezone(CHINA).date()),
        key=lambda o: (o.monthly_payment, o.total_cost),
    )
    offers = [
        _offer(session, pq, int(first_rank or 0) + i, p, issuer, now, now + ttl)
        for i, p in enumerate(priced)
    ]
    session.add_all(offers)
    session.flush()
    return offers


def _offer(
    session: Session,
    pq: Prequalification,
    rank: int,
    priced: PricedOffer,
    issuer: str,
    now: dt.datetime,
    expires_at: dt.datetime,
) -> Offer:
    schedule = [
        {
            "number": item.number,
            "due_date": item.due_date.isoformat(),
            "payment": str(item.payment),
            "principal": str(item.principal),
            "interest": str(item.interest),
            "fee": str(item.fee),
            "balance_after": str(item.balance_after),
        }
        for item in priced.schedule.instalments
    ]
    values: dict[str, Any] = {
        "id": ids.new_id("off"),
        "prequalification_id": pq.id,
        "partner_id": pq.partner_id,
        "environment": pq.environment,
        "customer_ref": pq.customer_ref,
        "consent_id": pq.consent_id,
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
        "created_at": now,
        "expires_at": expires_at,
    }
    values["token"] = sign(
        session, token_claims(SimpleNamespace(**values), issuer), typ="offer+jwt"
    )
    return Offer(**values)
