"""Standard Webhooks signatures (https://www.standardwebhooks.com/).

``webhook-signature`` is ``v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">``
keyed with the raw bytes of the ``whsec_`` secret (base64 after the prefix);
several signatures are separated by spaces (during a secret rotation).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping


def signature(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,<base64>`` signature."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def headers(keys: Iterable[bytes], msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers for one delivery attempt."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signature(k, msg_id, timestamp, body) for k in keys),
    }


def secret_bytes(secret: str) -> bytes:
    """The HMAC key of a ``whsec_`` secret."""
    return base64.b64decode(secret.removeprefix("whsec_"))


def verify(secret: str, headers_: Mapping[str, str], body: bytes) -> bool:
    """Whether any signature in the headers is valid for ``secret`` (used by tests and docs)."""
    expected = signature(
        secret_bytes(secret), headers_["webhook-id"], int(headers_["webhook-timestamp"]), body
    )
    return any(
        hmac.compare_digest(expected, given) for given in headers_["webhook-signature"].split(" ")
    )
