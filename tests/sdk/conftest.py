"""Fixtures for SDK unit tests: a respx-mocked gateway, and clients that never sleep."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from instalments import AsyncClient, Client

BASE_URL = "https://gw.test"


def token_response(token: str = "tok-1", expires_in: int = 3600) -> httpx.Response:  # noqa: S107
    """What ``POST /oauth/token`` answers."""
    return httpx.Response(
        200, json={"access_token": token, "token_type": "Bearer", "expires_in": expires_in}
    )


def problem(status: int, code: str, **extra: Any) -> httpx.Response:
    """A problem+json response."""
    body = {"type": f"/docs#problem-{code}", "title": "t", "status": status, "detail": "d"}
    body.update(code=code, request_id="req-body", **extra)
    return httpx.Response(status, json=body, headers={"Content-Type": "application/problem+json"})


@pytest.fixture(autouse=True)
def _no_instalments_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("INSTALMENTS_CLIENT_ID", "INSTALMENTS_CLIENT_SECRET", "INSTALMENTS_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    """A mocked gateway whose token endpoint answers; add routes per test."""
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as mock:
        mock.post("/oauth/token", name="token").mock(return_value=token_response())
        yield mock


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every delay the clients would have slept, in order (nothing really sleeps)."""
    slept: list[float] = []

    def record(self: object, seconds: float) -> None:
        slept.append(seconds)

    async def arecord(self: object, seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(Client, "_sleep", record)
    monkeypatch.setattr(AsyncClient, "_sleep", arecord)
    return slept


@pytest.fixture
def sdk(router: respx.MockRouter, sleeps: list[float]) -> Iterator[Client]:
    """A sync client against the mocked gateway."""
    with Client(client_id="cid", client_secret="csecret", base_url=BASE_URL) as client:
        yield client


@pytest.fixture
def async_sdk(router: respx.MockRouter, sleeps: list[float]) -> AsyncClient:
    """An async client against the mocked gateway (tests run it with ``run_async``)."""
    return AsyncClient(client_id="cid", client_secret="csecret", base_url=BASE_URL)
