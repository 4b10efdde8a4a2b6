"""A gateway killed with SIGKILL under load loses and half-writes nothing.

Eight clients prequalify as fast as they can against ``gateway serve`` (two
workers); the whole process group is killed mid-flight; the gateway is started
again on the same database. Every decision the clients were told about is
there; every offer belongs to a recorded decision with its audit entry;
approved decisions have offers and declined ones none; and ``gateway audit
verify`` passes.
"""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.resilience.conftest import consent_body, fresh_postgres_database, prequal_body

CLIENTS = 8
CUSTOMERS = 40
KILL_AFTER = 40  # decisions answered before the kill


def _consents(url: str, token: str) -> list[tuple[str, str]]:
    made = []
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
        for n in range(CUSTOMERS):
            phone = f"+86139{n:08d}"
            response = http.post("/v1/consents", json=consent_body(phone))
            assert response.status_code == 201, response.text
            made.append((phone, response.json()["consents"][0]["id"]))
    return made


class Load:
    """Clients prequalifying from many threads until told to stop (or the server dies)."""

    def __init__(self, url: str, token: str, customers: list[tuple[str, str]]) -> None:
        self.url = url
        self.token = token
        self.customers = customers
        self.answered: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, args=(i,)) for i in range(CLIENTS)]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _client(self, offset: int) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.url, headers=headers, timeout=10) as http:
            n = offset
            while not self._stop.is_set():
                phone, consent_id = self.customers[n % len(self.customers)]
                n += CLIENTS
                try:
                    response = http.post(
                        "/v1/prequalifications", json=prequal_body(phone, consent_id)
                    )
                except httpx.TransportError:
                    continue
                if response.status_code == 201:
                    with self._lock:
                        self.answered.append(response.json()["id"])


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sigkill_under_load_leaves_every_offer_decided_and_audited(
    backend: str, gateway_process: Any, tmp_path: Path
) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'crash.db'}"
    else:
        url = fresh_postgres_database("crash")
    gateway = gateway_process(url)
    gateway.prepare()
    gateway.start(workers=2)
    token = gateway.token()
    customers = _consents(gateway.url, token)

    load = Load(gateway.url, token, customers)
    load.start()
    deadline = time.monotonic() + 120
    while len(load.answered) < KILL_AFTER and time.monotonic() < deadline:
        time.sleep(0.05)
    gateway.kill(signal.SIGKILL)
    load.stop()
    answered = load.answered
    assert len(answered) >= KILL_AFTER, gateway.log_path.read_text()[-2000:]

    gateway.start(workers=2)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            decisions = dict(conn.execute(text("SELECT id, status FROM prequalifications")).all())
            offers = conn.execute(text("SELECT id, prequalification_id FROM offers")).all()
            audited = set(
                conn.execute(
                    text(
                        "SELECT subject FROM audit_entries"
                        " WHERE action = 'prequalification.decided'"
                    )
                ).scalars()
            )
    finally:
        engine.dispose()

    assert set(answered) <= set(decisions), "a decision the client was told about is missing"
    assert all(pq in decisions for _, pq in offers), "an offer without its decision"
    assert set(decisions) == audited, "a decision without its audit entry (or the reverse)"
    with_offers = {pq for _, pq in offers}
    for pq, status in decisions.items():
        assert (pq in with_offers) == (status in ("approved", "partially_approved")), pq
    verified = gateway.cli("audit", "verify", check=False)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    phone, consent_id = customers[0]
    after = httpx.post(
        f"{gateway.url}/v1/prequalifications",
        json=prequal_body(phone, consent_id),
        headers={"Authorization": f"Bearer {gateway.token()}"},
        timeout=30,
    )
    assert after.status_code == 201, after.text
