"""Acceptance 2: each test is named after the attack it stops."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from flask import Flask
from flask.testing import FlaskClient
from joserfc.jwk import ECKey
from sqlalchemy.orm import Session

from gateway.keys import services as keys
from gateway.partners import services as partners
from tests.gateway.oauth.conftest import Credentials, decode_segment, encode_segment

ISSUER = "http://localhost"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def es256(header: dict[str, Any], claims: dict[str, Any], key: ECKey) -> str:
    """Sign anything at all with ES256, the way an attacker's tool would."""
    signing_input = f"{encode_segment(header)}.{encode_segment(claims)}"
    private = key.private_key
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    r, s = decode_dss_signature(private.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    return f"{signing_input}.{_b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def read(client: FlaskClient, token: str, path: str = "/v1/test-notes/n1") -> Any:
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def assert_invalid_token(response: Any) -> None:
    assert response.status_code == 401, response.get_data(as_text=True)
    assert response.json["code"] == "invalid_token"
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


@pytest.fixture
def acme(onboard: Callable[..., Credentials]) -> Credentials:
    return onboard("acme")


@pytest.fixture
def token(acme: Credentials, get_token: Callable[..., str]) -> str:
    return get_token(acme)


@pytest.fixture
def client(protected_app: Flask) -> FlaskClient:
    return protected_app.test_client()


def _note(client: FlaskClient, token: str, note_id: str = "n1") -> None:
    response = client.post(
        f"/v1/test-notes/{note_id}", headers={"Authorization": f"Bearer {token}"}, json={}
    )
    assert response.status_code == 201, response.get_data(as_text=True)


def _claims(token: str) -> dict[str, Any]:
    return decode_segment(token.split(".")[1])


def _header(token: str) -> dict[str, Any]:
    return decode_segment(token.split(".")[0])


# --- forged access tokens ------------------------------------------------------------


def test_forged_signature_is_rejected(client: FlaskClient, token: str) -> None:
    claims = _claims(token)
    claims["partner_id"] = "rival"
    head, _, signature = token.split(".")
    assert_invalid_token(read(client, f"{head}.{encode_segment(claims)}.{signature}"))


def test_alg_none_is_rejected(client: FlaskClient, token: str) -> None:
    header = {**_header(token), "alg": "none"}
    assert_invalid_token(read(client, f"{encode_segment(header)}.{token.split('.')[1]}."))
    assert_invalid_token(read(client, f"{encode_segment(header)}.{token.split('.')[1]}.AA"))


def test_hs256_signed_with_public_key_is_rejected(
    client: FlaskClient, token: str, db_session: Session
) -> None:
    public = keys.public_jwks(db_session)["keys"][0]
    pem = ECKey.import_key(public).public_key.public_bytes(  # type: ignore[union-attr]
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    for secret in (pem, str(public).encode()):
        header = {**_header(token), "alg": "HS256"}
        signing_input = f"{encode_segment(header)}.{token.split('.')[1]}"
        mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        assert_invalid_token(read(client, f"{signing_input}.{_b64(mac)}"))


def test_key_injected_through_jwk_header_is_rejected(client: FlaskClient, token: str) -> None:
    attacker = ECKey.generate_key("P-256", private=True)
    header = {**_header(token), "jwk": attacker.as_dict(private=False)}
    assert_invalid_token(read(client, es256(header, _claims(token), attacker)))


def test_key_url_in_jku_or_x5u_header_is_rejected(client: FlaskClient, token: str) -> None:
    attacker = ECKey.generate_key("P-256", private=True)
    for name in ("jku", "x5u"):
        header = {**_header(token), name: "https://attacker.example/keys"}
        assert_invalid_token(read(client, es256(header, _claims(token), attacker)))


def test_certificate_chain_in_x5c_header_is_rejected(client: FlaskClient, token: str) -> None:
    attacker = ECKey.generate_key("P-256", private=True)
    header = {**_header(token), "x5c": ["MIIB..."]}
    assert_invalid_token(read(client, es256(header, _claims(token), attacker)))


def test_crit_header_is_rejected(client: FlaskClient, token: str, db_session: Session) -> None:
    # Even correctly signed by our own key, a token demanding unknown processing is refused.
    head = {**_header(token), "crit": ["exp"]}
    assert_invalid_token(read(client, f"{encode_segment(head)}.{token.split('.', 1)[1]}"))


def test_unknown_kid_is_rejected(client: FlaskClient, token: str) -> None:
    attacker = ECKey.generate_key("P-256", private=True)
    header = {**_header(token), "kid": "attacker-key"}
    assert_invalid_token(read(client, es256(header, _claims(token), attacker)))


def test_own_kid_with_attacker_key_is_rejected(client: FlaskClient, token: str) -> None:
    attacker = ECKey.generate_key("P-256", private=True)
    assert_invalid_token(read(client, es256(_header(token), _claims(token), attacker)))


def test_oversized_token_is_rejected(client: FlaskClient, token: str) -> None:
    attacker = ECKey.generate_key("P-256", private=True)
    claims = {**_claims(token), "padding": "x" * 9000}
    response = read(client, es256(_header(token), claims, attacker))
    assert_invalid_token(response)
    assert "8 KiB" in response.json["detail"]


def test_expired_token_is_rejected(
    client: FlaskClient, token: str, db_session: Session, protected_app: Flask
) -> None:
    claims = {**_claims(token), "iat": int(time.time()) - 700, "exp": int(time.time()) - 100}
    expired = keys.sign(db_session, claims, typ="at+jwt")
    db_session.commit()
    assert "expired" in read(client, expired).json["detail"]


def test_token_from_another_issuer_is_rejected(
    client: FlaskClient, token: str, db_session: Session
) -> None:
    claims = {**_claims(token), "iss": "https://attacker.example"}
    forged = keys.sign(db_session, claims, typ="at+jwt")
    db_session.commit()
    assert_invalid_token(read(client, forged))


def test_token_for_another_audience_is_rejected(
    client: FlaskClient, token: str, db_session: Session
) -> None:
    claims = {**_claims(token), "aud": "https://other-api.example"}
    forged = keys.sign(db_session, claims, typ="at+jwt")
    db_session.commit()
    assert_invalid_token(read(client, forged))


@pytest.mark.parametrize("typ", ["offer+jwt", "decision+jwt"])
def test_offer_or_decision_token_used_as_access_token_is_rejected(
    client: FlaskClient, token: str, db_session: Session, typ: str
) -> None:
    # Same key, same claims, other typ: one kind of token never passes for another.
    forged = keys.sign(db_session, _claims(token), typ=typ)
    db_session.commit()
    assert_invalid_token(read(client, forged))


def test_token_claiming_another_environment_is_rejected(
    client: FlaskClient, token: str, db_session: Session, onboard: Callable[..., Credentials]
) -> None:
    onboard("acme", "live")
    claims = {**_claims(token), "environment": "live"}
    forged = keys.sign(db_session, claims, typ="at+jwt")
    db_session.commit()
    response = read(client, forged)
    assert_invalid_token(response)
    assert "does not match" in response.json["detail"]


def test_revoked_token_is_rejected(client: FlaskClient, acme: Credentials, token: str) -> None:
    _note(client, token)
    assert acme.client_secret is not None
    revoked = client.post(
        "/oauth/revoke", data={"token": token}, auth=(acme.client_id, acme.client_secret)
    )
    assert revoked.status_code == 200
    response = read(client, token)
    assert_invalid_token(response)
    assert "revoked" in response.json["detail"]


def test_another_client_cannot_revoke_my_token(
    client: FlaskClient, token: str, onboard: Callable[..., Credentials]
) -> None:
    _note(client, token)
    rival = onboard("rival")
    assert rival.client_secret is not None
    response = client.post(
        "/oauth/revoke", data={"token": token}, auth=(rival.client_id, rival.client_secret)
    )
    assert response.status_code == 400
    assert read(client, token).status_code == 200


# --- scopes, suspension, isolation ----------------------------------------------------


def test_wrong_scope_is_refused(
    client: FlaskClient, acme: Credentials, get_token: Callable[..., str]
) -> None:
    narrow = get_token(acme, scope="offers:read")
    response = client.post(
        "/v1/test-notes/n1", headers={"Authorization": f"Bearer {narrow}"}, json={}
    )
    assert response.status_code == 403
    assert response.json["code"] == "insufficient_scope"
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]


def test_scope_escalation_at_the_token_endpoint_is_refused(
    client: FlaskClient, onboard: Callable[..., Credentials]
) -> None:
    creds = onboard("acme")
    assert creds.client_secret is not None
    response = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "offers:read admin"},
        auth=(creds.client_id, creds.client_secret),
    )
    assert response.status_code == 400
    assert response.json["error"] == "invalid_scope"


