"""Cases open with referrals and customer requests, once each, with the right SLA."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway import clock
from gateway.reviews.models import ReviewCase
from tests.gateway.prequal.test_views import APPROVE, PARTIAL, prequalify
from tests.gateway.reviews.flow import REVIEWER, approve, case_for, referred, requested


def _cases(db_session: Session) -> int:
    db_session.expire_all()
    return int(db_session.scalar(select(func.count()).select_from(ReviewCase)) or 0)


def test_a_referral_opens_one_case_due_in_four_hours(partner_api: Any, db_session: Session) -> None:
    api = partner_api("demo-mall")
    body = referred(api)
    case = case_for(db_session, body["id"])
    assert (case.kind, case.status, case.partner_id, case.environment) == (
        "referral",
        "open",
        "demo-mall",
        "sandbox",
    )
    created = dt.datetime.fromisoformat(body["created_at"])  # written to the millisecond
    assert abs(case.created_at - created) < dt.timedelta(milliseconds=1)
    assert case.due_at - case.created_at == dt.timedelta(hours=4)
    review = body["human_review"]
    assert review["status"] == "open" and review["kind"] == "referral"
    due = dt.datetime.fromisoformat(review["due_at"])
    assert abs(due - case.due_at) < dt.timedelta(milliseconds=1)
    # The customer asking as well changes nothing: one decision, one case.
    again = api.post(f"/v1/prequalifications/{body['id']}/human-review").get_json()
    assert again["human_review"]["status"] == "open"
    assert _cases(db_session) == 1


def test_a_customer_request_on_a_decline_opens_one_case_due_in_72_hours(
    partner_api: Any, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    body = requested(api)
    case = case_for(db_session, body["id"])
    assert (case.kind, case.status) == ("customer_request", "open")
    requested_at = dt.datetime.fromisoformat(body["human_review"]["requested_at"])
    assert abs(case.created_at - requested_at) < dt.timedelta(milliseconds=1)
    assert case.due_at - case.created_at == dt.timedelta(hours=72)
    assert body["human_review"]["status"] == "open"
    api.post(f"/v1/prequalifications/{body['id']}/human-review")
    assert _cases(db_session) == 1
    shown = api.get(f"/v1/prequalifications/{body['id']}").get_json()["human_review"]
    assert shown["status"] == "open" and shown["outcome"] is None


def test_a_partial_approval_can_be_reviewed_and_an_approval_is_never_queued(
    partner_api: Any, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    partial = prequalify(api, PARTIAL).get_json()
    api.post(f"/v1/prequalifications/{partial['id']}/human-review")
    assert case_for(db_session, partial["id"]).kind == "customer_request"
    approved = prequalify(api, APPROVE).get_json()
    assert approved["human_review"]["status"] is None
    api.post(f"/v1/prequalifications/{approved['id']}/human-review")
    assert _cases(db_session) == 1


def test_revoking_the_consent_withdraws_the_case(partner_api: Any, db_session: Session) -> None:
    api = partner_api("demo-mall")
    body = referred(api)
    revoked = api.post(f"/v1/consents/{body['consent_id']}/revoke", json={"reason": "changed mind"})
    assert revoked.status_code == 200, revoked.get_json()
    case = case_for(db_session, body["id"])
    assert case.status == "withdrawn" and case.withdrawn_at is not None
    shown = api.get(f"/v1/prequalifications/{body['id']}").get_json()["human_review"]
    assert shown["status"] == "withdrawn" and "withdrawn" in shown["message"]


def test_claiming_puts_the_case_in_review_and_another_reviewer_cannot_take_it(
    partner_api: Any, runner: FlaskCliRunner, db_session: Session
) -> None:
    case = case_for(db_session, referred(partner_api("demo-mall"))["id"])
    claimed = runner.invoke(args=["reviews", "claim", case.id, "--reviewer", REVIEWER, "--json"])
    assert claimed.exit_code == 0, claimed.output
    assert json.loads(claimed.output)["status"] == "in_review"
    other = runner.invoke(args=["reviews", "claim", case.id, "--reviewer", "x@bank.example"])
    assert other.exit_code == 2 and "review_claimed" in other.output
    bad = runner.invoke(args=["reviews", "claim", case.id, "--reviewer", "not-an-email"])
    assert bad.exit_code == 2 and "e-mail" in bad.output
    unknown = runner.invoke(args=["reviews", "claim", "rev_nope", "--reviewer", REVIEWER])
    assert unknown.exit_code == 2 and "review_not_found" in unknown.output
    assert case_for(db_session, case.prequalification_id).reviewer == REVIEWER


def test_list_overdue_shows_a_case_past_its_sla_with_a_controlled_clock(
    partner_api: Any, runner: FlaskCliRunner, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = partner_api("demo-mall")
    referral = case_for(db_session, referred(api)["id"])
    request = case_for(db_session, requested(api)["id"])

    def overdue_ids() -> list[str]:
        result = runner.invoke(args=["reviews", "list", "--overdue", "--json"])
        assert result.exit_code == 0, result.output
        rows = json.loads(result.output)["data"]
        assert all(row["overdue"] for row in rows)
        return [row["id"] for row in rows]

    assert overdue_ids() == []
    later = clock.utcnow() + dt.timedelta(hours=5)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    assert overdue_ids() == [referral.id]  # 4 h referral SLA passed, 72 h request SLA not
    listed = runner.invoke(args=["reviews", "list", "--status", "open", "--partner", "demo-mall"])
    assert referral.id in listed.output and request.id in listed.output
    assert "OVERDUE" in listed.output and "2 case(s)" in listed.output


def test_metrics_show_open_and_overdue_cases_and_time_to_decision(
    partner_api: Any, client: Any, runner: FlaskCliRunner, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    referred(api)
    decided = case_for(db_session, referred(api)["id"])
    assert approve(runner, decided.id).exit_code == 0
    text = client.get("/metrics").get_data(as_text=True)
    assert 'gateway_review_cases_open{environment="sandbox",kind="referral"} 1.0' in text
    assert 'gateway_review_cases_overdue{environment="sandbox",kind="referral"} 0.0' in text
    assert 'gateway_review_time_to_decision_seconds_count{kind="referral"} 1.0' in text
