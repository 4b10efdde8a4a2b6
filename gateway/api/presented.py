"""Results already in their response schema's shape, written without a second dump."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import orjson
from flask import current_app
from marshmallow import Schema

from gateway.clock import rfc3339


class Presented(dict[str, Any]):
    """A view's result already in its response schema's shape: not dumped again.

    Hot paths (a prequalification carries every offer's schedule: hundreds of
    fields) build the wire document directly; dumping it through marshmallow
    again would cost more than making the decision. Values are JSON-ready
    except datetimes, which are written RFC 3339 with milliseconds and ``Z``
    exactly as :class:`gateway.api.fields.Timestamp` writes them. With
    ``GATEWAY_ENV=test`` every presented result is also dumped through the
    schema and must come out identical, so the whole test suite (fuzzing
    included) holds presenters to the schema.
    """


# Key order as built, like GatewayJSONProvider; datetimes through ``_default``.
_PRESENTED_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


def _default(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return rfc3339(value)
    raise TypeError(type(value).__name__)


def dumps_presented(result: Presented) -> bytes:
    """The wire bytes of a presented document (times as RFC 3339 with milliseconds and ``Z``)."""
    return orjson.dumps(result, default=_default, option=_PRESENTED_OPTIONS)


class PresentedDiffers(AssertionError):
    """A presenter's output is not what its response schema would write (tests only)."""


def check_presented(schema: Schema, result: Presented, body: bytes) -> None:
    expected = json.loads(current_app.json.dumps(schema.dump(result)))
    if json.loads(body) != expected:
        raise PresentedDiffers(
            f"{type(schema).__name__}: the presenter wrote {body[:2000]!r}, "
            f"the schema would write {json.dumps(expected)[:2000]}"
        )
