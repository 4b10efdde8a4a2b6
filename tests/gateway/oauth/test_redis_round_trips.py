"""One Redis round trip per rate-limited ``/v1`` request, none for the others (real Redis)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import redis.connection
from flask import Flask

from gateway.config import Settings
from tests.gateway.oauth.conftest import Credentials

REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Redis storage under a key prefix of this test's own."""
    return settings.replace(
        ratelimit_storage_uri=REDIS, extra={"ratelimit_key_prefix": f"test-{uuid.uuid4().hex}"}
    )


@contextmanager
def round_trips(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """Every packed write to a Redis server in the block (one per round trip)."""
    sent: list[bytes] = []
    real = redis.connection.AbstractConnection.send_packed_command

    def counting(self: Any, command: Any, check_health: bool = True) -> None:
        sent.append(b"".join(command) if isinstance(command, list) else bytes(command))
        real(self, command, check_health)

    with monkeypatch.context() as patch:
        patch.setattr(redis.connection.AbstractConnection, "send_packed_command", counting)
        yield sent


def test_a_rate_limited_request_makes_one_redis_round_trip(
    protected_app: Flask,
    onboard: Callable[..., Credentials],
    get_token: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = get_token(onboard("acme"))
    client = protected_app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/test-notes/none", headers=headers).status_code == 404  # connects
    with round_trips(monkeypatch) as sent:
        response = client.get("/v1/test-notes/none", headers=headers)
    assert response.status_code == 404
    assert response.headers["RateLimit-Remaining"]
    assert len(sent) == 1, sent
    assert b"EVALSHA" in sent[0]


def test_requests_outside_v1_make_no_redis_round_trip(
    protected_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = protected_app.test_client()
    with round_trips(monkeypatch) as sent:
        for path in ("/healthz", "/openapi.json", "/.well-known/jwks.json"):
            assert client.get(path).status_code == 200
    assert sent == []
