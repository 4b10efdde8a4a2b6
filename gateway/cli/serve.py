"""``gateway serve``: the production server (gunicorn)."""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import click
from flask import Flask
from flask.cli import ScriptInfo
from gunicorn.app.base import BaseApplication

from gateway.cli.errors import CommandFailed


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


@contextlib.contextmanager
def metrics_dir_for_serve() -> Iterator[str]:
    """A fresh ``PROMETHEUS_MULTIPROC_DIR`` in the environment (unless one is set).

    prometheus-client picks its value class (an mmap file per worker, or plain
    in-process values) once, when it is first imported; a directory set after
    that is ignored, every worker keeps its metrics to itself and ``/metrics``
    answers empty. ``gateway``'s entry point enters this before anything
    imports the app; a directory made here is removed when the server stops.

    Yields:
        The directory every worker writes its metrics to.
    """
    existing = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if existing:
        yield existing
        return
    directory = tempfile.mkdtemp(prefix="gateway-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _multiprocess_ready() -> bool:
    """Whether prometheus-client was imported with the directory in place (or not yet)."""
    values = sys.modules.get("prometheus_client.values")
    if values is None:
        return True
    return getattr(values.ValueClass, "__name__", "") != "MutexValue"


def _child_exit(_server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def _post_worker_init(worker: Any) -> None:
    """Once a worker has loaded the app: freeze its start-up objects, checkpoint off-request.

    ``gc.freeze()`` moves everything alive after start-up (modules, the app,
    compiled statements, the scorer: about 170,000 objects) out of the
    collector's sight, so a full collection walks only what requests made
    since: one had taken 40–150 ms in the middle of a request. On SQLite
    the worker checkpoints the WAL in a thread (:mod:`gateway.db.checkpoint`)
    instead of in one commit out of about 33.
    """
    app = getattr(worker, "wsgi", None)
    extensions = getattr(app, "extensions", None)
    if isinstance(extensions, dict) and "gateway.db" in extensions:
        from gateway.db.checkpoint import Checkpointer, sqlite_path

        path = sqlite_path(extensions["gateway.db"].url)
        if path is not None:
            extensions["gateway.checkpointer"] = Checkpointer(path).start()
    gc.collect()
    gc.freeze()


def _worker_exit(_server: Any, worker: Any) -> None:
    extensions = getattr(getattr(worker, "wsgi", None), "extensions", None)
    if isinstance(extensions, dict) and "gateway.checkpointer" in extensions:
        extensions.pop("gateway.checkpointer").stop()


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
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR") or not _multiprocess_ready():
        raise CommandFailed(
            "prometheus-client was imported before PROMETHEUS_MULTIPROC_DIR was set; "
            "start the server with the `gateway serve` command"
        )
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "accesslog": "-" if access_log else None,
        "child_exit": _child_exit,
        "post_worker_init": _post_worker_init,
        "worker_exit": _worker_exit,
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 5,
    }
    click.echo(f"gateway serving on http://{host}:{port} with {workers} worker(s)", err=True)
    GatewayServer(options, factory).run()
