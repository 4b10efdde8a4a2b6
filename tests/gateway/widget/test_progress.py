"""The widget reports offer_displayed, and the funnel counts it (acceptance 4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from gateway.funnel import report
from gateway.funnel.models import FunnelEvent
from tests.gateway.widget.conftest import APPROVE, Browser


def _decision(browser: Browser) -> dict[str, Any]:
    browser.consent(APPROVE, "prequalification", "credit_inquiry")
    decision: dict[str, Any] = browser.post("/prequalification").get_json()
    return decision


def _displayed(db_session: Any, prequalification_id: str) -> list[str]:
    rows = db_session.scalars(
        select(FunnelEvent.offer_id).where(
            FunnelEvent.prequalification_id == prequalification_id,
            FunnelEvent.type == "offer_displayed",
        )
    )
    return sorted(rows)


def test_the_widget_records_offer_displayed_once_per_offer(
    browser: Browser, db_session: Any
) -> None:
    decision = _decision(browser)
    shown = [plan["default_offer_id"] for plan in decision["plans"]]
    first = browser.post("/events/offer-displayed", {"offer_ids": shown})
    assert first.status_code == 201
    assert sorted(first.get_json()["recorded"]) == sorted(shown)
    again = browser.post("/events/offer-displayed", {"offer_ids": shown})
    assert again.get_json()["recorded"] == []
    assert _displayed(db_session, decision["id"]) == sorted(shown)


def test_the_funnel_counts_offers_displayed_by_the_widget(
    browser: Browser, db_session: Any
) -> None:
    decision = _decision(browser)
    window = {
        "since": dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
        "until": dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
        "partner_id": "demo-mall",
    }

    def displayed() -> int:
        steps = report.build(db_session, **window)["steps"]
        return int(next(s["count"] for s in steps if s["step"] == "displayed"))

    assert displayed() == 0
    offer = decision["plans"][0]["default_offer_id"]
    assert browser.post("/events/offer-displayed", {"offer_ids": [offer]}).status_code == 201
    assert displayed() == 1


def test_only_the_sessions_own_offers_can_be_reported(browser: Browser, db_session: Any) -> None:
    _decision(browser)
    refused = browser.post("/events/offer-displayed", {"offer_ids": ["off_notoneofthese"]})
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "offer_ids"
    assert browser.post("/events/offer-displayed", {"offer_ids": []}).status_code == 422


def test_decisions_carry_one_plan_per_tenor(browser: Browser) -> None:
    decision = _decision(browser)
    tenors = [plan["tenor_months"] for plan in decision["plans"]]
    assert len(tenors) == len(set(tenors))
    assert sum(len(p["offer_ids"]) for p in decision["plans"]) == len(decision["offers"])
    assert [p["interest_free"] for p in decision["plans"]][:2] == [True, True]
    assert sum(p["recommended"] for p in decision["plans"]) == 1
    assert decision["recommendation_rule"] == "longest_interest_free"
