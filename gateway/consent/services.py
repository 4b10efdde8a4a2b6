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

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.audit.services import record as audit
from gateway.clock import utcnow
from gateway.consent.gate import require_active, require_active_id
from gateway.consent.models import Consent, ConsentReceipt
from gateway.consent.recording import record_consents
from gateway.consent.signals import consent_revoked
from gateway.consent.types import (
    CAPTURE_MAX_AGE,
    CAPTURE_SKEW,
    CHANNELS,
    ConsentNotActive,
    ConsentNotFound,
    ConsentPolicy,
    ConsentRequired,
    Evidence,
    Grant,
    RecordedConsents,
    Tenant,
)
from gateway.tenancy import get_owned

__all__ = [
    "CAPTURE_MAX_AGE",
    "CAPTURE_SKEW",
    "CHANNELS",
    "ConsentNotActive",
    "ConsentNotFound",
    "ConsentPolicy",
    "ConsentRequired",
    "Evidence",
    "Grant",
    "RecordedConsents",
    "Tenant",
    "consents_of_customer",
    "expire_due",
    "get_consent",
    "receipt_for",
    "record_consents",
    "require_active",
    "require_active_id",
    "revoke",
    "revoke_for_customer",
]


def get_consent(session: Session, partner_id: str, environment: str, consent_id: str) -> Consent:
    """A consent of this partner and environment.

    Raises:
        ConsentNotFound: no such consent here (another tenant's is not found either).
    """
    return get_owned(
        session, Consent, consent_id, partner_id, environment, ConsentNotFound("no such consent")
    )


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
