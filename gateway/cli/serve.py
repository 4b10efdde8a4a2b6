"""``gateway serve``: the production server (gunicorn)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from typing import Any

import click
from flask import Flask
from flask.cli import ScriptInfo
from gunicorn.app.base import BaseApplication


class GatewayServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn running the app factory in each worker (no preload)."""

    def __init__(self, options: dict[str, Any], factory: Callable[[], Flask]) -> None:
        self.options = options
        self.factory = factory
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key.lower(), value)

    def load(self) -> Flask:
        return self.factory()


def _child_exit(_server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--threads",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads per worker (gthread worker when above 1).",
)
@click.option(
    "--access-log/--no-access-log",
    default=False,
    help="Gunicorn's own access log (the gateway already logs each request).",
)
@click.pass_obj
def serve_command(
    info: ScriptInfo, host: str, port: int, workers: int, threads: int, access_log: bool
) -> None:
    """Serve the gateway with gunicorn on the configured database."""
    factory = info.create_app
    if factory is None:
        raise click.UsageError("serve needs the command line's app factory")
    metrics_dir = tempfile.mkdtemp(prefix="gateway-metrics-")
    # prometheus-client reads this from the environment in every worker.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "accesslog": "-" if access_log else None,
        "child_exit": _child_exit,
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 5,
    }
    click.echo(f"gateway serving on http://{host}:{port} with {workers} worker(s)", err=True)
    try:
        GatewayServer(options, factory).run()
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)
