"""Standard Webhooks verification: signature, freshness, headers, typed events."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from instalments import InstalmentsError, WebhookVerificationError, webhooks

from . import samples

SECRET = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
NOW = 1_763_704_800


def _body(type_: str = "application.approved", obj: object = samples.APPLICATION) -> bytes:
    event = {"id": "evt_1", "type": type_, "created_at": samples.T, "sequence": 3}
    event["data"] = {"object": obj}
    return json.dumps(event, separators=(",", ":")).encode()


def _headers(body: bytes, timestamp: int = NOW, msg_id: str = "evt_1") -> dict[str, str]:
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    signature = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return {
        "Webhook-Id": msg_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": f"v1,{signature}",
    }


def test_a_correctly_signed_delivery_becomes_a_typed_event() -> None:
    body = _body()
    event = webhooks.verify(body, _headers(body), SECRET, now=NOW)
    assert isinstance(event, webhooks.ApplicationEvent)
    assert (event.id, event.type, event.sequence) == ("evt_1", "application.approved", 3)
    assert event.data.object.id == "app_1"


@pytest.mark.parametrize(
    ("type_", "obj", "cls"),
    [
        ("consent.revoked", samples.CONSENT, webhooks.ConsentEvent),
        ("offer.expired", samples.OFFER, webhooks.OfferEvent),
        (
            "prequalification.review_completed",
            samples.REVIEWED_PREQUALIFICATION,
            webhooks.PrequalificationEvent,
        ),
        ("partner.suspended", {"id": "demo-mall"}, webhooks.UnknownEvent),
    ],
)
def test_each_event_family_has_its_type(type_: str, obj: object, cls: type) -> None:
    body = _body(type_, obj)
    assert type(webhooks.verify(body, _headers(body), SECRET, now=NOW)) is cls


def test_sign_produces_the_headers_verify_accepts() -> None:
    body = _body()
    headers = webhooks.sign(body, SECRET, msg_id="evt_1", timestamp=NOW)
    assert headers == {k.lower(): v for k, v in _headers(body).items()}
    assert webhooks.verify(body, headers, SECRET, now=NOW).id == "evt_1"


def test_the_clock_is_used_when_no_time_is_given() -> None:
    import time

    body = _body()
    now = int(time.time())
    assert webhooks.verify(body, _headers(body, timestamp=now), SECRET).id == "evt_1"


def test_a_tampered_body_is_rejected() -> None:
    body = _body()
    headers = _headers(body)
    with pytest.raises(WebhookVerificationError, match="no valid signature"):
        webhooks.verify(body.replace(b"submitted", b"approved!"), headers, SECRET, now=NOW)


def test_a_signature_made_with_another_secret_is_rejected() -> None:
    body = _body()
    other = "whsec_" + base64.b64encode(b"another secret of thirty-two by").decode()
    with pytest.raises(WebhookVerificationError):
        webhooks.verify(body, _headers(body), other, now=NOW)


def test_one_valid_signature_among_several_is_enough() -> None:
    body = _body()
    headers = _headers(body)
    headers["Webhook-Signature"] = f"v1,bm90IGl0 v1a,xyz {headers['Webhook-Signature']}"
    assert webhooks.verify(body, headers, SECRET, now=NOW).id == "evt_1"
    headers["Webhook-Signature"] = "v1,bm90IGl0 v2," + _headers(body)["Webhook-Signature"][3:]
    with pytest.raises(WebhookVerificationError):
        webhooks.verify(body, headers, SECRET, now=NOW)  # right value, unknown version


@pytest.mark.parametrize(("offset", "message"), [(-301, "too old"), (301, "in the future")])
def test_old_and_future_timestamps_are_rejected(offset: int, message: str) -> None:
    body = _body()
    headers = _headers(body, timestamp=NOW + offset)
    with pytest.raises(WebhookVerificationError, match=message):
        webhooks.verify(body, headers, SECRET, now=NOW)
    assert webhooks.verify(body, headers, SECRET, tolerance=400, now=NOW).id == "evt_1"


def test_timestamps_at_the_tolerance_edge_pass() -> None:
    body = _body()
    for offset in (-300, 300):
        assert webhooks.verify(body, _headers(body, timestamp=NOW + offset), SECRET, now=NOW)


@pytest.mark.parametrize("missing", ["Webhook-Id", "Webhook-Timestamp", "Webhook-Signature"])
def test_a_missing_header_is_rejected(missing: str) -> None:
    body = _body()
    headers = _headers(body)
    del headers[missing]
    with pytest.raises(WebhookVerificationError, match=f"missing {missing.lower()}"):
        webhooks.verify(body, headers, SECRET, now=NOW)


def test_a_timestamp_that_is_not_unix_seconds_is_rejected() -> None:
    body = _body()
    headers = _headers(body)
    headers["Webhook-Timestamp"] = "2026-11-21T06:00:00Z"
    with pytest.raises(WebhookVerificationError, match="Unix seconds"):
        webhooks.verify(body, headers, SECRET, now=NOW)


def test_parsed_json_instead_of_the_raw_body_is_refused() -> None:
    with pytest.raises(TypeError, match="raw request body"):
        webhooks.verify(json.loads(_body()), {}, SECRET)  # type: ignore[arg-type]
    assert webhooks.verify(bytearray(_body()), _headers(_body()), SECRET, now=NOW)


@pytest.mark.parametrize("secret", ["0123456789", "whsec_not base64!"])
def test_a_malformed_secret_is_a_configuration_error(secret: str) -> None:
    body = _body()
    with pytest.raises(InstalmentsError) as caught:
        webhooks.verify(body, _headers(body), secret, now=NOW)
    assert not isinstance(caught.value, WebhookVerificationError)


@pytest.mark.parametrize(
    "body", [b"not json", b"[1, 2]", json.dumps({"id": "evt_1", "type": "application.x"}).encode()]
)
def test_a_signed_payload_that_is_not_an_event_is_rejected(body: bytes) -> None:
    with pytest.raises(WebhookVerificationError, match="not a webhook event"):
        webhooks.verify(body, _headers(body), SECRET, now=NOW)
