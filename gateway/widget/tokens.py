"""Client tokens: what a checkout session lets the customer's browser do.

A client token is a JWS (``typ: widget+jwt``) signed with the gateway's
current key. It names its session, partner, environment, basket and the one
origin it may be used from, and lives fifteen minutes. Its ``typ`` and
audience differ from access tokens', so the ``/v1`` API refuses it outright.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from gateway.errors import DomainError
from gateway.keys import services as keys
from gateway.keys.services import InvalidToken
from gateway.tenancy import belongs_to
from gateway.widget.models import CheckoutSession

TOKEN_TYPE = "widget+jwt"  # noqa: S105 - the JWT typ, not a secret
LIFETIME = dt.timedelta(minutes=15)
LEEWAY = 5  # seconds of clock difference between our own processes


class ClientTokenRefused(DomainError):
    """The client token is missing, malformed, expired or not for this session."""

    code = "invalid_client_token"
    kind = "unauthenticated"
    title = "The client token is not valid"


class OriginRefused(DomainError):
    """The request comes from an origin the session does not allow."""

    code = "origin_not_allowed"
    kind = "forbidden"
    title = "This origin may not use the client token"


def audience(issuer: str) -> str:
    """The ``aud`` of client tokens (never the API's)."""
    return f"{issuer}/widget"


def mint(session: Session, checkout: CheckoutSession, *, issuer: str) -> str:
    """Sign the client token of a checkout session.

    Args:
        session: the caller's session (for the signing key).
        checkout: the stored checkout session.
        issuer: our issuer URL.

    Returns:
        The compact JWS.
    """
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience(issuer),
        "sub": checkout.id,
        "jti": checkout.id,
        "partner_id": checkout.partner_id,
        "environment": checkout.environment,
        "origin": checkout.allowed_origin,
        "amount": checkout.amount,
        "currency": checkout.currency,
        "scenario": checkout.scenario,
        "iat": int(checkout.created_at.timestamp()),
        "exp": int(checkout.expires_at.timestamp()),
    }
    return keys.sign(session, claims, typ=TOKEN_TYPE)


def authenticate(
    session: Session,
    token: str | None,
    *,
    session_id: str,
    origin: str | None,
    issuer: str,
    now: dt.datetime,
) -> CheckoutSession:
    """The checkout session a request from the browser may act on.

    Args:
        session: the request's session.
        token: the bearer client token (``None`` when absent).
        session_id: the session the URL names.
        origin: the request's ``Origin`` header.
        issuer: our issuer URL.
        now: the current time.

    Returns:
        The checkout session.

    Raises:
        ClientTokenRefused: no token, a bad or expired one, or one for another session.
        OriginRefused: the request did not come from the session's allowed origin.
    """
    if not token:
        raise ClientTokenRefused("a client token is required (Authorization: Bearer …)")
    try:
        claims = keys.verify(session, token, typ=TOKEN_TYPE)
    except InvalidToken as exc:
        raise ClientTokenRefused(exc.detail) from None
    if claims.get("iss") != issuer or claims.get("aud") != audience(issuer):
        raise ClientTokenRefused("the client token was issued for another gateway")
    exp = claims.get("exp")
    if not isinstance(exp, int) or exp <= now.timestamp() - LEEWAY:
        raise ClientTokenRefused("the client token has expired; create a new checkout session")
    if claims.get("sub") != session_id:
        raise ClientTokenRefused("the client token belongs to another checkout session")
    checkout = session.get(CheckoutSession, session_id)
    if checkout is None or not belongs_to(
        checkout, claims.get("partner_id"), claims.get("environment")
    ):
        raise ClientTokenRefused("the client token's checkout session does not exist")
    if origin != checkout.allowed_origin or claims.get("origin") != checkout.allowed_origin:
        raise OriginRefused(f"requests must come from {checkout.allowed_origin}")
    return checkout
