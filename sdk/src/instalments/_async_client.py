"""``AsyncClient``: the asyncio client; the same surface as ``Client``, awaited."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from functools import cached_property
from types import TracebackType
from typing import Any, Self

import httpx

from . import _constants as constants
from ._base import BaseClient, PrivateKey
from ._exceptions import APIConnectionError, APIResponseValidationError, APITimeoutError
from ._requests import DEFAULT_TIMEOUT, NOT_GIVEN, NotGiven, RequestOptions, TimeoutArg
from ._responses import ModelT, parse_response, problem_code, status_error
from ._retries import retry_delay, should_retry, utc_now
from .pagination import AsyncPage, ItemT, Params, parse_page
from .resources import (
    AsyncApplications,
    AsyncCheckoutSessions,
    AsyncConsentNotices,
    AsyncConsents,
    AsyncEvents,
    AsyncOffers,
    AsyncPrequalifications,
    AsyncProducts,
    AsyncSettlements,
    AsyncWebhookEndpoints,
    AsyncWebhookEvents,
)


class AsyncClient(BaseClient):
    """The asyncio client: the same arguments and resources as :class:`Client`, awaited.

    Args:
        client_id: else ``INSTALMENTS_CLIENT_ID``.
        client_secret: else ``INSTALMENTS_CLIENT_SECRET``.
        private_key: authenticate with ``private_key_jwt`` instead of a secret.
        base_url: else ``INSTALMENTS_BASE_URL``, else the local demo gateway.
        timeout: seconds or an ``httpx.Timeout``; default connect 5 s, read 10 s.
        max_retries: retries after the first attempt (default 2).
        scope: the scopes to ask for (default: every scope the client holds).
        http_client: your own ``httpx.AsyncClient``.
        default_headers: sent with every request.
        dpop_key: a private key (PEM or JWK dict) binding the access token
            to this client (DPoP, RFC 9449; needs ``instalments[jwt]``).

    Raises:
        InstalmentsError: the client id or secret is missing.
    """

    def __init__(
        self,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        private_key: PrivateKey | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = constants.DEFAULT_MAX_RETRIES,
        scope: str | None = None,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        dpop_key: PrivateKey | None = None,
    ) -> None:
        super().__init__(
            client_id=client_id,
            client_secret=client_secret,
            private_key=private_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            scope=scope,
            default_headers=default_headers,
            dpop_key=dpop_key,
        )
        self._http = http_client if http_client is not None else httpx.AsyncClient()

    @cached_property
    def products(self) -> AsyncProducts:
        """The partner's products."""
        return AsyncProducts(self)

    @cached_property
    def consent_notices(self) -> AsyncConsentNotices:
        """Consent notice texts."""
        return AsyncConsentNotices(self)

    @cached_property
    def consents(self) -> AsyncConsents:
        """Customer consents."""
        return AsyncConsents(self)

    @cached_property
    def prequalifications(self) -> AsyncPrequalifications:
        """Prequalification decisions and their offers."""
        return AsyncPrequalifications(self)

    @cached_property
    def offers(self) -> AsyncOffers:
        """Offers: read, accept, check them against their decision token."""
        return AsyncOffers(self)

    @cached_property
    def applications(self) -> AsyncApplications:
        """Applications accepted offers became."""
        return AsyncApplications(self)

    @cached_property
    def events(self) -> AsyncEvents:
        """Funnel events."""
        return AsyncEvents(self)

    @cached_property
    def checkout_sessions(self) -> AsyncCheckoutSessions:
        """Client tokens for the browser widget."""
        return AsyncCheckoutSessions(self)

    @cached_property
    def webhook_events(self) -> AsyncWebhookEvents:
        """The event log: every webhook event, with its delivery attempts."""
        return AsyncWebhookEvents(self)

    @cached_property
    def webhook_endpoints(self) -> AsyncWebhookEndpoints:
        """Your webhook endpoint: sandbox test deliveries."""
        return AsyncWebhookEndpoints(self)

    @cached_property
    def settlements(self) -> AsyncSettlements:
        """A day's settlement: funded, refunded, merchant subsidy, net."""
        return AsyncSettlements(self)

    def with_options(
        self,
        *,
        timeout: TimeoutArg = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Self:
        """A copy with other defaults, sharing the connection pool and token cache.

        Args:
            timeout: the copy's default timeout.
            max_retries: the copy's default number of retries.

        Returns:
            The new client; closing either closes the shared pool.
        """
        return self._copy(timeout, max_retries)

    async def close(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[ModelT],
        options: RequestOptions,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> ModelT:
        response = await self._send(method, path, options=options, params=params, body=body)
        return parse_response(response, cast_to)

    async def _get_page(
        self, path: str, *, item: type[ItemT], params: Params, options: RequestOptions
    ) -> AsyncPage[ItemT]:
        async def fetch(query: Params) -> AsyncPage[ItemT]:
            response = await self._send("GET", path, options=options, params=query)
            data, has_more = parse_page(response, item)
            return AsyncPage(data=data, has_more=has_more, params=query, fetch=fetch)

        return await fetch(params)

    async def _fetch_jwks(self) -> dict[str, Any]:
        response = await self._send(
            "GET", constants.JWKS_PATH, options=self._default_get(), auth=False
        )
        document = response.json()
        if not isinstance(document, dict):
            raise APIResponseValidationError(response=response, message="JWKS is not an object")
        self._jwks.document = document
        return document

    async def _send(
        self,
        method: str,
        path: str,
        *,
        options: RequestOptions,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        auth: bool = True,
    ) -> httpx.Response:
        retries_done = 0
        while True:
            request = self._build(method, path, options, params, body)
            try:
                response = await self._http.send(request, auth=self._auth if auth else None)
            except httpx.TimeoutException as exc:
                if retries_done >= options.max_retries:
                    raise APITimeoutError(request=request) from exc
                delay = retry_delay(retries_done, None, utc_now())
            except httpx.TransportError as exc:
                if retries_done >= options.max_retries:
                    raise APIConnectionError(request=request) from exc
                delay = retry_delay(retries_done, None, utc_now())
            else:
                if response.is_success:
                    return response
                await response.aread()
                retry = should_retry(
                    response.status_code,
                    problem_code(response),
                    response.headers.get(constants.SHOULD_RETRY_HEADER),
                )
                if not retry or retries_done >= options.max_retries:
                    raise status_error(response)
                delay = retry_delay(retries_done, response.headers.get("retry-after"), utc_now())
            await self._sleep(delay)
            retries_done += 1

    async def _sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
