"""The widget's endpoints are rate limited per checkout session and per hashed client address."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.config import Settings
from tests.gateway.widget.conftest import MALL_ORIGIN, Browser, create_session


def _quote(client: FlaskClient, amount: str) -> Any:
    return client.get(f"/widget/v1/messages?partner=demo-mall&amount={amount}")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.replace(
        extra={
            "ratelimit_key_prefix": f"test-{uuid.uuid4().hex}",
            "messages_limit_per_address": "3/minute",
            "widget_limit_per_session": "4/minute",
            "widget_limit_per_address": "6/minute",
        }
    )


def test_the_message_is_rate_limited_per_client_address(
    app: Flask, client: FlaskClient, demo_partners: list[str]
) -> None:
    statuses = [_quote(client, f"{3999 + n}.00").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = _quote(client, "3999.00")
    assert limited.get_json()["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) >= 1
    # Another address has its own allowance.
    other = client.get(
        "/widget/v1/messages?partner=demo-mall&amount=3999.00",
        environ_base={"REMOTE_ADDR": "10.9.8.7"},
    )
    assert other.status_code == 200


def test_a_checkout_session_is_limited_on_its_own(browser: Browser) -> None:
    statuses = [browser.get().status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    limited = browser.get()
    assert limited.get_json()["code"] == "rate_limited"
    assert "Retry-After" in limited.headers


def test_sessions_from_one_address_share_its_allowance(
    browser: Browser, partner_api: Any, client: FlaskClient
) -> None:
    other = create_session(partner_api("demo-mall")).get_json()
    second = Browser(client, other["id"], other["client_token"], MALL_ORIGIN)
    # Different calls of both sessions count together.
    statuses = [b.get().status_code for b in (browser, second) * 2]
    statuses += [b.get("/notices?locale=en").status_code for b in (browser, second) * 2]
    assert statuses == [200] * 6 + [429, 429]


def test_the_limiter_never_stores_a_raw_address(app: Flask, browser: Browser) -> None:
    browser.get()
    _quote(browser.client, "3999.00")
    storage = app.extensions["gateway.limiter"].storage
    keys = [str(k) for k in getattr(storage, "storage", {}) if "widget" in str(k)]
    assert any("widget-address:" in k for k in keys) and any("widget-session:" in k for k in keys)
    assert [k for k in keys if "127.0.0.1" in k] == []
