"""PostgreSQL stops mid-run: 503 problem+json with ``Retry-After``; it returns: recovered.

The machine's shared PostgreSQL is never touched: the test creates a private
cluster in a temporary directory (``initdb``, as the ``postgres`` user when run
as root), on a free port, runs ``gateway serve`` against it and stops and
starts that cluster under the running gateway.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.resilience.conftest import consent_body, free_port, prequal_body

PROBLEM = "application/problem+json"


class PrivateCluster:
    """A throwaway PostgreSQL cluster this test owns, started and stopped with ``pg_ctl``."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        # Not under pytest's tmp_path: the postgres user must be able to reach it.
        self.datadir = Path(tempfile.mkdtemp(prefix="gateway-pg-outage-"))
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        if os.geteuid() == 0:
            shutil.chown(self.datadir, "postgres", "postgres")

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bindir / tool), *args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.datadir)

    def init(self) -> None:
        self._run("initdb", "-D", str(self.datadir / "data"), "-A", "trust", "-U", "postgres")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.datadir} -c listen_addresses=127.0.0.1"
        log = str(self.datadir / "postgres.log")
        self._run(
            "pg_ctl", "-D", str(self.datadir / "data"), "-o", options, "-l", log, "-w", "start"
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.datadir / "data"), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.datadir, ignore_errors=True)


@pytest.fixture
def private_cluster() -> Iterator[PrivateCluster]:
    """A running private PostgreSQL cluster (skipped locally without the server binaries)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL server binaries not found", pytrace=False)
        pytest.skip("PostgreSQL server binaries not found")
    cluster = PrivateCluster(Path(found[-1]).parent)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


def _assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert int(response.headers["Retry-After"]) > 0
    body = response.json()
    assert body["status"] == 503
    assert body["code"] == "service_unavailable"
    assert body["request_id"] == response.headers["X-Request-Id"]


def _wait_until_ready(url: str, seconds: float = 20) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while True:
        response = httpx.get(f"{url}/readyz", timeout=5)
        if response.status_code == 200 or time.monotonic() > deadline:
            return response
        time.sleep(0.2)


def test_database_outage_answers_503_with_retry_after_and_recovers_without_restart(
    private_cluster: PrivateCluster, gateway_process: Any
) -> None:
    gateway = gateway_process(private_cluster.url)
    gateway.prepare()
    gateway.start(workers=1)
    token = gateway.token()
    http = httpx.Client(
        base_url=gateway.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    with http:
        phone = "+8613800000001"
        consent = http.post("/v1/consents", json=consent_body(phone))
        assert consent.status_code == 201, consent.text
        consent_id = consent.json()["consents"][0]["id"]
        assert http.get("/readyz").status_code == 200
        server_pid = gateway.process.pid

        private_cluster.stop()

        _assert_unavailable(http.get("/readyz"))
        _assert_unavailable(http.get(f"/v1/consents/{consent_id}"))
        _assert_unavailable(
            http.post("/v1/prequalifications", json=prequal_body(phone, consent_id))
        )

        private_cluster.start()

        assert _wait_until_ready(gateway.url).status_code == 200
        assert http.get(f"/v1/consents/{consent_id}").status_code == 200
        decided = http.post("/v1/prequalifications", json=prequal_body(phone, consent_id))
        assert decided.status_code == 201, decided.text
        assert gateway.process.pid == server_pid and gateway.process.poll() is None
