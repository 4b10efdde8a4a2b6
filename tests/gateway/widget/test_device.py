"""The widget's server endpoint takes an optional device fingerprint, hashed on arrival."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.risk.models import RiskObservation
from tests.gateway.widget.conftest import APPROVE, Browser


def test_the_widget_may_send_a_device_fingerprint(browser: Browser, db_session: Session) -> None:
    assert browser.consent(APPROVE, "prequalification").status_code == 201
    fingerprint = "widget-fp-0a1b2c3d4e5f"
    response = browser.post(
        "/prequalification", {"locale": "en", "device_fingerprint": fingerprint}
    )
    assert response.status_code == 201, response.get_json()
    row = db_session.scalars(
        select(RiskObservation).where(
            RiskObservation.prequalification_id == response.get_json()["id"]
        )
    ).one()
    assert row.device_hash is not None and row.device_hash.startswith("dvh_")
    assert row.ip_hash is not None and row.ip_hash.startswith("iph_")
    assert fingerprint not in repr(vars(row))


def test_a_bad_fingerprint_is_422_naming_it(browser: Browser) -> None:
    assert browser.consent(APPROVE, "prequalification").status_code == 201
    response = browser.post("/prequalification", {"locale": "en", "device_fingerprint": "x"})
    assert response.status_code == 422
    assert "device_fingerprint" in response.get_data(as_text=True)
