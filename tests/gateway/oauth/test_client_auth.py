"""The client of a token request is the authenticated one; lockouts are per client and source.

Findings of the attack catalogue (docs/security.md): a form ``client_id``
contradicting a client assertion was ignored yet counted, a success cleared
the claimed id's failures, a stranger could lock a partner out, unknown client
ids answered differently from wrong secrets, assertion failures were 400.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.oauth import credentials
from tests.gateway.oauth.conftest import Credentials
from tests.gateway.oauth.test_attacks import ASSERTION_TYPE, ISSUER, es256

PARTNER_ADDRESS = "198.51.100.7"
STRANGER_ADDRESS = "203.0.113.66"
GRANT = {"grant_type": "client_credentials"}


def _from(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _assertion(creds: Credentials) -> str:
    assert creds.private_key is not None
    now = int(time.time())
    claims = {
        "iss": creds.client_id,
        "sub": creds.client_id,
        "aud": f"{ISSUER}/oauth/token",
        "jti": f"jti-{time.monotonic_ns()}",
        "iat": now,
        "exp": now + 120,
    }
    return es256({"alg": "ES256", "kid": "acme-key-1"}, claims, creds.private_key)


def _with_assertion(client: FlaskClient, creds: Credentials, **form: str) -> Any:
    data = {
        **GRANT,
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": _assertion(creds),
        **form,
    }
    return client.post("/oauth/token", data=data)


def _wrong_secret(client: FlaskClient, client_id: str, attempt: int = 0) -> Any:
    return client.post("/oauth/token", data=GRANT, auth=(client_id, f"guess-{attempt}"))


def test_form_client_id_contradicting_the_assertion_is_invalid_client(
    client: FlaskClient, onboard: Callable[..., Credentials]
) -> None:
    victim, jwt_client = onboard("acme"), onboard("acme-jwt")
    response = _with_assertion(client, jwt_client, client_id=victim.client_id)
    assert response.status_code == 401
    assert response.json["error"] == "invalid_client"
    assert _with_assertion(client, jwt_client, client_id=jwt_client.client_id).status_code == 200


def test_another_clients_success_does_not_reset_a_lockout(
    app: Flask, onboard: Callable[..., Credentials]
) -> None:
    victim, jwt_client = onboard("acme"), onboard("acme-jwt")
    attacker = _from(app, PARTNER_ADDRESS)
    for attempt in range(9):
        assert _wrong_secret(attacker, victim.client_id, attempt).status_code == 401
    # Before: the claimed id was counted and a 200 cleared its failures.
    _with_assertion(attacker, jwt_client, client_id=victim.client_id)
    assert _with_assertion(attacker, jwt_client).status_code == 200
    assert victim.client_secret is not None
    locked = attacker.post(
        "/oauth/token", data=GRANT, auth=(victim.client_id, victim.client_secret)
    )
    assert locked.status_code == 429
    assert locked.json["code"] == "client_locked"


def test_a_stranger_cannot_lock_a_partner_out(
    app: Flask, onboard: Callable[..., Credentials]
) -> None:
    partner = onboard("acme")
    stranger = _from(app, STRANGER_ADDRESS)
    for attempt in range(12):
        _wrong_secret(stranger, partner.client_id, attempt)
    assert partner.client_secret is not None
    own = _from(app, PARTNER_ADDRESS).post(
        "/oauth/token", data=GRANT, auth=(partner.client_id, partner.client_secret)
    )
    assert own.status_code == 200, own.get_data(as_text=True)
    # The stranger is the one locked out, even with the right secret.
    theirs = stranger.post(
        "/oauth/token", data=GRANT, auth=(partner.client_id, partner.client_secret)
    )
    assert theirs.status_code == 429


def test_one_source_spraying_client_ids_is_locked_out(
    app: Flask, onboard: Callable[..., Credentials]
) -> None:
    partner = onboard("acme")
    stranger = _from(app, STRANGER_ADDRESS)
    for attempt in range(50):
        _wrong_secret(stranger, f"cli_sandbox_guess{attempt}", attempt)
    assert partner.client_secret is not None
    response = stranger.post(
        "/oauth/token", data=GRANT, auth=(partner.client_id, partner.client_secret)
    )
    assert response.status_code == 429


def test_unknown_client_id_is_answered_like_a_wrong_secret(
    client: FlaskClient, onboard: Callable[..., Credentials]
) -> None:
    known = onboard("acme")
    wrong = _wrong_secret(client, known.client_id)
    unknown = _wrong_secret(client, "cli_sandbox_doesnotexist")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_data() == unknown.get_data()
    assert wrong.headers["WWW-Authenticate"] == unknown.headers["WWW-Authenticate"]
    post_wrong = client.post(
        "/oauth/token", data={**GRANT, "client_id": known.client_id, "client_secret": "x"}
    )
    post_unknown = client.post(
        "/oauth/token", data={**GRANT, "client_id": "cli_nobody", "client_secret": "x"}
    )
    assert post_wrong.status_code == post_unknown.status_code == 401
    assert post_wrong.get_data() == post_unknown.get_data() == wrong.get_data()


def test_unknown_client_id_costs_a_secret_check(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks: list[str] = []
    original = credentials.check_secret

    def counting(secret: str, stored: str | None) -> bool:
        checks.append(secret)
        return original(secret, stored)

    monkeypatch.setattr(credentials, "check_secret", counting)
    _wrong_secret(client, "cli_sandbox_doesnotexist")
    assert len(checks) == 1


def test_assertion_failures_are_401_invalid_client(
    client: FlaskClient, onboard: Callable[..., Credentials]
) -> None:
    jwt_client = onboard("acme-jwt")
    assertion = _assertion(jwt_client)
    tampered = assertion[:-4] + ("AAAA" if not assertion.endswith("AAAA") else "BBBB")
    response = client.post(
        "/oauth/token",
        data={**GRANT, "client_assertion_type": ASSERTION_TYPE, "client_assertion": tampered},
    )
    assert response.status_code == 401
    assert response.json["error"] == "invalid_client"
    assert response.headers["WWW-Authenticate"].startswith("Basic ")
