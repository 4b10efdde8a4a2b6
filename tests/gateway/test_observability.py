"""No raw identifier ever reaches a log line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Blueprint, Flask
from marshmallow import Schema, fields

from gateway.api.operations import operation
from gateway.observability import JSONFormatter, redact

PHONE = "+8613912345678"
ID_NUMBER = "11010519491231002X"


class _Body(Schema):
    phone = fields.String(required=True)
    id_number = fields.String(required=True)
    name = fields.String(required=True)


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    """Everything the gateway logs, at DEBUG, as the production formatter renders it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JSONFormatter())
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def test_request_with_phone_and_id_number_leaves_no_trace_in_logs(
    app: Flask, captured_logs: io.StringIO, capfd: pytest.CaptureFixture[str]
) -> None:
    bp = Blueprint("leaky", __name__)

    @bp.post("/_test/leaky")
    @operation(body=_Body)
    def leaky(body: dict[str, Any]) -> dict[str, Any]:
        """A careless handler that logs what it got, then fails."""
        logging.getLogger("gateway.leaky").info("got %s", body)
        raise ValueError(f"cannot handle {body['phone']} / {body['id_number']}")

    app.register_blueprint(bp)
    client = app.test_client()
    payload = {"phone": PHONE, "id_number": ID_NUMBER, "name": "张三"}
    assert client.post("/_test/leaky", json=payload).status_code == 500
    # Also a validation failure and a malformed body quoting the identifiers.
    client.post("/_test/leaky", json={"phone": PHONE})
    client.post("/_test/leaky", data=f'{{"phone": "{PHONE}", ', content_type="application/json")
    client.get(f"/customers/{PHONE}?id={ID_NUMBER}")

    out, err = capfd.readouterr()
    logged = captured_logs.getvalue() + out + err
    assert logged.count("\n") >= 4, "the requests were logged"
    for secret in (PHONE, PHONE[3:], ID_NUMBER, "张三"):
        assert secret not in logged


def test_access_log_line_is_structured_json(client: Any, captured_logs: io.StringIO) -> None:
    client.get("/healthz", headers={"X-Request-Id": "rid-1"})
    lines = [json.loads(line) for line in captured_logs.getvalue().splitlines()]
    access = [line for line in lines if line["logger"] == "gateway.request"]
    assert access[-1]["route"] == "/healthz"
    assert access[-1]["status"] == 200
    assert access[-1]["request_id"] == "rid-1"
    assert access[-1]["method"] == "GET"
    assert isinstance(access[-1]["duration_ms"], float)


@pytest.mark.parametrize(
    "text",
    [
        "phone=+8613800000001",
        "call 138 0000 0001 now",
        "id 110105194912310021",
        "card 6222020200112233445",
        '{"name": "Li Lei"}',
        "client_secret=abc.def",
    ],
)
def test_redact_removes_identifiers(text: str) -> None:
    cleaned = redact(text)
    for token in (
        "8613800000001",
        "138 0000 0001",
        "110105194912310021",
        "6222020200112233445",
        "Li Lei",
        "abc.def",
    ):
        assert token not in cleaned


@pytest.mark.parametrize(
    "text", ["2026-11-21T05:53:04.123Z", "duration 12.5 ms", "status 200", "pq_abc123XYZ"]
)
def test_redact_keeps_ordinary_text(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "+86 139-1234-5678",
        "8613912345678",
        "11010519491231002X",
        "6222021234567890123",
        'IDNUMBER: "110105"',
        "Full_Name=Zhang",
        "client_secret=s3cret",
    ],
)
def test_the_cheap_checks_never_let_an_identifier_through(text: str) -> None:
    from gateway.observability import redact

    assert "[redacted]" in redact(f"before {text} after")
