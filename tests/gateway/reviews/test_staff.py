"""Reviewers are enabled console users holding ``reviews.decide``; four eyes via approvals."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from gateway.approvals import services as approvals
from gateway.ops import users
from tests.gateway.reviews.conftest import add_reviewers
from tests.gateway.reviews.flow import OTHER, REVIEWER, SECOND, approve, case_for, outcome, referred


def _claim(runner: FlaskCliRunner, case_id: str, reviewer: str) -> Any:
    return runner.invoke(args=["reviews", "claim", case_id, "--reviewer", reviewer])


def test_only_enabled_console_users_who_may_decide_reviews_can_claim(
    app: Flask, partner_api: Any, runner: FlaskCliRunner, db_session: Session
) -> None:
    case = case_for(db_session, referred(partner_api("demo-mall"))["id"])
    add_reviewers(app, db_session, "viewer@bank.example", role="viewer")
    stranger = _claim(runner, case.id, "nobody@bank.example")
    assert stranger.exit_code == 2 and "not an enabled console user" in stranger.output
    viewer = _claim(runner, case.id, "viewer@bank.example")
    assert viewer.exit_code == 2 and "may not decide reviews" in viewer.output
    users.disable_user(db_session, OTHER, actor="test")
    db_session.commit()
    disabled = _claim(runner, case.id, OTHER)
    assert disabled.exit_code == 2 and "not an enabled console user" in disabled.output
    assert case_for(db_session, case.prequalification_id).status == "open"
    assert _claim(runner, case.id, REVIEWER.upper()).exit_code == 0
    assert case_for(db_session, case.prequalification_id).reviewer == REVIEWER


def test_the_second_reviewer_must_be_a_console_reviewer_too(
    partner_api: Any, runner: FlaskCliRunner, db_session: Session
) -> None:
    case = case_for(db_session, referred(partner_api("demo-mall"), amount="30000.00")["id"])
    refused = approve(runner, case.id, "--second-reviewer", "friend@bank.example")
    assert refused.exit_code == 2 and "--second-reviewer" in refused.output
    assert "not an enabled console user" in refused.output
    assert case_for(db_session, case.prequalification_id).status == "open"


def test_an_approved_review_overturn_is_the_second_pair_of_eyes_and_is_used_up(
    partner_api: Any, runner: FlaskCliRunner, db_session: Session
) -> None:
    case = case_for(db_session, referred(partner_api("demo-mall"), amount="30000.00")["id"])
    request = approvals.request(db_session, "review-overturn", case.id, by=REVIEWER)
    db_session.commit()
    pending = approve(runner, case.id)
    assert pending.exit_code == 2 and "second_reviewer_required" in pending.output
    approvals.decide(db_session, request.id, by=SECOND)
    db_session.commit()
    decided = outcome(approve(runner, case.id))
    assert decided["approved_amount"] == "30000.00" and decided["second_reviewer"] == SECOND
    db_session.expire_all()
    assert approvals.get(db_session, request.id).status == "used"
