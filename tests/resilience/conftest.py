"""Real gateway processes for fault injection: ``gateway serve`` as a subprocess.

These tests need real processes (a server to kill, a database to stop), so they
do not use the in-process ``app`` fixture. :class:`GatewayProcess` prepares a
database with the ``gateway`` command line (migrate, apply the demo partners,
issue sandbox credentials) and runs ``gateway serve`` in its own process group,
which a test may SIGKILL and start again on the same database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from gateway.db.admin import fresh_database
from gateway.identity import id_check_character

ROOT = Path(__file__).resolve().parents[2]
GATEWAY = str(Path(sys.executable).with_name("gateway"))
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/gateway_test"
PEPPER = "resilience-pepper-" + "p" * 32


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def resident_id(first17: str) -> str:
    """A resident ID number: 17 digits and their ISO 7064 MOD 11-2 check character."""
    return first17 + id_check_character(first17)


def fresh_postgres_database(suffix: str) -> str:
    """A database beside the test database (``<name>_<suffix>``), created or emptied.

    Skipped locally when PostgreSQL is unreachable; a failure when ``CI=true``.
    """
    base = make_url(os.environ.get("GATEWAY_TEST_DATABASE_URL", DEFAULT_PG_URL))
    target = base.set(database=f"{base.database}_{suffix}")
    url = target.render_as_string(hide_password=False)
    try:
        fresh_database(url)
    except Exception as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL unreachable: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL unreachable: {exc}")
    return target.render_as_string(hide_password=False)


class GatewayProcess:
    """A gateway on its own database, run with the ``gateway`` command line."""

    def __init__(self, database_url: str, workdir: Path, **env: str) -> None:
        self.database_url = database_url
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "gateway.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.env = {
            **os.environ,
            "GATEWAY_ENV": "development",
            "GATEWAY_DATABASE_URL": database_url,
            "GATEWAY_SECRET_KEY": "resilience-secret-" + "s" * 32,
            "GATEWAY_IDENTIFIER_PEPPER": PEPPER,
            "GATEWAY_INSTANCE_PATH": str(workdir / "instance"),
            "GATEWAY_PARTNER_CONFIGS": str(ROOT / "partner_configs"),
            "GATEWAY_LOG_LEVEL": "INFO",
            **env,
        }
        self.client_id = ""
        self.client_secret = ""

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a ``gateway`` command on this gateway's database."""
        done = subprocess.run(
            [GATEWAY, *args], env=self.env, capture_output=True, text=True, check=False
        )
        if check and done.returncode != 0:
            raise AssertionError(f"gateway {' '.join(args)}: {done.stderr.strip()}")
        return done

    def prepare(self, partner: str = "demo-mall") -> None:
        """Migrate, apply the demo partners, issue sandbox credentials for ``partner``."""
        self.cli("db", "upgrade")
        self.cli("partners", "apply", str(ROOT / "partner_configs"))
        issued = json.loads(
            self.cli("clients", "issue", partner, "--env", "sandbox", "--json").stdout
        )
        self.client_id = issued["client_id"]
        self.client_secret = issued["client_secret"]

    def start(self, workers: int = 1) -> None:
        """Start ``gateway serve`` (its own process group) and wait for ``/healthz``."""
        command = [GATEWAY, "serve", "--port", str(self.port), "--workers", str(workers)]
        with self.log_path.open("ab") as log:  # the child keeps its own descriptor
            self.process = subprocess.Popen(
                command, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log_path.read_text()[-2000:]
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError("gateway did not start:\n" + self.log_path.read_text()[-2000:])

    def kill(self, sig: signal.Signals = signal.SIGTERM) -> None:
        """Send ``sig`` to the server's process group (master and workers) and wait."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, sig)
        self.process.wait(timeout=30)
        if sig == signal.SIGKILL:
            # The workers are in the same group; give the kernel a moment to reap them.
            time.sleep(0.5)

    def token(self) -> str:
        """A sandbox access token with the client's scopes."""
        response = httpx.post(
            f"{self.url}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(self.client_id, self.client_secret),
            timeout=30,
        )
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token


def consent_body(phone: str, id_number: str | None = None) -> dict[str, Any]:
    """A ``prequalification`` + ``credit_inquiry`` consent captured just now."""
    customer: dict[str, Any] = {"phone": phone}
    if id_number is not None:
        customer["id_number"] = id_number
    return {
        "customer": customer,
        "grants": [
            {"purpose": purpose, "granted": True, "notice_version": "2026-11-01"}
            for purpose in ("prequalification", "credit_inquiry")
        ],
        "evidence": {
            "captured_at": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
            "channel": "web",
            "locale": "zh-CN",
            "ip": "203.0.113.7",
            "user_agent": "Mozilla/5.0",
            "page_url": "https://shop.example/checkout",
        },
    }


def prequal_body(
    phone: str, consent_id: str, amount: str = "3999.00", id_number: str | None = None
) -> dict[str, Any]:
    """An e-commerce checkout for ``phone``."""
    customer: dict[str, Any] = {"phone": phone}
    if id_number is not None:
        customer["id_number"] = id_number
    return {
        "consent_id": consent_id,
        "customer": customer,
        "scenario": {
            "type": "ecommerce",
            "amount": amount,
            "currency": "CNY",
            "merchant_order_ref": "order-1001",
            "item_category": "electronics",
        },
    }


@pytest.fixture
def gateway_process(tmp_path: Path) -> Iterator[Any]:
    """``gateway_process(database_url, **env)`` → a :class:`GatewayProcess`, killed after."""
    made: list[GatewayProcess] = []

    def _make(database_url: str, **env: str) -> GatewayProcess:
        workdir = tmp_path / f"gw{len(made)}"
        workdir.mkdir()
        process = GatewayProcess(database_url, workdir, **env)
        made.append(process)
        return process

    yield _make
    for process in made:
        process.kill(signal.SIGKILL)
