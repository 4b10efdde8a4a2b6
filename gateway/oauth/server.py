"""The Authlib authorization server: client credentials grant, client authentication,
revocation (RFC 7009) and introspection (RFC 7662).

Client authentication methods: ``client_secret_basic``, ``client_secret_post``
and ``private_key_jwt`` (RFC 7523). Each client may use only the method its
partner's config names. Client assertions must be signed with PS256, ES256 or
EdDSA by a key in the partner's ``jwks``; ``aud`` must be our issuer or token
endpoint; ``exp`` at most 5 minutes ahead; each ``jti`` is accepted once, in
every process (stored in the database). Clock skew allowed: 60 seconds.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any, ClassVar

from authlib.oauth2.rfc6749 import InvalidClientError, InvalidScopeError, OAuth2Error, grants
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from flask import Flask, current_app, g, request
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from gateway.clock import utcnow
from gateway.keys.services import FORBIDDEN_HEADERS, InvalidToken
from gateway.oauth import credentials, tokens
from gateway.oauth.client_auth import GatewayAuthorizationServer
from gateway.oauth.models import OAuthClient, RevokedToken, UsedAssertion
from gateway.partners import services as partners
from gateway.partners.config import SCOPES
from gateway.sessions import session

ASSERTION_ALGORITHMS = ("PS256", "ES256", "EdDSA")
ASSERTION_LEEWAY = 60
ASSERTION_MAX_AHEAD = 300
AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt"]


def issuer() -> str:
    """Our issuer URL: ``Settings.issuer``, else the URL this request came in on."""
    configured: str = current_app.extensions["gateway.settings"].issuer
    if configured:
        return configured
    # request.url_root, without Werkzeug's IRI decoding (this runs per request).
    env = request.environ
    scheme = env["wsgi.url_scheme"]
    host = env.get("HTTP_HOST") or f"{env['SERVER_NAME']}:{env['SERVER_PORT']}"
    default_port = {"http": ":80", "https": ":443"}.get(scheme)
    if default_port and host.endswith(default_port):
        host = host.removesuffix(default_port)
    return f"{scheme}://{host}{env.get('SCRIPT_NAME', '').rstrip('/')}"


class PartnerSuspendedError(OAuth2Error):  # type: ignore[misc]
    """The client authenticated, but its partner is suspended: no token."""

    error = "partner_suspended"
    description = "the partner is suspended; the bank's partner team can say why"
    status_code = 401


@dataclass
class Client:
    """An OAuth client as Authlib sees it (``ClientMixin``)."""

    record: OAuthClient
    auth_method: str
    scopes: tuple[str, ...]
    jwks: dict[str, Any] | None = None
    token_binding: str = "bearer"  # noqa: S105 - a binding, not a secret
    suspended: bool = False  # its partner is suspended: authenticated, then refused

    @property
    def internal(self) -> bool:
        """A bank-internal caller (may introspect, may not get tokens)."""
        return self.record.environment == "internal"

    def get_client_id(self) -> str:
        return self.record.client_id

    def check_client_secret(self, client_secret: str) -> bool:
        return credentials.secret_matches(self.record, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == self.auth_method

    def check_grant_type(self, grant_type: str) -> bool:
        # Runs after the client authenticated: only its owner learns it is suspended.
        if self.suspended:
            raise PartnerSuspendedError()
        return grant_type == "client_credentials" and not self.internal

    def get_allowed_scope(self, scope: str | None) -> str:
        if not scope:
            return " ".join(self.scopes)
        return " ".join(s for s in scope.split() if s in self.scopes)


def query_client(client_id: str) -> Client | None:
    """Load an active client whose partner is active and configured for its environment."""
    if not isinstance(client_id, str) or len(client_id) > 64:
        credentials.spend_like_a_check()
        return None
    db = session()
    record = db.get(OAuthClient, client_id)
    if record is None or record.status != "active":
        credentials.spend_like_a_check()
        return None
    if record.partner_id is None:
        return Client(record, "client_secret_basic", ())
    partner = partners.get_partner(db, record.partner_id)
    settings = partner.config.environment(record.environment)
    if settings is None:
        credentials.spend_like_a_check()
        return None
    return Client(
        record,
        settings.token_endpoint_auth_method,
        tuple(settings.scopes),
        settings.jwks,
        settings.token_binding,
        suspended=not partner.active,
    )


class PrivateKeyJWT(JWTBearerClientAssertion):  # type: ignore[misc]
    """RFC 7523 client assertions with our algorithm allowlist and single-use ``jti``."""

    CLIENT_AUTH_METHOD = "private_key_jwt"

    def __init__(self) -> None:
        super().__init__(validate_jti=True, leeway=ASSERTION_LEEWAY)

    def get_audiences(self) -> list[str]:
        base = issuer()
        return [base, f"{base}/oauth/token"]

    def extract_assertion(self, assertion: str) -> Any:
        headers, claims = super().extract_assertion(assertion)
        if headers.get("alg") not in ASSERTION_ALGORITHMS:
            raise InvalidClientError(description="assertion algorithm not allowed")
        if FORBIDDEN_HEADERS.intersection(headers):
            raise InvalidClientError(description="assertion carries a forbidden header")
        return headers, claims

    def process_assertion_claims(self, assertion: str, resolve_key: Any) -> Any:
        try:
            token = jwt.decode(assertion, resolve_key, algorithms=list(ASSERTION_ALGORITHMS))
        except (JoseError, ValueError) as exc:
            raise InvalidClientError(description="assertion signature does not verify") from exc
        exp = token.claims.get("exp")
        if not isinstance(exp, int) or exp > time.time() + ASSERTION_MAX_AHEAD + ASSERTION_LEEWAY:
            raise InvalidClientError(description="assertion exp must be at most 5 minutes ahead")
        self.verify_claims(token.claims)
        return token.claims

    def resolve_client_public_key(self, client: Client) -> KeySet:
        if not client.jwks:
            raise InvalidClientError(description="the client has no registered keys")
        return KeySet.import_key_set(client.jwks)  # type: ignore[arg-type]

    def validate_jti(self, claims: dict[str, Any], jti: str) -> bool:
        if not isinstance(jti, str) or not 8 <= len(jti) <= 255:
            return False
        # Stored in the token request's transaction (committed with the
        # token): the primary key makes a second use fail in every process;
        # on PostgreSQL a concurrent replay waits for the first and then fails.
        expires = dt.datetime.fromtimestamp(int(claims["exp"]) + ASSERTION_LEEWAY, tz=dt.UTC)
        db = session()
        db.execute(delete(UsedAssertion).where(UsedAssertion.expires_at < utcnow()))
        try:
            with db.begin_nested():
                db.add(UsedAssertion(client_id=str(claims["sub"]), jti=jti, expires_at=expires))
        except IntegrityError:
            return False
        return True


class ClientCredentialsGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]
    """Client credentials with every authentication method; scopes limited to the client's."""

    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def validate_requested_scope(self) -> None:
        requested = (self.request.payload.scope or "").split()
        allowed = set(self.request.client.scopes)
        if any(scope not in allowed for scope in requested):
            raise InvalidScopeError(description="scope not granted to this client")


