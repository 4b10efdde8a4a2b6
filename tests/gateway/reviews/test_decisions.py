"""Deciding: approve makes priced, signed offers; uphold explains; bad input changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.audit.models import AuditEntry
from gateway.offers.models import Offer
from gateway.partners.services import get_partner
from gateway.prequal.pricing import price_offers
from gateway.prequal.products import terms_of
from gateway.webhooks.models import WebhookEvent
from tests.gateway.offers.flow import accept
from tests.gateway.prequal.test_views import REFER, grant
from tests.gateway.reviews.flow import (
    REVIEWER,
    SECOND,
    approve,
    case_for,
    decide,
    outcome,
    referred,
    requested,
)

CHINA = dt.timezone(dt.timedelta(hours=8))


def _review_events(db_session: Session, pq_id: str) -> list[dict[str, Any]]:
    db_session.expire_all()
    rows = db_session.scalars(
        select(WebhookEvent).where(
            WebhookEvent.type == "prequalification.review_completed",
            WebhookEvent.resource_id == pq_id,
        )
    ).all()
    return [json.loads(row.body) for row in rows]


def test_approve_makes_priced_signed_acceptable_offers_and_the_webhook(
    partner_api: Any, runner: FlaskCliRunner, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    body = referred(api)
    case = case_for(db_session, body["id"])
    runner.invoke(args=["reviews", "claim", case.id, "--reviewer", REVIEWER])
    decided = outcome(approve(runner, case.id, "--grade", "C", "--tenors", "6,12"))
    assert decided["status"] == "decided" and decided["outcome"] == "approved"
    assert decided["approved_amount"] == "3999.00" and decided["decision"]["grade"] == "C"

    shown = api.get(f"/v1/prequalifications/{body['id']}").get_json()
    assert shown["human_review"]["outcome"] == "approved"
    assert shown["human_review"]["decided_at"] is not None
    offers = shown["offers"]
    assert {o["tenor_months"] for o in offers} == {6, 12}
    assert [o["id"] for o in offers] == decided["offers"]
    terms = terms_of(get_partner(db_session, "demo-mall").config.products[0])
    today = dt.datetime.fromisoformat(offers[0]["expires_at"]).astimezone(CHINA).date()
    expected = {
        (p.tenor_months, p.repayment_method): f"{p.apr:.4f}"
        for p in price_offers(terms, "C", Decimal("3999.00"), [6, 12], today)
    }
    assert {(o["tenor_months"], o["repayment_method"]): o["apr"] for o in offers} == expected
    assert all(o["status"] == "open" and o["principal"] == "3999.00" for o in offers)

    credit = grant(api, REFER, "credit_inquiry")
    accepted = accept(api, offers[0], credit)
    assert accepted.status_code == 201, accepted.get_json()

    (event,) = _review_events(db_session, body["id"])
    review = event["data"]["object"]["human_review"]
    assert review["outcome"] == "approved" and review["status"] == "decided"
    assert "new offers" in review["message"] and REVIEWER not in json.dumps(event)
    assert "income checked" not in json.dumps(event)  # the note stays inside the bank
    assert len(event["data"]["object"]["offers"]) == len(offers)


def test_uphold_sends_the_explanation(
    partner_api: Any, runner: FlaskCliRunner, db_session: Session
) -> None:
    api = partner_api("demo-mall")
    body = requested(api)
    case = case_for(db_session, body["id"])
    decided = outcome(
        decide(
            runner,
            case.id,
            "--outcome",
            "uphold",
            "--note",
            "bureau file checked",
            "--reason",
            "policy_confirmed",
            "--reviewer",
            REVIEWER,
        )
    )
    assert decided["outcome"] == "upheld" and decided["offers"] == []
    shown = api.get(
        f"/v1/prequalifications/{body['id']}", headers={"Accept-Language": "zh-CN"}
    ).get_json()["human_review"]
    assert shown["outcome"] == "upheld" and shown["status"] == "decided"
    assert shown["reasons"][0]["code"] == "policy_confirmed"
    assert "维持原决定" in shown["message"]
    (event,) = _review_events(db_session, body["id"])
    message = event["data"]["object"]["human_review"]["message"]
    assert "the decision stands" in message and "lending policy" in message
    assert event["data"]["object"]["offers"] == []


def test_a_large_approval_needs_a_second_different_reviewer(
    partner_api: Any, runner: FlaskCliRunner, db_session: Session
) -> None:
    body = referred(partner_api("demo-mall"), amount="30000.00")
    case = case_for(db_session, body["id"])
    alone = approve(runner, case.id)
    assert alone.exit_code == 2 and "second_reviewer_required" in alone.output
    same = approve(runner, case.id, "--second-reviewer", REVIEWER.upper())
    assert same.exit_code == 2 and "different person" in same.output
    assert case_for(db_session, body["id"]).status == "open"
    decided = outcome(approve(runner, case.id, "--second-reviewer", SECOND))
    assert decided["approved_amount"] == "30000.00" and decided["second_reviewer"] == SECOND
    small = case_for(db_session, referred(partner_api("demo-mall"), amount="20000.00")["id"])
    assert outcome(approve(runner, small.id))["second_reviewer"] is None  # not above ¥20,000


def _snapshot(db_session: Session, case_id: str, pq_id: str) -> tuple[Any, ...]:
    db_session.expire_all()
    case = case_for(db_session, pq_id)
    count = func.count()
    return (
        case.status,
        case.version,
        case.reviewer,
        db_session.scalar(
            select(count).select_from(Offer).where(Offer.prequalification_id == pq_id)
        ),
        db_session.scalar(
            select(count).select_from(AuditEntry).where(AuditEntry.subject == case_id)
        ),
        len(_review_events(db_session, pq_id)),
    )


def test_bad_input_gets_a_clear_error_and_changes_nothing(
    partner_api: Any, runner: FlaskCliRunner, db_session: Session
) -> None:
    body = referred(partner_api("demo-mall"), amount="50000.00")
    case = case_for(db_session, body["id"])
    before = _snapshot(db_session, case.id, body["id"])
    cases = [
        (["--outcome", "approve", "--note", "  ", "--reason", "income_verified"], "--note"),
        (
            [
                "--outcome",
                "approve",
                "--note",
                "n",
                "--reason",
                "income_verified",
                "--amount",
                "60000.00",
            ],
            "within the product",
        ),
        (
            [
                "--outcome",
                "approve",
                "--note",
                "n",
                "--reason",
                "income_verified",
                "--amount",
                "50000.00",
                "--tenors",
                "3",
                "--second-reviewer",
                SECOND,
            ],
            "affordability cap",
        ),
        (
            ["--outcome", "approve", "--note", "n", "--reason", "income_verified", "--tenors", "5"],
            "not offered",
        ),
        (
            ["--outcome", "approve", "--note", "n", "--reason", "income_verified", "--grade", "Z"],
            "--grade",
        ),
        (["--outcome", "uphold", "--note", "n", "--reason", "income_verified"], "not a reason"),
        (
            ["--outcome", "uphold", "--note", "n", "--reason", "policy_confirmed", "--amount", "1"],
            "approve only",
        ),
    ]
    for args, message in cases:
        result = decide(runner, case.id, *args, "--reviewer", REVIEWER)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
        assert _snapshot(db_session, case.id, body["id"]) == before, args
    unknown = decide(
        runner,
        "rev_unknown",
        "--outcome",
        "uphold",
        "--note",
        "n",
        "--reason",
        "policy_confirmed",
        "--reviewer",
        REVIEWER,
    )
    assert unknown.exit_code == 2 and "review_not_found" in unknown.output

    outcome(approve(runner, case.id, "--amount", "10000.00"))
    after = _snapshot(db_session, case.id, body["id"])
    again = approve(runner, case.id, "--amount", "10000.00")
    assert again.exit_code == 2 and "review_closed" in again.output
    assert _snapshot(db_session, case.id, body["id"]) == after


def test_every_claim_and_decision_is_audited_and_the_chain_verifies(
    partner_api: Any, runner: FlaskCliRunner, db_session: Session
) -> None:
    case = case_for(db_session, referred(partner_api("demo-mall"))["id"])
    runner.invoke(args=["reviews", "claim", case.id, "--reviewer", REVIEWER])
    outcome(approve(runner, case.id))
    actions = db_session.scalars(
        select(AuditEntry.action).where(AuditEntry.subject == case.id).order_by(AuditEntry.id)
    ).all()
    assert actions == ["review.opened", "review.claimed", "review.decided"]
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output
