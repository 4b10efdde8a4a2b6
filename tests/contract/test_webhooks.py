"""A webhook the real gateway signs and delivers is verified and typed by the SDK."""

from __future__ import annotations

import json
from typing import Any

import httpx
from flask import Flask, request
from flask.testing import FlaskCliRunner
from instalments import Client, WebhookVerificationError, sandbox, webhooks

from gateway.config import Settings
from gateway.webhooks.delivery import deliver_due

from .test_consents import evidence


def receiver(secret: str, received: list[webhooks.WebhookEvent]) -> Flask:
    """A partner's endpoint, as docs/sdk/webhooks.md shows it."""
    shop = Flask("partner_shop")

    @shop.post("/webhooks/instalments")
    def instalments_webhook() -> tuple[str, int]:
        try:
            event = webhooks.verify(request.get_data(), request.headers, secret)
        except WebhookVerificationError:
            return "", 400
        received.append(event)
        return "", 204

    return shop


def test_a_revoked_consent_reaches_the_partner_as_a_verified_consent_event(
    app: Flask,
    runner: FlaskCliRunner,
    settings: Settings,
    gateway_sdk: Client,
) -> None:
    issued = runner.invoke(args=["webhooks", "secret", "demo-mall", "--env", "sandbox", "--json"])
    assert issued.exit_code == 0, issued.output
    secret = json.loads(issued.output)["secret"]
    notice = gateway_sdk.consent_notices.retrieve("marketing")
    consent = gateway_sdk.consents.create(
        customer={"phone": sandbox.APPROVED},
        grants=[{"purpose": "marketing", "granted": True, "notice_version": notice.version}],
        evidence=evidence(),
    ).consents[0]
    gateway_sdk.consents.revoke(consent.id, reason="no more offers")

    received: list[Any] = []
    shop = httpx.Client(transport=httpx.WSGITransport(app=receiver(secret, received)))
    with app.app_context():
        report = deliver_due(
            app.extensions["gateway.db"], secret_key=settings.secret_key, http=shop
        )
    assert report.delivered and not report.retrying
    (event,) = [e for e in received if isinstance(e, webhooks.ConsentEvent)]
    assert event.type == "consent.revoked"
    assert event.data.object.id == consent.id and event.data.object.status == "revoked"


def test_a_delivery_signed_with_another_secret_is_refused(
    app: Flask, runner: FlaskCliRunner, settings: Settings, gateway_sdk: Client
) -> None:
    runner.invoke(args=["webhooks", "secret", "demo-mall", "--env", "sandbox", "--json"])
    notice = gateway_sdk.consent_notices.retrieve("marketing")
    consent = gateway_sdk.consents.create(
        customer={"phone": sandbox.APPROVED},
        grants=[{"purpose": "marketing", "granted": True, "notice_version": notice.version}],
        evidence=evidence(),
    ).consents[0]
    gateway_sdk.consents.revoke(consent.id)
    received: list[Any] = []
    wrong = "whsec_" + "QUJD" * 11
    shop = httpx.Client(transport=httpx.WSGITransport(app=receiver(wrong, received)))
    with app.app_context():
        report = deliver_due(
            app.extensions["gateway.db"], secret_key=settings.secret_key, http=shop
        )
    assert report.retrying and not report.delivered
    assert received == []
