"""``Client``: the synchronous client; it sends in the calling thread and sleeps with ``time``."""

from __future__ import annotations

import time
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
from .pagination import ItemT, Params, SyncPage, parse_page
from .resources import (
    Applications,
    CheckoutSessions,
    ConsentNotices,
    Consents,
    Events,
    Offers,
    Prequalifications,
    Products,
    Settlements,
    WebhookEndpoints,
    WebhookEvents,
)


class Client(BaseClient):
    """The synchronous client (thread-safe: share one per process).

    Args:
        client_id: else ``INSTALMENTS_CLIENT_ID``.
        client_secret: else ``INSTALMENTS_CLIENT_SECRET``.
        private_key: authenticate with ``private_key_jwt`` instead of a secret
            (PEM or JWK dict; needs ``instalments[jwt]``).
        base_url: else ``INSTALMENTS_BASE_URL``, else the local demo gateway.
        timeout: seconds or an ``httpx.Timeout``; default connect 5 s, read 10 s.
        max_retries: retries after the first attempt (default 2).
        scope: the scopes to ask for (default: every scope the client holds).
        http_client: your own ``httpx.Client`` (proxies, transports, limits).
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
        http_client: httpx.Client | None = None,
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
        self._http = http_client if http_client is not None else httpx.Client()

    @cached_property
    def products(self) -> Products:
        """The partner's products."""
        return Products(self)

    @cached_property
    def consent_notices(self) -> ConsentNotices:
        """Consent notice texts."""
        return ConsentNotices(self)

    @cached_property
    def consents(self) -> Consents:
        """Customer consents."""
        return Consents(self)

    @cached_property
    def prequalifications(self) -> Prequalifications:
        """Prequalification decisions and their offers."""
        return Prequalifications(self)

    @cached_property
    def offers(self) -> Offers:
        """Offers: read, accept, check them against their decision token."""
        return Offers(self)

    @cached_property
    def applications(self) -> Applications:
        """Applications accepted offers became."""
        return Applications(self)

    @cached_property
    def events(self) -> Events:
        """Funnel events."""
        return Events(self)

    @cached_property
    def checkout_sessions(self) -> CheckoutSessions:
        """Client tokens for the browser widget."""
        return CheckoutSessions(self)

    @cached_property
    def webhook_events(self) -> WebhookEvents:
        """The event log: every webhook event, with its delivery attempts."""
        return WebhookEvents(self)

    @cached_property
    def webhook_endpoints(self) -> WebhookEndpoints:
        """Your webhook endpoint: sandbox test deliveries."""
        return WebhookEndpoints(self)

    @cached_property
    def settlements(self) -> Settlements:
        """A day's settlement: funded, refunded, merchant subsidy, net."""
        return Settlements(self)

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

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[ModelT],
        options: RequestOptions,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> ModelT:
        response = self._send(method, path, options=options, params=params, body=body)
        return parse_response(response, cast_to)

    def _get_page(
        self, path: str, *, item: type[ItemT], params: Params, options: RequestOptions
    ) -> SyncPage[ItemT]:
        def fetch(query: Params) -> SyncPage[ItemT]:
            response = self._send("GET", path, options=options, params=query)
            data, has_more = parse_page(response, item)
            return SyncPage(data=data, has_more=has_more, params=query, fetch=fetch)

        return fetch(params)

    def _fetch_jwks(self) -> dict[str, Any]:
        response = self._send("GET", constants.JWKS_PATH, options=self._default_get(), auth=False)
        document = response.json()
        if not isinstance(document, dict):
            raise APIResponseValidationError(response=response, message="JWKS is not an object")
        self._jwks.document = document
        return document

    def _send(
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
                response = self._http.send(request, auth=self._auth if auth else None)
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
                response.read()
                retry = should_retry(
                    response.status_code,
                    problem_code(response),
                    response.headers.get(constants.SHOULD_RETRY_HEADER),
                )
                if not retry or retries_done >= options.max_retries:
                    raise status_error(response)
                delay = retry_delay(retries_done, response.headers.get("retry-after"), utc_now())
            self._sleep(delay)
            retries_done += 1

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)
