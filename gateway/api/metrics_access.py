"""Who may read ``/metrics``: configured networks, or a caller with the internal token.

Metrics describe traffic per route and status, worker counts and latencies:
useful to an attacker sizing the service, so they are not public. Allowed:

- a source address in ``GATEWAY_METRICS_ALLOW`` (comma-separated CIDRs;
  default loopback only, which keeps ``make demo`` and a node-local
  Prometheus agent working), or
- ``Authorization: Bearer <GATEWAY_METRICS_TOKEN>`` (when the token is set),
  for a Prometheus that scrapes from elsewhere (``authorization`` in its
  ``scrape_config``).

Anything else is ``403``. The source address is the one Werkzeug sees after
``GATEWAY_TRUSTED_PROXIES`` hops: behind a proxy on the same host, set that
setting (or clear ``GATEWAY_METRICS_ALLOW`` and use the token), or every
caller looks like loopback.
"""

from __future__ import annotations

import hmac
import ipaddress

from flask import Flask, request

from gateway.api.problems import ProblemError
from gateway.config import Settings

PATH = "/metrics"


def address_allowed(address: str | None, networks: tuple[str, ...]) -> bool:
    """Whether ``address`` is inside one of ``networks``."""
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network) for network in networks)


def token_presented(expected: str) -> bool:
    """Whether the request carries the internal metrics token (constant-time check)."""
    if not expected:
        return False
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(value.strip(), expected)


def init_app(app: Flask, settings: Settings) -> None:
    """Guard ``/metrics`` before its view runs."""

    @app.before_request
    def _guard_metrics() -> None:
        if request.path != PATH:
            return
        if address_allowed(request.remote_addr, settings.metrics_allow):
            return
        if token_presented(settings.metrics_token):
            return
        raise ProblemError(
            403, "forbidden", "metrics are served to the monitoring network or with its token"
        )
