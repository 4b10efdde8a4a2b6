"""Signing keys: sign/verify, encryption at rest, rotation, JWKS."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from flask.testing import FlaskCliRunner
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from gateway.keys import services as keys
from gateway.keys import vault
from gateway.keys.models import SigningKey
from gateway.keys.services import InvalidToken
from tests.gateway.oauth.conftest import decode_segment


def test_signed_tokens_carry_alg_kid_and_typ_and_verify(db_session: Session) -> None:
    token = keys.sign(db_session, {"sub": "x", "amount": "1.00"}, typ="offer+jwt")
    header = decode_segment(token.split(".")[0])
    assert header == {"alg": "ES256", "kid": keys.current_kid(db_session), "typ": "offer+jwt"}
    assert keys.verify(db_session, token, typ="offer+jwt") == {"sub": "x", "amount": "1.00"}


def test_a_token_of_another_type_does_not_verify(db_session: Session) -> None:
    token = keys.sign(db_session, {"sub": "x"}, typ="consent-receipt+jwt")
    with pytest.raises(InvalidToken, match="wrong type"):
        keys.verify(db_session, token, typ="at+jwt")


def test_private_keys_are_stored_only_encrypted(db_session: Session) -> None:
    kid = keys.current_kid(db_session)
    row = db_session.get(SigningKey, kid)
    assert row is not None
    private = vault.unseal("test-secret-key-" + "x" * 32, kid, row.private_key_encrypted)
    der = private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    assert der not in row.private_key_encrypted
    assert "d" not in row.public_jwk
    with pytest.raises(InvalidTag):
        vault.unseal("another-secret-key", kid, row.private_key_encrypted)
    with pytest.raises(InvalidTag):
        vault.unseal("test-secret-key-" + "x" * 32, "another-kid", row.private_key_encrypted)


def test_after_rotation_old_tokens_verify_and_new_tokens_carry_the_new_kid(
    db_session: Session,
) -> None:
    old_token = keys.sign(db_session, {"n": 1}, typ="at+jwt")
    old_kid = keys.current_kid(db_session)
    new_kid = keys.rotate(db_session)
    assert new_kid != old_kid
    new_token = keys.sign(db_session, {"n": 2}, typ="at+jwt")
    assert decode_segment(new_token.split(".")[0])["kid"] == new_kid
    assert keys.verify(db_session, old_token, typ="at+jwt") == {"n": 1}
    published = [key["kid"] for key in keys.public_jwks(db_session)["keys"]]
    assert published == [new_kid, old_kid]


def test_keys_retired_long_ago_leave_the_jwks_and_stop_verifying(db_session: Session) -> None:
    old_token = keys.sign(db_session, {"n": 1}, typ="at+jwt")
    old_kid = keys.current_kid(db_session)
    keys.rotate(db_session)
    row = db_session.get(SigningKey, old_kid)
    assert row is not None
    row.retired_at = row.retired_at - keys.PUBLICATION - dt.timedelta(days=1)  # type: ignore[operator]
    db_session.flush()
    keys._cache.pop(old_kid, None)
    assert old_kid not in [key["kid"] for key in keys.public_jwks(db_session)["keys"]]
    with pytest.raises(InvalidToken, match="withdrawn"):
        keys.verify(db_session, old_token, typ="at+jwt")


def test_a_rotation_by_another_process_is_followed_at_once(db_session: Session) -> None:
    keys.sign(db_session, {"n": 1}, typ="at+jwt")
    # Another process rotates: this process's cache knows nothing of it.
    current = db_session.scalars(select(SigningKey).where(SigningKey.slot == "current")).one()
    current.slot = None
    current.retired_at = current.created_at
    db_session.flush()
    fresh = keys._new_key(db_session, "current")
    db_session.commit()  # the other process commits; our next transaction sees it
    token = keys.sign(db_session, {"n": 2}, typ="at+jwt")
    assert decode_segment(token.split(".")[0])["kid"] == fresh.kid
    keys._cache.pop(fresh.kid, None)
    assert keys.verify(db_session, token, typ="at+jwt") == {"n": 2}


def test_the_current_kid_is_looked_up_once_per_transaction(db_session: Session) -> None:
    first = keys.sign(db_session, {"n": 1}, typ="at+jwt")
    statements: list[str] = []
    listen = db_session.connection()
    event.listen(listen, "before_cursor_execute", lambda *a: statements.append(a[2]))
    second = keys.sign(db_session, {"n": 2}, typ="at+jwt")
    assert statements == []
    assert decode_segment(first.split(".")[0]) == decode_segment(second.split(".")[0])


def test_jwks_endpoint_publishes_public_keys_only(client: object, db_session: Session) -> None:
    keys.rotate(db_session)
    db_session.commit()
    response = client.get("/.well-known/jwks.json")  # type: ignore[attr-defined]
    assert response.status_code == 200
    for key in response.json["keys"]:
        assert {"kty", "crv", "x", "y", "kid", "alg", "use"} <= set(key)
        assert "d" not in key
    assert response.json["keys"][0]["kid"] == keys.current_kid(db_session)


def test_keys_rotate_command_prints_the_new_kid(
    runner: FlaskCliRunner, db_session: Session
) -> None:
    before = keys.current_kid(db_session)
    db_session.commit()
    result = runner.invoke(args=["keys", "rotate", "--json"])
    assert result.exit_code == 0, result.output
    kid = json.loads(result.output)["kid"]
    assert kid != before
    assert keys.current_kid(db_session) == kid


@pytest.mark.parametrize(
    "token",
    ["", "a.b", "a.b.c.d", "!!!.e30.sig", "e30.e30.sig", "W10.e30.sig"],
)
def test_malformed_tokens_are_invalid(db_session: Session, token: str) -> None:
    with pytest.raises(InvalidToken):
        keys.verify(db_session, token, typ="at+jwt")
