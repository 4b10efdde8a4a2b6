"""Client authentication that tells an attacker nothing and trusts only what it verified.

- Every failure is the same answer: ``401 invalid_client`` with one
  description and a ``WWW-Authenticate`` challenge, whether the client id is
  unknown, the secret wrong or the assertion bad (the reason goes to the log,
  for the bank). An unknown client id costs the same scrypt as a wrong secret
  (:func:`gateway.oauth.credentials.spend_like_a_check`), so timing does not
  tell them apart either.
- The client of a request is the authenticated one. Every client id the
  request *claims* (the Basic user name, a form ``client_id``, the client
  assertion's ``iss`` and ``sub``) must be that client: a form ``client_id``
  contradicting a valid assertion is ``invalid_client`` (RFC 7521 §4.2), so it
  can neither be counted as nor clear the lockout of another client.
- ``flask.g.authenticated_client_id`` names the client that proved itself,
  for :mod:`gateway.oauth.lockout`.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import InvalidClientError
from authlib.oauth2.rfc7523.client import ASSERTION_TYPE
from flask import g, request
from joserfc import jws

FAILED = "client authentication failed"
log = logging.getLogger("gateway.oauth")


def claimed_client_ids() -> set[str]:
    """Every client id the token request names, before anything is verified."""
    claimed: set[str] = set()
    auth = request.authorization
    if auth is not None and auth.type == "basic" and auth.username:
        claimed.add(str(auth.username))
    form_id = request.form.get("client_id")
    if form_id:
        claimed.add(form_id)
    assertion = request.form.get("client_assertion")
    if request.form.get("client_assertion_type") == ASSERTION_TYPE and assertion:
        try:
            claims = json.loads(jws.extract_compact(assertion.encode()).payload)
        except Exception:
            claims = None
        if isinstance(claims, dict):
            claimed.update(
                v for k, v in claims.items() if k in ("iss", "sub") and isinstance(v, str)
            )
    return claimed


def invalid_client() -> InvalidClientError:
    """The one answer to every failed client authentication."""
    return InvalidClientError(status_code=401, description=FAILED)


class GatewayAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    """Authlib's server with uniform failures and no contradicting client ids."""

    def authenticate_client(self, req: Any, methods: list[str], endpoint: str = "token") -> Any:
        g.pop("authenticated_client_id", None)
        try:
            client = super().authenticate_client(req, methods, endpoint)
        except InvalidClientError as exc:
            log.info("client authentication failed: %s", exc.description)
            raise invalid_client() from None
        client_id = client.get_client_id()
        others = claimed_client_ids() - {client_id}
        if others:
            log.info("client authentication failed: the request names another client id")
            raise invalid_client()
        g.authenticated_client_id = client_id
        return client