def test_missing_token_is_refused_with_a_challenge(client: FlaskClient) -> None:
    response = client.get("/v1/test-notes/n1")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")


def test_suspended_partner_is_locked_out_on_the_next_request(
    client: FlaskClient, acme: Credentials, token: str, db_session: Session
) -> None:
    _note(client, token)
    partners.set_suspended(db_session, "acme", True)
    db_session.commit()
    response = read(client, token)
    assert_invalid_token(response)
    assert "suspended" in response.json["detail"]
    assert acme.client_secret is not None
    refused = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(acme.client_id, acme.client_secret),
    )
    assert refused.status_code == 401
    assert refused.json["error"] == "partner_suspended"  # not "the client does not exist"
    wrong = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(acme.client_id, "not-the-secret"),
    )
    assert wrong.status_code == 401 and wrong.json["error"] == "invalid_client"  # no hint
    partners.set_suspended(db_session, "acme", False)
    db_session.commit()
    assert read(client, token).status_code == 200


def test_cross_partner_read_is_not_found(
    client: FlaskClient,
    token: str,
    onboard: Callable[..., Credentials],
    get_token: Callable[..., str],
) -> None:
    _note(client, token)
    rival_token = get_token(onboard("rival"))
    response = read(client, rival_token)
    assert response.status_code == 404
    assert response.json["code"] == "not_found"


