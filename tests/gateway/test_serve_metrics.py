"""``/metrics`` under the real ``gateway serve --workers 2`` counts every worker's requests."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from gateway.migrations import upgrade

pytestmark = pytest.mark.slow

GATEWAY = Path(sys.executable).with_name("gateway")
REQUESTS = 60


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
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise TimeoutError(base)


def _healthz_count(text: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith("gateway_http_requests_total{") and 'route="/healthz"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


def _serve(tmp_path: Path, metrics_dir: Path | None) -> tuple[subprocess.Popen[bytes], str]:
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    upgrade(url)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GATEWAY_", "PROMETHEUS_"))}
    env.update(
        GATEWAY_ENV="test",
        GATEWAY_DATABASE_URL=url,
        GATEWAY_SECRET_KEY="s" * 48,
        GATEWAY_IDENTIFIER_PEPPER="p" * 48,
        GATEWAY_PARTNER_CONFIGS=str(tmp_path / "partners"),
    )
    if metrics_dir is not None:
        env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    process = subprocess.Popen(
        [str(GATEWAY), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process, f"http://127.0.0.1:{port}"


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_metrics_under_serve_count_the_requests_of_both_workers(tmp_path: Path) -> None:
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    process, base = _serve(tmp_path, metrics_dir)
    try:
        _wait_until_up(base, process)
        # Concurrent requests, so that both sync workers answer some of them.
        with ThreadPoolExecutor(8) as pool:
            statuses = list(
                pool.map(
                    lambda _: httpx.get(f"{base}/healthz", timeout=10).status_code, range(REQUESTS)
                )
            )
        assert statuses == [200] * REQUESTS
        served_by = {
            m.group(1)
            for path in metrics_dir.iterdir()
            if (m := re.fullmatch(r"(?:counter|histogram)_(\d+)\.db", path.name))
        }
        assert len(served_by) == 2, f"both workers wrote metrics: {sorted(served_by)}"
        response = httpx.get(f"{base}/metrics", timeout=10)
        assert response.status_code == 200
        assert response.text.strip(), "metrics are not empty"
        assert _healthz_count(response.text) == REQUESTS
        assert "gateway_http_request_duration_seconds_bucket" in response.text
    finally:
        _stop(process)


def test_serve_makes_and_removes_its_own_metrics_directory(tmp_path: Path) -> None:
    process, base = _serve(tmp_path, None)
    try:
        _wait_until_up(base, process)
        for _ in range(3):
            assert httpx.get(f"{base}/healthz", timeout=10).status_code == 200
        response = httpx.get(f"{base}/metrics", timeout=10)
        assert _healthz_count(response.text) == 3
    finally:
        _stop(process)


def test_importing_the_command_line_does_not_import_prometheus_client() -> None:
    code = "import sys, gateway.cli; assert 'prometheus_client' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
