"""Marshmallow fields shared by every response schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import fields

from gateway.clock import rfc3339


class Timestamp(fields.DateTime):
    """A time written RFC 3339 UTC with milliseconds and ``Z`` (``2026-11-21T06:00:00.000Z``).

    The same text as webhook payloads and every other JSON the gateway writes
    (:func:`gateway.clock.rfc3339`); read like marshmallow's ``DateTime``.
    """

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            return str(super()._serialize(value, attr, obj, **kwargs))
        return rfc3339(value)
