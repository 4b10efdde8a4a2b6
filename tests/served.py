"""A WSGI app served on a free loopback port by a real HTTP server in a thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from werkzeug.serving import make_server

HOST = "127.0.0.1"


@contextmanager
def served_app(app: Callable[..., Any]) -> Iterator[str]:
    """Serve ``app`` for the block; yields its base URL (``http://127.0.0.1:<port>``)."""
    server = make_server(HOST, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
