"""Signing keys. The private half is stored only encrypted (see :mod:`gateway.keys.vault`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base

CURRENT = "current"


class SigningKey(Base):
    """One ES256 key pair; ``slot`` is ``current`` for exactly one key, NULL for the rest.

    The unique constraint on ``slot`` makes "one current key" a database rule, so
    two processes creating the first key at once cannot both win.
    """

    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    alg: Mapped[str] = mapped_column(String(16))
    slot: Mapped[str | None] = mapped_column(String(16), unique=True)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    private_key_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime]
    retired_at: Mapped[dt.datetime | None]