def test_sandbox_token_on_live_data_is_not_found(
    client: FlaskClient,
    onboard: Callable[..., Credentials],
    get_token: Callable[..., str],
) -> None:
    sandbox = get_token(onboard("acme", "sandbox"))
    live = get_token(onboard("acme", "live"))
    assert _claims(live)["environment"] == "live"
    _note(client, live, "live-note")
    _note(client, sandbox, "sandbox-note")
    assert read(client, sandbox, "/v1/test-notes/live-note").status_code == 404
    assert read(client, live, "/v1/test-notes/sandbox-note").status_code == 404
    assert read(client, live, "/v1/test-notes/live-note").status_code == 200


def test_sandbox_secret_does_not_get_a_live_token(
    client: FlaskClient, onboard: Callable[..., Credentials]
) -> None:
    sandbox = onboard("acme", "sandbox")
    live = onboard("acme", "live")
    assert sandbox.client_secret is not None
    response = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(live.client_id, sandbox.client_secret),
    )
    assert response.status_code == 401
    assert response.json["error"] == "invalid_client"


# --- client authentication ------------------------------------------------------------


def test_brute_forced_secret_locks_the_client_out(client: FlaskClient, acme: Credentials) -> None:
    data = {"grant_type": "client_credentials"}
    for attempt in range(10):
        guess = client.post("/oauth/token", data=data, auth=(acme.client_id, f"guess-{attempt}"))
        assert guess.status_code == 401
    assert acme.client_secret is not None
    locked = client.post("/oauth/token", data=data, auth=(acme.client_id, acme.client_secret))
    assert locked.status_code == 429
    assert locked.json["code"] == "client_locked"
    assert int(locked.headers["Retry-After"]) > 0


def _assertion(creds: Credentials, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": creds.client_id,
        "sub": creds.client_id,
        "aud": f"{ISSUER}/oauth/token",
        "jti": f"jti-{time.monotonic_ns()}",
        "iat": now,
        "exp": now + 120,
    }
    claims.update(overrides)
    return claims


def _token_with_assertion(client: FlaskClient, assertion: str) -> Any:
    return client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion,
        },
    )


@pytest.fixture
def jwt_client(onboard: Callable[..., Credentials]) -> Credentials:
    return onboard("acme-jwt")


def _signed(creds: Credentials, claims: dict[str, Any], **header: Any) -> str:
    assert creds.private_key is not None
    return es256({"alg": "ES256", "kid": "acme-key-1", **header}, claims, creds.private_key)


