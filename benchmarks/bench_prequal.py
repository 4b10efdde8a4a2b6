"""CPU cost of one ``POST /v1/prequalifications`` in-process, against ``/healthz``.

The wrk figures (``benchmarks/load.py``) depend on how busy the machine is;
CPU time per request (``time.process_time``) much less so, which makes this
the figure to compare before and after a change to the hot path. The app runs
on a temporary SQLite file as ``bench-shop`` (demo-mall's terms, a rate limit
never reached); customers are sandbox phones scored by the model, each with
its own consent.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from benchmarks import Figure
from benchmarks.load import consent_body, customer_phones, prequal_body
from benchmarks.served import BENCH_PARTNER, write_partner_configs

ROOT = Path(__file__).resolve().parent.parent
CUSTOMERS = 330
BATCH = 40


def _cpu_ms(calls: list[Callable[[], Any]]) -> float:
    started = time.process_time()
    for call in calls:
        call()
    return (time.process_time() - started) * 1000 / len(calls)


def prepare(
    customers: int = CUSTOMERS, database_url: str | None = None
) -> tuple[FlaskClient, dict[str, str], list[dict[str, Any]]]:
    """An in-process app, an access token's headers and one consented body per customer.

    On a temporary SQLite file, or on ``database_url`` (a PostgreSQL database
    that is emptied first).
    """
    from gateway.app import create_app
    from gateway.config import Settings
    from gateway.migrations import upgrade
    from gateway.oauth import credentials
    from gateway.partners import services as partners
    from gateway.partners.loader import load_directory

    workdir = Path(tempfile.mkdtemp(prefix="gateway-bench-prequal-"))
    configs = write_partner_configs(workdir / "partners")
    url = database_url or f"sqlite:///{workdir / 'gateway.db'}"
    if database_url is not None:
        from gateway.db.admin import fresh_database

        fresh_database(database_url)
    upgrade(url)
    settings = Settings(
        env="development",
        database_url=url,
        secret_key="bench-secret-" + "s" * 40,
        identifier_pepper="bench-pepper-" + "p" * 40,
        instance_path=workdir,
        model_dir=workdir / "models",
        partner_configs=configs,
        log_level="WARNING",
    )
    app = create_app(settings)
    with app.app_context():
        db = app.extensions["gateway.db"].new_session()
        partners.apply(db, load_directory(configs).configs)
        issued = credentials.issue(db, BENCH_PARTNER, "sandbox")
        db.commit()
        db.close()
    client = app.test_client()
    token = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(issued.client_id, issued.client_secret or ""),
    ).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    notice = client.get("/v1/consent-notices/prequalification", headers=headers).get_json()
    rng = random.Random(5)
    bodies = []
    for index, phone in enumerate(customer_phones(customers)):
        made = client.post(
            "/v1/consents", json=consent_body(phone, notice["version"], index), headers=headers
        )
        bodies.append(prequal_body(phone, made.get_json()["consents"][0]["id"], rng))

    return client, headers, bodies


def run() -> list[Figure]:
    """CPU ms per prequalification and per ``/healthz``, and their ratio."""
    client, headers, bodies = prepare()

    def prequalify(body: dict[str, Any]) -> Callable[[], Any]:
        return lambda: client.post("/v1/prequalifications", json=body, headers=headers)

    _cpu_ms([prequalify(b) for b in bodies[:10]])  # warm caches and code paths
    # Batches, and the quickest batch reported: on a shared virtual machine the
    # minimum is the figure least disturbed by neighbours (the median is shown too).
    batches = [bodies[i : i + BATCH] for i in range(10, len(bodies) - BATCH + 1, BATCH)]
    prequal = sorted(_cpu_ms([prequalify(b) for b in batch]) for batch in batches)
    healthz = sorted(_cpu_ms([lambda: client.get("/healthz")] * 200) for _ in range(5))
    return [
        Figure("in-process CPU per prequalification (SQLite), best batch", prequal[0], "ms"),
        Figure("in-process CPU per prequalification (SQLite), median", _median(prequal), "ms"),
        Figure("in-process CPU per /healthz, best batch", healthz[0], "ms"),
        Figure("in-process ratio healthz/prequalification CPU", healthz[0] / prequal[0], ""),
    ]


def _median(values: list[float]) -> float:
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
