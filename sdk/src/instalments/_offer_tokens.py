"""Offer tokens: ES256 JWS (``typ: offer+jwt``) checked against the gateway's JWKS.

Sans-I/O: the client fetches ``/.well-known/jwks.json`` into a
:class:`JWKSCache` and refetches it once when a token names a key id the cache
does not hold (the gateway rotated its signing key). Verification itself needs
joserfc, the ``instalments[jwt]`` extra, imported only when a token is checked.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

import pydantic

from . import _constants as constants
from ._exceptions import InstalmentsError, OfferTokenError
from .types import OfferTokenClaims


class JWKSCache:
    """The last JWKS document fetched (shared by a client and its ``with_options`` copies)."""

    def __init__(self) -> None:
        self.document: dict[str, Any] | None = None

    def holds(self, kid: str) -> bool:
        """Whether the cached document has a key with this ``kid``."""
        keys = (self.document or {}).get("keys", [])
        return any(isinstance(key, dict) and key.get("kid") == kid for key in keys)


def offer_token_kid(token: str) -> str:
    """The key id of an offer token, after checking its header (signature not yet checked).

    Raises:
        OfferTokenError: not a compact JWS, not ``typ: offer+jwt``, not ES256, no ``kid``.
    """
    if token.count(".") != 2:
        raise OfferTokenError("not a compact JWS")
    try:
        encoded = token.split(".")[0]
        header = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except (ValueError, binascii.Error) as exc:
        raise OfferTokenError("not a JWS: the header does not decode") from exc
    if not isinstance(header, dict):
        raise OfferTokenError("not a compact JWS: the header is not an object")
    if header.get("typ") != constants.OFFER_TOKEN_TYPE:
        raise OfferTokenError(f"not an offer token: typ is {header.get('typ')!r}")
    if header.get("alg") not in constants.OFFER_TOKEN_ALGORITHMS:
        raise OfferTokenError(f"unexpected algorithm {header.get('alg')!r}")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise OfferTokenError("the offer token names no key id")
    return kid


def verify_offer_token(token: str, jwks: dict[str, Any], now: int) -> OfferTokenClaims:
    """Check the signature against ``jwks`` and the expiry against ``now`` (Unix seconds).

    Returns:
        The token's claims.

    Raises:
        OfferTokenError: unknown key, bad signature, malformed or expired claims.
        InstalmentsError: joserfc is not installed.
    """
    try:
        from joserfc import jwk, jws
        from joserfc.errors import JoseError
    except ImportError as exc:
        raise InstalmentsError(
            "offer token verification needs the jwt extra: pip install 'instalments[jwt]'"
        ) from exc
    kid = offer_token_kid(token)
    try:
        keys = jwk.KeySet.import_key_set(jwks)  # type: ignore[arg-type]
        algorithms = list(constants.OFFER_TOKEN_ALGORITHMS)
        verified = jws.deserialize_compact(token, keys, algorithms=algorithms)
    except JoseError as exc:
        raise OfferTokenError(f"offer token rejected (key {kid!r}): {exc}") from exc
    try:
        claims = OfferTokenClaims.model_validate_json(verified.payload)
    except pydantic.ValidationError as exc:
        raise OfferTokenError("the offer token's claims are malformed") from exc
    if claims.exp <= now:
        raise OfferTokenError("the offer token has expired")
    return claims
