"""List filters, parameter validation, cursors of other tenants, the event log's detail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from tests.gateway.lists import rows


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["data"]]


def test_prequalifications_filter_by_status_created_and_order_ref(
    app: Flask, db_session: Session, partner_api: Any
) -> None:
    early = rows.prequalification(db_session, "demo-mall", "sandbox", rows.moment(0), "order-1")
    late = rows.prequalification(db_session, "demo-mall", "sandbox", rows.moment(30), "order-2")
    declined = rows.prequalification(db_session, "demo-mall", "sandbox", rows.moment(60))
    declined.status = "declined"
    db_session.commit()
    api = partner_api()
    assert _ids(api.get("/v1/prequalifications")) == [declined.id, late.id, early.id]
    assert _ids(api.get("/v1/prequalifications?status=declined")) == [declined.id]
    assert _ids(api.get("/v1/prequalifications?merchant_order_ref=order-1")) == [early.id]
    since = rows.moment(30).isoformat()
    query = {"created[gte]": since, "created[lt]": rows.moment(60).isoformat()}
    assert _ids(api.get("/v1/prequalifications", query_string=query)) == [late.id]


def test_applications_filter_by_status_and_order_ref(
    app: Flask, db_session: Session, partner_api: Any
) -> None:
    pq = rows.prequalification(db_session, "demo-mall", "sandbox", rows.moment(0), "order-7")
    ordered = rows.application(db_session, pq, rows.moment(0), status="funded")
    other = rows.prequalification(db_session, "demo-mall", "sandbox", rows.moment(3))
    plain = rows.application(db_session, other, rows.moment(3))
    db_session.commit()
    api = partner_api()
    assert _ids(api.get("/v1/applications")) == [plain.id, ordered.id]
    assert _ids(api.get("/v1/applications?status=funded")) == [ordered.id]
    assert _ids(api.get("/v1/applications?merchant_order_ref=order-7")) == [ordered.id]
    assert _ids(api.get("/v1/applications?merchant_order_ref=nope")) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=x", "limit"),
        ("starting_after=a&ending_before=b", "ending_before"),
        ("created[gte]=yesterday", "created[gte]"),
        ("created[lt]=2026-11-01T00:00:00", "created[lt]"),  # naive: which zone?
        ("status=approved", "status"),
    ],
)
def test_bad_list_parameters_are_422_naming_the_field(
    app: Flask, partner_api: Any, query: str, field: str
) -> None:
    response = partner_api().get(f"/v1/webhook-events?{query}")
    assert response.status_code == 422, response.get_json()
    assert field in [e["field"] for e in response.get_json()["errors"]]


def test_another_tenants_id_is_no_cursor(app: Flask, db_session: Session, partner_api: Any) -> None:
    theirs = rows.webhook_event(db_session, "demo-travel", "sandbox", rows.moment(0))
    live = rows.webhook_event(db_session, "demo-mall", "live", rows.moment(0))
    db_session.commit()
    api = partner_api()
    for cursor in ("starting_after", "ending_before"):
        for foreign in (theirs.id, live.id, "evt_nothing"):
            response = api.get(f"/v1/webhook-events?{cursor}={foreign}")
            assert response.status_code == 422
            body = response.get_json()
            assert body["code"] == "invalid_cursor" and body["field"] == cursor
    assert api.get(f"/v1/webhook-events/{theirs.id}").status_code == 404
    assert api.get(f"/v1/webhook-events/{live.id}").status_code == 404


def test_an_event_shows_its_payload_and_every_attempt(
    app: Flask, db_session: Session, partner_api: Any
) -> None:
    event = rows.webhook_event(db_session, "demo-mall", "sandbox", rows.moment(0))
    db_session.commit()
    body = partner_api().get(f"/v1/webhook-events/{event.id}").get_json()
    assert body["id"] == event.id and body["status"] == "delivered"
    assert body["payload"]["id"] == event.id
    (attempt,) = body["attempts"]
    assert attempt["status_code"] == 204 and attempt["outcome"] == "delivered"
    listed = partner_api().get("/v1/webhook-events?type=application.submitted").get_json()
    assert listed["data"] == [body]
    assert partner_api().get("/v1/webhook-events?status=dead").get_json()["data"] == []


def test_refunds_of_another_tenants_application_are_not_found(
    app: Flask, db_session: Session, partner_api: Any
) -> None:
    pq = rows.prequalification(db_session, "demo-travel", "sandbox", rows.moment(0))
    theirs = rows.application(db_session, pq, rows.moment(0), status="funded")
    db_session.commit()
    assert partner_api().get(f"/v1/applications/{theirs.id}/refunds").status_code == 404


def test_created_filters_take_any_offset_and_compare_instants(
    app: Flask, db_session: Session, partner_api: Any
) -> None:
    event = rows.webhook_event(db_session, "demo-mall", "sandbox", rows.moment(0))
    db_session.commit()
    shanghai = dt.timezone(dt.timedelta(hours=8))
    same = rows.moment(0).astimezone(shanghai).isoformat()
    api = partner_api()
    assert _ids(api.get("/v1/webhook-events", query_string={"created[gte]": same})) == [event.id]
    assert _ids(api.get("/v1/webhook-events", query_string={"created[lt]": same})) == []
