"""Rows written straight to the tables, to page through hundreds of objects quickly.

The API makes these one request at a time; the list tests need 250 of each
for one tenant and others for other tenants, with many sharing a timestamp
(so the ``(created_at, id)`` tie-break is exercised).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from sqlalchemy.orm import Session

from gateway import ids
from gateway.applications.models import Application, Refund
from gateway.offers.models import Offer
from gateway.prequal.models import Prequalification
from gateway.webhooks.models import WebhookAttempt, WebhookEvent

BASE = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)


def moment(index: int) -> dt.datetime:
    """Three objects per second: ties are common."""
    return BASE + dt.timedelta(seconds=index // 3)


def prequalification(
    db: Session, partner: str, env: str, when: dt.datetime, order_ref: str | None = None
) -> Prequalification:
    """An approved decision for 3999.00 CNY."""
    scenario = {"type": "ecommerce", "amount": "3999.00", "currency": "CNY"}
    if order_ref is not None:
        scenario["merchant_order_ref"] = order_ref
    pq = Prequalification(
        id=ids.new_id("pq"),
        partner_id=partner,
        environment=env,
        customer_ref="cref_" + ids.new_id("x"),
        consent_id=ids.new_id("cns"),
        status="approved",
        scenario_type="ecommerce",
        scenario=scenario,
        product_code="mall-instalments",
        currency="CNY",
        requested_amount=Decimal("3999.00"),
        approved_amount=Decimal("3999.00"),
        upfront_payment=Decimal("0.00"),
        grade="A",
        score=700,
        pd=0.01,
        score_band="700-719",
        segment="thick_file",
        model_version="test",
        inputs_hash="0" * 64,
        reasons=[],
        new_to_bank=False,
        sandbox_persona=None,
        experiment_arm=None,
        human_review_requested_at=None,
        created_at=when,
        expires_at=when + dt.timedelta(days=30),
    )
    db.add(pq)
    db.flush()
    return pq


def offer(db: Session, pq: Prequalification, subsidy: Decimal | None = None) -> Offer:
    """A 12-month offer of the whole amount."""
    row = Offer(
        id=ids.new_id("off"),
        prequalification_id=pq.id,
        partner_id=pq.partner_id,
        environment=pq.environment,
        customer_ref=pq.customer_ref,
        consent_id=pq.consent_id,
        rank=1,
        product_code="mall-instalments",
        currency="CNY",
        principal=pq.requested_amount,
        tenor_months=12,
        repayment_method="equal_instalments",
        apr=Decimal("0.1290"),
        monthly_payment=Decimal("356.99"),
        total_interest=Decimal("284.88"),
        total_fees=Decimal("0.00"),
        total_cost=Decimal("284.88"),
        total_repayable=Decimal("4283.88"),
        merchant_subsidy=subsidy,
        schedule=[],
        schedule_hash="0" * 64,
        status="accepted",
        void_reason=None,
        created_at=pq.created_at,
        expires_at=pq.expires_at,
        token="x.y.z",
    )
    db.add(row)
    db.flush()
    return row


def application(
    db: Session,
    pq: Prequalification,
    when: dt.datetime,
    *,
    status: str = "submitted",
    subsidy: Decimal | None = None,
    principal: Decimal | None = None,
) -> Application:
    """The application an accepted offer became (funded at ``when`` if ``status="funded"``)."""
    accepted = offer(db, pq, subsidy)
    amount = principal if principal is not None else pq.requested_amount
    funded = status == "funded"
    row = Application(
        id=ids.new_id("app"),
        offer_id=accepted.id,
        prequalification_id=pq.id,
        partner_id=pq.partner_id,
        environment=pq.environment,
        customer_ref=pq.customer_ref,
        credit_inquiry_consent_id=ids.new_id("cns"),
        status=status,
        currency="CNY",
        principal=amount,
        underwriting_decision="approved" if funded else None,
        decision_reasons=[],
        funded_amount=amount if funded else None,
        outstanding_principal=amount if funded else None,
        refunded_amount=Decimal("0.00"),
        schedule=[] if funded else None,
        cancel_reason=None,
        created_at=when,
        updated_at=when,
        review_started_at=None,
        decided_at=when if funded else None,
        funded_at=when if funded else None,
        cancelled_at=None,
    )
    db.add(row)
    db.flush()
    return row


def refund(db: Session, app: Application, when: dt.datetime, amount: Decimal) -> Refund:
    """A refund recorded at ``when`` (the application's balances are not touched)."""
    row = Refund(
        id=ids.new_id("rf"),
        application_id=app.id,
        refund_id=ids.new_id("shop"),
        amount=amount,
        reason=None,
        outstanding_before=app.principal,
        outstanding_after=app.principal - amount,
        created_at=when,
    )
    db.add(row)
    db.flush()
    return row


def webhook_event(db: Session, partner: str, env: str, when: dt.datetime) -> WebhookEvent:
    """A delivered event with one attempt."""
    event_id = ids.new_id("evt")
    body = {"id": event_id, "type": "application.submitted", "data": {"object": {}}}
    event = WebhookEvent(
        id=event_id,
        partner_id=partner,
        environment=env,
        type="application.submitted",
        resource_id=ids.new_id("app"),
        sequence=1,
        body=json.dumps(body),
        status="delivered",
        attempts=1,
        created_at=when,
        next_attempt_at=when,
        retry_until=when + dt.timedelta(days=3),
        delivered_at=when,
        dead_at=None,
        last_error=None,
    )
    db.add(event)
    db.flush()
    db.add(
        WebhookAttempt(
            event_id=event_id,
            number=1,
            attempted_at=when,
            url="https://shop.example/hooks",
            status_code=204,
            duration_ms=12,
            outcome="delivered",
            error=None,
        )
    )
    return event
