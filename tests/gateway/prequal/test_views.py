"""POST /v1/prequalifications end to end: consent, personas, offers, tokens, audit."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from joserfc import jws
from joserfc.jwk import KeySet
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.audit.models import AuditEntry
from gateway.offers.models import Offer
from gateway.prequal.models import Prequalification
from tests.gateway.consent.test_views import consent_body

APPROVE, DECLINE, REFER, PARTIAL, UW_DECLINE, FAULT = (f"+86138000000{i:02d}" for i in range(1, 7))


def grant(api: Any, phone: str, *purposes: str) -> str:
    """Record consent for ``phone`` and return the first consent id."""
    body = consent_body(*(purposes or ("prequalification",)), customer={"phone": phone})
    response = api.post("/v1/consents", json=body)
    assert response.status_code == 201, response.get_json()
    consent_id: str = response.get_json()["consents"][0]["id"]
    return consent_id


def prequal_body(consent_id: str, phone: str = APPROVE, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "consent_id": consent_id,
        "customer": {"phone": phone},
        "scenario": {
            "type": "ecommerce",
            "amount": "3999.00",
            "currency": "CNY",
            "merchant_order_ref": "order-1",
            "item_category": "electronics",
        },
    }
    body.update(overrides)
    return body


def prequalify(api: Any, phone: str, **overrides: Any) -> Any:
    consent_id = grant(api, phone)
    return api.post("/v1/prequalifications", json=prequal_body(consent_id, phone, **overrides))


def test_without_consent_it_is_403_consent_required(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    response = api.post("/v1/prequalifications", json=prequal_body("cns_doesnotexist"))
    assert response.status_code == 403
    assert response.get_json()["code"] == "consent_required"


def test_consent_of_another_customer_does_not_count(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    consent_id = grant(api, APPROVE)
    response = api.post("/v1/prequalifications", json=prequal_body(consent_id, DECLINE))
    assert response.status_code == 403


def test_credit_inquiry_consent_does_not_permit_prequalification(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    consent_id = grant(api, APPROVE, "credit_inquiry")
    response = api.post("/v1/prequalifications", json=prequal_body(consent_id))
    assert response.status_code == 403


def test_approve_persona_gets_full_amount_on_every_tenor(partner_api: Any) -> None:
    response = prequalify(partner_api("demo-mall"), APPROVE)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "approved"
    assert body["approved_amount"] == "3999.00"
    assert {o["tenor_months"] for o in body["offers"]} == {3, 6, 12, 24}
    for offer in body["offers"]:
        assert Decimal(offer["apr"]) <= Decimal("0.24")
        schedule_total = sum(Decimal(i["payment"]) for i in offer["schedule"])
        assert schedule_total == Decimal(offer["total_repayable"])
        assert offer["offer_token"] is None  # the decision token signs them all
    assert body["reasons"] == []


def test_decline_persona_carries_reason_codes_and_human_review(partner_api: Any) -> None:
    response = prequalify(partner_api("demo-mall"), DECLINE)
    body = response.get_json()
    assert body["status"] == "declined"
    assert body["offers"] == []
    codes = [r["code"] for r in body["reasons"]]
    assert codes[0] == "score_below_cutoff"
    assert len(codes) >= 2
    assert all(r["message"] for r in body["reasons"])
    assert body["human_review"]["available"] is True


def test_reasons_follow_accept_language(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    consent_id = grant(api, DECLINE)
    response = api.post(
        "/v1/prequalifications",
        json=prequal_body(consent_id, DECLINE),
        headers={"Accept-Language": "zh-CN,zh;q=0.9"},
    )
    reason = response.get_json()["reasons"][0]
    assert reason["locale"] == "zh-CN"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in reason["message"])


def test_refer_persona_is_referred_without_offers(partner_api: Any) -> None:
    body = prequalify(partner_api("demo-mall"), REFER).get_json()
    assert body["status"] == "referred"
    assert body["offers"] == []


def test_partial_persona_gets_lower_limit_and_upfront_payment(partner_api: Any) -> None:
    body = prequalify(partner_api("demo-mall"), PARTIAL).get_json()
    assert body["status"] == "partially_approved"
    assert body["approved_amount"] == "1900.00"  # half, rounded down to the 100-yuan unit
    assert Decimal(body["approved_amount"]) + Decimal(body["upfront_payment"]) == Decimal("3999.00")
    assert all(o["principal"] == body["approved_amount"] for o in body["offers"])


def test_underwriting_decline_persona_is_approved_at_prequalification(partner_api: Any) -> None:
    assert prequalify(partner_api("demo-mall"), UW_DECLINE).get_json()["status"] == "approved"


def test_fault_persona_commits_then_500_and_the_retry_replays(
    partner_api: Any, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    consent_id = grant(api, FAULT)
    headers = {"Idempotency-Key": "retry-me-1"}
    first = api.post("/v1/prequalifications", json=prequal_body(consent_id, FAULT), headers=headers)
    assert first.status_code == 500
    retry = api.post("/v1/prequalifications", json=prequal_body(consent_id, FAULT), headers=headers)
    assert retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    count = db_session.scalar(select(func.count()).select_from(Prequalification))
    assert count == 1


def test_other_sandbox_phones_are_scored_by_the_model(partner_api: Any) -> None:
    body = prequalify(partner_api("demo-mall"), "+8613912345678").get_json()
    assert body["status"] in {"approved", "partially_approved", "declined", "referred"}


def test_personas_are_ordinary_customers_in_live(partner_api: Any, db_session: Session) -> None:
    response = prequalify(partner_api("demo-mall", "live"), DECLINE)
    assert response.status_code == 201
    pq = db_session.get(Prequalification, response.get_json()["id"])
    assert pq is not None
    assert pq.sandbox_persona is None
    assert pq.new_to_bank is True


def test_decision_token_verifies_with_jwks_and_pins_every_offers_terms(
    partner_api: Any, client: FlaskClient
) -> None:
    body = prequalify(partner_api("demo-mall"), APPROVE).get_json()
    keys = KeySet.import_key_set(client.get("/.well-known/jwks.json").get_json())
    token = jws.deserialize_compact(body["decision_token"], keys, algorithms=["ES256"])
    assert token.protected["typ"] == "decision+jwt"
    claims = json.loads(token.payload)
    assert claims["sub"] == body["id"] and claims["consent_id"] == body["consent_id"]
    assert [entry["id"] for entry in claims["offers"]] == [o["id"] for o in body["offers"]]
    for entry, offer in zip(claims["offers"], body["offers"], strict=True):
        for term in ("principal", "apr", "monthly_payment", "total_cost", "total_repayable",
                     "tenor_months", "repayment_method", "merchant_subsidy"):  # fmt: skip
            assert entry[term] == offer[term], term
        assert entry["schedule_hash"].startswith("sha256:")


def test_decision_is_stored_with_consent_model_inputs_and_audited(
    partner_api: Any, db_session: Session
) -> None:
    body = prequalify(partner_api("demo-mall"), "+8613912345678").get_json()
    pq = db_session.get(Prequalification, body["id"])
    assert pq is not None
    assert pq.consent_id == body["consent_id"]
    assert pq.model_version
    assert pq.inputs_hash.startswith("sha256:")
    assert pq.score_band
    entry = db_session.scalars(select(AuditEntry).where(AuditEntry.subject == pq.id)).one()
    assert entry.action == "prequalification.decided"
    assert entry.data["decision"] == pq.status
    assert entry.data["consent_id"] == pq.consent_id


def test_read_back_and_cross_tenant_isolation(partner_api: Any) -> None:
    mall = partner_api("demo-mall")
    created = prequalify(mall, APPROVE).get_json()
    read = mall.get(f"/v1/prequalifications/{created['id']}")
    assert read.status_code == 200
    assert read.get_json()["offers"][0]["id"] == created["offers"][0]["id"]
    offer = mall.get(f"/v1/offers/{created['offers'][0]['id']}")
    assert offer.status_code == 200
    assert offer.get_json()["status"] == "open"
    travel = partner_api("demo-travel")
    assert travel.get(f"/v1/prequalifications/{created['id']}").status_code == 404
    assert travel.get(f"/v1/offers/{created['offers'][0]['id']}").status_code == 404
    assert (
        partner_api("demo-mall", "live").get(f"/v1/offers/{created['offers'][0]['id']}").status_code
        == 404
    )


def test_revocation_blocks_prequalification_and_voids_open_offers(
    partner_api: Any, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    consent_id = grant(api, APPROVE)
    created = api.post("/v1/prequalifications", json=prequal_body(consent_id)).get_json()
    assert created["status"] == "approved"
    api.post(f"/v1/consents/{consent_id}/revoke")
    again = api.post("/v1/prequalifications", json=prequal_body(consent_id))
    assert again.status_code == 403
    assert again.get_json()["code"] == "consent_required"
    statuses = {api.get(f"/v1/offers/{o['id']}").get_json()["status"] for o in created["offers"]}
    assert statuses == {"void"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"scenario": {"type": "ecommerce", "amount": "-5", "currency": "CNY"}}, "scenario.amount"),
        (
            {"scenario": {"type": "ecommerce", "amount": "10.001", "currency": "CNY"}},
            "scenario.amount",
        ),
        (
            {"scenario": {"type": "ecommerce", "amount": "100", "currency": "USD"}},
            "scenario.currency",
        ),
        ({"scenario": {"type": "cruise", "amount": "100", "currency": "CNY"}}, "scenario.type"),
        (
            {
                "scenario": {
                    "type": "ecommerce",
                    "amount": "100",
                    "currency": "CNY",
                    "destination": "Paris",
                }
            },
            "scenario.destination",
        ),
        ({"requested_tenors": [7]}, "requested_tenors"),
        ({"product_code": "nope"}, "product_code"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    partner_api: Any, db_session: Session, change: dict[str, Any], field: str
) -> None:
    api = partner_api("demo-mall")
    consent_id = grant(api, APPROVE)
    response = api.post("/v1/prequalifications", json=prequal_body(consent_id, **change))
    assert response.status_code == 422, response.get_json()
    assert field in [e["field"] for e in response.get_json()["errors"]]
    assert db_session.scalar(select(func.count()).select_from(Prequalification)) == 0
    assert db_session.scalar(select(func.count()).select_from(Offer)) == 0


def test_human_review_request_is_recorded(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    created = prequalify(api, DECLINE).get_json()
    response = api.post(f"/v1/prequalifications/{created['id']}/human-review")
    assert response.status_code == 200
    assert response.get_json()["human_review"]["requested_at"]
