"""Verify webhooks from the gateway (Standard Webhooks) and read them as typed events.

The gateway signs each delivery with the partner's ``whsec_…`` secret::

    webhook-id:        evt_…
    webhook-timestamp: 1763704800                       (Unix seconds)
    webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">

Several space-separated signatures may be present (while a secret is being
rotated); one valid ``v1`` signature is enough. The signature covers the body
byte for byte: pass the *raw* request body, never re-serialised JSON.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any, cast

from pydantic import AwareDatetime

from ._exceptions import InstalmentsError, WebhookVerificationError
from .types import Application, Consent, Model, Offer, Prequalification

__all__ = [
    "ApplicationEvent",
    "ConsentEvent",
    "OfferEvent",
    "PingEvent",
    "PrequalificationEvent",
    "UnknownEvent",
    "WebhookEvent",
    "sign",
    "verify",
]

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret


class _Event(Model):
    id: str
    type: str
    created_at: AwareDatetime
    sequence: int


class _ApplicationData(Model):
    object: Application


class _ConsentData(Model):
    object: Consent


class _OfferData(Model):
    object: Offer


class _PrequalificationData(Model):
    object: Prequalification


class ApplicationEvent(_Event):
    """``application.*``: ``data.object`` is the application."""

    data: _ApplicationData


class ConsentEvent(_Event):
    """``consent.*``: ``data.object`` is the consent."""

    data: _ConsentData


class OfferEvent(_Event):
    """``offer.*``: ``data.object`` is the offer."""

    data: _OfferData


class PrequalificationEvent(_Event):
    """``prequalification.*``: ``data.object`` is the prequalification.

    ``prequalification.review_completed``: a person decided the review;
    ``data.object.human_review.outcome`` says how, and an approval's new
    offers are in ``data.object.offers``.
    """

    data: _PrequalificationData


class _PingObject(Model):
    object: str
    partner_id: str
    environment: str


class _PingData(Model):
    object: _PingObject


class PingEvent(_Event):
    """``ping``: a sandbox test delivery (``POST /v1/webhook-endpoints/test``); acknowledge it."""

    data: _PingData


class UnknownEvent(_Event):
    """An event type this SDK version does not know; ``data`` is left as a dict."""

    data: dict[str, Any]


WebhookEvent = (
    ApplicationEvent | ConsentEvent | OfferEvent | PingEvent | PrequalificationEvent | UnknownEvent
)

_EVENT_FOR_PREFIX: Mapping[str, type[_Event]] = {
    "application": ApplicationEvent,
    "consent": ConsentEvent,
    "offer": OfferEvent,
    "prequalification": PrequalificationEvent,
    "ping": PingEvent,
}


def verify(
    payload: bytes,
    headers: Mapping[str, str],
    secret: str,
    tolerance: int = 300,
    *,
    now: float | None = None,
) -> WebhookEvent:
    """Check a delivery's signature and freshness, then parse it.

    Args:
        payload: the raw request body, exactly as received.
        headers: the request headers (any mapping; names are case-insensitive).
        secret: the endpoint's ``whsec_…`` secret.
        tolerance: seconds a timestamp may be old or in the future (replays).
        now: Unix seconds to judge the timestamp against (default: the clock).

    Returns:
        The typed event: ``ApplicationEvent``, ``ConsentEvent``, ``OfferEvent``,
        ``PrequalificationEvent``, ``PingEvent``, or ``UnknownEvent`` for a type
        this SDK does not know.

    Raises:
        WebhookVerificationError: missing header, bad signature, stale or future
            timestamp; answer 400 and do not act on the delivery.
        InstalmentsError: the secret is not ``whsec_<base64>``.
        TypeError: the payload is not bytes (pass the raw body).
    """
    if not isinstance(payload, bytes | bytearray):
        raise TypeError("payload must be the raw request body as bytes, not parsed JSON")
    lowered = {name.lower(): value for name, value in headers.items()}
    msg_id = _header(lowered, "webhook-id")
    timestamp = _header(lowered, "webhook-timestamp")
    signatures = _header(lowered, "webhook-signature")
    _check_timestamp(timestamp, time.time() if now is None else now, tolerance)
    expected = _signature(_decode_secret(secret), msg_id, timestamp, bytes(payload))
    for candidate in signatures.split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return _parse(bytes(payload))
    raise WebhookVerificationError("no valid signature")


def sign(payload: bytes, secret: str, *, msg_id: str, timestamp: int) -> dict[str, str]:
    """The headers the gateway would send with ``payload`` (for testing your receiver).

    Args:
        payload: the raw body.
        secret: the ``whsec_…`` secret.
        msg_id: the ``webhook-id``.
        timestamp: Unix seconds.

    Returns:
        ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature``.
    """
    signature = _signature(_decode_secret(secret), msg_id, str(timestamp), payload)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": f"v1,{signature}",
    }


def _header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name)
    if not value:
        raise WebhookVerificationError(f"missing {name} header")
    return value


def _check_timestamp(value: str, now: float, tolerance: int) -> None:
    if not value.isdigit():
        raise WebhookVerificationError("webhook-timestamp is not Unix seconds")
    sent = int(value)
    if now - sent > tolerance:
        raise WebhookVerificationError("webhook-timestamp is too old (a replay?)")
    if sent - now > tolerance:
        raise WebhookVerificationError("webhook-timestamp is in the future")


def _decode_secret(secret: str) -> bytes:
    if not secret.startswith(SECRET_PREFIX):
        raise InstalmentsError("the webhook secret must look like whsec_<base64>")
    try:
        return base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except binascii.Error as exc:
        raise InstalmentsError("the webhook secret is not valid base64 after whsec_") from exc


def _signature(key: bytes, msg_id: str, timestamp: str, payload: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + payload
    return base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode("ascii")


def _parse(payload: bytes) -> WebhookEvent:
    try:
        data = json.loads(payload)
        kind = _EVENT_FOR_PREFIX.get(str(data.get("type", "")).split(".")[0], UnknownEvent)
        event = kind.model_validate(data)
    except (ValueError, AttributeError) as exc:
        # ValueError covers bad JSON and pydantic's ValidationError alike.
        raise WebhookVerificationError(f"the signed payload is not a webhook event: {exc}") from exc
    return cast(WebhookEvent, event)
