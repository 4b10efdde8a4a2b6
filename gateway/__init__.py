"""The instalments partner gateway."""

from gateway.app import create_app

__all__ = ["create_app"]
