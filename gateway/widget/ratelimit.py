"""Rate limits of the widget's browser endpoints: per checkout session and per client address.

The calls under ``/widget/v1/sessions/{id}`` are limited per session (one
customer's checkout has no reason to call more often) and per client address;
the public ``/widget/v1/messages`` per client address. Addresses are counted
under a keyed hash (HMAC-SHA256 with the gateway's secret key), so the
limiter's storage — Redis, shared by every process — never holds a raw IP.
The script and stylesheet are static and cached, and ``/v1/checkout-sessions``
has the partner's own ``/v1`` limits, so neither is limited here.

Each limit can be changed with ``Settings.extra`` (``widget_limit_per_session``,
``widget_limit_per_address``, ``messages_limit_per_address``). Over a limit the
answer is ``429`` problem+json with ``Retry-After``, like every other limit.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from flask import Blueprint, Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

PER_SESSION = "120/minute"  # a widget polls every 2-3 s while the bank decides
PER_ADDRESS = "600/minute"  # shoppers behind one carrier NAT share an address
MESSAGES_PER_ADDRESS = "300/minute"  # product listings render many elements


def _session_id() -> str | None:
    return (request.view_args or {}).get("session_id")


def session_key() -> str:
    """The checkout session a call names."""
    return f"widget-session:{_session_id()}"


def address_key_for(secret_key: str) -> Callable[[], str]:
    """A key function: the client's address, under a keyed hash."""

    def address_key() -> str:
        digest = hmac.new(
            secret_key.encode(), get_remote_address().encode(), hashlib.sha256
        ).hexdigest()
        return f"widget-address:{digest[:32]}"

    return address_key


def _not_session_call() -> bool:
    return _session_id() is None


def _not_messages() -> bool:
    return request.endpoint != "widget.messages"


def limit(app: Flask, limiter: Limiter, blueprint: Blueprint) -> None:
    """Put the widget's limits on its blueprint."""
    settings = app.extensions["gateway.settings"]
    extra = settings.extra
    address_key = address_key_for(settings.secret_key)
    per_session = str(extra.get("widget_limit_per_session", PER_SESSION))
    per_address = str(extra.get("widget_limit_per_address", PER_ADDRESS))
    messages = str(extra.get("messages_limit_per_address", MESSAGES_PER_ADDRESS))
    # Shared: every call of a session (and of an address) counts against one allowance.
    limiter.shared_limit(
        per_session, scope="widget-session", key_func=session_key, exempt_when=_not_session_call
    )(blueprint)
    limiter.shared_limit(
        per_address, scope="widget-address", key_func=address_key, exempt_when=_not_session_call
    )(blueprint)
    limiter.limit(messages, key_func=address_key, exempt_when=_not_messages)(blueprint)
