"""Webhook delivery throughput: signed POSTs to a loopback receiver, outcome committed each.

A throw-away gateway (SQLite in a temporary directory; PostgreSQL database
``gateway_bench`` when reachable) with ``demo-mall`` pointed at a receiver on
127.0.0.1 that answers 204 at once. Measures events delivered per second by
one worker and, on PostgreSQL, by four side by side (SKIP LOCKED).
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from benchmarks import Figure
from gateway.app import create_app
from gateway.config import Settings
from gateway.db import Database
from gateway.migrations import upgrade
from gateway.partners import services as partners
from gateway.partners.config import PartnerConfig
from gateway.partners.loader import load_directory
from gateway.sessions import get_database
from gateway.webhooks import delivery, outbox, secrets

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/gateway_bench"
EVENTS = 600
SECRET_KEY = "bench-secret-" + "k" * 32


@contextmanager
def _receiver() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks"
    finally:
        server.shutdown()
        server.server_close()


def _prepare(database_url: str, instance: Path, url: str) -> Database:
    upgrade(database_url)
    settings = Settings(
        env="test",
        database_url=database_url,
        secret_key=SECRET_KEY,
        identifier_pepper="bench-pepper-" + "p" * 32,
        instance_path=instance,
        log_level="WARNING",
    )
    app = create_app(settings)
    data = partners.config_json(load_directory(ROOT / "partner_configs").configs["demo-mall"])
    data["environments"]["sandbox"]["webhook_url"] = url
    with app.app_context():
        database = get_database()
        with database.new_session() as db:
            partners.apply(db, {"demo-mall": PartnerConfig.model_validate(data)})
            secrets.issue(db, SECRET_KEY, "demo-mall", "sandbox", actor="bench")
            db.commit()
    return database


def _fill(database: Database) -> None:
    with database.new_session() as db:
        for i in range(EVENTS):
            outbox.emit(
                db,
                "application.approved",
                partner_id="demo-mall",
                environment="sandbox",
                resource_id=f"app_bench{i}",
                obj={"id": f"app_bench{i}", "status": "approved"},
            )
        db.commit()


def _rate(database: Database, workers: int) -> float:
    _fill(database)

    def work() -> None:
        with httpx.Client(timeout=delivery.TIMEOUT) as http:
            delivery.deliver_due(database, secret_key=SECRET_KEY, http=http, limit=EVENTS)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return EVENTS / (time.perf_counter() - started)


def _postgres_reachable() -> bool:
    from gateway.db.admin import reachable

    return reachable(POSTGRES_URL)


def run() -> list[Figure]:
    """Deliveries per second: SQLite with one worker; PostgreSQL with one and four."""
    figures = []
    with tempfile.TemporaryDirectory() as tmp, _receiver() as url:
        sqlite = _prepare(f"sqlite:///{tmp}/bench.db", Path(tmp), url)
        figures.append(Figure("webhooks delivered, SQLite, 1 worker", _rate(sqlite, 1), "events/s"))
        sqlite.dispose()
        if _postgres_reachable():
            engine = create_engine(POSTGRES_URL)
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            engine.dispose()
            pg = _prepare(POSTGRES_URL, Path(tmp), url)
            for workers in (1, 4):
                figures.append(
                    Figure(
                        f"webhooks delivered, PostgreSQL, {workers} worker(s)",
                        _rate(pg, workers),
                        "events/s",
                    )
                )
            pg.dispose()
    return figures