def test_valid_client_assertion_gets_a_token(client: FlaskClient, jwt_client: Credentials) -> None:
    response = _token_with_assertion(client, _signed(jwt_client, _assertion(jwt_client)))
    assert response.status_code == 200, response.get_data(as_text=True)


def test_replayed_client_assertion_is_rejected(
    client: FlaskClient, jwt_client: Credentials
) -> None:
    assertion = _signed(jwt_client, _assertion(jwt_client))
    assert _token_with_assertion(client, assertion).status_code == 200
    replay = _token_with_assertion(client, assertion)
    assert replay.status_code in (400, 401)
    assert replay.json["error"] == "invalid_client"


def test_expired_client_assertion_is_rejected(client: FlaskClient, jwt_client: Credentials) -> None:
    now = int(time.time())
    claims = _assertion(jwt_client, iat=now - 300, exp=now - 61)
    response = _token_with_assertion(client, _signed(jwt_client, claims))
    assert response.json["error"] == "invalid_client"


def test_client_assertion_within_clock_skew_is_accepted(
    client: FlaskClient, jwt_client: Credentials
) -> None:
    now = int(time.time())
    claims = _assertion(jwt_client, iat=now - 100, exp=now - 50)
    response = _token_with_assertion(client, _signed(jwt_client, claims))
    assert response.status_code == 200, response.get_data(as_text=True)


def test_client_assertion_living_too_long_is_rejected(
    client: FlaskClient, jwt_client: Credentials
) -> None:
    claims = _assertion(jwt_client, exp=int(time.time()) + 3600)
    response = _token_with_assertion(client, _signed(jwt_client, claims))
    assert response.json["error"] == "invalid_client"


def test_client_assertion_for_another_audience_is_rejected(
    client: FlaskClient, jwt_client: Credentials
) -> None:
    claims = _assertion(jwt_client, aud="https://other-bank.example/oauth/token")
    response = _token_with_assertion(client, _signed(jwt_client, claims))
    assert response.json["error"] == "invalid_client"


def test_client_assertion_signed_by_another_key_is_rejected(
    client: FlaskClient, jwt_client: Credentials
) -> None:
    attacker = ECKey.generate_key("P-256", private=True)
    assertion = es256({"alg": "ES256", "kid": "acme-key-1"}, _assertion(jwt_client), attacker)
    assert _token_with_assertion(client, assertion).json["error"] == "invalid_client"


def test_client_assertion_with_hs256_is_rejected(
    client: FlaskClient, jwt_client: Credentials
) -> None:
    assert jwt_client.private_key is not None
    secret = str(jwt_client.private_key.as_dict(private=False)).encode()
    signing_input = (
        f"{encode_segment({'alg': 'HS256', 'kid': 'acme-key-1'})}."
        f"{encode_segment(_assertion(jwt_client))}"
    )
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    response = _token_with_assertion(client, f"{signing_input}.{_b64(mac)}")
    assert response.json["error"] == "invalid_client"


def test_client_assertion_with_embedded_jwk_is_rejected(
    client: FlaskClient, jwt_client: Credentials
) -> None:
    attacker = ECKey.generate_key("P-256", private=True)
    header = {"alg": "ES256", "kid": "acme-key-1", "jwk": attacker.as_dict(private=False)}
    assertion = es256(header, _assertion(jwt_client), attacker)
    assert _token_with_assertion(client, assertion).json["error"] == "invalid_client"


def test_client_assertion_from_a_clock_within_60_seconds_ahead_is_accepted(
    client: FlaskClient, jwt_client: Credentials
) -> None:
    ahead = int(time.time()) + 50
    claims = _assertion(jwt_client, iat=ahead, nbf=ahead, exp=ahead + 120)
    response = _token_with_assertion(client, _signed(jwt_client, claims))
    assert response.status_code == 200, response.get_data(as_text=True)


def test_client_assertion_issued_in_the_future_is_rejected(
    client: FlaskClient, jwt_client: Credentials
) -> None:
    ahead = int(time.time()) + 120
    claims = _assertion(jwt_client, iat=ahead, exp=ahead + 60)
    response = _token_with_assertion(client, _signed(jwt_client, claims))
    assert response.json["error"] == "invalid_client"
