"""CORS for ``/widget/v1/sessions/…``: the session's one allowed origin, nothing else.

Each call names its checkout session in the path, so even a preflight (which
carries no credentials) can be answered for exactly the origin the partner
bound the session to. Any other origin gets no ``Access-Control-Allow-*``
header at all, and the browser keeps the response from the page.
"""

from __future__ import annotations

from flask import Response, current_app, g, request

from gateway.sessions import session
from gateway.widget.models import CheckoutSession

ALLOWED_METHODS = "GET, POST"
ALLOWED_HEADERS = "Authorization, Content-Type"
PREFLIGHT_MAX_AGE = "600"


def allowed_origin(session_id: str | None) -> str | None:
    """The origin a session's calls may come from (``None``: unknown session)."""
    if session_id is None:
        return None
    cached: dict[str, str | None] = g.setdefault("widget_origins", {})
    if session_id not in cached:
        checkout = session().get(CheckoutSession, session_id)
        cached[session_id] = checkout.allowed_origin if checkout is not None else None
    return cached[session_id]


def _matching_origin() -> str | None:
    origin = request.headers.get("Origin")
    view_args = request.view_args or {}
    expected = allowed_origin(view_args.get("session_id"))
    return origin if origin is not None and origin == expected else None


def preflight() -> Response | None:
    """Answer an ``OPTIONS`` preflight: 204 with CORS headers for the session's origin only."""
    if request.method != "OPTIONS" or "session_id" not in (request.view_args or {}):
        return None
    response = current_app.response_class(status=204)
    origin = _matching_origin()
    if origin is None:
        response.status_code = 403
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    response.vary.add("Origin")
    return response


def add_headers(response: Response) -> Response:
    """Let the session's origin read the answer (errors included, so it can explain them)."""
    if request.method == "OPTIONS" or "session_id" not in (request.view_args or {}):
        return response
    response.vary.add("Origin")
    origin = _matching_origin()
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "X-Request-Id"
    return response
