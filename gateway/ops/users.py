"""Console users: add, disable, sign in (argon2 password, TOTP), lock out.

Passwords are hashed with argon2id (``argon2-cffi``'s defaults). A new user
gets a one-time password that must be changed at first sign-in, and a TOTP
secret (RFC 6238, 30-second steps) sealed at rest; a code is accepted once
only: the step it belongs to is remembered and an equal or earlier step is
refused. After :data:`LOCKOUT_THRESHOLD` consecutive failures (password or
code) the account is locked for :data:`LOCKOUT_PERIOD`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.audit.services import record as audit
from gateway.clock import utcnow
from gateway.errors import Conflict, DomainError, NotFound, ValidationFailed
from gateway.ids import new_id
from gateway.ops.models import OpsUser
from gateway.ops.roles import ROLES, needs_totp

LOCKOUT_THRESHOLD = 5
LOCKOUT_PERIOD = dt.timedelta(minutes=15)
MIN_PASSWORD = 12
ISSUER = "Instalments gateway ops"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_INFO = b"instalments-gateway ops totp v1"
_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class SignInFailed(DomainError):
    """Wrong e-mail, password or code (which one is never said)."""

    code = "sign_in_failed"
    kind = "unauthenticated"
    title = "E-mail, password or code not accepted"


class AccountLocked(DomainError):
    """Too many failures: the account is locked for a while."""

    code = "account_locked"
    kind = "rate_limited"
    title = "Too many failed sign-ins; try again later"


class NewUser:
    """A user just added, with the secrets shown once."""

    def __init__(self, user: OpsUser, password: str, totp_secret: str) -> None:
        self.user = user
        self.one_time_password = password
        self.totp_secret = totp_secret

    @property
    def totp_uri(self) -> str:
        """``otpauth://`` URI for an authenticator app (as a QR code or typed in)."""
        return pyotp.TOTP(self.totp_secret).provisioning_uri(
            name=self.user.email, issuer_name=ISSUER
        )


def _aead(secret_key: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        secret_key.encode()
    )
    return AESGCM(key)


def _seal(secret_key: str, user_id: str, secret: str) -> bytes:
    nonce = os.urandom(12)
    return nonce + _aead(secret_key).encrypt(nonce, secret.encode(), user_id.encode())


def _unseal(secret_key: str, user_id: str, sealed: bytes) -> str:
    return _aead(secret_key).decrypt(sealed[:12], sealed[12:], user_id.encode()).decode()


def normalise_email(email: str) -> str:
    """Lower-cased, stripped; refuses what is not an e-mail address."""
    cleaned = (email or "").strip().lower()
    if not _EMAIL.match(cleaned) or len(cleaned) > 254:
        raise ValidationFailed({"email": "must be an e-mail address"})
    return cleaned


def add_user(session: Session, email: str, role: str, *, secret_key: str, actor: str) -> NewUser:
    """Create a user with a one-time password and a TOTP secret (both returned once).

    Raises:
        ValidationFailed: bad e-mail or unknown role.
        Conflict: the e-mail is taken.
    """
    address = normalise_email(email)
    if role not in ROLES:
        raise ValidationFailed({"role": f"must be one of {', '.join(ROLES)}"})
    if find_user(session, address) is not None:
        raise Conflict(f"{address} is already a console user")
    password = secrets.token_urlsafe(15)
    totp_secret = pyotp.random_base32()
    user_id = new_id("opu")
    user = OpsUser(
        id=user_id,
        email=address,
        role=role,
        password_hash=_hasher.hash(password),
        must_change_password=True,
        totp_sealed=_seal(secret_key, user_id, totp_secret),
        totp_last_step=None,
        failed_sign_ins=0,
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    audit(session, action="ops.user_added", actor=actor, subject=user_id, data={"role": role})
    return NewUser(user, password, totp_secret)


def find_user(session: Session, email: str) -> OpsUser | None:
    """The user with this e-mail (any case), if any."""
    address = (email or "").strip().lower()
    return session.scalars(select(OpsUser).where(func.lower(OpsUser.email) == address)).first()


def get_user(session: Session, user_id: str) -> OpsUser | None:
    """The user with this id, if any."""
    return session.get(OpsUser, user_id)


def active_user(session: Session, email: str) -> OpsUser:
    """An enabled user by e-mail (for ``--by EMAIL`` in scripted operations).

    Raises:
        NotFound: no such user, or disabled.
    """
    user = find_user(session, email)
    if user is None or user.disabled_at is not None:
        raise NotFound(f"no enabled console user {email!r}")
    return user


def list_users(session: Session) -> list[OpsUser]:
    """Every user, by e-mail."""
    return list(session.scalars(select(OpsUser).order_by(OpsUser.email)))


def disable_user(session: Session, email: str, *, actor: str) -> OpsUser:
    """Disable a user: their sessions end on their next request.

    Raises:
        NotFound: no such user.
    """
    user = find_user(session, email)
    if user is None:
        raise NotFound(f"no console user {email!r}")
    if user.disabled_at is None:
        user.disabled_at = utcnow()
        session.flush()
        audit(session, action="ops.user_disabled", actor=actor, subject=user.id)
    return user


def _fail(session: Session, user: OpsUser, now: dt.datetime, step: str) -> None:
    user.failed_sign_ins += 1
    locked = user.failed_sign_ins >= LOCKOUT_THRESHOLD
    if locked:
        user.locked_until = now + LOCKOUT_PERIOD
        user.failed_sign_ins = 0
    session.flush()
    audit(
        session,
        action="ops.sign_in_failed",
        actor=f"ops:{user.email}",
        subject=user.id,
        data={"step": step, "locked": locked},
    )


def _check_lock(user: OpsUser, now: dt.datetime) -> None:
    if user.locked_until is not None and now < user.locked_until:
        raise AccountLocked()


def check_password(
    session: Session, email: str, password: str, *, now: dt.datetime | None = None
) -> OpsUser:
    """First factor. The caller commits even on failure (the count must stick).

    Raises:
        SignInFailed: unknown, disabled, or wrong password.
        AccountLocked: locked after too many failures (even with the right password).
    """
    moment = now or utcnow()
    user = find_user(session, email)
    if user is None or user.disabled_at is not None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password or "-")
        raise SignInFailed()
    _check_lock(user, moment)
    try:
        _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        _fail(session, user, moment, "password")
        raise SignInFailed() from None
    return user


