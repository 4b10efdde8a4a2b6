"""Checkout sessions and what the widget does within one.

The partner's server creates a session for one basket and one page origin;
the widget then, on the customer's behalf and only within that session,
records consents (binding the session to the customer), asks for a
prequalification, may ask for a human review of a decline, and selects an
offer. Accepting the offer stays with the partner's server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from gateway import ids
from gateway.consent import services as consent
from gateway.errors import NotFound, ValidationFailed
from gateway.identity import customer_ref, normalise_phone
from gateway.offers.models import Offer
from gateway.prequal import services as prequal
from gateway.prequal.models import Prequalification
from gateway.prequal.sandbox import persona_for
from gateway.widget import tokens
from gateway.widget.models import CheckoutSession

PURPOSE_COLUMNS = {
    "prequalification": "prequalification_consent_id",
    "credit_inquiry": "credit_inquiry_consent_id",
    "marketing": "marketing_consent_id",
}


class CheckoutSessionNotFound(NotFound):
    """No such checkout session for this partner and environment."""

    code = "checkout_session_not_found"


@dataclass(frozen=True)
class NewSession:
    """What the partner's server asks for."""

    amount: Decimal
    currency: str
    scenario: str
    allowed_origin: str
    merchant_order_ref: str | None = None


@dataclass(frozen=True)
class Created:
    """A stored session and its client token."""

    checkout: CheckoutSession
    client_token: str


def actor(checkout: CheckoutSession) -> str:
    """Who the audit log says acted: the customer, through this session's widget."""
    return f"widget:{checkout.id}"


def create_session(
    session: Session,
    caller: prequal.Caller,
    partner_config: Any,
    request: NewSession,
    *,
    issuer: str,
    now: dt.datetime,
) -> Created:
    """Create a checkout session and sign its client token (valid 15 minutes).

    Args:
        session: the unit of work (the caller commits).
        caller: the partner, environment and client creating it.
        partner_config: the partner's validated ``PartnerConfig``.
        request: basket, scenario and the page's origin.
        issuer: our issuer URL.
        now: the current time.

    Returns:
        The session and its client token.

    Raises:
        ValidationFailed: ``allowed_origin`` is not one of the partner's origins
            for this environment, or ``scenario`` is not the partner's.
    """
    environment = partner_config.environment(caller.environment)
    origins: Sequence[str] = environment.allowed_origins if environment is not None else ()
    errors: dict[str, str] = {}
    if request.allowed_origin not in origins:
        listed = ", ".join(origins) or "none configured"
        errors["allowed_origin"] = f"is not one of this partner's allowed origins ({listed})"
    if request.scenario != partner_config.scenario:
        errors["scenario"] = f"this partner's scenario is {partner_config.scenario!r}"
    if errors:
        raise ValidationFailed(errors)
    checkout = CheckoutSession(
        id=ids.new_id("cs"),
        partner_id=caller.partner_id,
        environment=caller.environment,
        client_id=caller.actor,
        amount=request.amount,
        currency=request.currency,
        scenario=request.scenario,
        allowed_origin=request.allowed_origin,
        merchant_order_ref=request.merchant_order_ref,
        created_at=now,
        expires_at=now + tokens.LIFETIME,
    )
    session.add(checkout)
    session.flush()
    return Created(checkout, tokens.mint(session, checkout, issuer=issuer))


