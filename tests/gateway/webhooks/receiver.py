"""A real webhook receiver on a loopback port, in a thread, for delivery tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sqlalchemy.orm import Session


@dataclass
class Received:
    """One request the receiver got, and what it answered."""

    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class Receiver:
    """Answers 503 to the first ``fail_first`` requests (down), then 204 (up)."""

    fail_first: int = 0
    always_fail: bool = False
    hold: float = 0.0
    requests: list[Received] = field(default_factory=list)
    arrived: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(0))
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def answer(self, headers: dict[str, str], body: bytes) -> int:
        with self.lock:
            failing = self.always_fail or len(self.requests) < self.fail_first
            status = 503 if failing else 204
            self.requests.append(Received(headers, body, status))
        self.arrived.release()
        if self.hold:
            time.sleep(self.hold)
        return status

    def delivered_ids(self) -> list[str]:
        """``webhook-id`` of every request answered 2xx, in order."""
        return [r.headers["webhook-id"] for r in self.requests if r.status < 300]


def free_port() -> int:
    """A loopback port nothing listens on (connections to it are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running(receiver: Receiver, port: int = 0) -> Iterator[Receiver]:
    """Serve ``receiver`` on 127.0.0.1 (``port``, or a free one) until the block ends."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            body = self.rfile.read(length)
            status = receiver.answer({k.lower(): v for k, v in self.headers.items()}, body)
            try:
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()
            except OSError:
                pass  # the worker was killed mid-request

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/webhooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


def point_partner_at(db: Session, partner_id: str, url: str) -> None:
    """Set the partner's sandbox ``webhook_url`` through the registry (and commit)."""
    from gateway.partners.config import PartnerConfig
    from gateway.partners.services import apply, config_json, get_partner

    data = config_json(get_partner(db, partner_id).config)
    data["environments"]["sandbox"]["webhook_url"] = url
    apply(db, {partner_id: PartnerConfig.model_validate(data)})
    db.commit()
