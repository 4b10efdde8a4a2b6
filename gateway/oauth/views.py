"""OAuth endpoints: token, revocation, introspection, RFC 8414 metadata.

They take form-encoded bodies and answer RFC 6749 error bodies (Authlib's),
except ``429`` (rate limits and lockouts), which is problem+json like every
other rate-limited answer.
"""

from __future__ import annotations

import json
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer
from flask import Blueprint, Response, current_app, g, jsonify

from gateway.api.operations import operation
from gateway.api.problems import ProblemError
from gateway.oauth.dpop_http import token_endpoint_binding
from gateway.oauth.lockout import Lockout, source_hash
from gateway.oauth.ratelimit import claimed_client_id
from gateway.oauth.server import ASSERTION_ALGORITHMS, AUTH_METHODS, issuer
from gateway.partners.config import SCOPES

bp = Blueprint("oauth", __name__)
# Metadata is read freely; it is not under the token endpoint's rate limits.
metadata_bp = Blueprint("oauth_metadata", __name__)

_OAUTH_ERRORS = {
    400: "RFC 6749 error (`invalid_request`, `invalid_scope`, …)",
    401: "RFC 6749 `invalid_client`",
}


def _server() -> AuthorizationServer:
    server: AuthorizationServer = current_app.extensions["gateway.oauth_server"]
    return server


def _lockout() -> Lockout:
    lockout: Lockout = current_app.extensions["gateway.lockout"]
    return lockout


def _error_code(response: Response) -> str | None:
    try:
        body = json.loads(response.get_data())
    except ValueError:
        return None
    return body.get("error") if isinstance(body, dict) else None


def _with_lockout(create: Any) -> Response:
    """Refuse a locked-out client id at this source; count failed authentications."""
    client_id = claimed_client_id()
    source = source_hash(current_app.extensions["gateway.settings"].secret_key)
    lockout = _lockout()
    retry_after = lockout.retry_after(client_id, source)
    if retry_after is not None:
        raise ProblemError(
            429,
            "client_locked",
            "too many failed authentications for this client; retry later",
            headers={"Retry-After": str(retry_after)},
        )
    response: Response = create()
    authenticated = g.pop("authenticated_client_id", None)
    if _error_code(response) == "invalid_client":
        lockout.failed(client_id, source)
    elif response.status_code == 200 and authenticated:
        lockout.succeeded(authenticated, source)
        g.client_id = authenticated  # the access log names it
    return response


@bp.post("/oauth/token")
@operation(form=True, tags=["OAuth"], extra_responses=_OAUTH_ERRORS, errors=(429,))
def token() -> Response:
    """Client credentials grant: exchange client authentication for an access token."""
    return _with_lockout(lambda: token_endpoint_binding() or _server().create_token_response())


@bp.post("/oauth/revoke")
@operation(form=True, tags=["OAuth"], extra_responses=_OAUTH_ERRORS, errors=(429,))
def revoke() -> Response:
    """Revoke one of your access tokens (RFC 7009); effective at once."""
    return _with_lockout(lambda: _server().create_endpoint_response("revocation"))


@bp.post("/oauth/introspect")
@operation(form=True, tags=["OAuth"], extra_responses=_OAUTH_ERRORS, errors=(429,))
def introspect() -> Response:
    """Introspect an access token (RFC 7662); bank-internal clients only."""
    return _with_lockout(lambda: _server().create_endpoint_response("introspection"))


@metadata_bp.get("/.well-known/oauth-authorization-server")
@operation(tags=["OAuth"])
def metadata() -> Response:
    """Authorization server metadata (RFC 8414)."""
    base = issuer()
    body: dict[str, Any] = {
        "issuer": base,
        "token_endpoint": f"{base}/oauth/token",
        "jwks_uri": f"{base}/.well-known/jwks.json",
        "revocation_endpoint": f"{base}/oauth/revoke",
        "introspection_endpoint": f"{base}/oauth/introspect",
        "grant_types_supported": ["client_credentials"],
        "response_types_supported": [],
        "scopes_supported": list(SCOPES),
        "token_endpoint_auth_methods_supported": AUTH_METHODS,
        "token_endpoint_auth_signing_alg_values_supported": list(ASSERTION_ALGORITHMS),
        "revocation_endpoint_auth_methods_supported": AUTH_METHODS,
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic"],
        "service_documentation": f"{base}/docs",
    }
    response = jsonify(body)
    if current_app.extensions["gateway.settings"].issuer:
        response.headers["Cache-Control"] = "public, max-age=300"
    else:
        # Derived from this request's Host header: a shared cache must not
        # keep one caller's (possibly forged) host and serve it to others.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Vary"] = "Host"
    return response