def check_totp(
    session: Session, user: OpsUser, code: str, *, secret_key: str, now: dt.datetime | None = None
) -> None:
    """Second factor: a current code (one step of clock skew either way), never reused.

    Raises:
        SignInFailed: wrong, stale or replayed code.
        AccountLocked: locked after too many failures.
    """
    moment = now or utcnow()
    _check_lock(user, moment)
    totp = pyotp.TOTP(_unseal(secret_key, user.id, user.totp_sealed))
    cleaned = re.sub(r"\s", "", code or "")
    current = int(moment.timestamp()) // totp.interval
    matched = None
    if re.fullmatch(r"\d{6}", cleaned):
        for step in (current - 1, current, current + 1):
            if secrets.compare_digest(totp.generate_otp(step), cleaned):
                matched = step
    if matched is None or (user.totp_last_step is not None and matched <= user.totp_last_step):
        _fail(session, user, moment, "totp")
        raise SignInFailed()
    user.totp_last_step = matched
    session.flush()


def signed_in(session: Session, user: OpsUser, *, now: dt.datetime | None = None) -> None:
    """Both factors passed: reset the failure count and audit the sign-in."""
    user.failed_sign_ins = 0
    user.locked_until = None
    user.last_sign_in_at = now or utcnow()
    session.flush()
    audit(
        session,
        action="ops.signed_in",
        actor=f"ops:{user.email}",
        subject=user.id,
        data={"role": user.role, "totp": needs_totp(user.role)},
    )


def signed_out(session: Session, user: OpsUser, *, reason: str = "sign_out") -> None:
    """Audit a sign-out (``sign_out`` or ``idle_timeout``)."""
    audit(
        session,
        action="ops.signed_out",
        actor=f"ops:{user.email}",
        subject=user.id,
        data={"reason": reason},
    )


def change_password(session: Session, user: OpsUser, current: str, new: str) -> None:
    """Replace the password (the one-time one at first sign-in).

    Raises:
        ValidationFailed: the current password is wrong, or the new one is too
            short or unchanged.
    """
    try:
        _hasher.verify(user.password_hash, current or "")
    except (VerificationError, InvalidHashError):
        raise ValidationFailed({"current_password": "is not your current password"}) from None
    if len(new or "") < MIN_PASSWORD:
        raise ValidationFailed({"new_password": f"must be at least {MIN_PASSWORD} characters"})
    if new == current:
        raise ValidationFailed({"new_password": "must differ from the current password"})
    user.password_hash = _hasher.hash(new)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    session.flush()
    audit(session, action="ops.password_changed", actor=f"ops:{user.email}", subject=user.id)


def totp_secret(user: OpsUser, *, secret_key: str) -> str:
    """The user's TOTP secret in clear (for the demo's printout and tests)."""
    return _unseal(secret_key, user.id, user.totp_sealed)
