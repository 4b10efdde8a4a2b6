"""When to send a failed request again, and how long to wait first.

The sync and async clients share this policy; they differ only in how they
sleep. No I/O here.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from . import _constants as constants


def utc_now() -> datetime:
    """The current time, timezone-aware UTC (what a ``Retry-After`` date is read against)."""
    return datetime.now(UTC)


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