@dataclass
class AccessToken:
    """A presented access token as Authlib's endpoints see it (``TokenMixin``)."""

    claims: dict[str, Any]

    def check_client(self, client: Client) -> bool:
        return bool(self.claims.get("client_id") == client.get_client_id())

    def get_scope(self) -> str:
        return str(self.claims.get("scope", ""))

    def get_expires_in(self) -> int:
        return max(0, int(self.claims["exp"] - time.time()))

    def is_expired(self) -> bool:
        return bool(self.claims["exp"] <= time.time())

    def is_revoked(self) -> bool:
        from gateway.oauth.protection import authenticate

        try:
            authenticate(session(), _presented_token(), issuer=issuer())
        except InvalidToken:
            return True
        return False


def _presented_token() -> str:
    return str(request.form.get("token", ""))


def _query_token(token_string: str, check_expiry: bool) -> AccessToken | None:
    try:
        claims = tokens.decode(session(), token_string, issuer=issuer(), check_expiry=check_expiry)
    except InvalidToken:
        return None
    return AccessToken(claims)


class Revocation(RevocationEndpoint):  # type: ignore[misc]
    """RFC 7009: a client revokes its own access token; effective at once, everywhere."""

    CLIENT_AUTH_METHODS = AUTH_METHODS
    SUPPORTED_TOKEN_TYPES = ("access_token",)

    def query_token(self, token_string: str, token_type_hint: str | None) -> AccessToken | None:
        return _query_token(token_string, check_expiry=False)

    def revoke_token(self, token: AccessToken, request: Any) -> None:
        db = session()
        jti = token.claims["jti"]
        if db.get(RevokedToken, jti) is None:
            expires = dt.datetime.fromtimestamp(int(token.claims["exp"]), tz=dt.UTC)
            db.add(RevokedToken(jti=jti, client_id=token.claims["client_id"], expires_at=expires))
        db.execute(delete(RevokedToken).where(RevokedToken.expires_at < utcnow()))
        db.flush()


