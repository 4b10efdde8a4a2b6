"""Redis stops under a running gateway: the documented choice is to fail open.

docs/authentication.md: "If Redis is unreachable the gateway fails open to
per-process limits: each process keeps counting in memory …, checks Redis
again with backoff, and logs a warning. No request is refused because Redis is
down." The test runs a private ``redis-server`` (never the machine's shared
one), counts limits in it, stops it mid-run, and checks exactly that.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from gateway.config import Settings
from tests.resilience.conftest import free_port

TOKEN_LIMIT = 5  # per client per minute, low so the in-memory fallback is seen refusing


class PrivateRedis:
    """A ``redis-server`` this test started (and stops by its own pid)."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.uri = f"redis://127.0.0.1:{self.port}/0"
        binary = shutil.which("redis-server")
        assert binary is not None
        options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)]
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), *options],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis(port=self.port).ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def keys(self) -> int:
        return int(redis.Redis(port=self.port).dbsize())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    """A running private Redis (skipped locally without ``redis-server``)."""
    if shutil.which("redis-server") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server not installed", pytrace=False)
        pytest.skip("redis-server not installed")
    server = PrivateRedis(tmp_path)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def settings(settings: Settings, private_redis: PrivateRedis) -> Settings:
    return settings.replace(
        ratelimit_storage_uri=private_redis.uri,
        extra={**settings.extra, "token_limit_per_client": f"{TOKEN_LIMIT}/minute"},
    )


def _token_status(partner: Any) -> int:
    response = partner.client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(partner.client_id, partner.client_secret),
    )
    return int(response.status_code)


def test_when_redis_stops_requests_are_served_and_limits_fall_back_to_memory(
    partner_api: Any, private_redis: PrivateRedis, caplog: pytest.LogCaptureFixture
) -> None:
    partner = partner_api("demo-mall", "sandbox")
    assert partner.get("/v1/products").status_code == 200
    assert _token_status(partner) == 200
    assert private_redis.keys() > 0, "limits are counted in Redis while it is up"

    private_redis.stop()

    started = time.monotonic()
    statuses = [partner.get("/v1/products").status_code for _ in range(20)]
    assert statuses == [200] * 20, "no request is refused because Redis is down"
    assert time.monotonic() - started < 10, "a dead Redis costs milliseconds, not the request"
    # Each process still counts in memory: the per-client token limit refuses
    # the request after TOKEN_LIMIT, from a fresh in-memory count.
    tokens = [_token_status(partner) for _ in range(TOKEN_LIMIT + 1)]
    assert tokens == [200] * TOKEN_LIMIT + [429]
    assert any(record.levelname == "WARNING" for record in caplog.records)
