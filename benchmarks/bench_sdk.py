"""SDK overhead: ``import instalments`` time, and an SDK call against a raw httpx call.

Both calls go over a real loopback socket to the same tiny HTTP/1.1 server
(keep-alive), which answers ``GET /v1/products`` with a fixed body and
``POST /oauth/token`` with a token. The raw call sends the same bearer header and
decodes the JSON; the SDK call adds what the SDK adds: the auth flow, the retry
loop, the request builder and the pydantic model. Rounds alternate between the
two so drift in the machine's load hits both alike.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from benchmarks import Figure

IMPORT_RUNS = 9
CALLS_PER_ROUND = 500
ROUNDS = 6

PRODUCTS = json.dumps(
    {
        "data": [
            {
                "code": "mall_instalments",
                "name": {"zh-CN": "购物分期", "en": "Shopping instalments"},
                "currency": "CNY",
                "min_amount": "500.00",
                "max_amount": "50000.00",
                "tenors": [3, 6, 12, 24],
                "repayment_methods": ["equal_instalment", "fee_based"],
                "teaser": {
                    "monthly_payment_from": "172.36",
                    "tenor_months": 24,
                    "apr_from": "0.0790",
                },
            }
        ]
    }
).encode()
TOKEN = json.dumps({"access_token": "bench", "token_type": "Bearer", "expires_in": 3600}).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real gateway behind a proxy
    # One write per response and no Nagle: otherwise delayed ACKs add ~40 ms to
    # every call and both sides measure the kernel, not the client.
    wbufsize = -1
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._answer(PRODUCTS)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._answer(TOKEN)

    def _answer(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Silence the per-request log line."""


@contextmanager
def _server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def import_times(statement: str) -> list[float]:
    """Milliseconds ``statement`` takes in fresh interpreters (interpreter start excluded)."""
    code = (
        "import time; t = time.perf_counter(); "
        f"{statement}; print((time.perf_counter() - t) * 1000)"
    )
    return [
        float(
            subprocess.run(  # noqa: S603 - our own interpreter and code
                [sys.executable, "-c", code], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(IMPORT_RUNS)
    ]


def _per_call_us(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    for _ in range(CALLS_PER_ROUND):
        call()
    return (time.perf_counter() - start) / CALLS_PER_ROUND * 1e6


def call_times() -> tuple[float, float]:
    """Median microseconds per call: (SDK ``products.list()``, raw httpx GET + JSON)."""
    from instalments import Client

    with _server() as base_url, httpx.Client() as raw:
        sdk = Client(client_id="bench", client_secret="bench", base_url=base_url)  # noqa: S106
        url = f"{base_url}/v1/products"
        headers = {"Authorization": "Bearer bench", "Accept": "application/json"}

        def raw_call() -> object:
            response = raw.get(url, headers=headers)
            response.raise_for_status()
            return response.json()

        sdk_call = sdk.products.list
        for call in (raw_call, sdk_call):  # warm both connections and the token
            for _ in range(50):
                call()
        sdk_rounds, raw_rounds = [], []
        for _ in range(ROUNDS):
            raw_rounds.append(_per_call_us(raw_call))
            sdk_rounds.append(_per_call_us(sdk_call))
        sdk.close()
    return statistics.median(sdk_rounds), statistics.median(raw_rounds)


def run() -> list[Figure]:
    """Import time (median of fresh interpreters) and SDK/raw call ratio."""
    bare = statistics.median(import_times("import instalments"))
    full = statistics.median(import_times("import instalments; instalments.Client"))
    deps = statistics.median(import_times("import httpx, pydantic"))
    sdk_us, raw_us = call_times()
    return [
        Figure("sdk: import instalments (median, fresh interpreter)", bare, "ms", "< 150 ms"),
        Figure("sdk: import instalments + first use of Client", full, "ms"),
        Figure("sdk: import httpx + pydantic alone (for reference)", deps, "ms"),
        Figure("sdk: products.list() over loopback", sdk_us, "us"),
        Figure("sdk: raw httpx GET + json() to the same endpoint", raw_us, "us"),
        Figure("sdk: SDK / raw call time", sdk_us / raw_us, "x", "<= 1.15"),
    ]
