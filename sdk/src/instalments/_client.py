"""``Client`` and ``AsyncClient``: the same surface, one sends with threads, one with asyncio.

Each is defined in its own module (``_sync_client``, ``_async_client``) on the
shared ``BaseClient``; this module is where ``instalments`` loads them from.
"""

from __future__ import annotations

from ._async_client import AsyncClient
from ._base import PrivateKey
from ._sync_client import Client

__all__ = ["AsyncClient", "Client", "PrivateKey"]