def record_consents(
    session: Session,
    checkout: CheckoutSession,
    *,
    phone: str,
    grants: Sequence[consent.Grant],
    evidence: consent.Evidence,
    partner_names: Mapping[str, str],
    pepper: str,
    policy: consent.ConsentPolicy,
    issuer: str,
) -> consent.RecordedConsents:
    """Record what the customer ticked in the widget, and bind the session to them.

    The phone is hashed by the consent service and dropped; the session keeps
    the customer reference (and, in the sandbox, the test persona).

    Args:
        session: the unit of work (the caller commits).
        checkout: the authenticated session.
        phone: the phone the customer typed into the widget.
        grants: one per ticked purpose.
        evidence: captured by the widget route (channel ``widget``).
        partner_names: the partner's display names, for the receipt.
        pepper: keys customer references.
        policy: consent lifetimes and notice grace.
        issuer: our issuer URL, for the receipt.

    Returns:
        The consents and their signed receipt.

    Raises:
        ValidationFailed: bad grants or phone, or a phone other than the
            session's customer.
    """
    normalised = normalise_phone(phone, field="phone")
    # Once bound, the session belongs to one customer: a second phone would
    # let one token gather decisions about several people.
    if checkout.customer_ref not in (None, customer_ref(pepper, normalised)):
        raise ValidationFailed({"phone": "is not the customer of this checkout session"})
    tenant = consent.Tenant(
        partner_id=checkout.partner_id,
        environment=checkout.environment,
        actor=actor(checkout),
        partner_names=partner_names,
    )
    recorded = consent.record_consents(
        session,
        tenant,
        pepper=pepper,
        phone=normalised,
        id_number=None,
        grants=grants,
        evidence=evidence,
        policy=policy,
        issuer=issuer,
        now=evidence.captured_at,
    )
    for granted in recorded.consents:
        setattr(checkout, PURPOSE_COLUMNS[granted.purpose], granted.id)
        checkout.customer_ref = granted.customer_ref
    checkout.sandbox_persona = persona_for(checkout.environment, normalised)
    session.flush()
    return recorded


def prequalify(
    session: Session,
    checkout: CheckoutSession,
    partner_config: Any,
    engine: prequal.Engine,
    *,
    now: dt.datetime,
    device_hash: str | None = None,
    ip_hash: str | None = None,
) -> tuple[Prequalification, list[Offer]]:
    """The session's decision: made once, then the same answer on every call.

    Args:
        session: the unit of work (the caller commits).
        checkout: the authenticated session.
        partner_config: the partner's validated ``PartnerConfig``.
        engine: pepper, issuer, scorer and offer lifetime.
        now: the current time.
        device_hash: the browser's device fingerprint, already hashed.
        ip_hash: the browser's IP address, already hashed.

    Returns:
        The decision and its offers.

    Raises:
        ConsentRequired: the customer has not given ``prequalification`` consent here.
    """
    if checkout.prequalification_id is not None:
        return decision_of(session, checkout)
    if checkout.prequalification_consent_id is None or checkout.customer_ref is None:
        raise consent.ConsentRequired("the prequalification consent has not been given")
    outcome = prequal.prequalify(
        session,
        prequal.Caller(checkout.partner_id, checkout.environment, actor(checkout)),
        partner_config,
        prequal.PrequalRequest(
            consent_id=checkout.prequalification_consent_id,
            phone=None,
            customer_ref=checkout.customer_ref,
            persona=checkout.sandbox_persona,  # type: ignore[arg-type]
            amount=checkout.amount,
            currency=checkout.currency,
            scenario_type=checkout.scenario,
            scenario_fields={"merchant_order_ref": checkout.merchant_order_ref},
            device_hash=device_hash,
            ip_hash=ip_hash,
        ),
        engine,
        now=now,
    )
    checkout.prequalification_id = outcome.prequalification.id
    session.flush()
    return outcome.prequalification, outcome.offers


def decision_of(
    session: Session, checkout: CheckoutSession
) -> tuple[Prequalification, list[Offer]]:
    """The session's prequalification and offers.

    Raises:
        PrequalificationNotFound: the session has none yet.
    """
    if checkout.prequalification_id is None:
        raise prequal.PrequalificationNotFound("this checkout session has no decision yet")
    return prequal.get_prequalification(
        session, checkout.partner_id, checkout.environment, checkout.prequalification_id
    )


def request_human_review(
    session: Session, checkout: CheckoutSession
) -> tuple[Prequalification, list[Offer]]:
    """The customer asks a person to review the session's decision.

    Raises:
        PrequalificationNotFound: the session has no decision yet.
    """
    pq, offers = decision_of(session, checkout)
    prequal.request_human_review(session, pq, actor=actor(checkout))
    return pq, offers
