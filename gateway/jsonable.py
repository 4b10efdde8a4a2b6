"""How the gateway writes the values JSON lacks: money, times and dates.

One rule everywhere (responses, webhook payloads, signed tokens, CLI output):
``Decimal`` as its exact decimal string, aware datetimes as RFC 3339 UTC with
milliseconds and ``Z``, dates as ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from gateway.clock import rfc3339


def json_default(value: Any) -> Any:
    """The ``default=`` hook for :func:`json.dumps` and :func:`orjson.dumps`.

    Raises:
        TypeError: any other type (a bug: nothing else belongs in a document).
    """
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return rfc3339(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
