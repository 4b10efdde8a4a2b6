"""Failed client authentications: counted per client id *and* source, never per claim alone.

A client id is not a secret: whoever knows one could, if failures were
counted per client id only, lock the partner out (ten wrong secrets) or,
if a success by anyone cleared that count, keep guessing forever. So:

- a failure is counted under the pair (claimed client id, hashed source
  address) and under the source address alone;
- a request is refused (``429 client_locked``) when its pair has
  :data:`PAIR_LOCKOUT` failures or its source :data:`SOURCE_LOCKOUT`, within
  the window; a stranger's failures lock the stranger's address out, not the
  partner calling from its own servers;
- a success clears only the pair of the client that *authenticated* (never
  the client id the request merely claimed) at that source.

Addresses are stored as keyed hashes (HMAC-SHA256 with the secret key, cut to
128 bits): the counters in Redis never hold a raw IP address.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse

PAIR_LOCKOUT = parse("10/15 minutes")
SOURCE_LOCKOUT = parse("50/15 minutes")
log = logging.getLogger("gateway.ratelimit")


def source_hash(secret: str, address: str | None = None) -> str:
    """The keyed hash of a source address (the request's, by default)."""
    value = address if address is not None else get_remote_address()
    digest = hmac.new(secret.encode(), f"source:{value}".encode(), hashlib.sha256)
    return "src_" + digest.hexdigest()[:32]


class Lockout:
    """Failure counters in the limiter's storage (Redis: shared by every process)."""

    def __init__(self, limiter: Limiter, prefix: str) -> None:
        self.limiter = limiter
        self.prefix = prefix

    def _counters(self, client_id: str, source: str) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
        return [
            (PAIR_LOCKOUT, (self.prefix, "authfail", client_id, source)),
            (SOURCE_LOCKOUT, (self.prefix, "authfail-source", source)),
        ]

    def retry_after(self, client_id: str, source: str) -> int | None:
        """Seconds until this client id may try again from ``source``; ``None`` if not locked."""
        waits: list[int] = []
        try:
            for item, keys in self._counters(client_id, source):
                if self.limiter.limiter.test(item, *keys):
                    continue
                stats = self.limiter.limiter.get_window_stats(item, *keys)
                waits.append(max(1, int(stats.reset_time - time.time()) + 1))
        except Exception:
            log.warning("rate-limit storage unreachable; lockout not enforced")
            return None
        return max(waits) if waits else None

    def failed(self, client_id: str, source: str) -> None:
        """Count one failed authentication under the pair and under the source."""
        try:
            for item, keys in self._counters(client_id, source):
                self.limiter.limiter.hit(item, *keys)
        except Exception:
            log.warning("rate-limit storage unreachable; failure not counted")

    def succeeded(self, authenticated_client_id: str, source: str) -> None:
        """Forget the pair's failures once *this* client proved itself from ``source``."""
        item, keys = self._counters(authenticated_client_id, source)[0]
        try:
            self.limiter.limiter.clear(item, *keys)
        except Exception:
            log.warning("rate-limit storage unreachable; failures not cleared")
