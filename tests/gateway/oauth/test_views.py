"""Token endpoint, RFC 9068 claims, introspection, metadata."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from gateway.config import ConfigError, Settings
from gateway.oauth import credentials
from tests.gateway.oauth.conftest import Credentials, decode_segment


def test_access_tokens_are_rfc9068_jwts(
    onboard: Callable[..., Credentials], get_token: Callable[..., str]
) -> None:
    creds = onboard("acme")
    token = get_token(creds)
    header, claims = (decode_segment(part) for part in token.split(".")[:2])
    assert header["typ"] == "at+jwt" and header["alg"] == "ES256" and header["kid"]
    assert claims["iss"] == "http://localhost"
    assert claims["aud"] == "http://localhost/v1"
    assert claims["sub"] == claims["client_id"] == creds.client_id
    assert claims["partner_id"] == "acme" and claims["environment"] == "sandbox"
    assert claims["scope"].split() == sorted(
        ["offers:read", "consents:write", "prequalify", "applications:write", "events:write"]
    )
    assert claims["exp"] - claims["iat"] == 600
    assert abs(claims["iat"] - time.time()) < 5
    assert claims["jti"].startswith("at_")


def test_requested_scope_narrows_the_token(
    onboard: Callable[..., Credentials], get_token: Callable[..., str]
) -> None:
    token = get_token(onboard("acme"), scope="offers:read prequalify")
    assert decode_segment(token.split(".")[1])["scope"] == "offers:read prequalify"


def test_unknown_grant_types_get_rfc6749_errors(
    client: FlaskClient, onboard: Callable[..., Credentials]
) -> None:
    creds = onboard("acme")
    assert creds.client_secret is not None
    response = client.post(
        "/oauth/token", data={"grant_type": "password"}, auth=(creds.client_id, creds.client_secret)
    )
    assert response.status_code == 400
    assert response.json["error"] == "unsupported_grant_type"


def test_a_client_may_use_only_its_configured_method(
    client: FlaskClient, onboard: Callable[..., Credentials]
) -> None:
    creds = onboard("acme")  # client_secret_basic
    assert creds.client_secret is not None
    response = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": creds.client_id,
            "client_secret": creds.client_secret,
        },
    )
    assert response.json["error"] == "invalid_client"


class TestConfiguredLifetimeAndIssuer:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.replace(access_token_ttl=120, issuer="https://api.bank.example")

    def test_lifetime_and_issuer_come_from_settings(
        self,
        onboard: Callable[..., Credentials],
        get_token: Callable[..., str],
        client: FlaskClient,
    ) -> None:
        claims = decode_segment(get_token(onboard("acme")).split(".")[1])
        assert claims["exp"] - claims["iat"] == 120
        assert claims["iss"] == "https://api.bank.example"
        metadata = client.get("/.well-known/oauth-authorization-server").json
        assert metadata["token_endpoint"] == "https://api.bank.example/oauth/token"


@pytest.mark.parametrize("value", ["7200", "30", "ten"])
def test_lifetime_over_an_hour_is_refused(value: str) -> None:
    with pytest.raises(ConfigError, match="GATEWAY_ACCESS_TOKEN_TTL"):
        Settings.from_env({"GATEWAY_ACCESS_TOKEN_TTL": value})


def test_metadata_describes_the_server(client: FlaskClient) -> None:
    metadata = client.get("/.well-known/oauth-authorization-server").json
    assert metadata["issuer"] == "http://localhost"
    assert metadata["jwks_uri"] == "http://localhost/.well-known/jwks.json"
    assert metadata["grant_types_supported"] == ["client_credentials"]
    assert set(metadata["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic",
        "client_secret_post",
        "private_key_jwt",
    }
    assert metadata["token_endpoint_auth_signing_alg_values_supported"] == [
        "PS256",
        "ES256",
        "EdDSA",
    ]
    assert metadata["revocation_endpoint"].endswith("/oauth/revoke")
    assert metadata["introspection_endpoint"].endswith("/oauth/introspect")


def test_introspection_answers_bank_internal_clients_only(
    client: FlaskClient,
    onboard: Callable[..., Credentials],
    get_token: Callable[..., str],
    db_session: Session,
) -> None:
    creds = onboard("acme")
    token = get_token(creds)
    internal = credentials.issue_internal(db_session, "risk-monitor")
    db_session.commit()
    assert internal.client_secret is not None and creds.client_secret is not None
    as_internal = (internal.client_id, internal.client_secret)
    answer = client.post("/oauth/introspect", data={"token": token}, auth=as_internal).json
    assert answer["active"] is True
    assert answer["client_id"] == creds.client_id
    assert answer["partner_id"] == "acme" and answer["environment"] == "sandbox"
    as_partner = (creds.client_id, creds.client_secret)
    assert client.post("/oauth/introspect", data={"token": token}, auth=as_partner).json == {
        "active": False
    }
    client.post("/oauth/revoke", data={"token": token}, auth=as_partner)
    revoked = client.post("/oauth/introspect", data={"token": token}, auth=as_internal).json
    assert revoked == {"active": False}


def test_internal_clients_cannot_get_tokens(client: FlaskClient, db_session: Session) -> None:
    internal = credentials.issue_internal(db_session, "risk-monitor")
    db_session.commit()
    assert internal.client_secret is not None
    response = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(internal.client_id, internal.client_secret),
    )
    assert response.status_code == 400
    assert response.json["error"] == "unauthorized_client"


def test_after_keys_rotate_old_tokens_work_until_expiry_and_new_ones_carry_the_new_kid(
    protected_app: Flask,
    onboard: Callable[..., Credentials],
    get_token: Callable[..., str],
    runner: FlaskCliRunner,
) -> None:
    client = protected_app.test_client()
    creds = onboard("acme")
    before = get_token(creds)
    old_kid = decode_segment(before.split(".")[0])["kid"]
    rotated = runner.invoke(args=["keys", "rotate", "--json"])
    assert rotated.exit_code == 0, rotated.output
    new_kid = json.loads(rotated.output)["kid"]
    after = get_token(creds)
    assert decode_segment(after.split(".")[0])["kid"] == new_kid != old_kid
    for token in (before, after):
        response = client.post(
            "/v1/test-notes/n1", headers={"Authorization": f"Bearer {token}"}, json={}
        )
        assert response.status_code == 201
    published = [key["kid"] for key in client.get("/.well-known/jwks.json").json["keys"]]
    assert published[:2] == [new_kid, old_kid]
