"""POST /v1/webhook-endpoints/test: a signed ping, sent now, its result returned and logged."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from gateway.webhooks import signing
from gateway.webhooks.views import HTTP_EXTENSION

Answer = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
def received(app: Flask) -> list[httpx.Request]:
    """Requests the partner's endpoint got (answered 204 unless a test sets ``answer``)."""
    got: list[httpx.Request] = []
    answer: list[Answer] = [lambda request: httpx.Response(204)]

    def handler(request: httpx.Request) -> httpx.Response:
        got.append(request)
        return answer[0](request)

    app.extensions[HTTP_EXTENSION] = httpx.Client(transport=httpx.MockTransport(handler))
    app.extensions["test.answer"] = answer
    return got


def _secret(runner: FlaskCliRunner) -> str:
    issued = runner.invoke(args=["webhooks", "secret", "demo-mall", "--env", "sandbox", "--json"])
    assert issued.exit_code == 0, issued.output
    secret: str = json.loads(issued.output)["secret"]
    return secret


def test_a_ping_is_signed_sent_now_and_logged(
    app: Flask, runner: FlaskCliRunner, partner_api: Any, received: list[httpx.Request]
) -> None:
    secret = _secret(runner)
    api = partner_api()
    response = api.post("/v1/webhook-endpoints/test", json={})
    assert response.status_code == 200, response.get_json()
    result = response.get_json()
    assert result["delivered"] is True and result["status_code"] == 204
    (request,) = received
    assert str(request.url) == "http://127.0.0.1:5055/webhooks/instalments"
    assert signing.verify(secret, dict(request.headers), request.content)
    payload = json.loads(request.content)
    assert payload["type"] == "ping" and payload["id"] == request.headers["webhook-id"]
    assert payload["data"]["object"] == {
        "object": "ping",
        "partner_id": "demo-mall",
        "environment": "sandbox",
    }
    logged = api.get("/v1/webhook-events?type=ping").get_json()["data"]
    assert [e["id"] for e in logged] == [payload["id"]]
    assert logged[0]["status"] == "delivered" and logged[0]["payload"] == payload
    assert logged[0] == result["event"]


def test_a_failed_ping_is_reported_and_never_retried(
    app: Flask, runner: FlaskCliRunner, partner_api: Any, received: list[httpx.Request]
) -> None:
    _secret(runner)
    app.extensions["test.answer"][0] = lambda request: httpx.Response(500)
    result = partner_api().post("/v1/webhook-endpoints/test", json={}).get_json()
    assert result["delivered"] is False and result["status_code"] == 500
    assert result["error"] == "HTTP 500" and result["event"]["status"] == "dead"
    assert result["event"]["next_attempt_at"] is None


def test_without_a_secret_the_ping_says_so(
    app: Flask, partner_api: Any, received: list[httpx.Request]
) -> None:
    result = partner_api().post("/v1/webhook-endpoints/test", json={}).get_json()
    assert result["delivered"] is False and result["status_code"] is None
    assert "secret" in result["error"] and received == []


def test_live_credentials_get_403_sandbox_only(
    app: Flask, partner_api: Any, received: list[httpx.Request]
) -> None:
    response = partner_api("demo-mall", "live").post("/v1/webhook-endpoints/test", json={})
    assert response.status_code == 403
    assert response.get_json()["code"] == "sandbox_only"
    assert received == []
