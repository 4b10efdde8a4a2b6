"""``BaseClient``: the configuration and request building ``Client`` and ``AsyncClient`` share.

It reads the client's settings (arguments, else environment variables),
holds its token cache and JWKS cache, resolves each call's options and builds
each attempt's request; the sync and async clients add only sending and
sleeping. The sans-I/O helpers it uses live in ``_requests``, ``_retries`` and
``_responses``; they are re-exported here, where they used to be defined.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from typing import Any, Self

import httpx

from . import _constants as constants
from ._auth import ClientCredentials
from ._exceptions import InstalmentsError
from ._offer_tokens import JWKSCache
from ._requests import (
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    NotGiven,
    RequestOptions,
    TimeoutArg,
    build_request,
    encode_json,
    new_idempotency_key,
    path_segment,
    resolve_options,
    strip_none,
)
from ._responses import ModelT, parse_response, problem_code, read_problem, status_error
from ._retries import backoff_delay, jitter, parse_retry_after, retry_delay, should_retry

__all__ = [
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "BaseClient",
    "ModelT",
    "NotGiven",
    "PrivateKey",
    "RequestOptions",
    "TimeoutArg",
    "backoff_delay",
    "build_request",
    "config_value",
    "encode_json",
    "jitter",
    "new_idempotency_key",
    "parse_response",
    "parse_retry_after",
    "path_segment",
    "problem_code",
    "read_problem",
    "resolve_options",
    "retry_delay",
    "should_retry",
    "status_error",
    "strip_none",
]

#: A private key for ``private_key_jwt`` or DPoP: PEM text or bytes, or a JWK dict.
PrivateKey = str | bytes | dict[str, Any]


def config_value(argument: str | None, variable: str, default: str | None = None) -> str | None:
    """The argument, else the environment variable, else the default."""
    if argument is not None:
        return argument
    return os.environ.get(variable) or default


class BaseClient:
    """Configuration and request building shared by ``Client`` and ``AsyncClient``."""

    #: The resources, created on first use (and forgotten by ``with_options`` copies).
    RESOURCES: tuple[str, ...] = (
        "products",
        "consent_notices",
        "consents",
        "prequalifications",
        "offers",
        "applications",
        "events",
        "checkout_sessions",
        "webhook_events",
        "webhook_endpoints",
        "settlements",
    )

    def __init__(
        self,
        *,
        client_id: str | None,
        client_secret: str | None,
        private_key: PrivateKey | None,
        base_url: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        scope: str | None,
        default_headers: Mapping[str, str] | None,
        dpop_key: PrivateKey | None = None,
    ) -> None:
        resolved_id = config_value(client_id, constants.ENV_CLIENT_ID)
        if not resolved_id:
            variable = constants.ENV_CLIENT_ID
            raise InstalmentsError(f"no client id: pass client_id= or set {variable}")
        secret = None
        if private_key is None:
            secret = config_value(client_secret, constants.ENV_CLIENT_SECRET)
            if not secret:
                raise InstalmentsError(
                    f"no client secret: pass client_secret= (or private_key=) "
                    f"or set {constants.ENV_CLIENT_SECRET}"
                )
        if max_retries < 0:
            raise InstalmentsError("max_retries must be 0 or more")
        url = config_value(base_url, constants.ENV_BASE_URL, constants.DEFAULT_BASE_URL)
        assert url is not None
        self.client_id = resolved_id
        self.base_url = url.rstrip("/")
        self.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self.max_retries = max_retries
        self._default_headers = dict(default_headers or {})
        self._auth = ClientCredentials(
            token_url=self.base_url + constants.TOKEN_PATH,
            client_id=resolved_id,
            client_secret=secret,
            private_key=private_key,
            scope=scope,
            dpop_key=dpop_key,
        )
        self._jwks = JWKSCache()

    def _options(
        self,
        method: str,
        timeout: TimeoutArg,
        max_retries: int | NotGiven,
        idempotency_key: str | None = None,
    ) -> RequestOptions:
        return resolve_options(
            method,
            default_timeout=self.timeout,
            default_max_retries=self.max_retries,
            timeout=timeout,
            max_retries=max_retries,
            idempotency_key=idempotency_key,
        )

    def _default_get(self) -> RequestOptions:
        return self._options("GET", NOT_GIVEN, NOT_GIVEN)

    def _build(
        self,
        method: str,
        path: str,
        options: RequestOptions,
        params: Mapping[str, str] | None,
        body: Mapping[str, Any] | None,
    ) -> httpx.Request:
        return build_request(
            method,
            self.base_url + path,
            options=options,
            params=params,
            body=body,
            headers=self._default_headers,
        )

    def _copy(self, timeout: TimeoutArg, max_retries: int | NotGiven) -> Self:
        """A shallow copy sharing the connection pool, token cache and JWKS cache."""
        new = copy.copy(self)
        for name in self.RESOURCES:
            new.__dict__.pop(name, None)  # resources are bound to the client they came from
        if not isinstance(timeout, NotGiven):
            new.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        if not isinstance(max_retries, NotGiven):
            if max_retries < 0:
                raise InstalmentsError("max_retries must be 0 or more")
            new.max_retries = max_retries
        return new
