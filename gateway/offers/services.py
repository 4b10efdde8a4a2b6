"""Offers: read, void when consent is withdrawn, sign their terms into a token."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gateway.audit.services import record as audit
from gateway.clock import utcnow
from gateway.errors import NotFound
from gateway.offers.models import Offer
from gateway.tenancy import get_owned
from gateway.webhooks.outbox import emit


class OfferNotFound(NotFound):
    """No such offer for this partner and environment."""

    code = "offer_not_found"


def schedule_hash(schedule: Sequence[dict[str, Any]]) -> str:
    """SHA-256 over the canonical JSON of a schedule (what the token commits to)."""
    # Byte for byte what json.dumps(sort_keys=True, separators=(",", ":")) writes
    # for these ASCII strings and integers, at a fraction of the cost.
    canonical = orjson.dumps(list(schedule), option=orjson.OPT_SORT_KEYS, default=str)
    return "sha256:" + hashlib.sha256(canonical).hexdigest()


def token_claims(offer: Any, issuer: str, partner_customer_ref: str | None) -> dict[str, Any]:
    """The claims an offer token carries: identity, parties, every term, expiry.

    ``customer_ref`` is the partner's pairwise reference
    (:func:`gateway.identity.pairwise_customer_ref`), never the bank's own.
    """
    return {
        "iss": issuer,
        "sub": offer.id,
        "jti": offer.id,
        "iat": int(offer.created_at.timestamp()),
        "exp": int(offer.expires_at.timestamp()),
        "offer_id": offer.id,
        "prequalification_id": offer.prequalification_id,
        "partner_id": offer.partner_id,
        "environment": offer.environment,
        "customer_ref": partner_customer_ref,
        "product_code": offer.product_code,
        "principal": str(offer.principal),
        "currency": offer.currency,
        "tenor_months": offer.tenor_months,
        "repayment_method": offer.repayment_method,
        "apr": str(offer.apr),
        "monthly_payment": str(offer.monthly_payment),
        "total_repayable": str(offer.total_repayable),
        "schedule_hash": offer.schedule_hash,
    }


def get_offer(session: Session, partner_id: str, environment: str, offer_id: str) -> Offer:
    """An offer of this partner and environment.

    Raises:
        OfferNotFound: no such offer here (another tenant's is not found either).
    """
    return get_owned(
        session, Offer, offer_id, partner_id, environment, OfferNotFound("no such offer")
    )


def void_offers_for_consent(
    session: Session, consent_id: str, *, reason: str, actor: str, now: dt.datetime | None = None
) -> list[str]:
    """Void every open offer that relied on a consent; returns their ids.

    Each voided offer gets an ``offer.voided`` webhook in the same transaction.

    Runs in the revocation's transaction, after the consent row is locked, so
    an offer committed by a racing prequalification is seen and voided here.
    """
    from gateway.prequal.presenters import offer_view

    now = now or utcnow()
    ids = list(
        session.scalars(
            select(Offer.id)
            .where(Offer.consent_id == consent_id, Offer.status == "open")
            .with_for_update()
        )
    )
    if not ids:
        return []
    session.execute(
        update(Offer)
        .where(Offer.id.in_(ids), Offer.status == "open")
        .values(status="void", void_reason=reason)
        .execution_options(synchronize_session="fetch")
    )
    offers = session.scalars(select(Offer).where(Offer.id.in_(ids))).all()
    for offer in offers:
        emit(
            session,
            "offer.voided",
            partner_id=offer.partner_id,
            environment=offer.environment,
            resource_id=offer.id,
            obj=offer_view(offer, now),
            now=now,
        )
        audit(
            session,
            action="offer.voided",
            actor=actor,
            partner_id=offer.partner_id,
            environment=offer.environment,
            subject=offer.id,
            data={"reason": reason, "consent_id": consent_id},
        )
    return ids
