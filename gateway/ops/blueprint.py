"""The ``/ops`` blueprint: navigation, security headers, CSRF, errors, template helpers.

Adding a page for a new noun is one file, ``gateway/ops/views/<noun>.py``
(plus its templates under ``templates/ops/<noun>/``)::

    from gateway.ops.auth import requires
    from gateway.ops.blueprint import bp, nav

    nav("nav.reviews", "console.reviews", "console.read", order=25)

    @bp.get("/reviews")
    @requires("console.read")
    def reviews() -> str:
        return render_template("ops/reviews/list.html", cases=...)

Every module of ``gateway/ops/views/`` is imported when the blueprint is
registered; ``nav`` puts the page in the menu for the roles that may see it
(add the label to :mod:`gateway.ops.i18n`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from gateway.ops.auth import check_idle, me
from gateway.ops.extension import csrf
from gateway.ops.i18n import current_locale, translate
from gateway.ops.roles import has_permission

bp = Blueprint(
    "console",
    __name__,
    url_prefix="/ops",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

# No script at all; styles and images from this origin only; forms post here only.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


@dataclass(frozen=True)
class NavEntry:
    """One menu item: label key, endpoint, the permission that shows it, position."""

    label: str
    endpoint: str
    permission: str
    order: int


_NAV: dict[str, NavEntry] = {}


def nav(label: str, endpoint: str, permission: str, *, order: int = 50) -> None:
    """Put a page in the console's menu."""
    _NAV[endpoint] = NavEntry(label, endpoint, permission, order)


def menu() -> list[NavEntry]:
    """The current user's menu."""
    if not current_user.is_authenticated:
        return []
    role = current_user.role
    entries = sorted(_NAV.values(), key=lambda e: (e.order, e.label))
    return [e for e in entries if has_permission(role, e.permission)]


@bp.before_request
def _guard() -> Any:
    if request.method == "POST":
        csrf.protect()
    return check_idle()


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_global("t")
def _t(key: str, **values: Any) -> str:
    return translate(key, **values)


@bp.context_processor
def _context() -> dict[str, Any]:
    user = me() if current_user.is_authenticated else None
    return {"menu": menu(), "user": user, "locale": current_locale()}


def _error(status: int, title_key: str, message_key: str) -> tuple[str, int]:
    body = render_template(
        "ops/error.html", status=status, title=translate(title_key), message=translate(message_key)
    )
    return body, status


@bp.errorhandler(403)
def _forbidden(_exc: Exception) -> tuple[str, int]:
    return _error(403, "common.forbidden_title", "common.forbidden")


@bp.errorhandler(401)
def _unauthenticated(_exc: Exception) -> tuple[str, int]:
    return _error(401, "auth.sign_in", "auth.signed_out")


@bp.errorhandler(CSRFError)
def _csrf(exc: CSRFError) -> tuple[str, int]:
    body = render_template(
        "ops/error.html", status=400, title="CSRF", message=exc.description or "CSRF"
    )
    return body, 400
