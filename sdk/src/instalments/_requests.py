"""Turning one call into an ``httpx.Request``: its options, JSON body, headers and path.

Per-call options (timeout, retries, idempotency key) are resolved against the
client's defaults once per logical call; each attempt's request is then built
from them. No I/O here.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import httpx

from . import _constants as constants
from ._exceptions import InstalmentsError
from ._version import __version__

DEFAULT_TIMEOUT = httpx.Timeout(
    connect=constants.DEFAULT_CONNECT_TIMEOUT,
    read=constants.DEFAULT_READ_TIMEOUT,
    write=constants.DEFAULT_WRITE_TIMEOUT,
    pool=constants.DEFAULT_POOL_TIMEOUT,
)


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


def path_segment(value: str) -> str:
    """An id as one URL path segment (quoted, so it can never change the path)."""
    if value in ("", ".", ".."):
        raise InstalmentsError(f"invalid id: {value!r}")
    return quote(value, safe="")


def strip_none(values: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments left as ``None`` are not sent."""
    return {key: value for key, value in values.items() if value is not None}
