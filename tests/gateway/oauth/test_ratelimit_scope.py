"""The ``/v1`` limits cover ``/v1`` only: operations endpoints are never refused."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from gateway.oauth.ratelimit import UNAUTHENTICATED_PER_IP

OVER_THE_LIMIT = int(UNAUTHENTICATED_PER_IP.split("/")[0]) + 10


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
def test_operations_endpoints_are_not_rate_limited(client: FlaskClient, path: str) -> None:
    statuses = {client.get(path).status_code for _ in range(OVER_THE_LIMIT)}
    assert statuses == {200}


def test_unauthenticated_v1_calls_are_still_limited_per_ip(client: FlaskClient) -> None:
    statuses = [client.get("/v1/products").status_code for _ in range(OVER_THE_LIMIT)]
    assert statuses[0] == 401
    assert statuses[-1] == 429


def test_flask_limiter_does_not_run_on_v1_but_still_does_on_the_token_endpoint(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flask_limiter import Limiter

    seen: list[str] = []
    resolve = Limiter.identify_request  # the first thing its check does

    def spy(self: Limiter) -> str:
        from flask import request

        seen.append(request.path)
        return resolve(self)

    monkeypatch.setattr(Limiter, "identify_request", spy)
    client.get("/v1/products")
    client.post("/v1/prequalifications", json={})
    assert seen == []  # /v1 is counted once, by the windows limiter
    client.post("/oauth/token", data={"grant_type": "client_credentials"})
    assert "/oauth/token" in seen
