"""The real SDK against the real gateway: in-process (WSGI) and over a real socket.

``sandbox_credentials`` onboards the demo partners the way operations does
(``gateway partners apply`` then ``gateway clients issue demo-mall --env
sandbox --json``); ``gateway_sdk`` is an :class:`instalments.Client` whose
transport calls the app in-process (``httpx.WSGITransport``), inside the test's
rolled-back transaction. ``served_gateway`` serves the app on a loopback port
from a thread (werkzeug); tests using it commit for real and are marked
``committing``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from instalments import AsyncClient, Client

from gateway.config import Settings
from tests.served import served_app

# Authlib refuses plain http except on loopback names (RFC 8252 §7.3).
IN_PROCESS_URL = "http://localhost"


@pytest.fixture
def sandbox_credentials(runner: FlaskCliRunner, settings: Settings) -> dict[str, Any]:
    """demo-mall's sandbox ``{"client_id", "client_secret", "environment"}``."""
    applied = runner.invoke(args=["partners", "apply", str(settings.partner_configs)])
    assert applied.exit_code == 0, applied.output
    issued = runner.invoke(args=["clients", "issue", "demo-mall", "--env", "sandbox", "--json"])
    assert issued.exit_code == 0, issued.output
    credentials: dict[str, Any] = json.loads(issued.output)
    assert credentials["environment"] == "sandbox"
    return credentials


@pytest.fixture
def gateway_sdk(app: Flask, sandbox_credentials: dict[str, Any]) -> Iterator[Client]:
    """The SDK calling the gateway in-process, as demo-mall's sandbox client."""
    http = httpx.Client(transport=httpx.WSGITransport(app=app))
    with Client(
        client_id=sandbox_credentials["client_id"],
        client_secret=sandbox_credentials["client_secret"],
        base_url=IN_PROCESS_URL,
        http_client=http,
    ) as client:
        yield client


@pytest.fixture
def served_gateway(app: Flask) -> Iterator[str]:
    """The app served on a loopback port from a thread; yields its base URL."""
    with served_app(app) as url:
        yield url


@pytest.fixture
def socket_sdk(served_gateway: str, sandbox_credentials: dict[str, Any]) -> Iterator[Client]:
    """The SDK calling the served gateway over a real socket."""
    with Client(
        client_id=sandbox_credentials["client_id"],
        client_secret=sandbox_credentials["client_secret"],
        base_url=served_gateway,
    ) as client:
        yield client


@pytest.fixture
def async_socket_sdk(served_gateway: str, sandbox_credentials: dict[str, Any]) -> AsyncClient:
    """The async SDK against the served gateway (close it inside the test's loop)."""
    return AsyncClient(
        client_id=sandbox_credentials["client_id"],
        client_secret=sandbox_credentials["client_secret"],
        base_url=served_gateway,
    )
