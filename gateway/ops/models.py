"""Operations console users."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base


class OpsUser(Base):
    """A member of the bank's staff who signs in to ``/ops``.

    ``password_hash`` is argon2id; ``totp_sealed`` the TOTP secret sealed with
    AES-GCM under a key derived from ``GATEWAY_SECRET_KEY``; ``totp_last_step``
    the last 30-second step accepted (a code is never accepted twice).
    ``failed_sign_ins`` counts consecutive failures; at the threshold the
    account is locked until ``locked_until``.
    """

    __tablename__ = "ops_users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean)
    totp_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    failed_sign_ins: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[dt.datetime | None]
    disabled_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    password_changed_at: Mapped[dt.datetime | None]
    last_sign_in_at: Mapped[dt.datetime | None]
