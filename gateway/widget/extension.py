"""Wire the widget's rate limits onto its blueprint (the limiter comes from ``oauth``)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Limit the widget's browser endpoints (:mod:`gateway.widget.ratelimit`)."""
    from gateway.widget import ratelimit, views

    ratelimit.limit(app, app.extensions["gateway.limiter"], views.bp)
