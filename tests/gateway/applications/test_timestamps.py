"""Times are written the same way in REST responses and in webhooks: RFC 3339, ms, ``Z``."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from tests.gateway.applications.flow import accepted

RFC3339_MS_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def test_an_application_reads_the_same_times_over_rest_and_in_its_webhook(
    app: Flask, partner_api: Any
) -> None:
    api = partner_api()
    offer, application = accepted(api)
    rest = api.get(f"/v1/applications/{application['id']}").get_json()
    (event,) = api.get("/v1/webhook-events?type=application.submitted").get_json()["data"]
    hooked = event["payload"]["data"]["object"]
    for name in ("created_at", "updated_at"):
        assert RFC3339_MS_Z.match(rest[name]), rest[name]
        assert rest[name] == application[name] == hooked[name]
    assert RFC3339_MS_Z.match(event["payload"]["created_at"])
    assert RFC3339_MS_Z.match(event["created_at"])
    assert RFC3339_MS_Z.match(offer["expires_at"])
