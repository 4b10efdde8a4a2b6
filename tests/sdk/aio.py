"""Run a coroutine to completion from a synchronous test."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` on a fresh event loop in a thread of its own.

    ``asyncio.run`` refuses to start while the calling thread already runs a
    loop, and a session-scoped sync Playwright (``tests/e2e``) keeps one running
    in the main thread for the rest of the test session.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
