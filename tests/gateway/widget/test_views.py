"""The widget's endpoints: what a client token can do, and only that."""

from __future__ import annotations

from typing import Any

from tests.gateway.widget.conftest import APPROVE, DECLINE, MALL_ORIGIN, Browser, create_session


def test_checkout_session_returns_a_client_token_valid_fifteen_minutes(partner_api: Any) -> None:
    import datetime as dt

    response = create_session(partner_api("demo-mall"))
    assert response.status_code == 201
    body = response.get_json()
    assert body["id"].startswith("cs_")
    expires = dt.datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
    left = expires - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=14) < left <= dt.timedelta(minutes=15)


def test_origin_outside_the_partners_configuration_is_422_naming_allowed_origin(
    partner_api: Any,
) -> None:
    response = create_session(partner_api("demo-mall"), allowed_origin="https://evil.example")
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["allowed_origin"]


def test_another_partners_origin_is_refused(partner_api: Any) -> None:
    response = create_session(partner_api("demo-mall"), allowed_origin="http://127.0.0.1:5056")
    assert response.status_code == 422


def test_checkout_sessions_need_the_prequalify_scope(partner_api: Any) -> None:
    partner = partner_api("demo-mall")
    token = partner.token("consents:write")
    response = partner.client.post(
        "/v1/checkout-sessions",
        json={
            "amount": "1.00",
            "currency": "CNY",
            "scenario": "ecommerce",
            "allowed_origin": MALL_ORIGIN,
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 403


def test_widget_reads_the_three_notices_in_both_locales(browser: Browser) -> None:
    for locale in ("zh-CN", "en"):
        response = browser.get(f"/notices?locale={locale}")
        assert response.status_code == 200
        notices = response.get_json()["data"]
        assert [n["purpose"] for n in notices] == [
            "prequalification",
            "credit_inquiry",
            "marketing",
        ]
        assert {n["locale"] for n in notices} == {locale}
        assert notices[0]["required"] is True
        assert notices[2]["required"] is False


def test_consent_then_prequalification_gives_offers_without_tokens(browser: Browser) -> None:
    assert browser.consent(APPROVE, "prequalification", "credit_inquiry").status_code == 201
    response = browser.post("/prequalification", {"locale": "en"})
    assert response.status_code == 201, response.get_json()
    decision = response.get_json()
    assert decision["status"] == "approved"
    assert decision["offers"]
    # The decision token pins the merchant subsidy: it stays with the partner's server.
    assert "decision_token" not in decision
    for offer in decision["offers"]:
        assert "offer_token" not in offer
        assert "merchant_subsidy" not in offer
    state = browser.get().get_json()
    assert state["customer_bound"] is True
    assert state["consents"] == {
        "prequalification": True,
        "credit_inquiry": True,
        "marketing": False,
    }
    assert state["prequalification_id"] == decision["id"]


def test_prequalification_without_consent_is_403_consent_required(browser: Browser) -> None:
    response = browser.post("/prequalification", {"locale": "en"})
    assert response.status_code == 403
    assert response.get_json()["code"] == "consent_required"


def test_marketing_alone_does_not_permit_prequalification(browser: Browser) -> None:
    assert browser.consent(APPROVE, "marketing").status_code == 201
    assert browser.post("/prequalification").status_code == 403


def test_session_stays_with_its_first_customer(browser: Browser) -> None:
    assert browser.consent(APPROVE, "prequalification").status_code == 201
    response = browser.consent(DECLINE, "credit_inquiry")
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["phone"]


def test_decline_shows_reasons_and_human_review_can_be_requested(browser: Browser) -> None:
    browser.consent(DECLINE, "prequalification")
    decision = browser.post("/prequalification", {"locale": "zh-CN"}).get_json()
    assert decision["status"] == "declined"
    assert decision["reasons"] and decision["reasons"][0]["locale"] == "zh-CN"
    review = decision["human_review"]
    assert (review["available"], review["requested_at"], review["status"]) == (True, None, None)
    reviewed = browser.post("/prequalification/human-review", {"locale": "en"})
    assert reviewed.status_code == 200
    assert reviewed.get_json()["human_review"]["requested_at"] is not None
    assert reviewed.get_json()["human_review"]["status"] == "open"  # a person will decide


def test_selecting_an_offer_needs_credit_inquiry_consent(browser: Browser) -> None:
    browser.consent(APPROVE, "prequalification")
    offer_id = browser.post("/prequalification").get_json()["offers"][0]["id"]
    response = browser.post(f"/offers/{offer_id}/select")
    assert response.status_code == 403
    assert response.get_json()["code"] == "consent_required"
    browser.consent(APPROVE, "credit_inquiry")
    selected = browser.post(f"/offers/{offer_id}/select")
    assert selected.status_code == 200
    body = selected.get_json()
    assert body["offer_id"] == offer_id
    assert body["credit_inquiry_consent_id"].startswith("cns_")


def test_selecting_an_offer_records_one_offer_selected_funnel_event(
    browser: Browser, db_session: Any
) -> None:
    from sqlalchemy import select

    from gateway.funnel.models import FunnelEvent

    browser.consent(APPROVE, "prequalification", "credit_inquiry")
    offer_id = browser.post("/prequalification").get_json()["offers"][0]["id"]
    assert browser.post(f"/offers/{offer_id}/select").status_code == 200
    assert browser.post(f"/offers/{offer_id}/select").status_code == 200
    events = db_session.scalars(select(FunnelEvent).where(FunnelEvent.offer_id == offer_id)).all()
    assert [e.type for e in events] == ["offer_selected"]


def test_an_offer_of_another_session_cannot_be_selected(
    browser: Browser, partner_api: Any, client: Any
) -> None:
    other_created = create_session(partner_api("demo-mall")).get_json()
    other = Browser(client, other_created["id"], other_created["client_token"], MALL_ORIGIN)
    other.consent(APPROVE, "prequalification", "credit_inquiry")
    foreign_offer = other.post("/prequalification").get_json()["offers"][0]["id"]
    browser.consent(APPROVE, "prequalification", "credit_inquiry")
    browser.post("/prequalification")
    response = browser.post(f"/offers/{foreign_offer}/select")
    assert response.status_code == 409
    assert response.get_json()["code"] == "offer_not_selectable"
