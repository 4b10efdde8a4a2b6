"""The real SDK against the real gateway: auto-pagination, a test webhook, a settlement."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
from flask import Flask
from flask.testing import FlaskCliRunner
from instalments import Client, sandbox, types, webhooks

from gateway.webhooks.views import HTTP_EXTENSION
from tests.gateway.applications.flow import underwrite

from .test_offers import _inquiry_consent
from .test_prequalifications import SCENARIO, consent_for
from .test_webhooks import receiver

PHONES = [f"+86139000001{n:02d}" for n in range(7)] + [sandbox.APPROVED, sandbox.DECLINED]


def test_iterating_a_list_walks_every_page_newest_first(gateway_sdk: Client) -> None:
    made = []
    for index, phone in enumerate(PHONES):
        scenario = SCENARIO | {"merchant_order_ref": f"order-{index}"}
        decision = gateway_sdk.prequalifications.create(
            consent_id=consent_for(gateway_sdk, phone), customer={"phone": phone}, scenario=scenario
        )
        made.append(decision.id)
    page = gateway_sdk.prequalifications.list(limit=4)
    assert len(page.data) == 4 and page.has_more
    walked = [decision.id for decision in page]
    assert walked == list(reversed(made))  # newest first, no gap, no repeat
    assert [len(p.data) for p in page.iter_pages()] == [4, 4, 1]
    backwards = gateway_sdk.prequalifications.list(limit=2, ending_before=made[0])
    assert sorted(d.id for d in backwards) == sorted(made[1:])
    (only,) = gateway_sdk.prequalifications.list(merchant_order_ref="order-3")
    assert only.id == made[3]
    declined = list(gateway_sdk.prequalifications.list(status="declined"))
    assert made[-1] in [d.id for d in declined]


def test_a_test_webhook_is_received_and_verified_by_the_partner(
    app: Flask, runner: FlaskCliRunner, gateway_sdk: Client
) -> None:
    issued = runner.invoke(args=["webhooks", "secret", "demo-mall", "--env", "sandbox", "--json"])
    secret = json.loads(issued.output)["secret"]
    received: list[Any] = []
    shop = httpx.Client(transport=httpx.WSGITransport(app=receiver(secret, received)))
    app.extensions[HTTP_EXTENSION] = shop
    result = gateway_sdk.webhook_endpoints.test()
    assert result.delivered and result.status_code == 204
    (event,) = received
    assert isinstance(event, webhooks.PingEvent)
    assert event.id == result.event.id and event.data.object.partner_id == "demo-mall"
    (logged,) = gateway_sdk.webhook_events.list(type="ping")
    assert logged.id == event.id and logged.status == "delivered"
    assert gateway_sdk.webhook_events.retrieve(event.id).attempts[0].status_code == 204


def test_a_days_settlement_reconciles_with_funded_minus_refunded(
    app: Flask, gateway_sdk: Client
) -> None:
    decision = gateway_sdk.prequalifications.create(
        consent_id=consent_for(gateway_sdk, sandbox.APPROVED),
        customer={"phone": sandbox.APPROVED},
        scenario=SCENARIO,
    )
    subsidised = [o for o in decision.offers if o.merchant_subsidy]
    offer = (subsidised or decision.offers)[0]
    assert decision.decision_token is not None
    application = gateway_sdk.offers.accept(
        offer.id,
        decision_token=decision.decision_token,
        credit_inquiry_consent_id=_inquiry_consent(gateway_sdk, sandbox.APPROVED),
    )
    underwrite(app)
    gateway_sdk.events.create(
        id=f"done-{offer.id}",
        type="checkout_completed",
        offer_id=offer.id,
        occurred_at=datetime.now(UTC),
    )
    assert gateway_sdk.applications.retrieve(application.id).status == "funded"
    gateway_sdk.applications.refund(application.id, refund_id="rf-1", amount=Decimal("999.99"))
    (listed,) = gateway_sdk.applications.list_refunds(application.id)
    assert listed.amount == Decimal("999.99") and listed.refund_id == "rf-1"
    (funded,) = gateway_sdk.applications.list(status="funded")
    assert funded.id == application.id

    settlement = gateway_sdk.settlements.retrieve(date=datetime.now(UTC).date())
    assert isinstance(settlement, types.Settlement)
    (line,) = settlement.lines
    assert line.application_id == application.id
    assert line.funded_amount == offer.principal and line.refunded_amount == Decimal("999.99")
    assert line.merchant_subsidy == (offer.merchant_subsidy or Decimal("0.00"))
    totals = settlement.totals
    assert totals.funded_amount - totals.refunded_amount == offer.principal - Decimal("999.99")
    assert totals.net == totals.funded_amount - totals.refunded_amount - totals.merchant_subsidy
    assert totals.net == sum((ln.net for ln in settlement.lines), Decimal("0.00"))
