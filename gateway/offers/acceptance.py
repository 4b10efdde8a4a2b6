"""Accepting an offer: exactly one application per offer, however often it is retried.

The offer row is locked (``SELECT … FOR UPDATE``) before anything is checked,
so concurrent acceptances of one offer queue on it: the first creates the
application and marks the offer ``accepted``, the rest see that and get
``409 offer_already_accepted``. The unique constraint on
``applications.offer_id`` backs the lock up should any path forget it.
Acceptances of different offers for one customer queue on the customer's
exposure lock instead, and the one that would pass the cap across partners
gets ``409 exposure_limit``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway import ids
from gateway.applications.models import Application
from gateway.applications.schemas import application_view
from gateway.audit.services import record as audit
from gateway.clock import utcnow
from gateway.consent.services import require_active
from gateway.errors import Conflict, DomainError
from gateway.keys.services import InvalidToken, verify
from gateway.offers.models import Offer
from gateway.offers.services import OfferNotFound, token_claims
from gateway.risk.config import DEFAULT_CAP
from gateway.risk.exposure import check_acceptance
from gateway.tenancy import get_owned
from gateway.webhooks.outbox import emit


class OfferExpired(DomainError):
    """The offer's time to accept has passed."""

    code = "offer_expired"
    kind = "gone"
    title = "The offer has expired"


class OfferVoid(Conflict):
    """The offer was voided (consent revoked, or another offer was accepted)."""

    code = "offer_void"
    title = "The offer is void"


class OfferAlreadyAccepted(Conflict):
    """The offer already has its application."""

    code = "offer_already_accepted"
    title = "The offer has already been accepted"


class OfferTokenMismatch(DomainError):
    """The token does not verify, or its terms differ from the offer's."""

    code = "offer_token_mismatch"
    kind = "invalid"
    title = "The offer token does not match the offer"


def _locked_offer(session: Session, partner_id: str, environment: str, offer_id: str) -> Offer:
    return get_owned(
        session, Offer, offer_id, partner_id, environment, OfferNotFound("no such offer"),
        lock=True,
    )  # fmt: skip


def check_token(session: Session, offer: Offer, token: str) -> None:
    """Refuse a token that is not ours, or whose claims differ from the stored offer in any way.

    Raises:
        OfferTokenMismatch: bad signature, wrong type, or any claim changed.
    """
    try:
        claims = verify(session, token, typ="offer+jwt")
    except InvalidToken as exc:
        raise OfferTokenMismatch(f"the offer token is not valid: {exc.detail}") from None
    # The pairwise customer_ref is derived from the offer's own customer and
    # partner (the signature covers it), so it is taken as signed.
    partner_ref = claims.get("customer_ref")
    expected = token_claims(
        offer, str(claims.get("iss", "")), partner_ref if isinstance(partner_ref, str) else None
    )
    changed = sorted(k for k in expected.keys() | claims.keys() if claims.get(k) != expected.get(k))
    if changed:
        raise OfferTokenMismatch(
            "the offer token's terms differ from the offer", extra={"claims": changed}
        )


def accept_offer(
    session: Session,
    *,
    partner_id: str,
    environment: str,
    offer_id: str,
    offer_token: str,
    credit_inquiry_consent_id: str,
    actor: str,
    now: dt.datetime | None = None,
    exposure_cap: Decimal = DEFAULT_CAP,
) -> Application:
    """Turn an open offer into a ``submitted`` application (the caller commits).

    Args:
        session: the unit of work.
        partner_id: the accepting partner.
        environment: ``sandbox`` or ``live``.
        offer_id: the offer.
        offer_token: the token as the partner received it.
        credit_inquiry_consent_id: the customer's ``credit_inquiry`` consent.
        actor: the client acting, for the audit log.
        now: the current time (tests).
        exposure_cap: the most one customer may owe across partners
            (``risk_rules.yaml``), checked under the customer's lock.

    Returns:
        The new application; its ``application.submitted`` webhook is in the outbox.

    Raises:
        OfferNotFound: no such offer for this partner and environment.
        OfferVoid: the offer was voided.
        OfferAlreadyAccepted: the offer already has an application.
        OfferExpired: the offer is past its expiry.
        OfferTokenMismatch: the token does not verify or its terms were changed.
        ConsentRequired: no active ``credit_inquiry`` consent of this customer.
        ExposureLimit: the customer's credit across partners would pass the cap.
    """
    now = now or utcnow()
    offer = _locked_offer(session, partner_id, environment, offer_id)
    if offer.status == "void":
        raise OfferVoid(f"the offer is void ({offer.void_reason})")
    if offer.status == "accepted":
        raise OfferAlreadyAccepted("this offer already has an application")
    if offer.status_at(now) == "expired":
        raise OfferExpired("the offer has expired; ask for a new prequalification")
    check_token(session, offer, offer_token)
    consent = require_active(
        session,
        partner_id=partner_id,
        environment=environment,
        customer_ref=offer.customer_ref,
        purpose="credit_inquiry",
        consent_id=credit_inquiry_consent_id,
        lock=True,
        now=now,
    )
    # Two partners accepting for one customer at once queue here (gateway/risk/exposure.py).
    check_acceptance(
        session,
        customer_ref=offer.customer_ref,
        environment=environment,
        principal=offer.principal,
        cap=exposure_cap,
    )
    application = Application(
        id=ids.new_id("app"),
        offer_id=offer.id,
        prequalification_id=offer.prequalification_id,
        partner_id=partner_id,
        environment=environment,
        customer_ref=offer.customer_ref,
        credit_inquiry_consent_id=consent.id,
        status="submitted",
        currency=offer.currency,
        principal=offer.principal,
        underwriting_decision=None,
        decision_reasons=[],
        funded_amount=None,
        outstanding_principal=None,
        refunded_amount=Decimal("0.00"),
        schedule=None,
        cancel_reason=None,
        created_at=now,
        updated_at=now,
        review_started_at=None,
        decided_at=None,
        funded_at=None,
        cancelled_at=None,
    )
    offer.status = "accepted"
    session.add(application)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise OfferAlreadyAccepted("this offer already has an application") from None
    # One purchase, one loan: the customer's other offers for it can no longer be taken.
    session.execute(
        update(Offer)
        .where(
            Offer.prequalification_id == offer.prequalification_id,
            Offer.id != offer.id,
            Offer.status == "open",
        )
        .values(status="void", void_reason="superseded")
        .execution_options(synchronize_session="fetch")
    )
    audit(
        session,
        action="offer.accepted",
        actor=actor,
        partner_id=partner_id,
        environment=environment,
        subject=offer.id,
        data={
            "application_id": application.id,
            "credit_inquiry_consent_id": consent.id,
            "customer_ref": offer.customer_ref,
            "principal": str(offer.principal),
            "tenor_months": offer.tenor_months,
            "schedule_hash": offer.schedule_hash,
        },
    )
    emit(
        session,
        "application.submitted",
        partner_id=partner_id,
        environment=environment,
        resource_id=application.id,
        obj=application_view(application),
        now=now,
    )
    return application
