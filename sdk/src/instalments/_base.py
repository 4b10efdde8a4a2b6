"""The part of the client that does no I/O, shared by ``Client`` and ``AsyncClient``.

Building a request, deciding whether to retry, how long to wait, and which
exception a status becomes are plain functions here, so the sync and async
clients differ only in how they send and sleep.
"""

from __future__ import annotations

import copy
import json
import os
import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any, Self, TypeVar
from urllib.parse import quote

import httpx
import pydantic

from . import _constants as constants
from ._auth import ClientCredentials
from ._exceptions import (
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ConsentNotActiveError,
    ConsentRequiredError,
    DecisionTokenMismatchError,
    ExposureLimitError,
    GoneError,
    IdempotencyConflictError,
    IdempotencyInFlightError,
    InstalmentsError,
    InternalServerError,
    NotFoundError,
    OfferAlreadyAcceptedError,
    OfferExpiredError,
    OfferTokenMismatchError,
    OfferVoidError,
    PermissionDeniedError,
    RateLimitError,
    ServiceUnavailableError,
    UnprocessableEntityError,
)
from ._offer_tokens import JWKSCache
from ._version import __version__
from .types import Model, Problem

ModelT = TypeVar("ModelT", bound=Model)

DEFAULT_TIMEOUT = httpx.Timeout(
    connect=constants.DEFAULT_CONNECT_TIMEOUT,
    read=constants.DEFAULT_READ_TIMEOUT,
    write=constants.DEFAULT_WRITE_TIMEOUT,
    pool=constants.DEFAULT_POOL_TIMEOUT,
)

_ERROR_FOR_STATUS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    410: GoneError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    503: ServiceUnavailableError,
}

_ERROR_FOR_CODE: Mapping[str, type[APIStatusError]] = {
    "consent_required": ConsentRequiredError,
    "consent_not_active": ConsentNotActiveError,
    "exposure_limit": ExposureLimitError,
    "idempotency_conflict": IdempotencyConflictError,
    "idempotency_in_flight": IdempotencyInFlightError,
    "invalid_client": AuthenticationError,  # RFC 6749 allows 400 or 401 for it
    "invalid_token": AuthenticationError,
    "decision_token_mismatch": DecisionTokenMismatchError,
    "offer_already_accepted": OfferAlreadyAcceptedError,
    "offer_expired": OfferExpiredError,
    "offer_token_mismatch": OfferTokenMismatchError,
    "offer_void": OfferVoidError,
}


class NotGiven:
    """Marks an argument left out (``None`` is a value: "no timeout")."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()

#: What every ``timeout=`` accepts: seconds, an ``httpx.Timeout``, ``None`` (no limit).
TimeoutArg = float | httpx.Timeout | NotGiven | None


@dataclass(frozen=True)
class RequestOptions:
    """Per-call settings, resolved against the client's defaults."""

    timeout: httpx.Timeout
    max_retries: int
    idempotency_key: str | None


def config_value(argument: str | None, variable: str, default: str | None = None) -> str | None:
    """The argument, else the environment variable, else the default."""
    if argument is not None:
        return argument
    return os.environ.get(variable) or default


def resolve_options(
    method: str,
    *,
    default_timeout: httpx.Timeout,
    default_max_retries: int,
    timeout: TimeoutArg,
    max_retries: int | NotGiven,
    idempotency_key: str | None,
) -> RequestOptions:
    """Merge a call's options with the client's; give every POST its idempotency key.

    The key is generated here, once per logical call, so every retry of that
    call sends the same key and the gateway applies it at most once.
    """
    if isinstance(timeout, NotGiven):
        resolved = default_timeout
    else:
        resolved = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
    retries = default_max_retries if isinstance(max_retries, NotGiven) else max_retries
    if retries < 0:
        raise InstalmentsError("max_retries must be 0 or more")
    key = idempotency_key
    if key is None and method == "POST":
        key = new_idempotency_key()
    return RequestOptions(timeout=resolved, max_retries=retries, idempotency_key=key)


def new_idempotency_key() -> str:
    """A fresh random key (UUID4) for one logical POST."""
    return str(uuid.uuid4())


