"""RFC 9068 JWT access tokens: minting and validating the claims.

Signature, algorithm, ``typ``, key and header checks are
:func:`gateway.keys.services.verify`'s; this module checks the claims.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from gateway.ids import new_id
from gateway.keys import services as keys
from gateway.keys.services import InvalidToken

TOKEN_TYPE = "at+jwt"  # noqa: S105 - the JWT typ, not a secret
MAX_LIFETIME = 3600
# Our own processes' clocks may differ slightly; tokens are ours, so the
# allowance is small (client assertions get 60 s, see gateway.oauth.server).
LEEWAY = 5
_REQUIRED = {
    "iss": str,
    "aud": str,
    "sub": str,
    "client_id": str,
    "scope": str,
    "jti": str,
    "iat": int,
    "exp": int,
    "partner_id": str,
    "environment": str,
}


def audience(issuer: str) -> str:
    """The ``aud`` of access tokens: the API they are for."""
    return f"{issuer}/v1"


def mint(
    session: Session,
    *,
    issuer: str,
    client_id: str,
    partner_id: str,
    environment: str,
    scopes: Iterable[str],
    ttl: int,
    jkt: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """Sign a new access token.

    Args:
        session: the caller's session (for the signing key).
        issuer: our issuer URL.
        client_id: the client the token is for (also ``sub``).
        partner_id: the client's partner.
        environment: ``sandbox`` or ``live``.
        scopes: the granted scopes.
        ttl: lifetime in seconds, capped at one hour.
        jkt: the thumbprint of the client's DPoP key, for a bound token (``cnf``).

    Returns:
        The compact JWS and its claims.
    """
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience(issuer),
        "sub": client_id,
        "client_id": client_id,
        "scope": " ".join(sorted(set(scopes))),
        "jti": new_id("at"),
        "iat": now,
        "exp": now + min(ttl, MAX_LIFETIME),
        "partner_id": partner_id,
        "environment": environment,
    }
    if jkt is not None:
        claims["cnf"] = {"jkt": jkt}
    return keys.sign(session, claims, typ=TOKEN_TYPE), claims


def decode(
    session: Session, token: str, *, issuer: str, check_expiry: bool = True
) -> dict[str, Any]:
    """Verify an access token and its claims.

    Args:
        session: used only to fetch a signing key not cached yet.
        token: the compact JWS.
        issuer: the issuer we expect (ours).
        check_expiry: ``False`` for revocation, where expired tokens are fine.

    Returns:
        The claims.

    Raises:
        InvalidToken: anything wrong, with a reason a developer can act on.
    """
    claims = keys.verify(session, token, typ=TOKEN_TYPE)
    for name, kind in _REQUIRED.items():
        if not isinstance(claims.get(name), kind) or isinstance(claims.get(name), bool):
            raise InvalidToken(f"the token lacks a valid {name!r} claim")
    if claims["iss"] != issuer:
        raise InvalidToken("the token was issued by someone else")
    if claims["aud"] != audience(issuer):
        raise InvalidToken("the token is for another audience")
    if claims["environment"] not in ("sandbox", "live"):
        raise InvalidToken("the token names no environment")
    if claims["sub"] != claims["client_id"]:
        raise InvalidToken("the token's subject is not its client")
    now = time.time()
    if check_expiry and claims["exp"] <= now - LEEWAY:
        raise InvalidToken("the token has expired")
    if claims["iat"] > now + LEEWAY:
        raise InvalidToken("the token was issued in the future")
    if claims["exp"] - claims["iat"] > MAX_LIFETIME:
        raise InvalidToken("the token lives longer than allowed")
    return claims
