"""Per-partner, per-environment ``whsec_`` signing secrets, encrypted at rest.

The gateway must know the secret itself to sign (HMAC), so it is stored
sealed with AES-256-GCM under a key derived from ``Settings.secret_key``
(partner and environment are the associated data). Operations issue or
rotate it with ``gateway webhooks secret PARTNER --env …``, which prints it
once for the partner; after a rotation the previous secret keeps signing
alongside for :data:`ROTATION_OVERLAP`.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy.orm import Session

from gateway.audit.services import record as audit
from gateway.clock import utcnow
from gateway.webhooks.models import WebhookSecret

PREFIX = "whsec_"
ROTATION_OVERLAP = dt.timedelta(hours=24)
_INFO = b"instalments-gateway webhook secrets v1"
_NONCE = 12


def _aead(secret_key: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        secret_key.encode()
    )
    return AESGCM(key)


def _seal(secret_key: str, aad: bytes, raw: bytes) -> bytes:
    nonce = os.urandom(_NONCE)
    return nonce + _aead(secret_key).encrypt(nonce, raw, aad)


def _unseal(secret_key: str, aad: bytes, sealed: bytes) -> bytes:
    return _aead(secret_key).decrypt(sealed[:_NONCE], sealed[_NONCE:], aad)


def _aad(partner_id: str, environment: str) -> bytes:
    return f"{partner_id}/{environment}".encode()


def encode(raw: bytes) -> str:
    """The ``whsec_<base64>`` form partners configure (Standard Webhooks)."""
    return PREFIX + base64.b64encode(raw).decode()


@dataclass(frozen=True)
class SigningKeys:
    """The raw keys that sign a delivery: the current one, then any still-valid previous one."""

    keys: tuple[bytes, ...]


def issue(
    session: Session,
    secret_key: str,
    partner_id: str,
    environment: str,
    *,
    actor: str,
    now: dt.datetime | None = None,
) -> str:
    """Create or rotate the secret; returns the new ``whsec_`` value (shown once).

    Args:
        session: the unit of work (the caller commits).
        secret_key: ``Settings.secret_key`` (seals the secret).
        partner_id: the partner.
        environment: ``sandbox`` or ``live``.
        actor: who issued it, for the audit log.
        now: the current time (tests).

    Returns:
        The secret as the partner configures it.
    """
    now = now or utcnow()
    raw = secrets.token_bytes(32)
    aad = _aad(partner_id, environment)
    row = session.get(WebhookSecret, (partner_id, environment))
    if row is None:
        row = WebhookSecret(
            partner_id=partner_id,
            environment=environment,
            sealed=_seal(secret_key, aad, raw),
            previous_sealed=None,
            previous_until=None,
            created_at=now,
            rotated_at=None,
        )
        session.add(row)
        action = "webhook_secret.issued"
    else:
        row.previous_sealed = row.sealed
        row.previous_until = now + ROTATION_OVERLAP
        row.sealed = _seal(secret_key, aad, raw)
        row.rotated_at = now
        action = "webhook_secret.rotated"
    session.flush()
    audit(
        session,
        action=action,
        actor=actor,
        partner_id=partner_id,
        environment=environment,
        subject=f"{partner_id}/{environment}",
    )
    return encode(raw)


def signing_keys(
    session: Session,
    secret_key: str,
    partner_id: str,
    environment: str,
    now: dt.datetime | None = None,
) -> SigningKeys | None:
    """The keys to sign with now, or ``None`` when no secret was issued."""
    row = session.get(WebhookSecret, (partner_id, environment))
    if row is None:
        return None
    now = now or utcnow()
    aad = _aad(partner_id, environment)
    keys = [_unseal(secret_key, aad, row.sealed)]
    if row.previous_sealed is not None and row.previous_until and now < row.previous_until:
        keys.append(_unseal(secret_key, aad, row.previous_sealed))
    return SigningKeys(tuple(keys))
