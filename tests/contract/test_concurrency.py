"""Acceptance 3 against the real gateway: 50 concurrent calls, expired token, one token request."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from instalments import AsyncClient

from tests.sdk.aio import run_async


class CountingTransport(httpx.AsyncHTTPTransport):
    """A real socket transport that counts the requests to each path."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []
        self.answers: list[tuple[str, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        response = await super().handle_async_request(request)
        self.answers.append((request.url.path, response.status_code))
        return response


class Clock:
    """Monotonic seconds the test can jump forward."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.committing
def test_fifty_concurrent_calls_with_an_expired_token_make_one_token_request(
    served_gateway: str, sandbox_credentials: dict[str, Any]
) -> None:
    transport = CountingTransport()
    clock = Clock()
    client = AsyncClient(
        client_id=sandbox_credentials["client_id"],
        client_secret=sandbox_credentials["client_secret"],
        base_url=served_gateway,
        http_client=httpx.AsyncClient(transport=transport),
    )
    client._auth.clock = clock

    async def main() -> None:
        async with client:
            await client.products.list()
            clock.now += 24 * 3600  # the gateway's token (at most an hour) has expired
            await asyncio.gather(*(client.products.list() for _ in range(50)))

    run_async(main())
    assert transport.paths.count("/oauth/token") == 2  # the first token, then exactly one
    # 51 answered calls; a burst may also meet the partner's rate limit (429),
    # which the SDK retries — those retries are not token requests.
    products = [status for path, status in transport.answers if path == "/v1/products"]
    assert products.count(200) == 51
    assert set(products) <= {200, 429}
