"""``consent_capture: widget`` is enforced: such a partner cannot assert consents over the API."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.consent.models import Consent
from tests.gateway.consent.test_views import consent_body
from tests.gateway.widget.conftest import APPROVE, Browser, create_session

TRAVEL_ORIGIN = "http://127.0.0.1:5056"


def test_widget_only_partner_cannot_record_consent_over_the_api(
    partner_api: Any, db_session: Session
) -> None:
    travel = partner_api("demo-travel")  # consent_capture: widget
    response = travel.post("/v1/consents", json=consent_body())
    assert response.status_code == 403, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == "consent_capture_widget_only"
    assert db_session.scalar(select(func.count()).select_from(Consent)) == 0


def test_partners_capturing_their_own_consent_still_can(partner_api: Any) -> None:
    for partner_id in ("demo-mall", "demo-academy"):  # both, partner
        response = partner_api(partner_id).post("/v1/consents", json=consent_body())
        assert response.status_code == 201, (partner_id, response.get_data(as_text=True))


def test_widget_only_partner_records_consent_through_the_widget(
    client: FlaskClient, partner_api: Any
) -> None:
    travel = partner_api("demo-travel")
    created = create_session(
        travel, scenario="travel", allowed_origin=TRAVEL_ORIGIN, amount="3999.00"
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    session = created.get_json()
    browser = Browser(client, session["id"], session["client_token"], TRAVEL_ORIGIN)
    response = browser.consent(APPROVE, "prequalification")
    assert response.status_code == 201, response.get_data(as_text=True)
