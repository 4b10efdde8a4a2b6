"""``POST /internal/v1/loan-events`` and ``gateway outcomes import``: all or nothing, idempotent."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.oauth import credentials
from gateway.outcomes.models import LoanEvent, LoanServicing
from tests.gateway.applications.flow import funded


def _basic(client_id: str, secret: str) -> dict[str, str]:
    token = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _internal(db: Session, *scopes: str) -> dict[str, str]:
    issued = credentials.issue_internal(db, "core-banking", scopes=scopes)
    db.commit()
    assert issued.client_secret is not None
    return _basic(issued.client_id, issued.client_secret)


def _events(app_id: str) -> list[dict[str, Any]]:
    return [
        {
            "id": "ev-1",
            "application_id": app_id,
            "type": "missed_payment",
            "occurred_at": "2026-02-02T00:00:00Z",
            "instalment": 1,
        },
        {
            "id": "ev-2",
            "application_id": app_id,
            "type": "days_past_due",
            "occurred_at": "2026-03-03T00:00:00Z",
            "days_past_due": 45,
        },
    ]


def test_the_feed_records_events_once_and_reports_the_loans_state(
    app: Flask, client: FlaskClient, partner_api: Any, db_session: Session
) -> None:
    _, application = funded(app, partner_api())
    headers = _internal(db_session, "loans:write")
    body = {"events": _events(application["id"])}
    first = client.post("/internal/v1/loan-events", json=body, headers=headers)
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["recorded"] == 2
    assert first.get_json()["loans"][0]["state"] == "dpd_31_60"
    again = client.post("/internal/v1/loan-events", json=body, headers=headers)
    assert again.get_json()["recorded"] == 0 and again.get_json()["duplicates"] == 2
    assert db_session.scalar(select(func.count()).select_from(LoanEvent)) == 2
    changed = {"events": [dict(_events(application["id"])[1], days_past_due=70)]}
    conflict = client.post("/internal/v1/loan-events", json=changed, headers=headers)
    assert conflict.status_code == 409
    assert conflict.get_json()["code"] == "loan_event_conflict"


def test_a_batch_with_one_bad_event_records_nothing(
    app: Flask, client: FlaskClient, partner_api: Any, db_session: Session
) -> None:
    _, application = funded(app, partner_api())
    headers = _internal(db_session, "loans:write")
    events = _events(application["id"])
    events.append(dict(events[0], id="ev-3", application_id="app_nosuchthing"))
    response = client.post("/internal/v1/loan-events", json={"events": events}, headers=headers)
    assert response.status_code == 422, response.get_json()
    assert "events[2].application_id" in str(response.get_json())
    assert db_session.scalar(select(func.count()).select_from(LoanEvent)) == 0


def test_the_feed_needs_an_internal_client_with_loans_write(
    client: FlaskClient, db_session: Session, partner_api: Any
) -> None:
    body = {"events": _events("app_x")}
    anonymous = client.post("/internal/v1/loan-events", json=body)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Basic")
    introspect_only = _internal(db_session)
    refused = client.post("/internal/v1/loan-events", json=body, headers=introspect_only)
    assert refused.status_code == 403
    partner = partner_api()
    wrong = client.post(
        "/internal/v1/loan-events",
        json=body,
        headers=_basic(partner.client_id, partner.client_secret),
    )
    assert wrong.status_code == 401


def test_import_is_all_or_nothing_and_names_line_and_column(
    app: Flask, partner_api: Any, db_session: Session, tmp_path: Path
) -> None:
    _, application = funded(app, partner_api())
    app_id = application["id"]
    runner = app.test_cli_runner()
    path = tmp_path / "events.csv"
    path.write_text(
        "event_id,application_id,type,occurred_at,instalment,amount,days_past_due\n"
        f"i-1,{app_id},repayment,2026-02-01T09:00:00+08:00,1,120.50,\n"
        f"i-2,{app_id},repayment,2026-03-01T09:00:00Z,2,,\n"
    )
    bad = runner.invoke(args=["outcomes", "import", str(path)])
    assert bad.exit_code == 2
    assert "line 3.amount" in bad.output
    assert db_session.scalar(select(func.count()).select_from(LoanEvent)) == 0
    path.write_text(path.read_text().replace(",2,,", ",2,120.50,").replace("T09", "T10"))
    path.write_text(path.read_text() + f"i-3,{app_id},payoff,2026-03-01T10:00:00Z,,,\n")
    good = runner.invoke(args=["outcomes", "import", str(path), "--json"])
    assert good.exit_code == 0, good.output
    assert '"recorded": 3' in good.output
    loan = db_session.get(LoanServicing, app_id)
    assert loan is not None and loan.state == "paid_off" and loan.paid_instalments == 2
    twice = runner.invoke(args=["outcomes", "import", str(path), "--json"])
    assert '"duplicates": 3' in twice.output


def test_import_rejects_a_time_without_zone(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        "event_id,application_id,type,occurred_at\ni-1,app_1,payoff,2026-02-01T09:00:00\n"
    )
    result = app.test_cli_runner().invoke(args=["outcomes", "import", str(path)])
    assert result.exit_code == 2
    assert "line 2.occurred_at" in result.output
