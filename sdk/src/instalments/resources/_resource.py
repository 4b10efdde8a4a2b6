"""Base classes binding a resource to the client it hangs off."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .._client import AsyncClient, Client


class SyncAPIResource:
    """A group of endpoints on a :class:`~instalments.Client`."""

    def __init__(self, client: Client) -> None:
        self._client = client


class AsyncAPIResource:
    """A group of endpoints on an :class:`~instalments.AsyncClient`."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client
