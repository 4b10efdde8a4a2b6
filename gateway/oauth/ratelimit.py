"""Rate limits: per client on ``/v1`` (:mod:`gateway.oauth.windows`), per client id and IP
on ``/oauth`` (Flask-Limiter).

- ``/v1/*``: the partner's ``rate_limit`` (per second and per minute), keyed
  by the authenticated client id; unauthenticated calls by IP. One storage
  round trip per request counts every window and reads the header figures.
- ``/oauth/*``: :data:`TOKEN_PER_CLIENT` per claimed client id *from one
  (hashed) source address*, so a stranger cannot spend a partner's quota, and
  :data:`TOKEN_PER_IP` per IP.
- Failed client authentication: :mod:`gateway.oauth.lockout`.

Over a limit the answer is ``429`` problem+json with ``Retry-After``; every
limited response carries ``RateLimit-Limit``, ``RateLimit-Remaining``,
``RateLimit-Reset`` (seconds) and ``RateLimit-Policy``.

Storage is ``Settings.ratelimit_storage_uri`` (``memory://`` or Redis, shared by
every process). When Redis is unreachable we **fail open to per-process
limits**: Flask-Limiter falls back to in-memory counters (each process still
enforces every limit on its own, so the total allowed is multiplied by the
number of processes) and rechecks Redis with backoff; a warning is logged.
The lockout counters fail open too. Availability of checkout wins over exact
counting, and no request is refused because Redis is down.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from authlib.oauth2.rfc7523.client import ASSERTION_TYPE
from flask import Flask, Response, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from joserfc import jws

from gateway.api.problems import ProblemError
from gateway.config import Settings
from gateway.oauth.lockout import Lockout, source_hash
from gateway.oauth.windows import Count, Counters, counters_for, parse_windows

TOKEN_PER_CLIENT = "30/minute"  # noqa: S105 - a rate, not a secret
TOKEN_PER_IP = "300/minute"  # noqa: S105 - a rate, not a secret
UNAUTHENTICATED_PER_IP = "120/minute"
log = logging.getLogger("gateway.ratelimit")


def v1_key() -> str:
    """The authenticated client on ``/v1``, else the caller's IP."""
    client_id = g.get("client_id")
    return f"client:{client_id}" if client_id else f"ip:{get_remote_address()}"


def v1_limit() -> str:
    """The partner's configured limits, or the unauthenticated limit."""
    limit: str | None = g.get("rate_limit")
    return limit or UNAUTHENTICATED_PER_IP


def claimed_client_id() -> str:
    """The client id a token request claims (before it is authenticated)."""
    auth = request.authorization
    if auth is not None and auth.type == "basic" and auth.username:
        return str(auth.username)[:64]
    form_id = request.form.get("client_id")
    if form_id:
        return form_id[:64]
    assertion = request.form.get("client_assertion")
    if request.form.get("client_assertion_type") == ASSERTION_TYPE and assertion:
        try:
            sub = json.loads(jws.extract_compact(assertion.encode()).payload).get("sub")
        except Exception:
            sub = None
        if isinstance(sub, str):
            return sub[:64]
    return f"ip:{get_remote_address()}"


def claimed_client_from_source(secret: str) -> Any:
    """Key function: the claimed client id together with the hashed source address."""

    def _key() -> str:
        return f"{claimed_client_id()}|{source_hash(secret)}"

    return _key


def _storage_options(uri: str) -> dict[str, Any]:
    if uri.startswith(("redis://", "rediss://")):
        # A dead Redis must cost milliseconds, not the request.
        return {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}
    return {}


def init_ratelimit(app: Flask, settings: Settings) -> tuple[Limiter, Lockout]:
    """Create the app's limiters (one per app, so apps never share counters by accident)."""
    prefix = str(settings.extra.get("ratelimit_key_prefix", "gateway"))
    limiter = Limiter(
        key_func=get_remote_address,
        storage_uri=settings.ratelimit_storage_uri,
        storage_options=_storage_options(settings.ratelimit_storage_uri),
        strategy="fixed-window",
        key_prefix=prefix,
        headers_enabled=False,
        swallow_errors=True,
        in_memory_fallback_enabled=True,
    )
    limiter.init_app(app)
    # ``/v1`` is limited by the counters below (one Redis round trip): the
    # filter exempts it from Flask-Limiter, and Flask-Limiter's own check is
    # not even run for it (resolving and evaluating its empty limits cost
    # 1.6 % of a served prequalification's CPU).
    limiter.request_filter(_is_v1)
    _skip_on_v1(app, limiter)
    counters = counters_for(settings.ratelimit_storage_uri, prefix)
    app.extensions["gateway.v1_counters"] = counters
    app.before_request(_v1_limit_for(counters))
    app.after_request(_headers_for(limiter))
    return limiter, Lockout(limiter, prefix)


def _is_v1() -> bool:
    return request.path.startswith("/v1/")


def _skip_on_v1(app: Flask, limiter: Limiter) -> None:
    """Run Flask-Limiter's before-request check everywhere but on ``/v1``."""
    hooks = app.before_request_funcs.setdefault(None, [])
    check = limiter._check_request_limit  # what ``Limiter.init_app`` registered
    if check not in hooks:
        return  # another Flask-Limiter: the request filter still exempts /v1

    def _check_off_v1() -> None:
        if not request.path.startswith("/v1/"):
            check()

    hooks[hooks.index(check)] = _check_off_v1


_windows_cache: dict[str, Any] = {}


def _v1_limit_for(counters: Counters) -> Any:
    def _limit_v1() -> None:
        # Only ``/v1`` has the partner limits: health checks, metrics and the
        # reference are never refused.
        if not request.path.startswith("/v1/"):
            return
        text = v1_limit()
        windows = _windows_cache.get(text)
        if windows is None:
            windows = _windows_cache[text] = parse_windows(text)
        counts = counters.hit(v1_key(), windows)
        g.v1_counts = counts
        if any(count.breached for count in counts):
            raise ProblemError(429, "rate_limited", f"rate limit exceeded ({text})")

    return _limit_v1


def _headers_for(limiter: Limiter) -> Any:
    def _rate_limit_headers(response: Response) -> Response:
        # Report the limit nearest to refusing (the shortest window would
        # hide a nearly spent per-minute quota).
        counts: list[Count] | None = g.get("v1_counts")
        if counts:
            current = min(counts, key=lambda c: (not c.breached, c.remaining))
            amount, window = current.window.amount, current.window.seconds
            remaining, reset = current.remaining, current.reset
        else:
            try:  # the token endpoint's Flask-Limiter limits
                limits = limiter.current_limits
                if not limits:
                    return response
                hit = min(limits, key=lambda lim: (not lim.breached, lim.remaining))
                reset = max(0, int(hit.reset_at - time.time()))
            except Exception:
                return response
            amount, window, remaining = hit.limit.amount, hit.limit.get_expiry(), hit.remaining
        response.headers["RateLimit-Limit"] = str(amount)
        response.headers["RateLimit-Remaining"] = str(remaining)
        response.headers["RateLimit-Reset"] = str(reset)
        response.headers["RateLimit-Policy"] = f"{amount};w={window}"
        if response.status_code == 429:
            response.headers["Retry-After"] = str(max(1, reset))
        return response

    return _rate_limit_headers
