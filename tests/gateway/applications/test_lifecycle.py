"""Applications: underwriting by the worker, personas, cancellation, funding, webhooks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.applications.models import Application
from gateway.webhooks.models import WebhookEvent
from tests.gateway.applications.flow import accepted, event, funded, underwrite
from tests.gateway.prequal.test_views import UW_DECLINE


def _events(db: Session, application_id: str) -> list[tuple[int, str]]:
    rows = db.execute(
        select(WebhookEvent.sequence, WebhookEvent.type)
        .where(WebhookEvent.resource_id == application_id)
        .order_by(WebhookEvent.sequence)
    )
    return [(seq, kind) for seq, kind in rows]


def test_worker_approves_an_approved_persona_and_reports_each_step(
    app: Flask, partner_api: Any, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    _, application = accepted(api)
    decided = underwrite(app)
    assert [(d.application_id, d.status) for d in decided] == [(application["id"], "approved")]
    body = api.get(f"/v1/applications/{application['id']}").get_json()
    assert body["status"] == "approved"
    assert body["decision_reasons"] == []
    assert _events(db_session, application["id"]) == [
        (1, "application.submitted"),
        (2, "application.approved"),
    ]
    assert underwrite(app) == []  # nothing left to decide


def test_persona_5_is_declined_at_final_underwriting(partner_api: Any, app: Flask) -> None:
    api = partner_api("demo-mall")
    _, application = accepted(api, UW_DECLINE)
    underwrite(app)
    body = api.get(f"/v1/applications/{application['id']}").get_json()
    assert body["status"] == "declined"
    assert [r["code"] for r in body["decision_reasons"]] == ["bureau_adverse_record"]
    assert event(api, "checkout_completed", application["offer_id"]).status_code == 202
    assert api.get(f"/v1/applications/{application['id']}").get_json()["status"] == "declined"


def test_credit_inquiry_consent_withdrawn_before_the_decision_declines(
    partner_api: Any, app: Flask, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    _, application = accepted(api)
    row = db_session.get(Application, application["id"])
    assert row is not None
    assert api.post(f"/v1/consents/{row.credit_inquiry_consent_id}/revoke").status_code == 200
    underwrite(app)
    body = api.get(f"/v1/applications/{application['id']}").get_json()
    assert body["status"] == "declined"
    assert body["decision_reasons"][0]["code"] == "consent_withdrawn"


def test_an_application_abandoned_under_review_is_claimed_again(
    partner_api: Any, app: Flask, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    _, application = accepted(api)
    row = db_session.get(Application, application["id"])
    assert row is not None
    row.status = "under_review"
    row.review_started_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    db_session.commit()
    assert [d.status for d in underwrite(app)] == ["approved"]


def test_cancel_before_funding_then_not_after(
    partner_api: Any, app: Flask, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    _, application = accepted(api)
    response = api.post(f"/v1/applications/{application['id']}/cancel", json={"reason": "order"})
    assert response.status_code == 200
    assert response.get_json()["status"] == "cancelled"
    assert underwrite(app) == []
    assert _events(db_session, application["id"])[-1] == (2, "application.cancelled")

    _, funded_app = funded(app, api)
    refused = api.post(f"/v1/applications/{funded_app['id']}/cancel", json={})
    assert refused.status_code == 409
    assert refused.get_json()["code"] == "application_state_conflict"


def test_checkout_completed_funds_the_approved_application_on_the_offers_schedule(
    partner_api: Any, app: Flask, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    offer, body = funded(app, api)
    assert body["funded_amount"] == offer["principal"]
    assert body["outstanding_principal"] == offer["principal"]
    assert body["schedule"] == offer["schedule"]
    assert [t for _, t in _events(db_session, body["id"])] == [
        "application.submitted",
        "application.approved",
        "application.funded",
    ]


def test_checkout_abandoned_cancels_an_unfunded_application(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    offer, application = accepted(api)
    assert event(api, "checkout_abandoned", offer["id"]).status_code == 202
    assert api.get(f"/v1/applications/{application['id']}").get_json()["status"] == "cancelled"


def test_another_partners_application_is_404(partner_api: Any) -> None:
    _, application = accepted(partner_api("demo-mall"))
    response = partner_api("demo-travel").get(f"/v1/applications/{application['id']}")
    assert response.status_code == 404


def test_checkout_completed_before_the_decision_funds_on_approval(
    partner_api: Any, app: Flask
) -> None:
    api = partner_api("demo-mall")
    offer, application = accepted(api)
    assert event(api, "checkout_completed", offer["id"]).status_code == 202
    assert api.get(f"/v1/applications/{application['id']}").get_json()["status"] == "submitted"
    assert [d.status for d in underwrite(app)] == ["funded"]
    body = api.get(f"/v1/applications/{application['id']}").get_json()
    assert body["funded_amount"] == offer["principal"]
