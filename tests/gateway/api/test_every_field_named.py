"""A 422 names every offending field at once: the phone's format is checked in the schema."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

EVIDENCE = {"captured_at": "2026-11-21T06:00:00Z", "channel": "web", "locale": "en"}


@pytest.mark.parametrize("phone", ["+861234", "not a phone", "0013800000001"])
def test_a_malformed_phone_is_named_with_the_other_bad_fields(
    app: Flask, partner_api: Any, phone: str
) -> None:
    api = partner_api()
    response = api.post(
        "/v1/prequalifications",
        json={
            "consent_id": "cns_x",
            "customer": {"phone": phone},
            "scenario": {"type": "ecommerce", "amount": "-1", "currency": "CNY"},
        },
    )
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.get_json()["errors"]}
    assert set(errors) == {"customer.phone", "scenario.amount"}
    assert "E.164" in errors["customer.phone"] and phone not in errors["customer.phone"]
    consent = api.post(
        "/v1/consents",
        json={
            "customer": {"phone": phone},
            "grants": [{"purpose": "marketing", "granted": True, "notice_version": "x"}],
            "evidence": EVIDENCE | {"channel": "carrier pigeon"},
        },
    )
    assert consent.status_code == 422
    fields = {e["field"] for e in consent.get_json()["errors"]}
    assert fields == {"customer.phone", "evidence.channel"}


def test_a_bare_prc_mobile_number_still_passes_the_schema(app: Flask, partner_api: Any) -> None:
    response = partner_api().post(
        "/v1/consents",
        json={
            "customer": {"phone": "138 0000 0001"},
            "grants": [{"purpose": "marketing", "granted": True, "notice_version": "x"}],
            "evidence": EVIDENCE,
        },
    )
    errors = {e["field"] for e in response.get_json().get("errors", [])}
    assert "customer.phone" not in errors
