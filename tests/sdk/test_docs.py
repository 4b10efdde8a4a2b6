"""The SDK guide's code runs as written."""

from __future__ import annotations

import base64
import json
import re
import time
from pathlib import Path
from typing import Any

from instalments import webhooks

from . import samples

DOCS = Path(__file__).resolve().parents[2] / "docs" / "sdk"


def python_blocks(name: str) -> list[str]:
    """The fenced ``python`` blocks of a page under ``docs/sdk``."""
    return re.findall(r"```python\n(.*?)```", (DOCS / name).read_text(), flags=re.DOTALL)


def test_the_flask_receiver_in_the_webhook_guide_verifies_with_the_raw_body() -> None:
    flask_block = next(b for b in python_blocks("webhooks.md") if "from flask import" in b)
    secret = "whsec_" + base64.b64encode(b"k" * 32).decode()
    received: list[Any] = []
    namespace: dict[str, Any] = {
        "__name__": "__main__",  # as when the receiver is run as a script
        "record_application_status": lambda *args: received.append(args),
    }
    exec(flask_block.replace('"whsec_…"', repr(secret)), namespace)  # noqa: S102 - the doc's code
    client = namespace["app"].test_client()
    body = json.dumps(
        {
            "id": "evt_1",
            "type": "application.approved",
            "created_at": samples.T,
            "sequence": 4,
            "data": {"object": samples.APPLICATION},
        }
    ).encode()
    headers = webhooks.sign(body, secret, msg_id="evt_1", timestamp=int(time.time()))
    url = "/webhooks/instalments"
    ok = client.post(url, data=body, headers=headers, content_type="application/json")
    assert ok.status_code == 204
    assert received and received[0][:2] == ("evt_1", 4) and received[0][2].id == "app_1"
    tampered = client.post(url, data=body + b" ", headers=headers, content_type="application/json")
    assert tampered.status_code == 400
    assert len(received) == 1
