"""Stored decisions: read one, count a customer's recent ones, record a review request, export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import bindparam, func, literal, or_, select
from sqlalchemy.orm import Session

from gateway.audit.services import record as audit
from gateway.clock import utcnow
from gateway.db import table_of
from gateway.offers.models import Offer
from gateway.partners.services import get_partner
from gateway.prequal.models import Prequalification
from gateway.prequal.types import PrequalificationNotFound
from gateway.reviews.services import open_case
from gateway.tenancy import get_owned

OFFERING = ("approved", "partially_approved")


_prequalifications = table_of(Prequalification)
_RECENT_OFFERS = (
    select(func.count())
    .select_from(_prequalifications)
    .where(
        _prequalifications.c.customer_ref == bindparam("ref"),
        _prequalifications.c.environment == bindparam("environment"),
        # Two literal comparisons, not IN (...): an expanding IN would be
        # re-rendered on every execution instead of coming from the cache.
        or_(*(_prequalifications.c.status == literal(status) for status in OFFERING)),
        _prequalifications.c.created_at > bindparam("since"),
    )
)


def recent_offer_count(session: Session, ref: str, environment: str, now: dt.datetime) -> int:
    """Prequalifications with offers for this customer in the last 30 days, all partners."""
    since = now - dt.timedelta(days=30)
    count = session.execute(
        _RECENT_OFFERS, {"ref": ref, "environment": environment, "since": since}
    ).scalar()
    return int(count or 0)


def get_prequalification(
    session: Session, partner_id: str, environment: str, prequalification_id: str
) -> tuple[Prequalification, list[Offer]]:
    """A prequalification of this partner and environment, with its offers by rank.

    Raises:
        PrequalificationNotFound: not found here (another tenant's is not found either).
    """
    pq = get_owned(
        session, Prequalification, prequalification_id, partner_id, environment,
        PrequalificationNotFound("no such prequalification"),
    )  # fmt: skip
    offers = list(
        session.scalars(
            select(Offer).where(Offer.prequalification_id == pq.id).order_by(Offer.rank)
        )
    )
    return pq, offers


def request_human_review(
    session: Session, pq: Prequalification, *, actor: str, now: dt.datetime | None = None
) -> Prequalification:
    """Record the customer's request for a person to review the decision (PIPL Art. 24).

    A declined or partially approved decision gets a review case
    (:mod:`gateway.reviews`); a referral already has one.
    """
    if pq.human_review_requested_at is None:
        pq.human_review_requested_at = now or utcnow()
        audit(
            session,
            action="prequalification.review_requested",
            actor=actor,
            partner_id=pq.partner_id,
            environment=pq.environment,
            subject=pq.id,
            data={"decision": pq.status},
        )
        session.flush()
        # The promise is kept by a person: the request opens a review case.
        settings = get_partner(session, pq.partner_id).config.review
        open_case(session, pq, settings, actor=actor, now=pq.human_review_requested_at)
    return pq


def decisions_of_customer(session: Session, customer_ref: str) -> Iterator[dict[str, Any]]:
    """Every decision about a customer, for the customer's own export (PIPL Art. 45)."""
    rows = session.scalars(
        select(Prequalification)
        .where(Prequalification.customer_ref == customer_ref)
        .order_by(Prequalification.created_at)
    )
    for pq in rows:
        yield {
            "id": pq.id,
            "partner_id": pq.partner_id,
            "environment": pq.environment,
            "decided_at": pq.created_at.isoformat(),
            "consent_id": pq.consent_id,
            "decision": pq.status,
            "grade": pq.grade,
            "score_band": pq.score_band,
            "model_version": pq.model_version,
            "inputs_hash": pq.inputs_hash,
            "requested_amount": str(pq.requested_amount),
            "approved_amount": str(pq.approved_amount) if pq.approved_amount else None,
            "reasons": [r["code"] for r in pq.reasons],
            "human_review_requested_at": (
                pq.human_review_requested_at.isoformat() if pq.human_review_requested_at else None
            ),
        }
