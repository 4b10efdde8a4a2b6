"""Security headers: a strict Content-Security-Policy on every page, no framing by default.

Every HTML response gets a policy without ``'unsafe-inline'``: scripts and
styles come from this origin, or from an inline ``<script>``/``<style>``
carrying the request's nonce (``nonce="{{ csp_nonce() }}"`` in a template).
Pages refuse to be framed (``frame-ancestors 'none'``, and
``X-Frame-Options: DENY`` for old browsers) unless their view is marked with
:func:`framable`; the checkout widget is a script the partner's page loads, not
a framed page, so no page is framable today. Other responses (JSON, the
widget's script) get ``default-src 'none'; frame-ancestors 'none'``: they are
never documents to render.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request

F = TypeVar("F", bound=Callable[..., Any])
NOT_A_DOCUMENT = "default-src 'none'; frame-ancestors 'none'"


def csp_nonce() -> str:
    """This request's nonce for inline ``<script>`` and ``<style>`` elements."""
    nonce: str | None = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(18)
    return nonce


def framable(*ancestors: str) -> Callable[[F], F]:
    """Let a page be framed by ``ancestors`` (origins, or ``'self'``)."""

    def mark(view: F) -> F:
        view.frame_ancestors = ancestors  # type: ignore[attr-defined]
        return view

    return mark


def page_policy(nonce: str, ancestors: tuple[str, ...] = ()) -> str:
    """The policy of an HTML page."""
    frame = " ".join(ancestors) if ancestors else "'none'"
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "object-src 'none'",
            f"frame-ancestors {frame}",
        )
    )


def _view_ancestors() -> tuple[str, ...]:
    view = current_app.view_functions.get(request.endpoint or "")
    return tuple(getattr(view, "frame_ancestors", ()))


def add_security_headers(response: Response) -> Response:
    """After every request: the policy for what the response is."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    if response.mimetype != "text/html":
        headers.setdefault("Content-Security-Policy", NOT_A_DOCUMENT)
        return response
    ancestors = _view_ancestors()
    headers.setdefault("Content-Security-Policy", page_policy(csp_nonce(), ancestors))
    if not ancestors:
        headers.setdefault("X-Frame-Options", "DENY")
    return response


def init_app(app: Flask) -> None:
    """Install the headers and the ``csp_nonce()`` template global."""
    app.after_request(add_security_headers)
    app.add_template_global(csp_nonce)
