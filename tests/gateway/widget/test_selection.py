"""One choice per checkout session: the first selection stands (acceptance 1, server side)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.gateway.widget.conftest import APPROVE, Browser


def _offers(browser: Browser) -> list[str]:
    browser.consent(APPROVE, "prequalification", "credit_inquiry")
    return [o["id"] for o in browser.post("/prequalification").get_json()["offers"]]


def test_a_second_offer_cannot_be_selected_once_one_is_chosen(browser: Browser) -> None:
    first, second = _offers(browser)[:2]
    assert browser.post(f"/offers/{first}/select").status_code == 200
    refused = browser.post(f"/offers/{second}/select")
    assert refused.status_code == 409
    problem = refused.get_json()
    assert problem["code"] == "offer_already_selected"
    assert problem["selected_offer_id"] == first
    assert browser.get().get_json()["selected_offer_id"] == first


def test_selecting_the_same_offer_again_is_a_harmless_repeat(browser: Browser) -> None:
    first = _offers(browser)[0]
    once = browser.post(f"/offers/{first}/select").get_json()
    again = browser.post(f"/offers/{first}/select")
    assert again.status_code == 200
    assert again.get_json() == once


def test_a_choice_recorded_by_a_racing_request_wins_over_a_stale_read(
    browser: Browser, db_session: Any
) -> None:
    """The update only takes when no choice is stored, whatever the caller last read."""
    import datetime as dt

    from gateway.widget import selection
    from gateway.widget.models import CheckoutSession

    first, second = _offers(browser)[:2]
    checkout = db_session.get(CheckoutSession, browser.session_id)
    assert checkout is not None and checkout.selected_offer_id is None
    # Another process records its choice after this one read the session.
    db_session.execute(
        CheckoutSession.__table__.update()
        .where(CheckoutSession.id == browser.session_id)
        .values(selected_offer_id=first)
    )
    with pytest.raises(selection.OfferAlreadySelected) as refused:
        selection.select_offer(db_session, checkout, second, now=dt.datetime.now(dt.UTC))
    assert refused.value.selected_offer_id == first
    assert checkout.selected_offer_id == first


def test_the_session_state_reports_the_application_of_the_choice(
    browser: Browser, partner_api: Any
) -> None:
    first = _offers(browser)[0]
    selection = browser.post(f"/offers/{first}/select").get_json()
    assert browser.get().get_json()["application_status"] is None
    mall = partner_api("demo-mall")
    offer = mall.get(f"/v1/offers/{first}").get_json()
    decision = mall.get(f"/v1/prequalifications/{offer['prequalification_id']}").get_json()
    accepted = mall.post(
        f"/v1/offers/{first}/accept",
        json={
            "decision_token": decision["decision_token"],
            "credit_inquiry_consent_id": selection["credit_inquiry_consent_id"],
        },
    )
    assert accepted.status_code == 201, accepted.get_json()
    assert browser.get().get_json()["application_status"] == accepted.get_json()["status"]
