"""HTTP hygiene: every error is problem+json with a request id; nothing leaks."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Blueprint, Flask
from flask.testing import FlaskClient
from marshmallow import Schema, fields, validate

from gateway.api.operations import operation


class _Customer(Schema):
    phone = fields.String(required=True, validate=validate.Length(min=5))


class _Echo(Schema):
    amount = fields.Decimal(required=True, as_string=True)
    customer = fields.Nested(_Customer, required=True)


@pytest.fixture
def echo_client(app: Flask) -> FlaskClient:
    bp = Blueprint("echo", __name__)

    @bp.post("/_test/echo")
    @operation(body=_Echo, response=_Echo)
    def echo(body: dict[str, Any]) -> dict[str, Any]:
        """Echo the body."""
        return body

    @bp.get("/_test/boom")
    def boom() -> str:
        raise RuntimeError("secret internals at /srv/app.py line 12")

    app.register_blueprint(bp)
    return app.test_client()


def _assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status
    assert body["code"] == code
    assert body["request_id"] == response.headers["X-Request-Id"]
    assert {"type", "title", "detail"} <= set(body)
    return body


def test_unknown_route_is_404_problem(client: FlaskClient) -> None:
    _assert_problem(client.get("/no/such/thing"), 404, "not_found")


def test_wrong_method_is_405_problem_with_allow(client: FlaskClient) -> None:
    response = client.delete("/healthz")
    _assert_problem(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_one_mebibyte_body_is_413(echo_client: FlaskClient) -> None:
    response = echo_client.post(
        "/_test/echo", data=b"{" + b" " * (1024 * 1024) + b"}", content_type="application/json"
    )
    _assert_problem(response, 413, "payload_too_large")


def test_body_over_limit_on_unknown_route_is_still_413(client: FlaskClient) -> None:
    response = client.post("/nowhere", data=b"x" * (65 * 1024), content_type="application/json")
    _assert_problem(response, 413, "payload_too_large")


def test_non_json_body_is_415(echo_client: FlaskClient) -> None:
    response = echo_client.post("/_test/echo", data="amount=1", content_type="text/plain")
    body = _assert_problem(response, 415, "unsupported_media_type")
    assert "application/json" in body["detail"]


def test_form_body_is_415(echo_client: FlaskClient) -> None:
    response = echo_client.post("/_test/echo", data={"amount": "1"})
    _assert_problem(response, 415, "unsupported_media_type")


def test_malformed_json_is_400(echo_client: FlaskClient) -> None:
    response = echo_client.post(
        "/_test/echo", data='{"amount": "1",', content_type="application/json"
    )
    _assert_problem(response, 400, "malformed_json")


def test_invalid_utf8_is_400(echo_client: FlaskClient) -> None:
    response = echo_client.post(
        "/_test/echo", data=b'{"a": "\xff"}', content_type="application/json"
    )
    _assert_problem(response, 400, "malformed_json")


def test_json_array_body_is_422_naming_body(echo_client: FlaskClient) -> None:
    response = echo_client.post("/_test/echo", json=[1, 2])
    body = _assert_problem(response, 422, "validation_failed")
    assert body["errors"][0]["field"] == "body"


def test_validation_error_names_nested_field_without_echoing_value(
    echo_client: FlaskClient,
) -> None:
    response = echo_client.post(
        "/_test/echo", json={"amount": "12.30", "customer": {"phone": "123"}}
    )
    body = _assert_problem(response, 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["customer.phone"]
    assert "customer.phone" in body["detail"]
    assert "123" not in response.get_data(as_text=True).replace(body["request_id"], "")


def test_missing_and_unknown_fields_are_each_named(echo_client: FlaskClient) -> None:
    response = echo_client.post("/_test/echo", json={"surprise": 1})
    body = _assert_problem(response, 422, "validation_failed")
    assert {e["field"] for e in body["errors"]} == {"amount", "customer", "surprise"}


def test_valid_body_round_trips_money_as_string(echo_client: FlaskClient) -> None:
    response = echo_client.post(
        "/_test/echo", json={"amount": "12.30", "customer": {"phone": "+8613800000001"}}
    )
    assert response.status_code == 200
    assert response.get_json()["amount"] == "12.30"


def test_unexpected_exception_is_bare_500(echo_client: FlaskClient) -> None:
    response = echo_client.get("/_test/boom")
    body = _assert_problem(response, 500, "internal_error")
    text = response.get_data(as_text=True)
    assert "secret internals" not in text
    assert "Traceback" not in text
    assert body["detail"] == "an unexpected error occurred"


def test_sane_request_id_is_echoed(client: FlaskClient) -> None:
    response = client.get("/healthz", headers={"X-Request-Id": "abc-123.x"})
    assert response.headers["X-Request-Id"] == "abc-123.x"


@pytest.mark.parametrize("bad", ["", "has space", "x" * 200, "semi;colon", "<script>"])
def test_insane_request_id_is_replaced(client: FlaskClient, bad: str) -> None:
    response = client.get("/healthz", headers={"X-Request-Id": bad})
    assert response.headers["X-Request-Id"].startswith("req_")


@pytest.mark.parametrize(
    ("status", "code", "advice"),
    [
        (409, "idempotency_in_flight", "true"),
        (409, "idempotency_conflict", "false"),
        (409, "offer_already_accepted", "false"),
        (503, "service_unavailable", "true"),
        (429, "rate_limited", "true"),
        (422, "validation_failed", None),
        (404, "not_found", None),
    ],
)
def test_x_should_retry_says_whether_the_same_request_can_succeed(
    app: Flask, status: int, code: str, advice: str | None
) -> None:
    from gateway.api.problems import problem_response

    with app.test_request_context():
        response = problem_response(status, code, "detail")
    assert response.headers.get("X-Should-Retry") == advice
