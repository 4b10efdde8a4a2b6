"""DPoP proofs (RFC 9449): verification, server nonces, single use of each ``jti``.

A DPoP proof is a JWT the client signs, per request, with a key of its own
whose public half travels in the proof's ``jwk`` header. It binds:

- ``htm`` and ``htu``: the request's method and URL (no query, no fragment);
- ``iat``: at most :data:`PROOF_MAX_AGE` seconds old, :data:`CLOCK_SKEW` ahead;
- ``jti``: used once per key within that window (stored in the database, so
  every process refuses a replay);
- ``ath``: at a resource, the SHA-256 of the access token it accompanies;
- ``nonce``: when the server asks for one, a value from its ``DPoP-Nonce``
  header (stateless here: a time and an HMAC of it with the secret key, good
  for :data:`NONCE_LIFETIME` seconds).

The token endpoint puts the key's thumbprint (RFC 7638) in the access token
as ``cnf.jkt``; the resource then requires a proof by that very key.
This module knows no HTTP: :mod:`gateway.oauth.dpop_http` maps its errors.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import random
import time
from dataclasses import dataclass
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import JWKRegistry, thumbprint
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway.oauth.models import UsedDPoPProof

# ES256 only: an EC P-256 key fits in the proof's header (an RSA key does not
# fit joserfc's header limit) and EdDSA is deprecated by RFC 9864.
ALGORITHMS = ("ES256",)
PROOF_MAX_AGE = 300
CLOCK_SKEW = 60
NONCE_LIFETIME = 300
MAX_PROOF_LENGTH = 4096
_PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "k", "oth"})


class DPoPError(Exception):
    """A refused proof: ``error`` is ``invalid_dpop_proof`` or ``use_dpop_nonce``."""

    def __init__(self, description: str, error: str = "invalid_dpop_proof") -> None:
        super().__init__(description)
        self.error = error
        self.description = description


@dataclass(frozen=True)
class Proof:
    """A verified proof: the key's thumbprint and the proof's ``jti`` and ``iat``."""

    jkt: str
    jti: str
    iat: int


def b64url(raw: bytes) -> str:
    """Unpadded base64url."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def token_hash(access_token: str) -> str:
    """The ``ath`` of an access token: base64url SHA-256 of its ASCII form."""
    return b64url(hashlib.sha256(access_token.encode("ascii", "replace")).digest())


def jwk_thumbprint(public_jwk: dict[str, Any]) -> str:
    """The RFC 7638 SHA-256 thumbprint of a public JWK (what ``cnf.jkt`` holds)."""
    return str(thumbprint(public_jwk, "sha256"))


def new_nonce(secret: str, now: float | None = None) -> str:
    """A server nonce: its issue time and an HMAC of it."""
    issued = str(int(time.time() if now is None else now))
    mac = hmac.new(secret.encode(), f"dpop-nonce:{issued}".encode(), hashlib.sha256).digest()
    return f"{issued}.{b64url(mac[:18])}"


def nonce_is_fresh(secret: str, nonce: Any, now: float | None = None) -> bool:
    """Whether ``nonce`` is one of ours and younger than :data:`NONCE_LIFETIME`."""
    if not isinstance(nonce, str) or "." not in nonce:
        return False
    issued, _, _mac = nonce.partition(".")
    if not issued.isdigit() or not hmac.compare_digest(new_nonce(secret, int(issued)), nonce):
        return False
    age = (time.time() if now is None else now) - int(issued)
    return -CLOCK_SKEW <= age <= NONCE_LIFETIME


