"""``/metrics`` only from configured addresses or with the internal token."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.config import ConfigError, Settings

TOKEN = "metrics-token-" + "z" * 32


def _get(client: FlaskClient, address: str, token: str | None = None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.get("/metrics", headers=headers, environ_base={"REMOTE_ADDR": address})
    return response.status_code


def test_loopback_may_read_metrics_by_default(client: FlaskClient) -> None:
    assert _get(client, "127.0.0.1") == 200
    assert _get(client, "::1") == 200


def test_metrics_are_refused_to_the_internet(client: FlaskClient) -> None:
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "http_requests" not in response.get_data(as_text=True)


def test_configured_networks_and_the_token_are_let_in(settings: Settings) -> None:
    app = create_app(settings.replace(metrics_allow=("10.0.0.0/8",), metrics_token=TOKEN))
    try:
        client = app.test_client()
        assert _get(client, "10.1.2.3") == 200
        assert _get(client, "127.0.0.1") == 403
        assert _get(client, "203.0.113.9", TOKEN) == 200
        assert _get(client, "203.0.113.9", TOKEN + "x") == 403
        assert _get(client, "203.0.113.9", "") == 403
    finally:
        app.extensions["gateway.db"].dispose()


def test_without_a_token_setting_no_token_opens_it(client: FlaskClient) -> None:
    assert _get(client, "203.0.113.9", "anything") == 403


def test_allow_list_is_read_from_the_environment() -> None:
    settings = Settings.from_env({"GATEWAY_METRICS_ALLOW": "10.0.0.0/8, 192.168.1.5"})
    assert settings.metrics_allow == ("10.0.0.0/8", "192.168.1.5/32")
    assert Settings.from_env({"GATEWAY_METRICS_ALLOW": ""}).metrics_allow == ()
    with pytest.raises(ConfigError, match="GATEWAY_METRICS_ALLOW"):
        Settings.from_env({"GATEWAY_METRICS_ALLOW": "not-a-network"})
