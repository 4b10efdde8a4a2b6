"""The sandbox's simulated reviewer: the refer persona approved, requests on declines upheld."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from gateway import clock
from gateway.reviews.simulator import REVIEWER, simulate_once
from tests.gateway.prequal.test_views import prequalify
from tests.gateway.reviews.flow import case_for, referred, requested


def test_the_simulated_reviewer_approves_the_refer_persona_and_upholds_requests(
    app: Flask, partner_api: Any, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    referral = referred(api, amount="25000.00")  # above ¥20,000: the simulation has four eyes
    request = requested(api)
    database = app.extensions["gateway.db"]
    with app.app_context():
        assert simulate_once(database, issuer="http://localhost") == []  # a moment first
        later = clock.utcnow() + dt.timedelta(seconds=2)
        decided = simulate_once(database, issuer="http://localhost", now=later)
    assert {(d.case_id, d.outcome) for d in decided} == {
        (case_for(db_session, referral["id"]).id, "approved"),
        (case_for(db_session, request["id"]).id, "upheld"),
    }
    shown = api.get(f"/v1/prequalifications/{referral['id']}").get_json()
    assert shown["human_review"]["outcome"] == "approved"
    assert shown["offers"] and shown["offers"][0]["principal"] == "25000.00"
    assert case_for(db_session, referral["id"]).reviewer == REVIEWER


def test_the_simulated_reviewer_never_touches_live_cases(
    app: Flask, partner_api: Any, db_session: Session
) -> None:
    api = partner_api("demo-mall", "live")
    body = prequalify(api, "+8613900000001").get_json()  # new to the bank, no income: declined
    assert body["status"] == "declined", body
    api.post(f"/v1/prequalifications/{body['id']}/human-review")
    with app.app_context():
        later = clock.utcnow() + dt.timedelta(minutes=5)
        assert simulate_once(app.extensions["gateway.db"], issuer="x", now=later) == []
    assert case_for(db_session, body["id"]).status == "open"


def test_the_underwriting_worker_runs_the_simulated_reviewer(
    partner_api: Any, runner: FlaskCliRunner, db_session: Session, monkeypatch: Any
) -> None:
    body = referred(partner_api("demo-mall"))
    later = clock.utcnow() + dt.timedelta(seconds=5)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    result = runner.invoke(
        args=["applications", "work", "--once", "--min-delay", "0", "--max-delay", "0"]
    )
    assert result.exit_code == 0, result.output
    case = case_for(db_session, body["id"])
    assert f"{case.id}  review approved" in result.output
