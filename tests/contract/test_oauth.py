"""Tokens: the SDK authenticates to the real gateway and maps its OAuth errors."""

from __future__ import annotations

from typing import Any

import httpx
import instalments
import pytest
from flask import Flask
from instalments import Client

from .conftest import IN_PROCESS_URL


def test_the_sdk_fetches_one_token_and_reuses_it(
    app: Flask, sandbox_credentials: dict[str, Any]
) -> None:
    paths: list[str] = []
    wsgi = httpx.WSGITransport(app=app)

    def counting(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        return wsgi.handle_request(request)

    client = Client(
        client_id=sandbox_credentials["client_id"],
        client_secret=sandbox_credentials["client_secret"],
        base_url=IN_PROCESS_URL,
        http_client=httpx.Client(transport=httpx.MockTransport(counting)),
    )
    for purpose in ("prequalification", "credit_inquiry", "marketing"):
        assert client.consent_notices.retrieve(purpose).purpose == purpose
    assert paths.count("/oauth/token") == 1
    assert client._fetch_jwks()["keys"]  # the JWKS is public: no token needed
    assert paths.count("/oauth/token") == 1


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
