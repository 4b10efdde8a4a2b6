"""Acceptance 5: over the limit the answer is 429 with Retry-After, and the limit
holds across two gateway processes sharing Redis (the real local Redis)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from gateway.app import create_app
from gateway.config import Settings
from gateway.db import Database
from gateway.partners import services as partners
from gateway.partners.config import PartnerConfig
from tests.gateway.oauth.conftest import Credentials
from tests.gateway.partners.samples import environment, partner_config

REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Redis storage with a key prefix of this test's own; small token-endpoint limits."""
    return settings.replace(
        ratelimit_storage_uri=REDIS,
        extra={
            "ratelimit_key_prefix": f"test-{uuid.uuid4().hex}",
            "token_limit_per_client": "3/minute",
        },
    )


@pytest.fixture
def slow_acme(onboard: Callable[..., Credentials], db_session: Session) -> Credentials:
    """``acme`` with sandbox credentials and a limit of 3 requests a minute."""
    creds = onboard("acme")
    data = partner_config("acme", sandbox=environment(), live=environment())
    data["rate_limit"] = {"requests_per_second": 100, "requests_per_minute": 3}
    partners.apply(db_session, {"acme": PartnerConfig.model_validate(data)})
    db_session.commit()
    return creds


def _read(client: FlaskClient, token: str) -> int:
    response = client.get("/v1/test-notes/none", headers={"Authorization": f"Bearer {token}"})
    return response.status_code


def test_over_the_limit_the_answer_is_429_with_retry_after(
    protected_app: Flask, slow_acme: Credentials, get_token: Callable[..., str]
) -> None:
    token = get_token(slow_acme)
    client = protected_app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    first = client.get("/v1/test-notes/none", headers=headers)
    assert first.status_code == 404
    assert first.headers["RateLimit-Limit"] == "3"
    assert first.headers["RateLimit-Remaining"] == "2"
    assert first.headers["RateLimit-Policy"] == "3;w=60"
    assert [_read(client, token) for _ in range(2)] == [404, 404]
    over = client.get("/v1/test-notes/none", headers=headers)
    assert over.status_code == 429
    assert over.mimetype == "application/problem+json"
    assert over.json["code"] == "rate_limited"
    assert 1 <= int(over.headers["Retry-After"]) <= 60
    assert over.headers["RateLimit-Remaining"] == "0"


@pytest.fixture
def second_process(settings: Settings, database: Database, protected_app: Flask) -> Flask:
    """A second gateway app: its own limiter and Redis connections, the same database."""
    other = create_app(settings)
    own = other.extensions["gateway.db"]
    other.extensions["gateway.db"] = database
    own.dispose()
    for name, blueprint in protected_app.blueprints.items():
        if name == "test_notes":
            other.register_blueprint(blueprint)
    return other


def test_limit_holds_across_two_gateway_processes_sharing_redis(
    protected_app: Flask,
    second_process: Flask,
    slow_acme: Credentials,
    get_token: Callable[..., str],
) -> None:
    token = get_token(slow_acme)
    one, two = protected_app.test_client(), second_process.test_client()
    assert (
        protected_app.extensions["gateway.limiter"]
        is not second_process.extensions["gateway.limiter"]
    )
    assert [_read(one, token), _read(two, token), _read(one, token)] == [404, 404, 404]
    assert _read(two, token) == 429
    assert _read(one, token) == 429


def test_token_endpoint_is_limited_per_client_id(
    client: FlaskClient, onboard: Callable[..., Credentials]
) -> None:
    creds = onboard("acme")
    assert creds.client_secret is not None
    data = {"grant_type": "client_credentials"}
    statuses = [
        client.post("/oauth/token", data=data, auth=(creds.client_id, creds.client_secret))
        for _ in range(4)
    ]
    assert [r.status_code for r in statuses] == [200, 200, 200, 429]
    assert int(statuses[-1].headers["Retry-After"]) >= 1
    other = onboard("rival")
    assert other.client_secret is not None
    fine = client.post("/oauth/token", data=data, auth=(other.client_id, other.client_secret))
    assert fine.status_code == 200


class TestLockoutAcrossProcesses:
    """Failed authentications are counted in Redis, so every process locks the client out."""

    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.replace(extra={**settings.extra, "token_limit_per_client": "100/minute"})

    def test_failures_in_two_processes_add_up_to_a_lockout(
        self, client: FlaskClient, second_process: Flask, onboard: Callable[..., Credentials]
    ) -> None:
        creds = onboard("acme")
        other = second_process.test_client()
        form = {"grant_type": "client_credentials", "client_id": creds.client_id}
        for attempt in range(10):
            target = client if attempt % 2 else other
            wrong = target.post("/oauth/token", data={**form, "client_secret": f"x{attempt}"})
            assert wrong.status_code in (400, 401)
        assert creds.client_secret is not None
        locked = other.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(creds.client_id, creds.client_secret),
        )
        assert locked.status_code == 429
        assert locked.json["code"] == "client_locked"


class TestRedisDown:
    """Decision (docs/authentication.md): fail open to per-process in-memory limits."""

    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.replace(ratelimit_storage_uri="redis://127.0.0.1:1/0")

    def test_requests_are_served_when_redis_is_unreachable(
        self,
        protected_app: Flask,
        onboard: Callable[..., Credentials],
        get_token: Callable[..., str],
    ) -> None:
        token = get_token(onboard("acme"))
        client = protected_app.test_client()
        assert _read(client, token) == 404
