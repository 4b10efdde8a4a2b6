"""The application factory: config → extensions → blueprints → error handlers → CLI."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Request, Response, request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from gateway.api import metrics_access, security_headers
from gateway.api.operations import accepts_form, is_json_mimetype
from gateway.api.problems import ProblemError, register_error_handlers
from gateway.config import Settings
from gateway.db import Database
from gateway.domains import domain_modules
from gateway.jsonable import json_default
from gateway.models import load_all
from gateway.observability import Metrics, configure_logging, register_observability
from gateway.sessions import close_request_session, close_session, get_database


class GatewayJSONProvider(DefaultJSONProvider):
    """JSON with money as decimal strings and times as RFC 3339 UTC."""

    sort_keys = False
    ensure_ascii = False

    @staticmethod
    def default(o: Any) -> Any:
        try:
            return json_default(o)
        except TypeError:
            return DefaultJSONProvider.default(o)


class NoCookieSessions(SessionInterface):
    """No cookie sessions: the API is stateless (bearer tokens, widget client tokens).

    Flask's default interface builds a signing serializer on every request to
    look for a session cookie nobody sets.
    """

    def open_session(self, app: Flask, request: Request) -> None:
        return None  # Flask then uses a NullSession; writing to it raises

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        return None


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build a gateway application.

    Args:
        config: ready-made :class:`Settings`, a mapping of overrides applied on
            top of the environment's settings, or ``None`` for the environment.

    Returns:
        The configured Flask app. Nothing is started or written except the
        development secrets file and the SQLite directory on first use.

    Raises:
        ConfigError: the configuration is unusable (e.g. production without
            explicit secrets).
    """
    settings = _resolve_settings(config)
    app = Flask("gateway", instance_path=str(settings.instance_path.resolve()))
    app.json = GatewayJSONProvider(app)
    app.session_interface = NoCookieSessions()
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_content_length,
        GATEWAY_SETTINGS=settings,
    )
    app.extensions["gateway.settings"] = settings
    if settings.trusted_proxies > 0:
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    register_extensions(app, settings)
    register_request_hygiene(app, settings)
    register_blueprints(app)
    register_error_handlers(app)
    register_cli(app)
    return app


def _resolve_settings(config: Settings | Mapping[str, Any] | None) -> Settings:
    if isinstance(config, Settings):
        settings = config
    else:
        settings = Settings.from_env()
        if config:
            settings = settings.replace(**dict(config))
    return settings.with_secrets()


def register_extensions(app: Flask, settings: Settings) -> None:
    """Logging, database, metrics."""
    from gateway.api.ops import add_readiness_check

    configure_logging(settings.log_level)
    database = Database(settings.database_url)
    app.extensions["gateway.db"] = database
    app.teardown_request(close_request_session)
    app.teardown_appcontext(close_session)
    add_readiness_check(app, "database", lambda: get_database().ping())
    metrics = Metrics(settings.prometheus_multiproc_dir)
    app.extensions["gateway.metrics"] = metrics
    register_observability(app, metrics)
    load_all()
    for module in domain_modules("extension"):
        module.init_app(app)


def register_request_hygiene(app: Flask, settings: Settings) -> None:
    """Body size cap and JSON-only POST bodies, before any view runs."""

    @app.before_request
    def _check_body() -> None:
        length = request.content_length
        if length is not None and length > settings.max_content_length:
            raise RequestEntityTooLarge()
        if request.method not in ("POST", "PUT", "PATCH"):
            return
        has_body = bool(length) or request.headers.get("Transfer-Encoding", "") == "chunked"
        if not has_body:
            return
        view = app.view_functions.get(request.endpoint or "")
        if view is not None and accepts_form(view):
            return
        if not is_json_mimetype(request.mimetype):
            raise ProblemError(
                415,
                "unsupported_media_type",
                "request bodies must be application/json",
                headers={"Accept-Post": "application/json"},
            )

    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    security_headers.init_app(app)
    metrics_access.init_app(app, settings)


def register_blueprints(app: Flask) -> None:
    """Mount every blueprint."""
    from gateway.api import ops

    app.register_blueprint(ops.bp)
    for module in domain_modules("views"):
        app.register_blueprint(module.bp)


def register_cli(app: Flask) -> None:
    """Attach the ``gateway`` command groups."""
    from gateway.cli.commands import register_commands

    register_commands(app)
