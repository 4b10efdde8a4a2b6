"""The funnel report counts referred decisions, review requests and review outcomes per partner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from tests.gateway.funnel.test_events import TERM
from tests.gateway.reviews.flow import REVIEWER, approve, case_for, decide, referred, requested


def test_the_funnel_report_shows_review_counts(
    partner_api: Any, runner: FlaskCliRunner, db_session: Session, tmp_path: Path
) -> None:
    # demo-travel captures consent through the widget only: the partner-side request is academy's
    mall, academy = partner_api("demo-mall"), partner_api("demo-academy")
    approved = case_for(db_session, referred(mall)["id"])
    referred(mall)  # still pending
    upheld = case_for(db_session, requested(mall)["id"])
    requested(academy, scenario=TERM)
    assert approve(runner, approved.id).exit_code == 0
    result = decide(
        runner,
        upheld.id,
        "--outcome",
        "uphold",
        "--note",
        "n",
        "--reason",
        "policy_confirmed",
        "--reviewer",
        REVIEWER,
    )
    assert result.exit_code == 0, result.output

    report = runner.invoke(args=["report", "funnel", "--json"])
    assert report.exit_code == 0, report.output
    rows = {row["partner"]: row for row in json.loads(report.output)["reviews"]}
    assert rows["demo-mall"] == {
        "partner": "demo-mall",
        "referred": 2,
        "review_requests": 1,
        "approved": 1,
        "upheld": 1,
        "withdrawn": 0,
        "pending": 1,
    }
    assert rows["demo-academy"]["review_requests"] == 1 and rows["demo-academy"]["pending"] == 1
    text = runner.invoke(args=["report", "funnel", "--partner", "demo-mall"]).output
    assert "human review" in text and "demo-mall" in text
    page = tmp_path / "funnel.html"
    assert runner.invoke(args=["report", "funnel", "--html", str(page)]).exit_code == 0
    assert 'data-reviews="partner"' in page.read_text(encoding="utf-8")
