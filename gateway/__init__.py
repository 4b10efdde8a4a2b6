"""The instalments partner gateway.

``create_app`` is imported lazily: importing ``gateway`` (as the ``gateway``
command does first) must not import the app, and through it prometheus-client,
before ``gateway serve`` has put ``PROMETHEUS_MULTIPROC_DIR`` in the
environment (prometheus-client reads it once, at import).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gateway.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from gateway.app import create_app

        return create_app
    raise AttributeError(f"module 'gateway' has no attribute {name!r}")
