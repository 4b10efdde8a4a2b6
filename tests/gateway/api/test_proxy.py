"""Behind a TLS-terminating load balancer: trusted X-Forwarded-Proto, OAuth over HTTPS only."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.config import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """One trusted proxy in front of the gateway."""
    return settings.replace(trusted_proxies=1)


def _token(api: Any, **kwargs: Any) -> Any:
    return api.client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(api.client_id, api.client_secret),
        **kwargs,
    )


def test_plain_http_token_request_is_an_oauth_error_not_a_500(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    response = _token(api, base_url="http://gateway.bank.example")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert response.get_json()["error"] == "insecure_transport"


def test_https_terminated_at_a_trusted_proxy_is_accepted(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    response = _token(
        api,
        base_url="http://gateway.bank.example",
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "api.bank.example"},
    )
    assert response.status_code == 200, response.get_json()
