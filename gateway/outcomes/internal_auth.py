"""Who may call ``/internal/v1/*``: a bank-internal client holding the route's scope.

Internal clients (``gateway clients issue-internal LABEL --scope loans:write``)
get no access tokens: they authenticate each call with HTTP Basic, their
client id and secret, as they do for ``/oauth/introspect``. The check reads the
client row on every call, so a disabled client is refused on its next call.
"""

from __future__ import annotations

import base64
import binascii

from flask import g, request
from sqlalchemy.orm import Session

from gateway.api.problems import ProblemError
from gateway.oauth.credentials import secret_matches
from gateway.oauth.models import OAuthClient

_CHALLENGE = {"WWW-Authenticate": 'Basic realm="internal", charset="UTF-8"'}


def _basic_credentials() -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep and client_id and secret else None


def require_internal_client(session: Session, scope: str) -> OAuthClient:
    """The calling internal client, which must hold ``scope``.

    Raises:
        ProblemError: 401 without valid internal client credentials; 403 when
            the client lacks ``scope``.
    """
    credentials = _basic_credentials()
    if credentials is None:
        raise ProblemError(
            401, "unauthorized", "internal client credentials required", headers=_CHALLENGE
        )
    client_id, secret = credentials
    client = session.get(OAuthClient, client_id[:64])
    if (
        client is None
        or client.environment != "internal"
        or client.status != "active"
        or not secret_matches(client, secret)
    ):
        raise ProblemError(401, "unauthorized", "invalid client credentials", headers=_CHALLENGE)
    if scope not in (client.scopes or "").split():
        raise ProblemError(
            403,
            "insufficient_scope",
            f"this client lacks the {scope} scope",
            headers={"WWW-Authenticate": f'Basic realm="internal", scope="{scope}"'},
        )
    g.client_id = client.client_id
    return client
