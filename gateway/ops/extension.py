"""Wire the console into the app: cookie sessions under ``/ops`` only, Flask-Login, CSRF.

The API is stateless and keeps its cookie-free session interface: the
console's interface opens a signed cookie session only for paths under
``/ops``; every other request gets Flask's null session, as before, and no
``Set-Cookie`` ever leaves ``/v1``. The cookie is HttpOnly, SameSite=Strict,
scoped to ``/ops``, Secure outside development, and lasts 30 idle minutes.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSessionInterface, SessionInterface, SessionMixin
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from gateway.config import Settings

PREFIX = "/ops"
IDLE_TIMEOUT = dt.timedelta(minutes=30)
COOKIE_NAME = "gateway_ops"

login_manager = LoginManager()
csrf = CSRFProtect()


def _is_console(request: Request) -> bool:
    path = request.path
    return path == PREFIX or path.startswith(PREFIX + "/")


class ConsoleSessions(SessionInterface):
    """Signed cookie sessions for ``/ops``; the wrapped (cookie-free) interface elsewhere."""

    def __init__(self, other: SessionInterface) -> None:
        self.other = other
        self.cookies = SecureCookieSessionInterface()

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        if _is_console(request):
            return self.cookies.open_session(app, request)
        return self.other.open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if _is_console_response():
            self.cookies.save_session(app, session, response)
            return
        self.other.save_session(app, session, response)


def _is_console_response() -> bool:
    from flask import request

    return _is_console(request)


def init_app(app: Flask) -> None:
    """Session cookie settings, the session interface, Flask-Login and CSRF."""
    settings: Settings = app.extensions["gateway.settings"]
    app.config.update(
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_PATH=PREFIX,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=settings.env != "development",
        PERMANENT_SESSION_LIFETIME=IDLE_TIMEOUT,
        SESSION_REFRESH_EACH_REQUEST=True,
        # CSRF is checked by the console blueprint for its own POSTs only (the
        # API authenticates with bearer tokens and takes no cookies).
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the (30-minute idle) session
        WTF_CSRF_SSL_STRICT=False,  # SameSite=Strict and the token carry the check
    )
    app.session_interface = ConsoleSessions(app.session_interface)
    login_manager.init_app(app)
    login_manager.login_view = "console.sign_in"
    login_manager.session_protection = "strong"
    csrf.init_app(app)
