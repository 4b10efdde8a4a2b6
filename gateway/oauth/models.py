"""OAuth clients, used client-assertion ids, and revoked access tokens."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base


class OAuthClient(Base):
    """A partner's credentials in one environment, or a bank-internal caller.

    Secrets are stored only as scrypt hashes. After a rotation the previous
    hash keeps working until ``previous_secret_expires_at``. Internal clients
    (``environment == "internal"``, no partner) may introspect tokens and call
    the ``/internal`` endpoints their ``scopes`` (space-separated, e.g.
    ``loans:write``) allow.
    """

    __tablename__ = "oauth_clients"
    __table_args__ = (
        UniqueConstraint("partner_id", "environment", name="uq_oauth_clients_partner_id"),
    )

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    partner_id: Mapped[str | None] = mapped_column(ForeignKey("partners.id"))
    environment: Mapped[str] = mapped_column(String(16))
    label: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str | None] = mapped_column(String(255))
    scopes: Mapped[str | None] = mapped_column(String(255))
    previous_secret_hash: Mapped[str | None] = mapped_column(String(255))
    previous_secret_expires_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    rotated_at: Mapped[dt.datetime | None]


class UsedAssertion(Base):
    """A ``private_key_jwt`` client assertion already used: its ``jti`` is never accepted again."""

    __tablename__ = "oauth_used_assertions"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    jti: Mapped[str] = mapped_column(String(255), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)


class RevokedToken(Base):
    """An access token revoked before its expiry; kept until it would have expired."""

    __tablename__ = "oauth_revoked_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)


class UsedDPoPProof(Base):
    """A DPoP proof's ``jti`` (RFC 9449 §11.1), kept until the proof could no longer be fresh.

    The key is a SHA-256 of the proof key's thumbprint and the ``jti``: bounded
    in size whatever the client sends, and unique per key.
    """

    __tablename__ = "oauth_used_dpop_proofs"

    proof_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)
