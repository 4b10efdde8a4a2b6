"""Results already in their response schema's shape, written without a second dump."""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask import current_app
from marshmallow import Schema


class Presented(dict[str, Any]):
    """A view's result already in its response schema's shape: not dumped again.

    Hot paths (a prequalification carries every offer's schedule: hundreds of
    fields) build the wire document directly; dumping it through marshmallow
    again would cost more than making the decision. Values are JSON-ready
    except datetimes, which are written ISO 8601 exactly as marshmallow's
    ``DateTime`` writes them. With ``GATEWAY_ENV=test`` every presented
    result is also dumped through the schema and must come out identical, so
    the whole test suite (fuzzing included) holds presenters to the schema.
    """


_PRESENTED_OPTIONS = orjson.OPT_NON_STR_KEYS  # key order as built, like GatewayJSONProvider


def dumps_presented(result: Presented) -> bytes:
    """The wire bytes of a presented document (orjson writes datetimes as ``isoformat()``)."""
    return orjson.dumps(result, option=_PRESENTED_OPTIONS)


class PresentedDiffers(AssertionError):
    """A presenter's output is not what its response schema would write (tests only)."""


def check_presented(schema: Schema, result: Presented, body: bytes) -> None:
    expected = json.loads(current_app.json.dumps(schema.dump(result)))
    if json.loads(body) != expected:
        raise PresentedDiffers(
            f"{type(schema).__name__}: the presenter wrote {body[:2000]!r}, "
            f"the schema would write {json.dumps(expected)[:2000]}"
        )
