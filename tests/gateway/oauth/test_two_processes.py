"""Acceptance 5, with real processes: two ``gateway serve`` processes sharing one
database and one Redis enforce one rate limit between them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gateway.db import Database
from gateway.migrations import upgrade
from gateway.oauth import credentials
from gateway.partners import services as partners
from gateway.partners.config import PartnerConfig
from tests.gateway.partners.samples import demo_config

pytestmark = pytest.mark.slow

GATEWAY = Path(sys.executable).with_name("gateway")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gateway serve exited")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise TimeoutError(base)


@pytest.fixture
def onboarded(tmp_path: Path) -> tuple[str, str, str]:
    """A SQLite gateway database with demo-mall (3 requests a minute) and its credentials."""
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    upgrade(url)
    data = demo_config("demo-mall")
    data["rate_limit"] = {"requests_per_second": 100, "requests_per_minute": 3}
    database = Database(url)
    from gateway.app import create_app
    from gateway.config import Settings

    app = create_app(
        Settings(
            env="test",
            database_url=url,
            secret_key="s" * 48,
            identifier_pepper="p" * 48,
            instance_path=tmp_path / "instance",
        )
    )
    with app.app_context(), database.new_session() as db:
        partners.apply(db, {"demo-mall": PartnerConfig.model_validate(data)})
        issued = credentials.issue(db, "demo-mall", "sandbox")
        db.commit()
    app.extensions["gateway.db"].dispose()
    database.dispose()
    assert issued.client_secret is not None
    return url, issued.client_id, issued.client_secret


@pytest.fixture
def two_gateways(onboarded: tuple[str, str, str], tmp_path: Path) -> Iterator[list[str]]:
    url = onboarded[0]
    env = {
        **os.environ,
        "GATEWAY_ENV": "test",
        "GATEWAY_DATABASE_URL": url,
        "GATEWAY_SECRET_KEY": "s" * 48,
        "GATEWAY_IDENTIFIER_PEPPER": "p" * 48,
        "GATEWAY_INSTANCE_PATH": str(tmp_path / "instance"),
        "GATEWAY_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        # Behind a load balancer both processes answer for one issuer.
        "GATEWAY_ISSUER": "https://gateway.test",
        "GATEWAY_LOG_LEVEL": "WARNING",
    }
    processes, bases = [], []
    try:
        for _ in range(2):
            port = _free_port()
            process = subprocess.Popen(
                [str(GATEWAY), "serve", "--port", str(port), "--workers", "1"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            processes.append(process)
            bases.append(f"http://127.0.0.1:{port}")
        for base, process in zip(bases, processes, strict=True):
            _wait_until_up(base, process)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)


def test_rate_limit_holds_across_two_gateway_serve_processes(
    onboarded: tuple[str, str, str], two_gateways: list[str]
) -> None:
    _, client_id, secret = onboarded
    first, second = two_gateways
    token = httpx.post(
        f"{first}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, secret),
        timeout=10,
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}", "X-Request-Id": uuid.uuid4().hex}
    path = "/v1/products?amount=3999.00&currency=CNY"
    statuses = [
        httpx.get(f"{base}{path}", headers=headers, timeout=10).status_code
        for base in (first, second, first, second, first)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    over = httpx.get(f"{second}{path}", headers=headers, timeout=10)
    assert over.status_code == 429
    assert int(over.headers["Retry-After"]) >= 1
