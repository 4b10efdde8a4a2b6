"""Record consents: one explicit grant per purpose, with evidence and a signed receipt.

The raw phone and ID number become keyed hashes before anything else happens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from gateway import ids
from gateway.audit.services import record as audit
from gateway.clock import utcnow
from gateway.consent import notices
from gateway.consent.models import Consent, ConsentReceipt
from gateway.consent.receipts import build_receipt_claims
from gateway.consent.types import (
    CAPTURE_MAX_AGE,
    CAPTURE_SKEW,
    CHANNELS,
    ConsentPolicy,
    Evidence,
    Grant,
    RecordedConsents,
    Tenant,
)
from gateway.errors import ValidationFailed
from gateway.identity import customer_ref as make_customer_ref
from gateway.identity import id_number_hash, pairwise_customer_ref


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
    partner_ref = pairwise_customer_ref(pepper, tenant.partner_id, ref)
    receipt_id = ids.new_id("rcp")
    consents = [
        Consent(
            id=ids.new_id("cns"),
            partner_id=tenant.partner_id,
            environment=tenant.environment,
            customer_ref=ref,
            partner_customer_ref=partner_ref,
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
        customer_ref=partner_ref,  # the receipt goes to the partner
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
