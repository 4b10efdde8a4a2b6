"""Consent services: per-purpose grants, validation naming fields, receipts, revocation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from joserfc import jws
from joserfc.jwk import KeySet
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.audit.models import AuditEntry
from gateway.clock import utcnow
from gateway.consent import services
from gateway.consent.models import Consent, ConsentReceipt
from gateway.consent.signals import consent_revoked
from gateway.errors import ValidationFailed
from gateway.keys.services import public_jwks

PHONE = "+8613800000001"
VERSION = "2026-11-01"
TENANT = services.Tenant(
    "demo-mall", "sandbox", "cli_test", {"zh-CN": "示范商城", "en": "Demo Mall"}
)


@pytest.fixture
def ctx(app: Flask, db_session: Session) -> Iterator[Session]:
    with app.app_context():
        yield db_session


def _record(db: Session, **overrides: Any) -> services.RecordedConsents:
    now = overrides.pop("now", utcnow())
    kwargs: dict[str, Any] = {
        "pepper": "pepper",
        "phone": PHONE,
        "id_number": None,
        "grants": [services.Grant("prequalification", True, VERSION)],
        "evidence": services.Evidence(captured_at=now, channel="web", locale="en"),
        "policy": services.ConsentPolicy(),
        "issuer": "https://gateway.test",
        "now": now,
    }
    kwargs.update(overrides)
    return services.record_consents(db, TENANT, **kwargs)


def _count(db: Session, model: Any) -> int:
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_one_consent_per_purpose_with_one_receipt(ctx: Session) -> None:
    recorded = _record(
        ctx,
        grants=[
            services.Grant("prequalification", True, VERSION),
            services.Grant("credit_inquiry", True, VERSION),
        ],
    )
    assert [c.purpose for c in recorded.consents] == ["prequalification", "credit_inquiry"]
    assert {c.receipt_id for c in recorded.consents} == {recorded.receipt.id}
    assert all(c.customer_ref.startswith("cus_") for c in recorded.consents)
    lifetimes = [c.expires_at - c.granted_at for c in recorded.consents]
    assert lifetimes == [dt.timedelta(days=30), dt.timedelta(days=7)]


def test_raw_phone_and_id_number_are_not_stored(ctx: Session) -> None:
    recorded = _record(ctx, id_number="11010519491231002X")
    ctx.flush()
    row = recorded.consents[0]
    stored = " ".join(str(getattr(row, c.key)) for c in Consent.__table__.columns)
    stored += recorded.receipt.token
    for raw in ("13800000001", "11010519491231002X"):
        assert raw not in stored
    assert row.id_number_hash is not None
    assert row.id_number_hash.startswith("idh_")


def test_receipt_verifies_against_jwks_and_names_purposes(ctx: Session) -> None:
    recorded = _record(ctx)
    keys = KeySet.import_key_set(public_jwks(ctx))
    token = jws.deserialize_compact(recorded.receipt.token, keys, algorithms=["ES256"])
    assert token.protected["typ"] == "consent-receipt+jwt"
    import json

    claims = json.loads(token.payload)
    assert claims["jti"] == recorded.receipt.id
    # The receipt goes to the partner: it names the customer by the partner's own reference.
    assert claims["piiPrincipalId"] == recorded.consents[0].partner_customer_ref
    assert claims["piiPrincipalId"] != recorded.consents[0].customer_ref
    purpose = claims["services"][0]["purposes"][0]
    assert purpose["purpose"] == "prequalification"
    assert purpose["noticeVersion"] == VERSION
    assert purpose["noticeHash"] == recorded.consents[0].notice_hash
    assert PHONE not in recorded.receipt.token


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"grants": [services.Grant("newsletter", True, VERSION)]}, "grants.0.purpose"),
        ({"grants": [services.Grant("prequalification", False, VERSION)]}, "grants.0.granted"),
        (
            {"grants": [services.Grant("prequalification", True, "2020-01-01")]},
            "grants.0.notice_version",
        ),
        (
            {
                "grants": [
                    services.Grant("marketing", True, VERSION),
                    services.Grant("marketing", True, VERSION),
                ]
            },
            "grants.1.purpose",
        ),
        ({"phone": "not-a-phone"}, "customer.phone"),
        ({"id_number": "110105194912310021"}, "customer.id_number"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    ctx: Session, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationFailed) as info:
        _record(ctx, **overrides)
    assert field in info.value.errors
    assert _count(ctx, Consent) == 0
    assert _count(ctx, ConsentReceipt) == 0
    assert _count(ctx, AuditEntry) == 0


@pytest.mark.parametrize(
    ("captured_offset", "message"),
    [(dt.timedelta(minutes=5), "future"), (dt.timedelta(minutes=-11), "10 minutes")],
)
def test_captured_at_in_future_or_stale_is_refused(
    ctx: Session, captured_offset: dt.timedelta, message: str
) -> None:
    now = utcnow()
    evidence = services.Evidence(captured_at=now + captured_offset, channel="web", locale="en")
    with pytest.raises(ValidationFailed) as info:
        _record(ctx, evidence=evidence, now=now)
    assert message in info.value.errors["evidence.captured_at"]


def test_superseded_notice_is_accepted_within_grace_only(
    ctx: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gateway.consent import notices

    old = notices.find_version("prequalification", VERSION)
    assert old is not None
    newer = notices.NoticeVersion(
        purpose="prequalification",
        version="2026-12-01",
        effective_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        required=True,
        locales=old.locales,
        source_hash="sha256:x",
    )
    monkeypatch.setattr(notices, "versions_of", lambda purpose: [old, newer])
    within = dt.datetime(2026, 12, 1, 0, 30, tzinfo=dt.UTC)
    evidence = services.Evidence(captured_at=within, channel="web", locale="en")
    assert _record(ctx, now=within, evidence=evidence).consents[0].notice_version == VERSION
    after = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    evidence = services.Evidence(captured_at=after, channel="web", locale="en")
    with pytest.raises(ValidationFailed) as info:
        _record(ctx, now=after, evidence=evidence)
    assert "superseded" in info.value.errors["grants.0.notice_version"]


def test_require_active_finds_consent_and_refuses_others(ctx: Session) -> None:
    consent = _record(ctx).consents[0]
    found = services.require_active(
        ctx,
        partner_id="demo-mall",
        environment="sandbox",
        customer_ref=consent.customer_ref,
        purpose="prequalification",
        consent_id=consent.id,
    )
    assert found.id == consent.id
    for kwargs in (
        {"partner_id": "demo-travel"},
        {"environment": "live"},
        {"purpose": "credit_inquiry"},
        {"customer_ref": "cus_other"},
    ):
        args = {
            "partner_id": "demo-mall",
            "environment": "sandbox",
            "customer_ref": consent.customer_ref,
            "purpose": "prequalification",
            "consent_id": consent.id,
            **kwargs,
        }
        with pytest.raises(services.ConsentRequired):
            services.require_active(ctx, **args)


def test_revocation_is_terminal_immediate_audited_and_signalled(ctx: Session) -> None:
    consent = _record(ctx).consents[0]
    heard: list[str] = []

    def listener(sender: Consent, **_: Any) -> None:
        heard.append(sender.id)

    with consent_revoked.connected_to(listener):
        services.revoke(ctx, consent, actor="cli_test", reason="changed my mind")
        again = services.revoke(ctx, consent, actor="cli_test")
    assert again.status == "revoked"
    # Once for this consent (another test's thread may revoke its own meanwhile).
    assert [sender for sender in heard if sender == consent.id] == [consent.id]
    with pytest.raises(services.ConsentRequired):
        services.require_active(
            ctx,
            partner_id="demo-mall",
            environment="sandbox",
            customer_ref=consent.customer_ref,
            purpose="prequalification",
        )
    actions = list(ctx.scalars(select(AuditEntry.action).where(AuditEntry.subject == consent.id)))
    assert actions == ["consent.granted", "consent.revoked"]


def test_expired_consent_no_longer_permits_and_is_marked_by_expire_due(ctx: Session) -> None:
    then = utcnow() - dt.timedelta(days=2)
    evidence = services.Evidence(captured_at=then, channel="web", locale="en")
    policy = services.ConsentPolicy(lifetime_days={"prequalification": 1})
    consent = _record(ctx, now=then, evidence=evidence, policy=policy).consents[0]
    assert consent.status_at(utcnow()) == "expired"
    with pytest.raises(services.ConsentRequired):
        services.require_active(
            ctx,
            partner_id="demo-mall",
            environment="sandbox",
            customer_ref=consent.customer_ref,
            purpose="prequalification",
        )
    with pytest.raises(services.ConsentNotActive):
        services.revoke(ctx, consent, actor="x")
    assert [c.id for c in services.expire_due(ctx)] == [consent.id]
    assert consent.status == "expired"


def test_revoke_for_customer_through_bank_channel(ctx: Session) -> None:
    recorded = _record(
        ctx,
        grants=[
            services.Grant("prequalification", True, VERSION),
            services.Grant("marketing", True, VERSION),
        ],
    )
    ref = recorded.consents[0].customer_ref
    revoked = services.revoke_for_customer(ctx, ref, actor="bank:cli", purpose="marketing")
    assert [c.purpose for c in revoked] == ["marketing"]
    assert recorded.consents[0].status == "active"
