"""Acceptance 1: Authlib's own OAuth client gets tokens from a running gateway
with each client authentication method and calls a protected endpoint."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator

import httpx
import pytest
from authlib.deprecate import AuthlibDeprecationWarning
from flask import Flask

from tests.gateway.oauth.conftest import Credentials
from tests.served import served_app

with warnings.catch_warnings():
    # Authlib warns that it prefers httpx2; it works with httpx, which we use.
    warnings.filterwarnings("ignore", category=AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import OAuth2Client
    from authlib.oauth2.rfc7523 import PrivateKeyJWT, private_key_jwt_sign

pytestmark = pytest.mark.committing


class ShortLivedPrivateKeyJWT(PrivateKeyJWT):  # type: ignore[misc]
    """Authlib's ``private_key_jwt`` signer with a 2-minute ``exp`` (its default is an hour;
    the gateway accepts at most 5 minutes, as docs/authentication.md says)."""

    def sign(self, auth: object, token_endpoint: str) -> str:
        return str(
            private_key_jwt_sign(
                auth.client_secret,  # type: ignore[attr-defined]
                client_id=auth.client_id,  # type: ignore[attr-defined]
                token_endpoint=token_endpoint,
                claims=self.claims,
                header=self.headers,
                alg=self.alg,
                expires_in=120,
            )
        )


@pytest.fixture
def base_url(protected_app: Flask) -> Iterator[str]:
    """The gateway served on a loopback port by a real HTTP server in a thread."""
    with served_app(protected_app) as url:
        yield url


def _call_protected(base_url: str, token: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    created = httpx.post(f"{base_url}/v1/test-notes/n1", headers=headers, content=b"{}")
    assert created.status_code == 201, created.text
    return httpx.get(f"{base_url}/v1/test-notes/n1", headers=headers)


@pytest.mark.parametrize(
    ("partner_id", "method"),
    [("acme", "client_secret_basic"), ("acme-post", "client_secret_post")],
)
def test_authlib_client_gets_a_token_with_a_client_secret(
    base_url: str, onboard: Callable[..., Credentials], partner_id: str, method: str
) -> None:
    creds = onboard(partner_id)
    with OAuth2Client(
        creds.client_id, creds.client_secret, token_endpoint_auth_method=method
    ) as oauth:
        token = oauth.fetch_token(f"{base_url}/oauth/token", grant_type="client_credentials")
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == 600
    response = _call_protected(base_url, token["access_token"])
    assert response.status_code == 200
    assert response.json()["tenant"] == f"{partner_id}:sandbox"


def test_authlib_client_gets_a_token_with_private_key_jwt(
    base_url: str, onboard: Callable[..., Credentials]
) -> None:
    creds = onboard("acme-jwt")
    token_url = f"{base_url}/oauth/token"
    assert creds.private_key is not None
    with OAuth2Client(
        creds.client_id,
        creds.private_key,
        token_endpoint_auth_method=ShortLivedPrivateKeyJWT(token_url, alg="ES256"),
    ) as oauth:
        token = oauth.fetch_token(token_url, grant_type="client_credentials")
    response = _call_protected(base_url, token["access_token"])
    assert response.status_code == 200
    assert response.json()["tenant"] == "acme-jwt:sandbox"
