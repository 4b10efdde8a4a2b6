"""DPoP (RFC 9449): bound tokens need a fresh proof by their key, for this method, URL and token."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import ECKey
from sqlalchemy.orm import Session

from gateway.config import Settings
from gateway.oauth import credentials
from gateway.oauth.dpop import b64url, new_nonce
from gateway.partners import services as partners
from gateway.partners.config import PartnerConfig
from tests.gateway.oauth.conftest import decode_segment
from tests.gateway.partners.samples import environment, partner_config

BASE = "http://localhost"
NOTE = f"{BASE}/v1/test-notes/n1"


def proof(
    key: ECKey,
    method: str,
    url: str,
    token: str | None = None,
    *,
    jti: str | None = None,
    iat: int | None = None,
    nonce: str | None = None,
    typ: str = "dpop+jwt",
) -> str:
    """A DPoP proof as a client library makes it."""
    claims: dict[str, Any] = {
        "jti": jti or uuid.uuid4().hex,
        "htm": method,
        "htu": url,
        "iat": int(time.time()) if iat is None else iat,
    }
    if token is not None:
        claims["ath"] = b64url(hashlib.sha256(token.encode()).digest())
    if nonce is not None:
        claims["nonce"] = nonce
    header = {"typ": typ, "alg": "ES256", "jwk": key.as_dict(private=False)}
    return jwt.encode(header, claims, key)


@pytest.fixture
def dpop_key() -> ECKey:
    return ECKey.generate_key("P-256", private=True)


@pytest.fixture
def dpop_partner(db_session: Session) -> tuple[str, str]:
    """``acme-dpop``: sandbox tokens must be DPoP-bound. Returns its client id and secret."""
    data = partner_config("acme-dpop", sandbox=environment(token_binding="dpop"))
    partners.apply(db_session, {"acme-dpop": PartnerConfig.model_validate(data)})
    db_session.commit()
    issued = credentials.issue(db_session, "acme-dpop", "sandbox")
    db_session.commit()
    assert issued.client_secret is not None
    return issued.client_id, issued.client_secret


@pytest.fixture
def client(protected_app: Flask) -> FlaskClient:
    return protected_app.test_client()


def _token(client: FlaskClient, creds: tuple[str, str], headers: dict[str, str]) -> Any:
    return client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=creds, headers=headers
    )


@pytest.fixture
def bound_token(client: FlaskClient, dpop_partner: tuple[str, str], dpop_key: ECKey) -> str:
    response = _token(
        client, dpop_partner, {"DPoP": proof(dpop_key, "POST", f"{BASE}/oauth/token")}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["token_type"] == "DPoP"
    token: str = response.json["access_token"]
    return token


def _call(client: FlaskClient, token: str, dpop: str | None, scheme: str = "DPoP") -> Any:
    headers = {"Authorization": f"{scheme} {token}"}
    if dpop is not None:
        headers["DPoP"] = dpop
    return client.get("/v1/test-notes/n1", headers=headers)


def assert_refused(response: Any, error: str) -> None:
    assert response.status_code == 401, response.get_data(as_text=True)
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith("DPoP "), challenge
    assert f'error="{error}"' in challenge


def test_the_token_carries_the_thumbprint_of_the_key(bound_token: str, dpop_key: ECKey) -> None:
    claims = decode_segment(bound_token.split(".")[1])
    assert claims["cnf"] == {"jkt": dpop_key.thumbprint()}


def test_a_fresh_proof_for_this_request_is_accepted(
    client: FlaskClient, bound_token: str, dpop_key: ECKey
) -> None:
    response = _call(client, bound_token, proof(dpop_key, "GET", NOTE, bound_token))
    assert response.status_code == 404  # authenticated: the note just does not exist


def test_a_client_configured_for_dpop_gets_no_token_without_a_proof(
    client: FlaskClient, dpop_partner: tuple[str, str]
) -> None:
    response = _token(client, dpop_partner, {})
    assert response.status_code == 400
    assert response.json["error"] == "invalid_dpop_proof"


def test_a_bad_proof_at_the_token_endpoint_is_invalid_dpop_proof(
    client: FlaskClient, dpop_partner: tuple[str, str], dpop_key: ECKey
) -> None:
    wrong_url = proof(dpop_key, "POST", f"{BASE}/oauth/other")
    response = _token(client, dpop_partner, {"DPoP": wrong_url})
    assert response.status_code == 400
    assert response.json["error"] == "invalid_dpop_proof"


def test_the_token_without_a_proof_is_refused(client: FlaskClient, bound_token: str) -> None:
    assert_refused(_call(client, bound_token, None), "invalid_dpop_proof")


def test_the_token_as_a_bearer_token_is_refused(
    client: FlaskClient, bound_token: str, dpop_key: ECKey
) -> None:
    response = _call(client, bound_token, proof(dpop_key, "GET", NOTE, bound_token), "Bearer")
    assert_refused(response, "invalid_token")


def test_a_proof_for_another_url_is_refused(
    client: FlaskClient, bound_token: str, dpop_key: ECKey
) -> None:
    other = proof(dpop_key, "GET", f"{BASE}/v1/test-notes/n2", bound_token)
    assert_refused(_call(client, bound_token, other), "invalid_dpop_proof")


def test_a_proof_for_another_method_is_refused(
    client: FlaskClient, bound_token: str, dpop_key: ECKey
) -> None:
    assert_refused(
        _call(client, bound_token, proof(dpop_key, "POST", NOTE, bound_token)),
        "invalid_dpop_proof",
    )


def test_a_replayed_proof_is_refused(
    client: FlaskClient, bound_token: str, dpop_key: ECKey
) -> None:
    once = proof(dpop_key, "GET", NOTE, bound_token)
    assert _call(client, bound_token, once).status_code == 404
    assert_refused(_call(client, bound_token, once), "invalid_dpop_proof")


def test_a_proof_by_another_key_is_refused(client: FlaskClient, bound_token: str) -> None:
    thief = ECKey.generate_key("P-256", private=True)
    assert_refused(
        _call(client, bound_token, proof(thief, "GET", NOTE, bound_token)), "invalid_dpop_proof"
    )


def test_a_proof_for_another_token_is_refused(
    client: FlaskClient, bound_token: str, dpop_key: ECKey
) -> None:
    assert_refused(
        _call(client, bound_token, proof(dpop_key, "GET", NOTE, "another-token")),
        "invalid_dpop_proof",
    )


@pytest.mark.parametrize(
    "change",
    [
        {"iat": int(time.time()) - 3600},
        {"iat": int(time.time()) + 3600},
        {"typ": "JWT"},
        {"jti": "short"},
    ],
    ids=["old", "future", "typ", "jti"],
)
def test_a_stale_or_malformed_proof_is_refused(
    client: FlaskClient, bound_token: str, dpop_key: ECKey, change: dict[str, Any]
) -> None:
    bad = proof(dpop_key, "GET", NOTE, bound_token, **change)
    assert_refused(_call(client, bound_token, bad), "invalid_dpop_proof")


def test_a_proof_with_a_private_key_in_its_header_is_refused(
    client: FlaskClient, bound_token: str, dpop_key: ECKey
) -> None:
    claims = {"jti": uuid.uuid4().hex, "htm": "GET", "htu": NOTE, "iat": int(time.time())}
    claims["ath"] = b64url(hashlib.sha256(bound_token.encode()).digest())
    header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": dpop_key.as_dict(private=True)}
    assert_refused(
        _call(client, bound_token, jwt.encode(header, claims, dpop_key)), "invalid_dpop_proof"
    )


def test_an_unbound_token_of_a_dpop_client_is_refused(
    client: FlaskClient, dpop_partner: tuple[str, str], db_session: Session
) -> None:
    # A token minted before the partner's config switched to DPoP.
    data = partner_config("acme-dpop", sandbox=environment())
    partners.apply(db_session, {"acme-dpop": PartnerConfig.model_validate(data)})
    db_session.commit()
    old = _token(client, dpop_partner, {}).json["access_token"]
    data = partner_config("acme-dpop", sandbox=environment(token_binding="dpop"))
    partners.apply(db_session, {"acme-dpop": PartnerConfig.model_validate(data)})
    db_session.commit()
    assert_refused(_call(client, old, None, "Bearer"), "invalid_token")


class TestServerNonce:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.replace(dpop_require_nonce=True)

    def test_a_proof_without_the_server_nonce_is_answered_with_one(
        self,
        client: FlaskClient,
        dpop_partner: tuple[str, str],
        dpop_key: ECKey,
        settings: Settings,
    ) -> None:
        url = f"{BASE}/oauth/token"
        first = _token(client, dpop_partner, {"DPoP": proof(dpop_key, "POST", url)})
        assert first.status_code == 400
        assert first.json["error"] == "use_dpop_nonce"
        nonce = first.headers["DPoP-Nonce"]
        second = _token(client, dpop_partner, {"DPoP": proof(dpop_key, "POST", url, nonce=nonce)})
        assert second.status_code == 200, second.get_data(as_text=True)
        token = second.json["access_token"]
        refused = _call(client, token, proof(dpop_key, "GET", NOTE, token))
        assert_refused(refused, "use_dpop_nonce")
        fresh = refused.headers["DPoP-Nonce"]
        ok = _call(client, token, proof(dpop_key, "GET", NOTE, token, nonce=fresh))
        assert ok.status_code == 404
        assert ok.headers["DPoP-Nonce"]

    def test_a_stale_or_forged_nonce_is_refused(
        self,
        client: FlaskClient,
        dpop_partner: tuple[str, str],
        dpop_key: ECKey,
        settings: Settings,
    ) -> None:
        url = f"{BASE}/oauth/token"
        stale = new_nonce(settings.secret_key, time.time() - 3600)
        forged = new_nonce("not-our-secret")
        for nonce in (stale, forged):
            answer = _token(
                client, dpop_partner, {"DPoP": proof(dpop_key, "POST", url, nonce=nonce)}
            )
            assert answer.json["error"] == "use_dpop_nonce"


def test_bearer_partners_are_unaffected(
    client: FlaskClient, onboard: Callable[..., Any], get_token: Callable[..., str]
) -> None:
    token = get_token(onboard("acme"))
    response = client.get("/v1/test-notes/n1", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
