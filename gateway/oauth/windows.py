"""Fixed-window counters for the ``/v1`` limits: one storage round trip per request.

A partner's limit is several windows at once (per second and per minute). A
request counts against every window and needs, for its ``RateLimit-*``
headers, each window's count and time to reset. On Redis all of that is one
Lua script (``EVALSHA``): increment each key, set its expiry on the first hit,
return every count and TTL. Flask-Limiter made six round trips for the same
(a hit and a read per window, then a GET and a TTL per window for the
headers), and each redis-py command costs more CPU than the Lua it runs.

When Redis is unreachable the counters **fail open to per-process memory**
(each process still enforces every limit on its own) and Redis is retried
after :data:`RETRY_REDIS_AFTER` seconds; a warning is logged once per outage.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger("gateway.ratelimit")

RETRY_REDIS_AFTER = 5.0

_HIT_WINDOWS = """
local result = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = tonumber(ARGV[i])
  if count == 1 then
    redis.call('EXPIRE', key, ttl)
  else
    local left = redis.call('TTL', key)
    if left < 0 then
      redis.call('EXPIRE', key, ttl)
    else
      ttl = left
    end
  end
  result[#result + 1] = count
  result[#result + 1] = ttl
end
return result
"""


@dataclass(frozen=True)
class Window:
    """One limit: at most ``amount`` requests per ``seconds``."""

    amount: int
    seconds: int

    @property
    def policy(self) -> str:
        """The ``RateLimit-Policy`` item (``3;w=60``)."""
        return f"{self.amount};w={self.seconds}"


@dataclass(frozen=True)
class Count:
    """A window after this request's hit: how many so far, seconds until it resets."""

    window: Window
    count: int
    reset: int

    @property
    def breached(self) -> bool:
        """Whether this request went over the window's amount."""
        return self.count > self.window.amount

    @property
    def remaining(self) -> int:
        """Requests left in the window."""
        return max(0, self.window.amount - self.count)


def parse_windows(text: str) -> tuple[Window, ...]:
    """``20/second;600/minute`` → its windows.

    Raises:
        ValueError: a part is not ``N/second|minute|hour|day``.
    """
    units = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
    windows = []
    for part in filter(None, (item.strip() for item in text.split(";"))):
        amount, _, unit = part.partition("/")
        if not amount.isdigit() or unit.rstrip("s") not in units:
            raise ValueError(f"not a rate limit: {part!r}")
        windows.append(Window(int(amount), units[unit.rstrip("s")]))
    return tuple(windows)


class Counters(Protocol):
    """Where window counts live."""

    def hit(self, key: str, windows: Sequence[Window]) -> list[Count]:
        """Count one request for ``key`` in every window."""
        ...


class MemoryCounters:
    """Counters in this process (``memory://``, and the fallback when Redis is down)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}

    def hit(self, key: str, windows: Sequence[Window]) -> list[Count]:
        now = time.monotonic()
        counts = []
        with self._lock:
            if len(self._counts) > 100_000:
                self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
            for window in windows:
                name = f"{key}/{window.seconds}"
                count, expires = self._counts.get(name, (0, 0.0))
                if expires <= now:
                    count, expires = 0, now + window.seconds
                self._counts[name] = (count + 1, expires)
                counts.append(Count(window, count + 1, max(0, int(expires - now + 0.999))))
        return counts


class RedisCounters:
    """Counters in Redis, shared by every process: one ``EVALSHA`` a request."""

    def __init__(self, uri: str, prefix: str) -> None:
        import redis

        self.prefix = prefix
        self._client = redis.Redis.from_url(uri, socket_connect_timeout=0.2, socket_timeout=0.2)
        self._script = self._client.register_script(_HIT_WINDOWS)
        self._fallback = MemoryCounters()
        self._down_until = 0.0

    def hit(self, key: str, windows: Sequence[Window]) -> list[Count]:
        now = time.monotonic()
        if now < self._down_until:
            return self._fallback.hit(key, windows)
        wall = time.time()
        keys, ttls = [], []
        for window in windows:
            # Fixed windows aligned to the clock, so every process counts in the same one.
            start = int(wall // window.seconds) * window.seconds
            keys.append(f"{self.prefix}:v1:{key}:{window.seconds}:{start}")
            ttls.append(max(1, int(start + window.seconds - wall + 0.999)))
        try:
            raw: Any = self._script(keys=keys, args=ttls)
        except Exception as exc:
            if self._down_until == 0.0:
                log.warning(
                    "rate-limit storage unreachable (%s); per-process limits", type(exc).__name__
                )
            self._down_until = now + RETRY_REDIS_AFTER
            return self._fallback.hit(key, windows)
        if self._down_until:
            log.warning("rate-limit storage reachable again")
            self._down_until = 0.0
        return [
            Count(window, int(raw[2 * i]), int(raw[2 * i + 1])) for i, window in enumerate(windows)
        ]


def counters_for(uri: str, prefix: str) -> Counters:
    """Redis counters for ``redis://`` / ``rediss://`` storage, else per-process memory."""
    if uri.startswith(("redis://", "rediss://")):
        return RedisCounters(uri, prefix)
    return MemoryCounters()
