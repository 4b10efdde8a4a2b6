"""Standard Webhooks signing: the published test vector, rotation, the secret command."""

from __future__ import annotations

import json
from typing import Any

from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.webhooks import secrets, signing
from gateway.webhooks.models import WebhookSecret

# The example of the Standard Webhooks specification and its reference libraries.
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TS = 1614265330
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_signature_matches_the_standard_webhooks_test_vector() -> None:
    key = signing.secret_bytes(VECTOR_SECRET)
    assert signing.signature(key, VECTOR_ID, VECTOR_TS, VECTOR_BODY) == VECTOR_SIGNATURE
    headers = signing.headers([key], VECTOR_ID, VECTOR_TS, VECTOR_BODY)
    assert signing.verify(VECTOR_SECRET, headers, VECTOR_BODY)
    assert not signing.verify(VECTOR_SECRET, headers, VECTOR_BODY + b" ")


def test_secret_command_issues_then_rotates_and_both_sign_for_a_day(
    runner: FlaskCliRunner, db_session: Session, demo_partners: list[str], settings: Any
) -> None:
    first = runner.invoke(args=["webhooks", "secret", "demo-mall", "--env", "sandbox", "--json"])
    assert first.exit_code == 0, first.output
    old = json.loads(first.output)["secret"]
    assert old.startswith("whsec_") and len(signing.secret_bytes(old)) == 32
    second = runner.invoke(args=["webhooks", "secret", "demo-mall", "--env", "sandbox"])
    new = second.output.strip()
    assert new != old
    keys = secrets.signing_keys(db_session, settings.secret_key, "demo-mall", "sandbox")
    assert keys is not None
    headers = signing.headers(keys.keys, "evt_1", 1, b"{}")
    assert signing.verify(new, headers, b"{}") and signing.verify(old, headers, b"{}")
    row = db_session.scalars(select(WebhookSecret)).one()
    assert signing.secret_bytes(new) not in row.sealed  # stored encrypted


def test_secret_command_refuses_an_unknown_partner(
    runner: FlaskCliRunner, demo_partners: list[str]
) -> None:
    result = runner.invoke(args=["webhooks", "secret", "nobody", "--env", "sandbox"])
    assert result.exit_code == 2
