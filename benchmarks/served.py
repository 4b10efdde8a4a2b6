"""A real gateway under gunicorn for the load benchmark: database, partners, credentials.

:class:`ServedGateway` prepares a database (a temporary SQLite file, or a
dedicated PostgreSQL database emptied first), migrates it, applies the demo
partners plus ``bench-shop`` (demo-mall's terms with a rate limit the load
never reaches, so the limiter still runs but refuses nothing), issues sandbox
credentials and runs ``gateway serve``. Everything goes through the
``gateway`` command line, as an operator would do it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
GATEWAY = str(Path(sys.executable).with_name("gateway"))
BENCH_PARTNER = "bench-shop"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/gateway_bench"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def reset_postgres(url: str) -> None:
    """Create the benchmark database if missing, and empty its schema."""
    from gateway.db.admin import fresh_database

    fresh_database(url)


def write_partner_configs(directory: Path) -> Path:
    """The demo partners plus ``bench-shop``: demo-mall's terms, a limit never reached."""
    directory.mkdir(parents=True)
    for source in (ROOT / "partner_configs").glob("*.yaml"):
        shutil.copy(source, directory / source.name)
    config = yaml.safe_load((ROOT / "partner_configs" / "demo-mall.yaml").read_text())
    config["id"] = BENCH_PARTNER
    config["display_name"] = {"zh-CN": "压测商城", "en": "Bench Shop"}
    config["rate_limit"] = {"requests_per_second": 10_000, "requests_per_minute": 600_000}
    (directory / f"{BENCH_PARTNER}.yaml").write_text(yaml.safe_dump(config, allow_unicode=True))
    return directory


class ServedGateway:
    """One backend's gateway: set up on entry, stopped and cleaned on exit."""

    def __init__(
        self, backend: str, workers: int = 2, threads: int = 1, limits: str = "memory://"
    ) -> None:
        self.backend = backend
        self.workers = workers
        self.threads = threads
        self.tmp = Path(tempfile.mkdtemp(prefix=f"gateway-bench-{backend}-"))
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        if backend == "sqlite":
            url = f"sqlite:///{self.tmp / 'gateway.db'}"
        else:
            url = os.environ.get("GATEWAY_BENCH_DATABASE_URL", DEFAULT_PG_URL)
        self.env = {
            **os.environ,
            "GATEWAY_ENV": "development",
            "GATEWAY_DATABASE_URL": url,
            "GATEWAY_SECRET_KEY": "bench-secret-" + "s" * 40,
            "GATEWAY_IDENTIFIER_PEPPER": "bench-pepper-" + "p" * 40,
            "GATEWAY_INSTANCE_PATH": str(self.tmp / "instance"),
            "GATEWAY_PARTNER_CONFIGS": str(self.tmp / "partners"),
            "GATEWAY_ACCESS_TOKEN_TTL": "3600",
            "GATEWAY_RATELIMIT_STORAGE_URI": limits,
        }
        self.client_id = ""
        self.client_secret = ""

    def __enter__(self) -> ServedGateway:
        try:
            self._prepare()
            self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *_: Any) -> None:
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def cli(self, *args: str) -> str:
        """Run one ``gateway`` command against this gateway's database; its stdout."""
        done = subprocess.run(  # noqa: S603 - our own console script
            [GATEWAY, *args], env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"gateway {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def _prepare(self) -> None:
        if self.backend == "postgresql":
            reset_postgres(self.env["GATEWAY_DATABASE_URL"])
        partners = write_partner_configs(self.tmp / "partners")
        self.cli("db", "upgrade")
        self.cli("partners", "apply", str(partners))
        issued = json.loads(
            self.cli("clients", "issue", BENCH_PARTNER, "--env", "sandbox", "--json")
        )
        self.client_id = issued["client_id"]
        self.client_secret = issued["client_secret"]

    def start(self) -> None:
        """Start ``gateway serve`` and wait until ``/healthz`` answers."""
        command = [GATEWAY, "serve", "--port", str(self.port), "--workers", str(self.workers)]
        with (self.tmp / "serve.log").open("ab") as log:  # the child keeps its own descriptor
            self.process = subprocess.Popen(  # noqa: S603 - our own console script
                [*command, "--threads", str(self.threads)],
                env=self.env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError(f"the gateway did not start; see {self.tmp / 'serve.log'}")

    def stop(self) -> None:
        """Stop the server (SIGTERM to its own process group, then wait)."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def token(self) -> str:
        """A sandbox access token with every scope of ``bench-shop``."""
        response = httpx.post(
            f"{self.base_url}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(self.client_id, self.client_secret),
            timeout=10,
        )
        response.raise_for_status()
        token: str = response.json()["access_token"]
        return token