def _json_default(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise InstalmentsError("datetimes sent to the gateway must be timezone-aware")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot send {type(value).__name__} as JSON")


def encode_json(body: Mapping[str, Any]) -> bytes:
    """JSON for the gateway: ``Decimal`` as strings (never floats), aware times as RFC 3339."""
    return json.dumps(body, default=_json_default, ensure_ascii=False).encode()


def build_request(
    method: str,
    url: str,
    *,
    options: RequestOptions,
    params: Mapping[str, str] | None = None,
    body: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> httpx.Request:
    """One attempt's request: headers, JSON body, idempotency key and timeout."""
    all_headers = {"Accept": "application/json", "User-Agent": f"instalments-python/{__version__}"}
    all_headers.update(headers or {})
    content = None
    if body is not None:
        content = encode_json(body)
        all_headers["Content-Type"] = "application/json"
    if options.idempotency_key is not None:
        all_headers["Idempotency-Key"] = options.idempotency_key
    return httpx.Request(
        method,
        url,
        params=params,
        content=content,
        headers=all_headers,
        extensions={"timeout": options.timeout.as_dict()},
    )


def problem_code(response: httpx.Response) -> str | None:
    """The problem's ``code`` (or OAuth ``error``), if the body is JSON and has one."""
    return read_problem(response).code


def should_retry(status_code: int, code: str | None, advice: str | None = None) -> bool:
    """Whether to send a failed request again.

    The gateway's ``x-should-retry: true|false`` header decides first (it knows
    whether a 409 is a request still in flight or a real conflict); without
    it: 408, 429, 5xx, and a 409 whose first request is still running.
    """
    if advice is not None and advice.strip().lower() in ("true", "false"):
        return advice.strip().lower() == "true"
    if status_code in (408, 429) or status_code >= 500:
        return True
    return status_code == 409 and code == "idempotency_in_flight"


def backoff_delay(retries_done: int) -> float:
    """Exponential backoff before jitter: 0.5 s, 1 s, 2 s, … at most 8 s."""
    return min(constants.INITIAL_RETRY_DELAY * 2.0**retries_done, constants.MAX_RETRY_DELAY)


def jitter(delay: float) -> float:
    """Spread retries of many clients: a random 75-100 % of ``delay``."""
    return delay * (1.0 - 0.25 * random.random())


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP date); ``None`` if unusable."""
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return (when - now).total_seconds()


def retry_delay(retries_done: int, retry_after: str | None, now: datetime) -> float:
    """How long to wait before the next attempt.

    The server's ``Retry-After`` wins when it is between 0 and 60 s; otherwise
    (absent, unparseable, negative or longer) the jittered exponential backoff.
    """
    seconds = parse_retry_after(retry_after, now)
    if seconds is not None and 0 <= seconds <= constants.MAX_RETRY_AFTER:
        return seconds
    return jitter(backoff_delay(retries_done))


def read_problem(response: httpx.Response) -> Problem:
    """The response body as a :class:`Problem`; OAuth errors and non-JSON bodies mapped."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        text = response.text[:200] if response.text else None
        status = response.status_code
        return Problem(status=status, title=_phrase(status), detail=text)
    if "error" in data and "code" not in data:
        data = {
            "status": response.status_code,
            "title": _phrase(response.status_code),
            "code": data.get("error"),
            "detail": data.get("error_description"),
        }
    try:
        return Problem.model_validate(data)
    except pydantic.ValidationError:
        return Problem(status=response.status_code, title=_phrase(response.status_code))


def _phrase(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"


def status_error(response: httpx.Response) -> APIStatusError:
    """The exception a 4xx/5xx response becomes: by problem code, else by status."""
    problem = read_problem(response)
    cls = _ERROR_FOR_CODE.get(problem.code or "")
    if cls is None:
        cls = _ERROR_FOR_STATUS.get(response.status_code)
    if cls is None:
        cls = InternalServerError if response.status_code >= 500 else APIStatusError
    return cls(response=response, problem=problem)


def parse_response(response: httpx.Response, cast_to: type[ModelT]) -> ModelT:
    """Validate a 2xx body into ``cast_to``."""
    try:
        return cast_to.model_validate_json(response.content)
    except pydantic.ValidationError as exc:
        raise APIResponseValidationError(
            response=response,
            message=f"the gateway's {cast_to.__name__} did not match the SDK: {exc.error_count()} "
            "error(s); upgrade the SDK",
        ) from exc


def path_segment(value: str) -> str:
    """An id as one URL path segment (quoted, so it can never change the path)."""
    if value in ("", ".", ".."):
        raise InstalmentsError(f"invalid id: {value!r}")
    return quote(value, safe="")


def strip_none(values: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments left as ``None`` are not sent."""
    return {key: value for key, value in values.items() if value is not None}


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
        private_key: str | bytes | dict[str, Any] | None,
        base_url: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        scope: str | None,
        default_headers: Mapping[str, str] | None,
        dpop_key: str | bytes | dict[str, Any] | None = None,
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


#: What every resource method accepts as ``timeout=``.
TimeoutArg = TimeoutArg
