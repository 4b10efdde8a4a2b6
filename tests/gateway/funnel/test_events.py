"""POST /v1/events: own offers only, deduplicated by event id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.funnel.models import FunnelEvent
from tests.gateway.applications.flow import event
from tests.gateway.offers.flow import approved_offer

TERM = {
    "type": "education",
    "amount": "3999.00",
    "currency": "CNY",
    "institution": "Demo Academy",
    "term_start": "2027-03-01",
}


def test_an_event_is_recorded_once_and_a_repeat_is_accepted_and_ignored(
    partner_api: Any, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    offer, _ = approved_offer(api)
    first = event(api, "offer_displayed", offer["id"], "evt-1")
    assert first.status_code == 202, first.get_json()
    assert first.get_json()["duplicate"] is False
    assert first.get_json()["prequalification_id"] == offer["prequalification_id"]
    again = event(api, "offer_displayed", offer["id"], "evt-1")
    assert again.status_code == 202
    assert again.get_json()["duplicate"] is True
    assert event(api, "offer_selected", offer["id"], "evt-2").get_json()["duplicate"] is False
    assert db_session.scalar(select(func.count()).select_from(FunnelEvent)) == 2


def test_another_partners_offer_is_404(partner_api: Any, db_session: Session) -> None:
    offer, _ = approved_offer(partner_api("demo-mall"))
    response = event(partner_api("demo-travel"), "offer_displayed", offer["id"])
    assert response.status_code == 404
    assert db_session.scalar(select(func.count()).select_from(FunnelEvent)) == 0


def test_the_same_event_id_from_two_partners_are_two_events(partner_api: Any) -> None:
    # demo-academy: demo-travel captures consent through the widget only.
    mall, academy = partner_api("demo-mall"), partner_api("demo-academy")
    offer, _ = approved_offer(mall)
    course, _ = approved_offer(academy, scenario=TERM)
    for api, offer_id in ((mall, offer["id"]), (academy, course["id"])):
        response = event(api, "offer_displayed", offer_id, "shared-id")
        assert response.get_json()["duplicate"] is False


def test_an_unknown_type_or_a_future_time_names_the_field(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    offer, _ = approved_offer(api)
    bad = api.post(
        "/v1/events",
        json={
            "id": "e",
            "type": "clicked",
            "offer_id": offer["id"],
            "occurred_at": "2026-01-01T00:00:00Z",
        },
    )
    assert bad.status_code == 422
    assert bad.get_json()["errors"][0]["field"] == "type"
    future = api.post(
        "/v1/events",
        json={
            "id": "e",
            "type": "offer_displayed",
            "offer_id": offer["id"],
            "occurred_at": "2099-01-01T00:00:00Z",
        },
    )
    assert future.status_code == 422
    assert future.get_json()["errors"][0]["field"] == "occurred_at"
