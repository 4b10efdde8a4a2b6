"""Offers made by a review: priced at the reviewer's grade, signed like any other offer.

The rows are the same as a prequalification's (``offers`` table, one per tenor
and repayment method), and the decision's token is signed again over the new
offers (``prequalifications.decision_token``), so a partner accepts them
exactly as it accepts the offers of the original decision. They rely on the
decision's consent: revoking it voids them too. The decision's earlier offers
that are still open are voided as ``superseded``: one purchase, one set of offers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from gateway.consent.pairwise import partner_customer_ref
from gateway.offers.models import Offer
from gateway.prequal.models import Prequalification
from gateway.prequal.pricing import price_offers
from gateway.prequal.signing import offer_row, signed_decision
from gateway.prequal.terms import ProductTerms
from gateway.prequal.types import Engine

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
    """Price and store the offers of an approval, void the decision's open ones, and
    sign the decision again over the new offers (``pq.decision_token``).

    Args:
        session: the decision's unit of work.
        pq: the prequalification reviewed.
        terms: its product's terms.
        grade: the grade the reviewer set (prices follow it).
        amount: the principal approved.
        tenors: the tenors offered.
        issuer: the ``iss`` of the decision token.
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
    # The decision's row, with the review's times: offers start now and last ``ttl``.
    decision = {
        "id": pq.id,
        "partner_id": pq.partner_id,
        "environment": pq.environment,
        "customer_ref": pq.customer_ref,
        # The reference the partner knows (its consent's): the token names it.
        "partner_customer_ref": partner_customer_ref(session, pq.consent_id),
        "consent_id": pq.consent_id,
        "created_at": now,
        "expires_at": now + ttl,
    }
    signer = Engine(pepper="", issuer=issuer, scorer=None)
    rows = [offer_row(decision, int(first_rank or 0) + i, p) for i, p in enumerate(priced)]
    pq.decision_token = signed_decision(session, decision, rows, signer)
    offers = [Offer(**row) for row in rows]
    session.add_all(offers)
    session.flush()
    return offers
