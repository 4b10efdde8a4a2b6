"""Text the database cannot store is refused as a clean 4xx (found by the API fuzzer)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient


@pytest.mark.parametrize("bad", ["13800\x00000001", "\ud800"])
def test_nul_or_lone_surrogate_in_a_body_field_is_422_naming_it(partner_api: Any, bad: str) -> None:
    body = {
        "consent_id": "cns_x",
        "customer": {"phone": bad},
        "scenario": {"type": "ecommerce", "amount": "100.00", "currency": "CNY"},
    }
    partner = partner_api()
    response = partner.client.post(  # json.dumps escapes the surrogate; the gateway decodes it
        "/v1/prequalifications",
        data=json.dumps(body),
        content_type="application/json",
        headers=partner.headers(),
    )
    assert response.status_code == 422, response.get_data(as_text=True)
    assert [e["field"] for e in response.json["errors"]] == ["customer.phone"]


def test_nul_in_a_path_parameter_is_404(partner_api: Any) -> None:
    response = partner_api().get("/v1/consents/cns_%00x")
    assert response.status_code == 404
    assert response.json["code"] == "not_found"


def test_every_idempotent_post_documents_409_and_422(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").json
    posts = [
        op
        for item in spec["paths"].values()
        for method, op in item.items()
        if method == "post"
        and any(p.get("name") == "Idempotency-Key" for p in op.get("parameters", []))
    ]
    assert posts
    for op in posts:
        assert {"409", "422"} <= set(op["responses"]), op["operationId"]
