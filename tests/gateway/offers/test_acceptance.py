"""POST /v1/offers/{id}/accept: consent, expiry, voiding, token checks, one application."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.applications.models import Application
from gateway.audit.models import AuditEntry
from gateway.offers.models import Offer
from gateway.webhooks.models import WebhookEvent
from tests.gateway.offers.flow import accept, approved_offer
from tests.gateway.prequal.test_views import APPROVE, grant


def _tamper(token: str, **changes: Any) -> str:
    """Change claims in a token's payload, keeping the original signature."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    raw = json.dumps(claims, separators=(",", ":")).encode()
    return ".".join([header, base64.urlsafe_b64encode(raw).rstrip(b"=").decode(), signature])


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


def test_accepting_an_open_offer_creates_a_submitted_application(
    partner_api: Any, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    offer, credit = approved_offer(api)
    response = accept(api, offer, credit)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["id"].startswith("app_")
    assert body["status"] == "submitted"
    assert body["offer_id"] == offer["id"]
    assert body["principal"] == offer["principal"]
    assert api.get(f"/v1/offers/{offer['id']}").get_json()["status"] == "accepted"
    assert api.get(f"/v1/applications/{body['id']}").get_json() == body
    actions = db_session.scalars(
        select(AuditEntry.action).where(AuditEntry.subject == offer["id"])
    ).all()
    assert "offer.accepted" in actions
    event = db_session.scalars(
        select(WebhookEvent).where(WebhookEvent.resource_id == body["id"])
    ).one()
    assert (event.type, event.sequence, event.status) == ("application.submitted", 1, "pending")


def test_the_other_offers_of_the_prequalification_become_void(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    consent_id = grant(api, APPROVE)
    from tests.gateway.prequal.test_views import prequal_body

    offers = api.post("/v1/prequalifications", json=prequal_body(consent_id)).get_json()["offers"]
    credit = grant(api, APPROVE, "credit_inquiry")
    assert accept(api, offers[0], credit).status_code == 201
    second = accept(api, offers[1], credit)
    assert second.status_code == 409
    assert second.get_json()["code"] == "offer_void"


def test_a_second_acceptance_is_409_offer_already_accepted(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    offer, credit = approved_offer(api)
    assert accept(api, offer, credit).status_code == 201
    again = accept(api, offer, credit)
    assert again.status_code == 409
    assert again.get_json()["code"] == "offer_already_accepted"


def test_without_credit_inquiry_consent_it_is_403_consent_required(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    offer, _ = approved_offer(api)
    prequal_consent = grant(api, APPROVE)  # the wrong purpose does not count
    response = accept(api, offer, prequal_consent)
    assert response.status_code == 403
    assert response.get_json()["code"] == "consent_required"
    assert api.get(f"/v1/offers/{offer['id']}").get_json()["status"] == "open"


def test_an_expired_offer_is_410_offer_expired(partner_api: Any, db_session: Session) -> None:
    api = partner_api("demo-mall")
    offer, credit = approved_offer(api)
    row = db_session.get(Offer, offer["id"])
    assert row is not None
    row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db_session.commit()
    response = accept(api, offer, credit)
    assert response.status_code == 410
    assert response.get_json()["code"] == "offer_expired"


def test_offers_of_a_revoked_consent_are_void_and_cannot_be_accepted(
    partner_api: Any, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    offer, credit = approved_offer(api)
    prequal_consent = db_session.get(Offer, offer["id"]).consent_id  # type: ignore[union-attr]
    assert api.post(f"/v1/consents/{prequal_consent}/revoke", json={}).status_code == 200
    voided = api.get(f"/v1/offers/{offer['id']}").get_json()
    assert (voided["status"], voided["void_reason"]) == ("void", "consent_revoked")
    assert offer["void_reason"] is None
    events = api.get("/v1/webhook-events?type=offer.voided").get_json()["data"]
    (event,) = [e for e in events if e["resource_id"] == offer["id"]]
    assert event["payload"]["data"]["object"]["void_reason"] == "consent_revoked"
    response = accept(api, offer, credit)
    assert response.status_code == 409
    assert response.get_json()["code"] == "offer_void"
    types = set(
        db_session.scalars(
            select(WebhookEvent.type).where(
                WebhookEvent.resource_id.in_([offer["id"], prequal_consent])
            )
        )
    )
    assert types == {"offer.voided", "consent.revoked"}


def test_a_token_with_one_changed_term_is_400_decision_token_mismatch(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    offer, credit = approved_offer(api)
    claims = _claims(offer["decision_token"])
    claims["offers"][0]["principal"] = "1.00"
    forged = dict(offer, decision_token=_tamper(offer["decision_token"], offers=claims["offers"]))
    response = accept(api, forged, credit)
    assert response.status_code == 400
    assert response.get_json()["code"] == "decision_token_mismatch"


def test_another_decisions_valid_token_is_refused(partner_api: Any) -> None:
    api = partner_api("demo-mall")
    offer, credit = approved_offer(api)
    other, _ = approved_offer(api)
    response = accept(api, dict(offer, decision_token=other["decision_token"]), credit)
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "decision_token_mismatch"
    assert {"sub", "offers"} <= set(body["claims"])


def test_another_partners_offer_is_404(partner_api: Any, db_session: Session) -> None:
    offer, credit = approved_offer(partner_api("demo-mall"))
    response = accept(partner_api("demo-travel"), offer, credit)
    assert response.status_code == 404
    assert db_session.scalar(select(func.count()).select_from(Application)) == 0
