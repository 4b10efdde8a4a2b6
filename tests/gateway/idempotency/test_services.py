"""Idempotency-Key: replay, conflict, in-flight, release on failure, tenant scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Blueprint, Flask, g
from flask.testing import FlaskClient
from marshmallow import Schema, fields
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.api.operations import fail_after_commit, operation
from gateway.clock import utcnow
from gateway.errors import Conflict
from gateway.idempotency.models import IdempotencyRecord
from gateway.principal import Principal


class _Body(Schema):
    amount = fields.String(required=True)
    fail = fields.Boolean(load_default=False)
    fault = fields.Boolean(load_default=False)


@pytest.fixture
def calls() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def idem_client(app: Flask, calls: list[dict[str, Any]]) -> FlaskClient:
    bp = Blueprint("idem", __name__)

    @bp.before_request
    def _principal() -> None:
        from flask import request

        partner = request.headers.get("X-Test-Partner", "demo-mall")
        g.principal = Principal(partner, "sandbox", "cli_test", frozenset())

    @bp.post("/_test/charge")
    @operation(body=_Body, status=201, idempotent=True)
    def charge(body: dict[str, Any]) -> dict[str, Any]:
        """Charge once."""
        calls.append(body)
        if body["fail"]:
            raise Conflict("refused this time")
        if body["fault"]:
            fail_after_commit()
        return {"charge": len(calls), "amount": body["amount"]}

    app.register_blueprint(bp)
    return app.test_client()


def test_same_key_same_body_replays_first_response_byte_for_byte(
    idem_client: FlaskClient, calls: list[dict[str, Any]]
) -> None:
    headers = {"Idempotency-Key": "k-1"}
    first = idem_client.post("/_test/charge", json={"amount": "10.00"}, headers=headers)
    second = idem_client.post("/_test/charge", json={"amount": "10.00"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.get_data() == second.get_data()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert len(calls) == 1


def test_key_order_and_whitespace_do_not_make_a_different_request(
    idem_client: FlaskClient, calls: list[dict[str, Any]]
) -> None:
    headers = {"Idempotency-Key": "k-ws"}
    idem_client.post(
        "/_test/charge",
        data='{"amount":"1.00","fail":false}',
        headers=headers,
        content_type="application/json",
    )
    again = idem_client.post(
        "/_test/charge",
        data='{ "fail": false,  "amount": "1.00" }',
        headers=headers,
        content_type="application/json",
    )
    assert again.status_code == 201
    assert len(calls) == 1


def test_same_key_other_body_is_409_idempotency_conflict(idem_client: FlaskClient) -> None:
    headers = {"Idempotency-Key": "k-2"}
    idem_client.post("/_test/charge", json={"amount": "10.00"}, headers=headers)
    response = idem_client.post("/_test/charge", json={"amount": "99.00"}, headers=headers)
    assert response.status_code == 409
    assert response.get_json()["code"] == "idempotency_conflict"
    assert response.headers["X-Should-Retry"] == "false"  # the same request conflicts forever


def test_a_state_conflict_tells_clients_not_to_retry(idem_client: FlaskClient) -> None:
    response = idem_client.post("/_test/charge", json={"amount": "1.00", "fail": True})
    assert response.status_code == 409 and response.get_json()["code"] == "conflict"
    assert response.headers["X-Should-Retry"] == "false"


def test_in_flight_key_is_409_with_retry_after(
    idem_client: FlaskClient, db_session: Session
) -> None:
    from gateway.idempotency.services import fingerprint

    now = utcnow()
    body = b'{"amount":"5.00"}'
    db_session.add(
        IdempotencyRecord(
            tenant="demo-mall:sandbox",
            key="k-busy",
            fingerprint=fingerprint("POST", "/_test/charge", body),
            state="in_flight",
            created_at=now,
            expires_at=now + dt.timedelta(hours=24),
        )
    )
    db_session.commit()
    response = idem_client.post(
        "/_test/charge", json={"amount": "5.00"}, headers={"Idempotency-Key": "k-busy"}
    )
    assert response.status_code == 409
    assert response.get_json()["code"] == "idempotency_in_flight"
    assert response.headers["Retry-After"] == "1"
    assert response.headers["X-Should-Retry"] == "true"


def test_stale_in_flight_claim_of_a_crashed_process_is_taken_over(
    idem_client: FlaskClient, db_session: Session, calls: list[dict[str, Any]]
) -> None:
    from gateway.idempotency.services import fingerprint

    old = utcnow() - dt.timedelta(minutes=5)
    db_session.add(
        IdempotencyRecord(
            tenant="demo-mall:sandbox",
            key="k-stale",
            fingerprint=fingerprint("POST", "/_test/charge", b'{"amount":"5.00"}'),
            state="in_flight",
            created_at=old,
            expires_at=old + dt.timedelta(hours=24),
        )
    )
    db_session.commit()
    response = idem_client.post(
        "/_test/charge", json={"amount": "5.00"}, headers={"Idempotency-Key": "k-stale"}
    )
    assert response.status_code == 201
    assert len(calls) == 1


def test_failed_request_releases_its_key_so_a_retry_runs_again(
    idem_client: FlaskClient, calls: list[dict[str, Any]], db_session: Session
) -> None:
    headers = {"Idempotency-Key": "k-3"}
    failed = idem_client.post("/_test/charge", json={"amount": "1", "fail": True}, headers=headers)
    assert failed.status_code == 409
    count = db_session.scalar(select(func.count()).select_from(IdempotencyRecord))
    assert count == 0
    # Same key, same body: runs again (and fails again) rather than replaying.
    idem_client.post("/_test/charge", json={"amount": "1", "fail": True}, headers=headers)
    assert len(calls) == 2


def test_keys_are_scoped_to_the_partner(
    idem_client: FlaskClient, calls: list[dict[str, Any]]
) -> None:
    body = {"amount": "3.00"}
    idem_client.post("/_test/charge", json=body, headers={"Idempotency-Key": "shared"})
    other = idem_client.post(
        "/_test/charge",
        json=body,
        headers={"Idempotency-Key": "shared", "X-Test-Partner": "demo-travel"},
    )
    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other.headers
    assert len(calls) == 2


def test_commit_then_500_is_recovered_by_retrying_with_the_same_key(
    idem_client: FlaskClient, calls: list[dict[str, Any]]
) -> None:
    headers = {"Idempotency-Key": "k-fault"}
    first = idem_client.post("/_test/charge", json={"amount": "7", "fault": True}, headers=headers)
    assert first.status_code == 500
    retry = idem_client.post("/_test/charge", json={"amount": "7", "fault": True}, headers=headers)
    assert retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert len(calls) == 1


@pytest.mark.parametrize("key", ["", "x" * 256])
def test_invalid_keys_are_422(idem_client: FlaskClient, key: str) -> None:
    response = idem_client.post(
        "/_test/charge", json={"amount": "1"}, headers={"Idempotency-Key": key}
    )
    assert response.status_code == 422
    assert response.get_json()["code"] == "invalid_idempotency_key"