class Introspection(IntrospectionEndpoint):  # type: ignore[misc]
    """RFC 7662 for bank-internal callers only (clients from ``gateway clients issue-internal``)."""

    CLIENT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic"]
    SUPPORTED_TOKEN_TYPES = ("access_token",)

    def query_token(self, token_string: str, token_type_hint: str | None) -> AccessToken | None:
        return _query_token(token_string, check_expiry=True)

    def check_permission(self, token: AccessToken, client: Client, request: Any) -> bool:
        return client.internal

    def introspect_token(self, token: AccessToken) -> dict[str, Any]:
        keep = ("scope", "client_id", "sub", "aud", "iss", "exp", "iat", "jti")
        payload = {name: token.claims[name] for name in keep}
        payload.update(
            active=True,
            token_type="Bearer",  # noqa: S106 - the token type, not a secret
            partner_id=token.claims["partner_id"],
            environment=token.claims["environment"],
        )
        return payload


class DPoPProofRequired(OAuth2Error):  # type: ignore[misc]
    """The client's tokens are DPoP-bound (``token_binding: dpop``) and it sent no proof."""

    error = "invalid_dpop_proof"
    description = "this client's tokens are DPoP-bound: send a DPoP proof"
    status_code = 400


def _generate_token(
    grant_type: str,
    client: Client,
    user: Any = None,
    scope: str | None = None,
    expires_in: int | None = None,
    include_refresh_token: bool = False,
) -> dict[str, Any]:
    assert client.record.partner_id is not None
    jkt: str | None = g.get("dpop_jkt")
    if client.token_binding == "dpop" and jkt is None:  # noqa: S105
        raise DPoPProofRequired()
    granted = client.get_allowed_scope(scope).split()
    ttl = int(current_app.extensions["gateway.settings"].access_token_ttl)
    token, claims = tokens.mint(
        session(),
        issuer=issuer(),
        client_id=client.get_client_id(),
        partner_id=client.record.partner_id,
        environment=client.record.environment,
        scopes=granted,
        ttl=ttl,
        jkt=jkt,
    )
    return {
        "access_token": token,
        "token_type": "DPoP" if jkt else "Bearer",
        "expires_in": claims["exp"] - claims["iat"],
        "scope": claims["scope"],
    }


def create_server(app: Flask) -> GatewayAuthorizationServer:
    """Build the app's authorization server."""
    server = GatewayAuthorizationServer()
    server.init_app(app, query_client=query_client, save_token=lambda token, req: None)
    server.scopes_supported = list(SCOPES)
    server.register_token_generator("default", _generate_token)
    server.register_grant(ClientCredentialsGrant)
    server.register_client_auth_method(PrivateKeyJWT.CLIENT_AUTH_METHOD, PrivateKeyJWT())
    server.register_endpoint(Revocation)
    server.register_endpoint(Introspection)
    return server
