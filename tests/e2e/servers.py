"""A real gateway and the real demo shop on loopback ports, each in its own threads."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from werkzeug.serving import BaseWSGIServer, make_server

HOST = "127.0.0.1"
DEMO_CONFIGS = Path(__file__).resolve().parents[2] / "partner_configs"


class LateApp:
    """A WSGI app chosen after its server has a port (the app needs its own URL)."""

    def __init__(self) -> None:
        self.app: Callable[..., Any] | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        assert self.app is not None, "the server started before its app was set"
        return self.app(environ, start_response)


@dataclass
class Served:
    """A server listening on a free loopback port."""

    server: BaseWSGIServer
    late: LateApp

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://{HOST}:{self.server.server_port}"


def listen() -> Served:
    """Bind a threaded server on a free port; set ``.late.app`` before serving."""
    late = LateApp()
    return Served(make_server(HOST, 0, late, threaded=True), late)


@contextmanager
def serving(*served: Served) -> Iterator[None]:
    """Run servers in daemon threads for the block."""
    threads = [threading.Thread(target=s.server.serve_forever, daemon=True) for s in served]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        for s in served:
            s.server.shutdown()
            s.server.server_close()


def write_partner_configs(
    target: Path, shop_urls: dict[str, str], extra_origins: dict[str, str] | None = None
) -> Path:
    """The demo partners, pointed at this run's shop ports (origin and webhook URL).

    ``extra_origins`` gives a partner a second allowed origin (a test page).
    """
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(DEMO_CONFIGS.glob("*.yaml")):
        data = yaml.safe_load(source.read_text("utf-8"))
        if "id" not in data:  # not a partner (risk_rules.yaml): copied as it is
            (target / source.name).write_text(source.read_text("utf-8"), "utf-8")
            continue
        url = shop_urls.get(data["id"])
        if url is not None:
            sandbox = data["environments"]["sandbox"]
            extra = (extra_origins or {}).get(data["id"])
            sandbox["allowed_origins"] = [url] if extra is None else [url, extra]
            sandbox["webhook_url"] = f"{url}/webhooks/instalments"
        (target / source.name).write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return target
