"""Sign and verify compact JWS with the gateway's ES256 keys.

Keys live in the database (``signing_keys``), their private halves encrypted
with a key derived from ``Settings.secret_key`` (:mod:`gateway.keys.vault`).
Key material is cached in-process by ``kid`` (a kid's key never changes), so
verification costs one ECDSA check and no query; signing reads which kid is
current (one indexed query) so a rotation by another process is followed at
once, and rolled-back transactions can never leave us signing with a key the
database does not have.

Retired keys stay in the JWKS for :data:`PUBLICATION` after rotation, longer
than anything the gateway signs stays valid, and keep verifying.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from flask import current_app
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.db import table_of
from gateway.errors import DomainError
from gateway.jsonable import json_default
from gateway.keys import vault
from gateway.keys.models import CURRENT, SigningKey

ALGORITHM = "ES256"
MAX_TOKEN_BYTES = 8 * 1024
PUBLICATION = dt.timedelta(days=400)
# Headers that would let a token name its own verification key or demand
# processing we do not do: refused outright (RFC 8725 §3.10, RFC 7515 §4.1.11).
FORBIDDEN_HEADERS = frozenset({"jwk", "jku", "x5u", "x5c", "crit"})


class InvalidToken(DomainError):
    """A token's form, header or signature is not acceptable."""

    code = "invalid_token"
    kind = "unauthenticated"
    title = "Invalid token"


@dataclass(frozen=True)
class _CachedKey:
    kid: str
    public: ECKey
    private: ECKey | None
    retired_at: dt.datetime | None
    # The cryptography key behind ``private``: joserfc's property re-checks
    # its type (an ABC ``isinstance``) on every read, which cost more than
    # the ECDSA operation itself.
    signer: ec.EllipticCurvePrivateKey | None = None


_cache: dict[str, _CachedKey] = {}
_lock = threading.Lock()


def _secret_key() -> str:
    secret: str = current_app.extensions["gateway.settings"].secret_key
    return secret


def _load(session: Session, kid: str, *, private: bool) -> _CachedKey | None:
    cached = _cache.get(kid)
    if cached is not None and (cached.private is not None or not private):
        return cached
    row = session.get(SigningKey, kid)
    if row is None:
        return None
    private_key = None
    if private:
        raw = vault.unseal(_secret_key(), kid, row.private_key_encrypted)
        private_key = ECKey.import_key(raw)
    signer = private_key.private_key if private_key is not None else None
    assert signer is None or isinstance(signer, ec.EllipticCurvePrivateKey)
    entry = _CachedKey(
        kid, ECKey.import_key(row.public_jwk), private_key, row.retired_at, signer=signer
    )
    with _lock:
        _cache[kid] = entry
    return entry


def _new_key(session: Session, slot: str | None) -> SigningKey:
    key = ECKey.generate_key("P-256", private=True)
    kid = key.thumbprint()
    raw = key.private_key
    assert raw is not None
    row = SigningKey(
        kid=kid,
        alg=ALGORITHM,
        slot=slot,
        public_jwk=key.as_dict(private=False),
        private_key_encrypted=vault.seal(_secret_key(), kid, raw),
        created_at=utcnow(),
        retired_at=None,
    )
    session.add(row)
    return row


_CURRENT_KID = "gateway.keys.current_kid"
_CURRENT_KID_SQL = select(table_of(SigningKey).c.kid).where(table_of(SigningKey).c.slot == CURRENT)


def current_kid(session: Session) -> str:
    """The kid new tokens are signed with; the first key is created on first use.

    Args:
        session: the caller's session (the new key is flushed, not committed).

    Returns:
        The current key's ``kid``.
    """
    # A transaction may sign several tokens (a decision and the consent
    # receipt, an access token per grant): look the kid up once per
    # transaction (a rotation committed elsewhere is seen by the next one).
    cached = session.info.get(_CURRENT_KID)
    if cached is not None and cached[0] is session.get_transaction():
        return str(cached[1])
    kid = _find_current_kid(session)
    session.info[_CURRENT_KID] = (session.get_transaction(), kid)
    return kid


def _find_current_kid(session: Session) -> str:
    kid = session.execute(_CURRENT_KID_SQL).scalar()
    if kid is not None:
        return str(kid)
    try:
        with session.begin_nested():
            row = _new_key(session, CURRENT)
        return row.kid
    except IntegrityError:
        # Another process created the first key at the same moment: use theirs.
        found = session.execute(select(SigningKey.kid).where(SigningKey.slot == CURRENT)).scalar()
        if found is None:
            raise
        return found


def sign(session: Session, claims: Mapping[str, Any], *, typ: str) -> str:
    """Sign ``claims`` as a compact JWS with the current key.

    Args:
        session: the caller's session.
        claims: the JSON payload; ``Decimal`` becomes a string, datetimes RFC 3339.
        typ: the ``typ`` header, e.g. ``at+jwt`` or ``decision+jwt``.

    Returns:
        The compact JWS, header ``{"alg": "ES256", "kid": …, "typ": typ}``.
    """
    kid = current_kid(session)
    entry = _load(session, kid, private=True)
    assert entry is not None and entry.signer is not None
    payload = orjson.dumps(
        dict(claims), default=json_default, option=orjson.OPT_PASSTHROUGH_DATETIME
    )
    # RFC 7515 compact serialisation written here, not by joserfc: the
    # generic path costs four times the ECDSA operation itself, on the
    # prequalification's hot path. Verification stays with joserfc.
    signing_input = _header_segment(kid, typ) + b"." + _b64(payload)
    der = entry.signer.sign(signing_input, _ECDSA_SHA256)
    r, s = decode_dss_signature(der)
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return (signing_input + b"." + _b64(signature)).decode("ascii")


