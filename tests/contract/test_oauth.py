"""Tokens: the SDK authenticates to the real gateway and maps its OAuth errors."""

from __future__ import annotations

from typing import Any

import httpx
import instalments
import pytest
from flask import Flask
from instalments import Client

from .conftest import IN_PROCESS_URL


def test_the_sdk_fetches_a_token_from_the_gateway(gateway_sdk: Client) -> None:
    # The public JWKS needs no token; a token request is what authenticates the client.
    keys = gateway_sdk._fetch_jwks()
    assert keys["keys"] and all("kid" in key for key in keys["keys"])
    request = gateway_sdk._auth._token_request(httpx.Request("GET", IN_PROCESS_URL))
    answer = gateway_sdk._http.send(request)
    assert answer.status_code == 200, answer.text
    assert answer.json()["token_type"].lower() == "bearer"


def test_a_wrong_secret_is_an_authentication_error_naming_invalid_client(
    app: Flask, sandbox_credentials: dict[str, Any]
) -> None:
    client = Client(
        client_id=sandbox_credentials["client_id"],
        client_secret="not-the-secret",
        base_url=IN_PROCESS_URL,
        http_client=httpx.Client(transport=httpx.WSGITransport(app=app)),
        max_retries=0,
    )
    with pytest.raises(instalments.AuthenticationError) as caught:
        client.consent_notices.retrieve("prequalification")
    assert caught.value.code == "invalid_client"
    assert caught.value.status_code == 401