def verify_proof(
    value: str,
    *,
    method: str,
    urls: tuple[str, ...],
    access_token: str | None,
    nonce_secret: str,
    require_nonce: bool,
    now: float | None = None,
) -> Proof:
    """Verify a ``DPoP`` header's proof for this request.

    Args:
        value: the header's value (one compact JWS).
        method: the request's method.
        urls: the URLs this request may be named by (``htu``), without query.
        access_token: at a resource, the token the proof must name (``ath``).
        nonce_secret: the key of server nonces.
        require_nonce: the proof must carry a fresh server nonce.
        now: the current time (tests).

    Returns:
        The key's thumbprint and the proof's ``jti``.

    Raises:
        DPoPError: anything wrong; ``use_dpop_nonce`` when a (fresh) nonce is needed.
    """
    now = time.time() if now is None else now
    header, claims = _verified(value)
    if header.get("typ") != "dpop+jwt":
        raise DPoPError("the proof's typ must be dpop+jwt")
    if not isinstance(claims.get("jti"), str) or not 8 <= len(claims["jti"]) <= 255:
        raise DPoPError("the proof needs a jti of 8 to 255 characters")
    if claims.get("htm") != method:
        raise DPoPError("the proof is for another HTTP method")
    if not isinstance(claims.get("htu"), str) or _strip(claims["htu"]) not in urls:
        raise DPoPError("the proof is for another URL")
    iat = claims.get("iat")
    if not isinstance(iat, int) or isinstance(iat, bool):
        raise DPoPError("the proof needs an integer iat")
    if iat < now - PROOF_MAX_AGE or iat > now + CLOCK_SKEW:
        raise DPoPError("the proof is not fresh (iat)")
    if access_token is not None and claims.get("ath") != token_hash(access_token):
        raise DPoPError("the proof is for another access token (ath)")
    wants_nonce = "nonce" in claims or require_nonce
    if wants_nonce and not nonce_is_fresh(nonce_secret, claims.get("nonce"), now):
        raise DPoPError("a fresh server nonce is required", "use_dpop_nonce")
    return Proof(jwk_thumbprint(header["jwk"]), claims["jti"], iat)


def _verified(value: str) -> tuple[dict[str, Any], dict[str, Any]]:
    if not value or len(value) > MAX_PROOF_LENGTH or value.count(".") != 2:
        raise DPoPError("the DPoP header is not one compact JWS")
    try:
        unverified = jws.extract_compact(value.encode("ascii"))
    except (JoseError, ValueError, UnicodeError):
        raise DPoPError("the DPoP header is not one compact JWS") from None
    header = unverified.protected
    public = header.get("jwk")
    if header.get("alg") not in ALGORITHMS:
        raise DPoPError(f"the proof's alg must be one of {', '.join(ALGORITHMS)}")
    if not isinstance(public, dict) or _PRIVATE_MEMBERS.intersection(public):
        raise DPoPError("the proof's jwk header must hold a public key")
    if {"jku", "x5u", "x5c", "crit"}.intersection(header):
        raise DPoPError("the proof carries a forbidden header")
    try:
        key = JWKRegistry.import_key(public)
        verified = jws.deserialize_compact(value, key, algorithms=[header["alg"]])
        claims = json.loads(verified.payload)
    except (JoseError, ValueError, TypeError):
        raise DPoPError("the proof's signature does not verify") from None
    if not isinstance(claims, dict):
        raise DPoPError("the proof's payload is not a JSON object")
    return dict(header), claims


def _strip(url: str) -> str:
    return url.split("#", 1)[0].split("?", 1)[0]


def remember(session: Session, proof: Proof, now: dt.datetime) -> bool:
    """Record the proof's ``jti`` (committed at once); ``False`` if it was seen before.

    Args:
        session: a session of its own: the use is committed whatever the
            request then does, so a proof is never good twice.
        proof: the verified proof.
        now: the current time.
    """
    digest = hashlib.sha256(f"{proof.jkt}\x1f{proof.jti}".encode()).hexdigest()
    expires = now + dt.timedelta(seconds=PROOF_MAX_AGE + 2 * CLOCK_SKEW)
    if random.random() < 0.01:  # housekeeping, not security
        session.execute(delete(UsedDPoPProof).where(UsedDPoPProof.expires_at < now))
    try:
        with session.begin_nested():
            session.add(UsedDPoPProof(proof_hash=digest, expires_at=expires))
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True
