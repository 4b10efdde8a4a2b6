"""Record, read, revoke, enforce and export customer consent.

Consent is per purpose and never bundled: a request carries one explicit
grant per purpose, each naming the notice version the customer saw. The raw
phone and ID number become keyed hashes before anything else happens.
Revocation is terminal and immediate: it locks the consent row, so a
prequalification that holds the row (``require_active_id(..., lock=True)`` in
its write transaction) either finishes first — and its offers are then voided
by the revocation — or sees the consent revoked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from gateway import ids
from gateway.audit.services import record as audit
from gateway.clock import utcnow
from gateway.consent import notices
from gateway.consent.models import Consent, ConsentReceipt
from gateway.consent.receipts import build_receipt_claims
from gateway.consent.signals import consent_revoked
from gateway.db import table_of
from gateway.errors import DomainError, NotFound, ValidationFailed
from gateway.identity import customer_ref as make_customer_ref
from gateway.identity import id_number_hash

CAPTURE_MAX_AGE = dt.timedelta(minutes=10)
CAPTURE_SKEW = dt.timedelta(seconds=30)
CHANNELS = ("web", "app", "widget", "call_centre", "in_store")


class ConsentRequired(DomainError):
    """No active consent for the purpose this operation needs."""

    code = "consent_required"
    kind = "forbidden"
    title = "Consent required"


class ConsentNotFound(NotFound):
    """No such consent for this partner and environment."""

    code = "consent_not_found"


class ConsentNotActive(DomainError):
    """The consent has expired; there is nothing to revoke."""

    code = "consent_not_active"
    kind = "conflict"
    title = "Consent is not active"


@dataclass(frozen=True)
class Grant:
    """One purpose the customer explicitly agreed to."""

    purpose: str
    granted: bool
    notice_version: str


@dataclass(frozen=True)
class Evidence:
    """How and when consent was captured."""

    captured_at: dt.datetime
    channel: str
    locale: str
    ip: str | None = None
    user_agent: str | None = None
    page_url: str | None = None


@dataclass(frozen=True)
class ConsentPolicy:
    """Lifetimes per purpose and the grace period for a superseded notice."""

    lifetime_days: Mapping[str, int] = field(
        default_factory=lambda: {"prequalification": 30, "credit_inquiry": 7, "marketing": 365}
    )
    notice_grace: dt.timedelta = dt.timedelta(minutes=60)


@dataclass(frozen=True)
class Tenant:
    """Who is acting: a partner in one environment, through one client."""

    partner_id: str
    environment: str
    actor: str
    partner_names: Mapping[str, str]


@dataclass(frozen=True)
class RecordedConsents:
    """The consents one request created and the receipt covering them."""

    consents: list[Consent]
    receipt: ConsentReceipt


def record_consents(
    session: Session,
    tenant: Tenant,
    *,
    pepper: str,
    phone: str,
    id_number: str | None,
    grants: Sequence[Grant],
    evidence: Evidence,
    policy: ConsentPolicy,
    issuer: str,
    now: dt.datetime | None = None,
) -> RecordedConsents:
    """Record one consent per grant and sign a receipt for them.

    Everything is validated before anything is written: a bad grant leaves no
    consent, no receipt and no audit entry behind.

    Args:
        session: unit of work (the caller commits).
        tenant: the partner, environment and acting client.
        pepper: ``Settings.identifier_pepper`` for customer references.
        phone: the customer's phone, raw; hashed here and dropped.
        id_number: optional resident ID number, raw; hashed here and dropped.
        grants: one per purpose.
        evidence: capture time, channel, locale, IP, user agent, page URL.
        policy: lifetimes and notice grace period.
        issuer: the gateway's issuer URL, for the receipt.
        now: the current time (tests).

    Returns:
        The consents and their receipt.

    Raises:
        ValidationFailed: naming each bad field (``grants.1.notice_version`` …).
    """
    now = now or utcnow()
    errors: dict[str, str] = {}
    ref = _customer_ref(pepper, phone, errors)
    id_hash = _id_hash(pepper, id_number, errors)
    _check_evidence(evidence, now, errors)
    rendered = _check_grants(grants, tenant, evidence.locale, policy, now, errors)
    if errors:
        raise ValidationFailed(errors)
    assert ref is not None
    receipt_id = ids.new_id("rcp")
    consents = [
        Consent(
            id=ids.new_id("cns"),
            partner_id=tenant.partner_id,
            environment=tenant.environment,
            customer_ref=ref,
            id_number_hash=id_hash,
            purpose=grant.purpose,
            status="active",
            notice_version=grant.notice_version,
            notice_hash=rendered[grant.purpose].hash,
            locale=evidence.locale,
            granted_at=now,
            expires_at=now + dt.timedelta(days=policy.lifetime_days[grant.purpose]),
            receipt_id=receipt_id,
            granted_by=tenant.actor,
            evidence=_evidence_json(evidence),
        )
        for grant in grants
    ]
    claims = build_receipt_claims(
        receipt_id=receipt_id,
        issuer=issuer,
        issued_at=now,
        tenant_partner_id=tenant.partner_id,
        tenant_environment=tenant.environment,
        partner_names=tenant.partner_names,
        customer_ref=ref,
        consents=consents,
        rendered=rendered,
        evidence=evidence,
    )
    from gateway.keys.services import sign

    receipt = ConsentReceipt(
        id=receipt_id,
        partner_id=tenant.partner_id,
        environment=tenant.environment,
        customer_ref=ref,
        issued_at=now,
        token=sign(session, claims, typ="consent-receipt+jwt"),
    )
    session.add(receipt)
    session.flush()
    session.add_all(consents)
    for consent in consents:
        audit(
            session,
            action="consent.granted",
            actor=tenant.actor,
            partner_id=tenant.partner_id,
            environment=tenant.environment,
            subject=consent.id,
            data={
                "purpose": consent.purpose,
                "customer_ref": ref,
                "notice_version": consent.notice_version,
                "notice_hash": consent.notice_hash,
                "receipt_id": receipt_id,
                "channel": evidence.channel,
                "expires_at": consent.expires_at.isoformat(),
            },
        )
    session.flush()
    return RecordedConsents(consents=consents, receipt=receipt)


def _customer_ref(pepper: str, phone: str, errors: dict[str, str]) -> str | None:
    try:
        return make_customer_ref(pepper, phone)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return None


def _id_hash(pepper: str, id_number: str | None, errors: dict[str, str]) -> str | None:
    if id_number is None:
        return None
    try:
        return id_number_hash(pepper, id_number)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return None


def _check_evidence(evidence: Evidence, now: dt.datetime, errors: dict[str, str]) -> None:
    if evidence.captured_at > now + CAPTURE_SKEW:
        errors["evidence.captured_at"] = "is in the future"
    elif evidence.captured_at < now - CAPTURE_MAX_AGE:
        errors["evidence.captured_at"] = "is more than 10 minutes old; capture consent again"
    if evidence.channel not in CHANNELS:
        errors["evidence.channel"] = f"must be one of {', '.join(CHANNELS)}"
    if evidence.locale not in notices.LOCALES:
        errors["evidence.locale"] = f"must be one of {', '.join(notices.LOCALES)}"


def _check_grants(
    grants: Sequence[Grant],
    tenant: Tenant,
    locale: str,
    policy: ConsentPolicy,
    now: dt.datetime,
    errors: dict[str, str],
) -> dict[str, notices.RenderedNotice]:
    rendered: dict[str, notices.RenderedNotice] = {}
    if not grants:
        errors["grants"] = "must contain at least one grant"
    seen: set[str] = set()
    for index, grant in enumerate(grants):
        where = f"grants.{index}"
        if grant.purpose not in notices.PURPOSES:
            errors[f"{where}.purpose"] = f"must be one of {', '.join(notices.PURPOSES)}"
            continue
        if grant.purpose in seen:
            errors[f"{where}.purpose"] = "appears twice; send one grant per purpose"
            continue
        seen.add(grant.purpose)
        if grant.granted is not True:
            errors[f"{where}.granted"] = "must be explicitly true (consent is never pre-ticked)"
        version = notices.find_version(grant.purpose, grant.notice_version)
        if version is None:
            errors[f"{where}.notice_version"] = "is not a version of this notice"
            continue
        current = notices.current_version(grant.purpose, now)
        if version.effective_at > now:
            errors[f"{where}.notice_version"] = "is not in force yet"
            continue
        if version.version != current.version and now > current.effective_at + policy.notice_grace:
            errors[f"{where}.notice_version"] = (
                f"is superseded by {current.version}; show the current notice"
            )
            continue
        if locale in notices.LOCALES:
            rendered[grant.purpose] = notices.render(
                version, locale, tenant.partner_id, tenant.partner_names
            )
    return rendered


def _evidence_json(evidence: Evidence) -> dict[str, Any]:
    return {
        "captured_at": evidence.captured_at.isoformat(),
        "channel": evidence.channel,
        "locale": evidence.locale,
        "ip": evidence.ip,
        "user_agent": evidence.user_agent,
        "page_url": evidence.page_url,
    }


def get_consent(session: Session, partner_id: str, environment: str, consent_id: str) -> Consent:
    """A consent of this partner and environment.

    Raises:
        ConsentNotFound: no such consent here (another tenant's is not found either).
    """
    consent = session.get(Consent, consent_id)
    if consent is None or (consent.partner_id, consent.environment) != (partner_id, environment):
        raise ConsentNotFound("no such consent")
    return consent


def receipt_for(session: Session, consent: Consent) -> ConsentReceipt:
    """The receipt a consent was granted with."""
    receipt = session.get(ConsentReceipt, consent.receipt_id)
    assert receipt is not None
    return receipt


def revoke(
    session: Session,
    consent: Consent,
    *,
    actor: str,
    reason: str | None = None,
    now: dt.datetime | None = None,
) -> Consent:
    """Revoke a consent at once (terminal); open offers relying on it are voided.

    Revoking a revoked consent changes nothing and returns it.

    Raises:
        ConsentNotActive: the consent has already expired.
    """
    now = now or utcnow()
    locked = session.scalars(
        select(Consent)
        .where(Consent.id == consent.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if locked.status == "revoked":
        return locked
    if locked.status_at(now) == "expired":
        raise ConsentNotActive("this consent has expired; it no longer permits anything")
    locked.status = "revoked"
    locked.revoked_at = now
    locked.revoked_by = actor
    locked.revocation_reason = (reason or "")[:200] or None
    session.flush()
    audit(
        session,
        action="consent.revoked",
        actor=actor,
        partner_id=locked.partner_id,
        environment=locked.environment,
        subject=locked.id,
        data={
            "purpose": locked.purpose,
            "customer_ref": locked.customer_ref,
            "reason": locked.revocation_reason,
        },
    )
    consent_revoked.send(locked, session=session)
    return locked


def revoke_for_customer(
    session: Session,
    customer_ref: str,
    *,
    actor: str,
    purpose: str | None = None,
    partner_id: str | None = None,
    reason: str | None = None,
) -> list[Consent]:
    """Revoke every active consent of a customer (the bank's own channel)."""
    now = utcnow()
    query = select(Consent).where(Consent.customer_ref == customer_ref, Consent.status == "active")
    if purpose is not None:
        query = query.where(Consent.purpose == purpose)
    if partner_id is not None:
        query = query.where(Consent.partner_id == partner_id)
    revoked = []
    for consent in session.scalars(query.order_by(Consent.granted_at)).all():
        if consent.status_at(now) == "active":
            revoked.append(revoke(session, consent, actor=actor, reason=reason, now=now))
    return revoked


def require_active(
    session: Session,
    *,
    partner_id: str,
    environment: str,
    customer_ref: str,
    purpose: str,
    consent_id: str | None = None,
    lock: bool = False,
    now: dt.datetime | None = None,
) -> Consent:
    """The active consent that permits ``purpose`` for this customer and partner.

    Args:
        consent_id: the consent the request names; if ``None``, any active one.
        lock: hold the row (``FOR SHARE``) until the transaction ends, so a
            concurrent revocation waits for this decision and then voids it.

    Raises:
        ConsentRequired: none is active (missing, another customer's, revoked, expired).
    """
    now = now or utcnow()
    query = select(Consent).where(
        Consent.partner_id == partner_id,
        Consent.environment == environment,
        Consent.customer_ref == customer_ref,
        Consent.purpose == purpose,
        Consent.status == "active",
        Consent.expires_at > now,
    )
    if consent_id is not None:
        query = query.where(Consent.id == consent_id)
    if lock:
        query = query.with_for_update(read=True).execution_options(populate_existing=True)
    consent = session.scalars(query.order_by(Consent.granted_at.desc()).limit(1)).first()
    if consent is None:
        raise ConsentRequired(
            f"an active '{purpose}' consent from this customer is required",
            extra={"purpose": purpose},
        )
    return consent


_consents = table_of(Consent)
# Built once: on the prequalification path, building the statement would cost
# more than running it.
_ACTIVE_ID = (
    select(_consents.c.id)
    .where(
        _consents.c.id == bindparam("consent_id"),
        _consents.c.partner_id == bindparam("partner_id"),
        _consents.c.environment == bindparam("environment"),
        _consents.c.customer_ref == bindparam("customer_ref"),
        _consents.c.purpose == bindparam("purpose"),
        _consents.c.status == "active",
        _consents.c.expires_at > bindparam("now"),
    )
    .limit(1)
)
_ACTIVE_ID_LOCKED = _ACTIVE_ID.with_for_update(read=True)


def require_active_id(
    session: Session,
    *,
    partner_id: str,
    environment: str,
    customer_ref: str,
    purpose: str,
    consent_id: str,
    lock: bool = False,
    now: dt.datetime | None = None,
) -> str:
    """:func:`require_active` for one named consent, on hot paths: its id, no object loaded.

    Raises:
        ConsentRequired: that consent is not active for this customer, partner and purpose.
    """
    found = session.execute(
        _ACTIVE_ID_LOCKED if lock else _ACTIVE_ID,
        {
            "consent_id": consent_id,
            "partner_id": partner_id,
            "environment": environment,
            "customer_ref": customer_ref,
            "purpose": purpose,
            "now": now or utcnow(),
        },
    ).scalar()
    if found is None:
        raise ConsentRequired(
            f"an active '{purpose}' consent from this customer is required",
            extra={"purpose": purpose},
        )
    return str(found)


def expire_due(session: Session, now: dt.datetime | None = None) -> list[Consent]:
    """Mark active consents past their expiry as ``expired`` and audit each."""
    now = now or utcnow()
    due = session.scalars(
        select(Consent).where(Consent.status == "active", Consent.expires_at <= now)
    ).all()
    for consent in due:
        consent.status = "expired"
        audit(
            session,
            action="consent.expired",
            partner_id=consent.partner_id,
            environment=consent.environment,
            subject=consent.id,
            data={"purpose": consent.purpose, "customer_ref": consent.customer_ref},
        )
    session.flush()
    return list(due)


def consents_of_customer(session: Session, customer_ref: str) -> list[Consent]:
    """Every consent a customer ever gave, oldest first (PIPL Art. 45 export)."""
    return list(
        session.scalars(
            select(Consent).where(Consent.customer_ref == customer_ref).order_by(Consent.granted_at)
        )
    )
