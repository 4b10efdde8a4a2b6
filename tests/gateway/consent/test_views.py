"""Consent endpoints over HTTP with real tokens: notices, record, read, revoke."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from joserfc import jws
from joserfc.jwk import KeySet
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.clock import rfc3339, utcnow
from gateway.consent.models import Consent, ConsentReceipt

VERSION = "2026-11-01"


def consent_body(*purposes: str, **overrides: Any) -> dict[str, Any]:
    """A valid consent request for the sandbox approve persona."""
    body: dict[str, Any] = {
        "customer": {"phone": "+8613800000001"},
        "grants": [
            {"purpose": p, "granted": True, "notice_version": VERSION}
            for p in (purposes or ("prequalification",))
        ],
        "evidence": {
            "captured_at": rfc3339(utcnow()),
            "channel": "web",
            "locale": "zh-CN",
            "ip": "203.0.113.7",
            "user_agent": "Mozilla/5.0",
            "page_url": "https://shop.example/checkout",
        },
    }
    body.update(overrides)
    return body


def test_notice_is_filled_with_partner_identity_and_carries_pipl_items(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    response = api.get("/v1/consent-notices/prequalification?locale=zh-CN")
    assert response.status_code == 200
    notice = response.get_json()
    assert notice["version"] == VERSION
    assert notice["hash"].startswith("sha256:")
    assert "演示商城" in notice["text"]
    for item in (
        "controller",
        "data_categories",
        "retention",
        "recipients",
        "withdrawal",
        "rights",
        "processing_method",
    ):
        assert notice[item], item
    english = api.get("/v1/consent-notices/prequalification?locale=en").get_json()
    assert "Demo Mall" in english["text"]
    assert english["hash"] != notice["hash"]


def test_unknown_purpose_notice_is_404(partner_api: Any) -> None:
    response = partner_api("demo-mall").get("/v1/consent-notices/newsletter")
    assert response.status_code == 404


def test_notice_needs_the_consents_scope(partner_api: Any, client: FlaskClient) -> None:
    api = partner_api("demo-mall")
    token = api.token(scope="offers:read")
    response = client.get(
        "/v1/consent-notices/marketing", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403


def test_record_returns_consents_and_a_receipt_verifiable_with_jwks(
    partner_api: Any, client: FlaskClient
) -> None:
    api = partner_api("demo-mall")
    response = api.post("/v1/consents", json=consent_body("prequalification", "credit_inquiry"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert [c["purpose"] for c in body["consents"]] == ["prequalification", "credit_inquiry"]
    assert all(c["id"].startswith("cns_") and c["status"] == "active" for c in body["consents"])
    keys = KeySet.import_key_set(client.get("/.well-known/jwks.json").get_json())
    verified = jws.deserialize_compact(body["receipt"]["token"], keys, algorithms=["ES256"])
    claims = json.loads(verified.payload)
    assert claims["jti"] == body["receipt"]["id"]
    assert claims["partner"]["id"] == "demo-mall"
    assert {p["consentId"] for p in claims["services"][0]["purposes"]} == {
        c["id"] for c in body["consents"]
    }


def test_read_and_revoke_a_consent(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    consent = api.post("/v1/consents", json=consent_body()).get_json()["consents"][0]
    read = api.get(f"/v1/consents/{consent['id']}")
    assert read.status_code == 200
    assert read.get_json()["receipt"]["token"]
    revoked = api.post(f"/v1/consents/{consent['id']}/revoke", json={"reason": "customer asked"})
    assert revoked.status_code == 200
    assert revoked.get_json()["status"] == "revoked"
    assert revoked.get_json()["revoked_at"]
    again = api.post(f"/v1/consents/{consent['id']}/revoke")
    assert again.get_json()["status"] == "revoked"


def test_another_partners_consent_is_not_found(partner_api: Any) -> None:
    mall = partner_api("demo-mall")
    consent = mall.post("/v1/consents", json=consent_body()).get_json()["consents"][0]
    travel = partner_api("demo-travel")
    assert travel.get(f"/v1/consents/{consent['id']}").status_code == 404
    assert travel.post(f"/v1/consents/{consent['id']}/revoke").status_code == 404
    live = partner_api("demo-mall", "live")
    assert live.get(f"/v1/consents/{consent['id']}").status_code == 404


BAD_INPUTS = [
    (
        {"grants": [{"purpose": "newsletter", "granted": True, "notice_version": VERSION}]},
        "grants.0.purpose",
    ),
    (
        {"grants": [{"purpose": "prequalification", "granted": False, "notice_version": VERSION}]},
        "grants.0.granted",
    ),
    (
        {"grants": [{"purpose": "prequalification", "granted": "yes", "notice_version": VERSION}]},
        "grants.0.granted",
    ),
    (
        {
            "grants": [
                {"purpose": "prequalification", "granted": True, "notice_version": "2019-01-01"}
            ]
        },
        "grants.0.notice_version",
    ),
    (
        {"grants": [{"purpose": "marketing", "granted": True, "notice_version": VERSION}] * 2},
        "grants.1.purpose",
    ),
    ({"customer": {"phone": "12"}}, "customer.phone"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_INPUTS)
def test_bad_input_is_422_naming_the_field_and_writes_nothing(
    partner_api: Any, db_session: Session, overrides: dict[str, Any], field: str
) -> None:
    response = partner_api("demo-mall").post("/v1/consents", json=consent_body(**overrides))
    assert response.status_code == 422, response.get_json()
    problem = response.get_json()
    assert field in [e["field"] for e in problem["errors"]]
    assert db_session.scalar(select(func.count()).select_from(Consent)) == 0
    assert db_session.scalar(select(func.count()).select_from(ConsentReceipt)) == 0


@pytest.mark.parametrize("minutes", [5, -11])
def test_captured_at_in_the_future_or_too_old_is_422(
    partner_api: Any, db_session: Session, minutes: int
) -> None:
    import datetime as dt

    body = consent_body()
    body["evidence"]["captured_at"] = rfc3339(utcnow() + dt.timedelta(minutes=minutes))
    response = partner_api("demo-mall").post("/v1/consents", json=body)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "evidence.captured_at"
    assert db_session.scalar(select(func.count()).select_from(Consent)) == 0
