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
from gateway.offers.models import Offer
from gateway.offers.services import OfferNotFound
from gateway.offers.tokens import check_decision_token, check_offer_token
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


class AcceptanceTokenRequired(DomainError):
    """Not exactly one of ``decision_token`` and ``offer_token`` fits this offer."""

    code = "bad_request"
    kind = "invalid"
    title = "Send the decision token"


def _locked_offer(session: Session, partner_id: str, environment: str, offer_id: str) -> Offer:
    return get_owned(
        session, Offer, offer_id, partner_id, environment, OfferNotFound("no such offer"),
        lock=True,
    )  # fmt: skip


def check_acceptance_token(
    session: Session, offer: Offer, decision_token: str | None, offer_token: str | None
) -> None:
    """Check the token the partner sent: the decision's, or (deprecated) the offer's own.

    An offer stored with an ``offer+jwt`` (issued before decision tokens) may
    be accepted with it; any offer with its decision's token.

    Raises:
        AcceptanceTokenRequired: neither or both given, or an ``offer_token``
            for an offer that never had one (``field`` names the one at fault).
        DecisionTokenMismatch: see :func:`gateway.offers.tokens.check_decision_token`.
        OfferTokenMismatch: see :func:`gateway.offers.tokens.check_offer_token`.
    """
    if (decision_token is None) == (offer_token is None):
        raise AcceptanceTokenRequired(
            "give exactly one of decision_token or offer_token (deprecated)",
            field="decision_token",
        )
    if decision_token is not None:
        check_decision_token(session, offer, decision_token)
    elif offer.token is None:
        raise AcceptanceTokenRequired(
            "this offer has no offer token: accept it with its prequalification's decision_token",
            field="offer_token",
        )
    else:
        check_offer_token(session, offer, str(offer_token))


def accept_offer(
    session: Session,
    *,
    partner_id: str,
    environment: str,
    offer_id: str,
    credit_inquiry_consent_id: str,
    decision_token: str | None = None,
    offer_token: str | None = None,
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
        credit_inquiry_consent_id: the customer's ``credit_inquiry`` consent.
        decision_token: the prequalification's ``decision_token`` as received.
        offer_token: deprecated: the offer's own token, for offers issued with one.
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
        AcceptanceTokenRequired: not exactly one token, or an offer_token for
            an offer that has none.
        DecisionTokenMismatch: the decision token does not verify, is another
            decision's, or pins other terms.
        OfferTokenMismatch: the offer token does not verify or its terms were changed.
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
    check_acceptance_token(session, offer, decision_token, offer_token)
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