_ECDSA_SHA256 = ec.ECDSA(hashes.SHA256())


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


@functools.lru_cache(maxsize=64)
def _header_segment(kid: str, typ: str) -> bytes:
    return _b64(orjson.dumps({"alg": ALGORITHM, "kid": kid, "typ": typ}))


def _b64_json(segment: str) -> Any:
    padded = segment + "=" * (-len(segment) % 4)
    try:
        return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (binascii.Error, UnicodeError, ValueError):
        raise InvalidToken("the token is not a JWS") from None


def read_header(token: str, *, typ: str, max_bytes: int = MAX_TOKEN_BYTES) -> dict[str, Any]:
    """Check a token's size and header against our allowlist, before any key is used.

    ``max_bytes`` is 8 KiB unless the caller expects larger tokens (a decision
    token pins up to a dozen offers).

    Raises:
        InvalidToken: oversized, malformed, wrong ``alg`` or ``typ``, or a
            forbidden header (``jwk``, ``jku``, ``x5u``, ``x5c``, ``crit``).
    """
    if len(token) > max_bytes:
        raise InvalidToken(f"the token is larger than {max_bytes // 1024} KiB")
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        raise InvalidToken("the token is not a compact JWS")
    header = _b64_json(parts[0])
    if not isinstance(header, dict):
        raise InvalidToken("the token header is not an object")
    if header.get("alg") != ALGORITHM:
        raise InvalidToken("the token's algorithm is not allowed")
    if FORBIDDEN_HEADERS.intersection(header):
        raise InvalidToken("the token carries a forbidden header")
    if header.get("typ") not in (typ, f"application/{typ}"):
        raise InvalidToken("the token has the wrong type")
    if not isinstance(header.get("kid"), str):
        raise InvalidToken("the token names no key")
    return header


def verify(
    session: Session, token: str, *, typ: str, max_bytes: int = MAX_TOKEN_BYTES
) -> dict[str, Any]:
    """Verify a compact JWS signed by one of our keys and return its claims.

    Does not check ``exp``, ``aud`` or ``iss``: callers do.

    Args:
        session: used only when the ``kid`` is not cached yet.
        token: the compact JWS.
        typ: the ``typ`` header the token must carry.
        max_bytes: the largest token accepted (8 KiB by default).

    Returns:
        The payload (a JSON object).

    Raises:
        InvalidToken: see :func:`read_header`; also an unknown or expired key,
            a bad signature, or a payload that is not a JSON object.
    """
    header = read_header(token, typ=typ, max_bytes=max_bytes)
    entry = _load(session, header["kid"], private=False)
    if entry is None:
        raise InvalidToken("the token is signed with an unknown key")
    if entry.retired_at is not None and utcnow() - entry.retired_at > PUBLICATION:
        raise InvalidToken("the token is signed with a withdrawn key")
    try:
        signed = jws.deserialize_compact(token, entry.public, algorithms=[ALGORITHM])
    except (JoseError, ValueError):
        raise InvalidToken("the token's signature does not verify") from None
    try:
        claims = json.loads(signed.payload)
    except ValueError:
        raise InvalidToken("the token payload is not JSON") from None
    if not isinstance(claims, dict):
        raise InvalidToken("the token payload is not an object")
    return claims


def public_jwks(session: Session) -> dict[str, Any]:
    """The JWK Set to publish: the current key and keys retired within :data:`PUBLICATION`.

    Args:
        session: the caller's session (creates the first key if there is none).

    Returns:
        ``{"keys": [...]}``, current key first.
    """
    current_kid(session)
    cutoff = utcnow() - PUBLICATION
    rows = session.scalars(
        select(SigningKey)
        .where(or_(SigningKey.slot == CURRENT, SigningKey.retired_at > cutoff))
        .order_by(SigningKey.created_at.desc())
    ).all()
    keys = [
        {**row.public_jwk, "kid": row.kid, "alg": row.alg, "use": "sig"}
        for row in sorted(rows, key=lambda r: r.slot != CURRENT)
    ]
    return {"keys": keys}


def rotate(session: Session, *, actor: str = "system") -> str:
    """Make a new current key; the previous one keeps verifying and stays published.

    Args:
        session: the caller's session (flushed; the caller commits).
        actor: who asked, for the audit log.

    Returns:
        The new key's ``kid``.
    """
    from gateway.audit import services as audit

    now = utcnow()
    previous = session.scalars(
        select(SigningKey).where(SigningKey.slot == CURRENT).with_for_update()
    ).first()
    if previous is not None:
        previous.slot = None
        previous.retired_at = now
        session.flush()
        with _lock:
            _cache.pop(previous.kid, None)
    row = _new_key(session, CURRENT)
    session.flush()
    session.info.pop(_CURRENT_KID, None)
    audit.record(
        session,
        action="key.rotated",
        actor=actor,
        subject=row.kid,
        data={"previous_kid": previous.kid if previous else None, "alg": ALGORITHM},
    )
    return row.kid
