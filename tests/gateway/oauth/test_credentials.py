"""Client credentials: 256-bit secrets, scrypt hashes only, shown once, rotation with grace."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.audit.models import AuditEntry
from gateway.oauth import credentials
from gateway.oauth.models import OAuthClient
from tests.gateway.oauth.conftest import Credentials

TOKEN_FORM = {"grant_type": "client_credentials"}

# Live credentials need a four-eyes approval (tests/gateway/approvals); not the point here.
BREAK_GLASS = ("--break-glass", "test: issued without an approver")


def test_issued_secret_has_256_bits_and_only_its_scrypt_hash_is_stored(
    onboard: Callable[..., Credentials], db_session: Session
) -> None:
    creds = onboard("acme")
    assert creds.client_secret is not None
    random_part = creds.client_secret.removeprefix("gws_")
    assert len(random_part) * 6 >= 256  # base64url: 6 bits a character
    row = db_session.get(OAuthClient, creds.client_id)
    assert row is not None and row.secret_hash is not None
    assert row.secret_hash.startswith("scrypt$16384$8$1$")
    assert creds.client_secret not in row.secret_hash
    assert credentials.check_secret(creds.client_secret, row.secret_hash)
    assert not credentials.check_secret(creds.client_secret + "x", row.secret_hash)


def test_clients_issue_prints_the_secret_once_as_json(
    onboard: Callable[..., Credentials], runner: FlaskCliRunner, db_session: Session
) -> None:
    onboard("rival")  # partners applied
    result = runner.invoke(
        args=["clients", "issue", "acme", "--env", "live", "--json", *BREAK_GLASS]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert set(printed) == {"client_id", "client_secret", "environment"}
    assert printed["environment"] == "live"
    again = runner.invoke(
        args=["clients", "issue", "acme", "--env", "live", "--json", *BREAK_GLASS]
    )
    assert again.exit_code == 1
    assert "rotate" in again.output


def test_issuing_for_an_unconfigured_environment_fails(
    onboard: Callable[..., Credentials], runner: FlaskCliRunner
) -> None:
    onboard("acme")
    result = runner.invoke(args=["clients", "issue", "acme-post", "--env", "live"])
    assert result.exit_code == 1
    assert "no live environment" in result.output


def test_private_key_jwt_clients_get_no_secret(onboard: Callable[..., Credentials]) -> None:
    assert onboard("acme-jwt").client_secret is None


def test_after_rotation_the_old_secret_works_for_the_grace_period_then_not(
    onboard: Callable[..., Credentials], client: FlaskClient, db_session: Session
) -> None:
    creds = onboard("acme")
    assert creds.client_secret is not None
    rotated = credentials.rotate(db_session, "acme", "sandbox")
    db_session.commit()
    assert rotated.client_id == creds.client_id
    assert rotated.client_secret not in (None, creds.client_secret)
    for secret in (creds.client_secret, rotated.client_secret):
        response = client.post("/oauth/token", data=TOKEN_FORM, auth=(creds.client_id, secret))
        assert response.status_code == 200
    row = db_session.get(OAuthClient, creds.client_id)
    assert row is not None and row.previous_secret_expires_at is not None
    remaining = row.previous_secret_expires_at - row.rotated_at  # type: ignore[operator]
    assert remaining == dt.timedelta(hours=24)
    row.previous_secret_expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db_session.commit()
    old = client.post("/oauth/token", data=TOKEN_FORM, auth=(creds.client_id, creds.client_secret))
    assert old.status_code == 401
    new = client.post(
        "/oauth/token", data=TOKEN_FORM, auth=(creds.client_id, rotated.client_secret)
    )
    assert new.status_code == 200


def test_clients_rotate_command_takes_a_grace_period(
    onboard: Callable[..., Credentials], runner: FlaskCliRunner, db_session: Session
) -> None:
    creds = onboard("acme")
    result = runner.invoke(
        args=["clients", "rotate", "acme", "--env", "sandbox", "--grace", "0s", "--json"]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    row = db_session.get(OAuthClient, creds.client_id)
    assert row is not None
    db_session.refresh(row)
    assert creds.client_secret is not None
    assert not credentials.secret_matches(row, creds.client_secret)
    assert credentials.secret_matches(row, printed["client_secret"])
    bad = runner.invoke(args=["clients", "rotate", "acme", "--env", "sandbox", "--grace", "1y"])
    assert bad.exit_code == 2


def test_issue_and_rotation_are_audited_without_secrets(
    onboard: Callable[..., Credentials], db_session: Session
) -> None:
    creds = onboard("acme")
    rotated = credentials.rotate(db_session, "acme", "sandbox")
    db_session.commit()
    entries = db_session.scalars(
        select(AuditEntry).where(AuditEntry.subject == creds.client_id).order_by(AuditEntry.id)
    ).all()
    assert [e.action for e in entries] == ["client.issued", "client.rotated"]
    dumped = json.dumps([e.data for e in entries])
    assert creds.client_secret is not None and rotated.client_secret is not None
    assert creds.client_secret not in dumped and rotated.client_secret not in dumped
    assert "scrypt" not in dumped


def test_secrets_and_tokens_never_reach_the_logs(
    onboard: Callable[..., Credentials],
    client: FlaskClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    creds = onboard("acme-post")
    assert creds.client_secret is not None
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            "/oauth/token",
            data={**TOKEN_FORM, "client_id": creds.client_id, "client_secret": creds.client_secret},
        )
        token = response.json["access_token"]
        client.post(
            "/oauth/token",
            data={**TOKEN_FORM, "client_id": creds.client_id, "client_secret": "wrong-guess"},
        )
    logged = "\n".join(record.getMessage() for record in caplog.records)
    logged += "\n".join(str(getattr(record, "fields", "")) for record in caplog.records)
    assert creds.client_id in logged  # the access log names the client
    for secret in (creds.client_secret, token, "wrong-guess"):
        assert secret not in logged
