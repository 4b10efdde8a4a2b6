"""Signed tokens (``decision+jwt``, and the deprecated ``offer+jwt``) checked against JWKS.

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


def token_kid(token: str, typ: str, error: type[OfferTokenError] = OfferTokenError) -> str:
    """The key id of a token, after checking its header (signature not yet checked).

    Raises:
        OfferTokenError: (or ``error``) not a compact JWS, not ``typ``, not ES256, no ``kid``.
    """
    name = typ.split("+")[0]
    if token.count(".") != 2:
        raise error("not a compact JWS")
    try:
        encoded = token.split(".")[0]
        header = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except (ValueError, binascii.Error) as exc:
        raise error("not a JWS: the header does not decode") from exc
    if not isinstance(header, dict):
        raise error("not a compact JWS: the header is not an object")
    if header.get("typ") != typ:
        raise error(f"not an {name} token: typ is {header.get('typ')!r}")
    if header.get("alg") not in constants.OFFER_TOKEN_ALGORITHMS:
        raise error(f"unexpected algorithm {header.get('alg')!r}")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise error(f"the {name} token names no key id")
    return kid


def verified_payload(
    token: str, jwks: dict[str, Any], typ: str, error: type[OfferTokenError] = OfferTokenError
) -> bytes:
    """The payload of a token whose header and ES256 signature check out against ``jwks``.

    Raises:
        OfferTokenError: (or ``error``) bad header, unknown key, bad signature.
        InstalmentsError: joserfc is not installed.
    """
    try:
        from joserfc import jwk, jws
        from joserfc.errors import JoseError
    except ImportError as exc:
        raise InstalmentsError(
            "token verification needs the jwt extra: pip install 'instalments[jwt]'"
        ) from exc
    kid = token_kid(token, typ, error)
    try:
        keys = jwk.KeySet.import_key_set(jwks)  # type: ignore[arg-type]
        algorithms = list(constants.OFFER_TOKEN_ALGORITHMS)
        verified = jws.deserialize_compact(token, keys, algorithms=algorithms)
    except JoseError as exc:
        raise error(f"{typ.split('+')[0]} token rejected (key {kid!r}): {exc}") from exc
    return verified.payload


def offer_token_kid(token: str) -> str:
    """The key id of an offer token, after checking its header (signature not yet checked).

    Raises:
        OfferTokenError: not a compact JWS, not ``typ: offer+jwt``, not ES256, no ``kid``.
    """
    return token_kid(token, constants.OFFER_TOKEN_TYPE)


def verify_offer_token(token: str, jwks: dict[str, Any], now: int) -> OfferTokenClaims:
    """Check an offer token's signature against ``jwks`` and its expiry against ``now``.

    Offer tokens are deprecated: the gateway now signs each decision once
    (:func:`instalments.verify_decision_token`); offers issued before carry one.

    Returns:
        The token's claims.

    Raises:
        OfferTokenError: unknown key, bad signature, malformed or expired claims.
        InstalmentsError: joserfc is not installed.
    """
    payload = verified_payload(token, jwks, constants.OFFER_TOKEN_TYPE)
    try:
        claims = OfferTokenClaims.model_validate_json(payload)
    except pydantic.ValidationError as exc:
        raise OfferTokenError("the offer token's claims are malformed") from exc
    if claims.exp <= now:
        raise OfferTokenError("the offer token has expired")
    return claims
