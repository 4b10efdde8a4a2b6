"""Install the process's model registry (``app.extensions["gateway.scoring"]``)."""

from __future__ import annotations

from flask import Flask

from gateway.config import Settings
from gateway.scoring.registry import ModelRegistry


def init_app(app: Flask) -> None:
    """One registry per app; ``extra["model_refresh_seconds"]`` tunes the re-check (default 1 s)."""
    settings: Settings = app.extensions["gateway.settings"]
    refresh = float(settings.extra.get("model_refresh_seconds", 1.0))
    app.extensions["gateway.scoring"] = ModelRegistry(settings.model_dir, refresh)
