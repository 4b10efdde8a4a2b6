"""Steps shared by the application tests: accept, underwrite, fund."""

from __future__ import annotations

from typing import Any

from flask import Flask

from gateway.underwriting.simulator import SimulatedLoanOrigination
from gateway.underwriting.worker import Decided, work_once
from tests.gateway.offers.flow import accept, approved_offer
from tests.gateway.prequal.test_views import APPROVE

NO_DELAY = SimulatedLoanOrigination(lambda ref, env: None, delay=(0, 0))


def underwrite(app: Flask) -> list[Decided]:
    """Run the underwriting worker once with the simulator and no delay."""
    return work_once(app.extensions["gateway.db"], NO_DELAY)


def accepted(api: Any, phone: str = APPROVE) -> tuple[dict[str, Any], dict[str, Any]]:
    """An offer of ``phone`` and the application its acceptance created."""
    offer, credit = approved_offer(api, phone)
    response = accept(api, offer, credit)
    assert response.status_code == 201, response.get_json()
    return offer, response.get_json()


def event(api: Any, event_type: str, offer_id: str, event_id: str | None = None) -> Any:
    """POST a funnel event about ``offer_id``."""
    return api.post(
        "/v1/events",
        json={
            "id": event_id or f"{event_type}-{offer_id}",
            "type": event_type,
            "offer_id": offer_id,
            "occurred_at": "2026-01-01T00:00:00Z",
        },
    )


def funded(app: Flask, api: Any, phone: str = APPROVE) -> tuple[dict[str, Any], dict[str, Any]]:
    """An offer and its application, accepted, approved and funded."""
    offer, application = accepted(api, phone)
    underwrite(app)
    assert event(api, "checkout_completed", offer["id"]).status_code == 202
    body = api.get(f"/v1/applications/{application['id']}").get_json()
    assert body["status"] == "funded", body
    return offer, body
