"""Shared steps of the review tests: a referral, a customer request, deciding through the CLI."""

from __future__ import annotations

import json
from typing import Any

from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from gateway.reviews.models import ReviewCase
from gateway.reviews.services import case_of
from tests.gateway.prequal.test_views import DECLINE, REFER, prequalify

REVIEWER = "li.na@bank.example"
SECOND = "wang.wei@bank.example"
OTHER = "x@bank.example"


def referred(api: Any, amount: str = "3999.00") -> dict[str, Any]:
    """Prequalify the refer persona for ``amount``; returns the decision's JSON."""
    scenario = {"type": "ecommerce", "amount": amount, "currency": "CNY", "item_category": "x"}
    response = prequalify(api, REFER, scenario=scenario)
    assert response.status_code == 201, response.get_json()
    body: dict[str, Any] = response.get_json()
    assert body["status"] == "referred"
    return body


def requested(api: Any, **overrides: Any) -> dict[str, Any]:
    """A declined decision whose customer asked for a person to review it."""
    created = prequalify(api, DECLINE, **overrides).get_json()
    response = api.post(f"/v1/prequalifications/{created['id']}/human-review")
    assert response.status_code == 200, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def case_for(db_session: Session, pq_id: str) -> ReviewCase:
    db_session.expire_all()
    case = case_of(db_session, pq_id)
    assert case is not None
    return case


def decide(runner: FlaskCliRunner, case_id: str, *args: str) -> Any:
    """``gateway reviews decide CASE … --json``."""
    return runner.invoke(args=["reviews", "decide", case_id, *args, "--json"])


def approve(runner: FlaskCliRunner, case_id: str, *args: str) -> Any:
    return decide(
        runner,
        case_id,
        "--outcome",
        "approve",
        "--note",
        "income checked by phone",
        "--reason",
        "income_verified",
        "--reviewer",
        REVIEWER,
        *args,
    )


def outcome(result: Any) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data
