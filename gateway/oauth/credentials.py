"""Client credentials: issue, rotate, check. Secrets are shown once and stored as scrypt hashes.

A secret is 256 random bits. It is hashed with scrypt (N=2^14, r=8, p=1,
16-byte salt): a stolen database does not yield working secrets, and each
guess against the token endpoint costs the guesser, while the lockout in
:mod:`gateway.oauth.ratelimit` bounds how many guesses there can be.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.errors import Conflict, NotFound
from gateway.ids import new_id
from gateway.oauth.models import OAuthClient
from gateway.partners import services as partners

SECRET_BYTES = 32
DEFAULT_GRACE = dt.timedelta(hours=24)
_N, _R, _P = 2**14, 8, 1


class NotConfigured(Conflict):
    """The partner's config has no such environment."""

    code = "environment_not_configured"


@dataclass(frozen=True)
class IssuedCredentials:
    """What the operator hands to the partner, once."""

    client_id: str
    client_secret: str | None
    environment: str
    token_endpoint_auth_method: str


def generate_secret() -> str:
    """A new client secret: 256 random bits, URL-safe."""
    return "gws_" + secrets.token_urlsafe(SECRET_BYTES)


def hash_secret(secret: str) -> str:
    """The stored form of a secret: ``scrypt$N$r$p$salt$hash`` (base64)."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    encode = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${encode(salt).decode()}${encode(digest).decode()}"


def check_secret(secret: str, stored: str | None) -> bool:
    """Whether ``secret`` matches a stored hash (constant-time comparison)."""
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            secret.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except ValueError:
        return False
    return scheme == "scrypt" and hmac.compare_digest(actual, expected)


_DUMMY_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$" + "A" * 43 + "="


def spend_like_a_check() -> None:
    """Cost what a secret check costs: an unknown client id must not answer faster."""
    check_secret("not-a-secret", _DUMMY_HASH)


def secret_matches(client: OAuthClient, secret: str, now: dt.datetime | None = None) -> bool:
    """The current secret, or the previous one while its grace period lasts."""
    if check_secret(secret, client.secret_hash):
        return True
    expires = client.previous_secret_expires_at
    moment = now or utcnow()
    return (
        expires is not None
        and moment < expires
        and check_secret(secret, client.previous_secret_hash)
    )


def find_client(session: Session, partner_id: str, environment: str) -> OAuthClient | None:
    """The partner's client in ``environment``, if issued."""
    return session.scalars(
        select(OAuthClient).where(
            OAuthClient.partner_id == partner_id, OAuthClient.environment == environment
        )
    ).first()


def issue(
    session: Session, partner_id: str, environment: str, *, actor: str = "system"
) -> IssuedCredentials:
    """Create the partner's client in ``environment``.

    Args:
        session: the caller's session (flushed; the caller commits).
        partner_id: an applied partner.
        environment: ``sandbox`` or ``live``.
        actor: who issued it, for the audit log.

    Returns:
        The client id and, unless the partner uses ``private_key_jwt``, the
        secret (never stored in clear, never shown again).

    Raises:
        NotFound: no such partner.
        NotConfigured: the partner's config has no such environment.
        Conflict: credentials were already issued (rotate them instead).
    """
    from gateway.audit import services as audit

    partner = partners.get_partner(session, partner_id)
    settings = partner.config.environment(environment)
    if settings is None:
        raise NotConfigured(f"{partner_id} has no {environment} environment in its config")
    if find_client(session, partner_id, environment) is not None:
        raise Conflict(f"{partner_id} already has {environment} credentials; rotate them")
    method = settings.token_endpoint_auth_method
    secret = None if method == "private_key_jwt" else generate_secret()
    client = OAuthClient(
        client_id=new_id(f"cli_{environment}"),
        partner_id=partner_id,
        environment=environment,
        status="active",
        secret_hash=hash_secret(secret) if secret else None,
        created_at=utcnow(),
    )
    session.add(client)
    session.flush()
    audit.record(
        session,
        action="client.issued",
        actor=actor,
        partner_id=partner_id,
        environment=environment,
        subject=client.client_id,
        data={"token_endpoint_auth_method": method},
    )
    return IssuedCredentials(client.client_id, secret, environment, method)


def rotate(
    session: Session,
    partner_id: str,
    environment: str,
    *,
    grace: dt.timedelta = DEFAULT_GRACE,
    actor: str = "system",
) -> IssuedCredentials:
    """Give the client a new secret; the old one keeps working for ``grace``.

    Args:
        session: the caller's session (flushed; the caller commits).
        partner_id: the partner.
        environment: ``sandbox`` or ``live``.
        grace: how long the previous secret stays valid (zero ends it now).
        actor: who rotated it, for the audit log.

    Returns:
        The same client id with its new secret.

    Raises:
        NotFound: no credentials issued for this partner and environment.
        Conflict: the client authenticates with ``private_key_jwt`` (it
            rotates by publishing a new key in its config's ``jwks``).
    """
    from gateway.audit import services as audit

    client = find_client(session, partner_id, environment)
    if client is None:
        raise NotFound(f"{partner_id} has no {environment} credentials; issue them first")
    if client.secret_hash is None:
        raise Conflict("this client uses private_key_jwt: rotate its jwks in the config instead")
    now = utcnow()
    secret = generate_secret()
    client.previous_secret_hash = client.secret_hash
    client.previous_secret_expires_at = now + grace
    client.secret_hash = hash_secret(secret)
    client.rotated_at = now
    session.flush()
    audit.record(
        session,
        action="client.rotated",
        actor=actor,
        partner_id=partner_id,
        environment=environment,
        subject=client.client_id,
        data={"previous_secret_valid_until": (now + grace).isoformat()},
    )
    partner = partners.get_partner(session, partner_id)
    settings = partner.config.environment(environment)
    method = settings.token_endpoint_auth_method if settings else "client_secret_basic"
    return IssuedCredentials(client.client_id, secret, environment, method)


INTERNAL_SCOPES = ("loans:write",)


def issue_internal(
    session: Session, label: str, *, scopes: Sequence[str] = (), actor: str = "system"
) -> IssuedCredentials:
    """Create a bank-internal client: it may introspect tokens, and use ``scopes``.

    Args:
        session: the caller's session (flushed; the caller commits).
        label: what the caller is (e.g. ``risk-monitor``), for people and logs.
        scopes: internal scopes (:data:`INTERNAL_SCOPES`), e.g. ``loans:write``
            for the loan performance feed.
        actor: who issued it, for the audit log.

    Returns:
        Its client id and secret (``client_secret_basic``).
    """
    from gateway.audit import services as audit

    secret = generate_secret()
    client = OAuthClient(
        client_id=new_id("cli_internal"),
        partner_id=None,
        environment="internal",
        label=label,
        status="active",
        secret_hash=hash_secret(secret),
        scopes=" ".join(sorted(set(scopes))) or None,
        created_at=utcnow(),
    )
    session.add(client)
    session.flush()
    audit.record(
        session,
        action="client.issued",
        actor=actor,
        environment="internal",
        subject=client.client_id,
        data={"label": label, "scopes": sorted(set(scopes))},
    )
    return IssuedCredentials(client.client_id, secret, "internal", "client_secret_basic")
