"""Wire OAuth into the app: authorization server, authoriser, rate limits.

``app.extensions["gateway.authorise"]`` is the callable ``@operation`` uses:
it validates the bearer token (once per request), checks the client and
partner are in good standing and the scope is granted, and sets
``flask.g.principal`` and ``flask.g.client_id``.
"""

from __future__ import annotations

import logging

from flask import Flask, g, request
from flask_limiter.util import get_remote_address

from gateway.api.problems import ProblemError
from gateway.db import reading
from gateway.keys.services import InvalidToken
from gateway.oauth import dpop_http, protection, ratelimit, server
from gateway.partners import services as partners
from gateway.sessions import session

REALM = "gateway"


def _challenge(error: str | None = None, description: str | None = None, scope: str = "") -> str:
    parts = [f'realm="{REALM}"']
    if error:
        parts.append(f'error="{error}"')
    if description:
        parts.append(f'error_description="{description}"')
    if scope:
        parts.append(f'scope="{scope}"')
    return "Bearer " + ", ".join(parts)


def _access_token() -> tuple[str, str] | None:
    """``(scheme, token)`` of a ``Bearer`` or ``DPoP`` Authorization header."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() not in ("bearer", "dpop") or not value.strip():
        return None
    return scheme.lower(), value.strip()


def _authenticate() -> None:
    """Authenticate the request's bearer token once; remember the outcome on ``g``."""
    # Kept on the request, not on ``g``: an app context (and its ``g``) may
    # outlive one request (tests, streaming), a principal must not.
    if request.environ.get("gateway.authenticated"):
        return
    request.environ["gateway.authenticated"] = True
    for name in ("principal", "client_id", "rate_limit", "auth_error", "partner_config"):
        g.pop(name, None)
    presented = _access_token()
    if presented is None:
        g.auth_error = ProblemError(
            401,
            "unauthorized",
            "a bearer access token is required",
            headers={"WWW-Authenticate": _challenge()},
        )
        return
    scheme, token = presented
    proof = dpop_http.resource_proof(token)
    # A read-only snapshot: on SQLite the write lock is not taken (nor waited
    # for) until the operation writes.
    with reading(session()) as db:
        try:
            found = protection.authenticate(db, token, issuer=server.issuer())
        except InvalidToken as exc:
            scheme_challenge = dpop_http.challenge if scheme == "dpop" else _challenge
            g.auth_error = ProblemError(
                401,
                "invalid_token",
                exc.detail,
                headers={"WWW-Authenticate": scheme_challenge("invalid_token", exc.detail)},
            )
            return
        config = partners.cached_config(found.config_hash) or (
            partners.get_partner(db, found.principal.partner_id).config
        )
    environment = config.environment(found.principal.environment)
    required = environment is not None and environment.token_binding == "dpop"  # noqa: S105
    try:
        dpop_http.check_resource_request(scheme, found.jkt, required, proof)
    except ProblemError as exc:
        g.auth_error = exc
        return
    g.principal = found.principal
    g.client_id = found.principal.client_id
    # The config of the partner whose standing was just checked, for the views.
    g.partner_config = config
    limits = config.rate_limit
    g.rate_limit = f"{limits.requests_per_second}/second;{limits.requests_per_minute}/minute"


def authorise(scope: str) -> None:
    """Require a valid bearer token holding ``scope`` (the ``@operation`` hook).

    Raises:
        ProblemError: 401 ``invalid_token`` / ``unauthorized`` or 403
            ``insufficient_scope``, with ``WWW-Authenticate``.
    """
    _authenticate()
    error: ProblemError | None = g.get("auth_error")
    if error is not None:
        raise error
    if scope not in g.principal.scopes:
        raise ProblemError(
            403,
            "insufficient_scope",
            f"the token does not grant the {scope!r} scope",
            headers={"WWW-Authenticate": _challenge("insufficient_scope", scope=scope)},
        )


def init_app(app: Flask) -> None:
    """Install the authorization server, the authoriser and the rate limits."""
    settings = app.extensions["gateway.settings"]
    # Authlib logs every issued token at DEBUG ("Issue token {...}"): bearer
    # tokens must never reach a log, whatever level the process runs at.
    logging.getLogger("authlib").setLevel(logging.INFO)

    # Authenticate /v1 calls before the rate limiter runs, so limits are
    # counted per authenticated client, never per a client id someone claims.
    @app.before_request
    def _authenticate_v1() -> None:
        if request.path.startswith("/v1/"):
            _authenticate()

    limiter, lockout = ratelimit.init_ratelimit(app, settings)
    from gateway.oauth import views

    per_ip = str(settings.extra.get("token_limit_per_ip", ratelimit.TOKEN_PER_IP))
    per_client = str(settings.extra.get("token_limit_per_client", ratelimit.TOKEN_PER_CLIENT))
    # Blueprint limits are checked before the view runs (decorator limits
    # would only run inside the view, after the request was parsed).
    limiter.limit(per_ip, key_func=get_remote_address)(views.bp)
    # Per claimed client id *and* source: knowing a client id (not a secret)
    # must not let a stranger spend that partner's token quota.
    per_source = ratelimit.claimed_client_from_source(settings.secret_key)
    limiter.limit(per_client, key_func=per_source)(views.bp)
    app.register_blueprint(views.metadata_bp)
    app.extensions["gateway.limiter"] = limiter
    app.extensions["gateway.lockout"] = lockout
    app.extensions["gateway.oauth_server"] = server.create_server(app)
    app.extensions["gateway.authorise"] = authorise
    dpop_http.init_app(app)
