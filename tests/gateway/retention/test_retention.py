"""Acceptance 3: retention on a database of old and new rows, with a controlled clock.

Old rows are made by the real API and then moved back in time; the run
removes exactly those past their category's period, a second run removes
nothing, and the audit chain still verifies (its entries hold references
and hashes, not the data).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.config import ConfigError, Settings
from gateway.consent.models import Consent, ConsentReceipt
from gateway.idempotency.models import IdempotencyRecord
from gateway.identity import customer_ref
from gateway.offers.models import Offer
from gateway.prequal.models import Prequalification
from gateway.retention.models import RetentionRun
from gateway.retention.policy import InvalidPeriods, parse_periods
from gateway.risk.models import RiskObservation
from gateway.webhooks.models import WebhookAttempt, WebhookEvent
from gateway.widget.models import CheckoutSession
from tests.gateway.offers.flow import accept
from tests.gateway.prequal.test_views import grant, prequal_body
from tests.gateway.widget.conftest import create_session

OLD_PHONE, NEW_PHONE, LOAN_PHONE = "+8613800000001", "+8613800000004", "+8613800000005"
NOW = utcnow()
SIX_YEARS = dt.timedelta(days=6 * 365)


def _count(db: Session, model: Any, *where: Any) -> int:
    return int(db.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _prequalify(api: Any, phone: str, key: str) -> dict[str, Any]:
    consent_id = grant(api, phone)
    response = api.post(
        "/v1/prequalifications",
        json=prequal_body(consent_id, phone),
        headers={"Idempotency-Key": key},
    )
    assert response.status_code == 201, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def _age(db: Session, model: Any, where: Any, **columns: dt.datetime) -> None:
    db.execute(update(model).where(where).values(**columns))


@pytest.fixture
def populated(app: Flask, partner_api: Any, db_session: Session) -> dict[str, str]:
    """Old and new rows in every category."""
    pepper = app.extensions["gateway.settings"].identifier_pepper
    refs = {p: customer_ref(pepper, p) for p in (OLD_PHONE, NEW_PHONE, LOAN_PHONE)}
    mall = partner_api("demo-mall")
    old = _prequalify(mall, OLD_PHONE, "old-key")
    _prequalify(mall, NEW_PHONE, "new-key")
    loan = _prequalify(mall, LOAN_PHONE, "loan-key")  # a decision that became a loan
    assert (
        accept(mall, loan["offers"][0], grant(mall, LOAN_PHONE, "credit_inquiry")).status_code
        == 201
    )
    assert create_session(mall).status_code == 201
    assert create_session(mall).status_code == 201
    long_ago = NOW - SIX_YEARS
    # The old customer's consents ended, and its decision was made, six years ago.
    _age(
        db_session,
        Consent,
        Consent.customer_ref == refs[OLD_PHONE],
        granted_at=long_ago - dt.timedelta(days=1),
        expires_at=long_ago,
    )
    _age(
        db_session,
        ConsentReceipt,
        ConsentReceipt.customer_ref == refs[OLD_PHONE],
        issued_at=long_ago,
    )
    _age(
        db_session,
        Prequalification,
        Prequalification.id.in_([old["id"], loan["id"]]),
        created_at=long_ago,
    )
    _age(
        db_session,
        Offer,
        Offer.prequalification_id.in_([old["id"], loan["id"]]),
        created_at=long_ago,
    )
    _age(
        db_session,
        RiskObservation,
        RiskObservation.prequalification_id == old["id"],
        created_at=NOW - dt.timedelta(days=91),
    )
    _age(
        db_session,
        IdempotencyRecord,
        IdempotencyRecord.key == "old-key",
        created_at=NOW - dt.timedelta(days=3),
    )
    events = list(db_session.scalars(select(WebhookEvent).order_by(WebhookEvent.created_at)))
    assert len(events) >= 1
    _age(
        db_session,
        WebhookEvent,
        WebhookEvent.id == events[0].id,
        created_at=NOW - dt.timedelta(days=100),
    )
    db_session.execute(
        update(WebhookEvent).where(WebhookEvent.id == events[0].id).values(status="delivered")
    )
    db_session.add(
        WebhookAttempt(
            event_id=events[0].id,
            number=1,
            attempted_at=NOW - dt.timedelta(days=100),
            url="http://127.0.0.1:5055/h",
            status_code=200,
            duration_ms=12,
            outcome="delivered",
            error=None,
        )
    )
    pending_old = WebhookEvent(
        **{
            c: getattr(events[0], c)
            for c in (
                "partner_id",
                "environment",
                "type",
                "resource_id",
                "body",
                "retry_until",
                "next_attempt_at",
            )
        },
        id="evt_pendingold0000000000000",
        sequence=99,
        status="pending",
        attempts=0,
        created_at=NOW - dt.timedelta(days=200),
        delivered_at=None,
        dead_at=None,
        last_error=None,
    )
    db_session.add(pending_old)
    first_session = db_session.scalars(
        select(CheckoutSession).order_by(CheckoutSession.created_at)
    ).first()
    assert first_session is not None
    _age(
        db_session,
        CheckoutSession,
        CheckoutSession.id == first_session.id,
        expires_at=NOW - dt.timedelta(days=31),
    )
    db_session.commit()
    return {"old": old["id"], "loan": loan["id"], "old_ref": refs[OLD_PHONE]}


def _snapshot(db: Session) -> dict[str, int]:
    db.expire_all()
    return {
        "consents": _count(db, Consent),
        "receipts": _count(db, ConsentReceipt),
        "prequalifications": _count(db, Prequalification),
        "offers": _count(db, Offer),
        "observations": _count(db, RiskObservation),
        "idempotency": _count(db, IdempotencyRecord),
        "events": _count(db, WebhookEvent),
        "attempts": _count(db, WebhookAttempt),
        "widget": _count(db, CheckoutSession),
    }


def test_a_run_removes_exactly_the_expired_rows_and_a_second_run_nothing(
    runner: FlaskCliRunner, db_session: Session, populated: dict[str, str]
) -> None:
    before = _snapshot(db_session)
    as_of = ["--as-of", NOW.isoformat(), "--json"]
    dry = runner.invoke(args=["retention", "run", "--dry-run", *as_of])
    assert dry.exit_code == 0, dry.output
    preview = json.loads(dry.output)["removed"]
    assert _snapshot(db_session) == before  # a dry run changes nothing
    result = runner.invoke(args=["retention", "run", "--batch", "1", *as_of])
    assert result.exit_code == 0, result.output
    removed = json.loads(result.output)["removed"]
    assert (
        removed
        == preview
        == {
            "consent_evidence": 1,
            "decision_inputs": 1,  # the old decision; the one that became a loan stays
            "risk_signals": 1,
            "idempotency_records": 1,
            "webhook_payloads": 1,  # delivered and old; the old pending one stays
            "widget_sessions": 1,
        }
    )
    after = _snapshot(db_session)
    assert before["consents"] - after["consents"] == 1
    assert before["receipts"] - after["receipts"] == 1
    assert before["prequalifications"] - after["prequalifications"] == 1
    assert before["offers"] - after["offers"] > 0
    assert before["events"] - after["events"] == 1 and after["attempts"] == before["attempts"] - 1
    assert db_session.get(Prequalification, populated["old"]) is None
    assert db_session.get(Prequalification, populated["loan"]) is not None
    assert db_session.get(WebhookEvent, "evt_pendingold0000000000000") is not None
    assert _count(db_session, Consent, Consent.customer_ref == populated["old_ref"]) == 0
    again = runner.invoke(args=["retention", "run", *as_of])
    assert json.loads(again.output)["removed"] == dict.fromkeys(removed, 0)
    assert _snapshot(db_session) == after
    verified = runner.invoke(args=["audit", "verify", "--json"])
    assert verified.exit_code == 0, verified.output
    assert _count(db_session, RetentionRun) == 2


def test_the_worker_runs_it_once_a_day(app: Flask, db_session: Session) -> None:
    from gateway.retention.cli import run_if_due

    with app.app_context():
        first = run_if_due(NOW)
        assert first is not None
        assert run_if_due(NOW + dt.timedelta(hours=23)) is None
        assert run_if_due(NOW + dt.timedelta(hours=24)) is not None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("webhook_payloads=abc", "whole number"),
        ("decision_inputs=30", "at least 1826 days"),
        ("chat_logs=3", "unknown retention category"),
    ],
)
def test_periods_are_checked(text: str, message: str, runner: FlaskCliRunner) -> None:
    with pytest.raises(InvalidPeriods, match=message):
        parse_periods(text)
    result = runner.invoke(args=["retention", "run", "--dry-run", "--period", text])
    assert result.exit_code == 2 and message in result.output


def test_periods_are_configurable() -> None:
    periods = parse_periods("webhook_payloads=60, widget_sessions=7")
    assert periods["webhook_payloads"] == 60 and periods["widget_sessions"] == 7
    assert periods["consent_evidence"] == 5 * 365 + 1
    settings = Settings.from_env({"GATEWAY_RETENTION_DAYS": "widget_sessions=7"})
    assert settings.retention_days == "widget_sessions=7"
    with pytest.raises(ConfigError, match="GATEWAY_RETENTION_DAYS: unknown"):
        Settings.from_env({"GATEWAY_RETENTION_DAYS": "cookies=1"})
