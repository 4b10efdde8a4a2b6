"""Two reviewers deciding one case at once: exactly one decision, the other a clear conflict.

Real threads, real commits, one session and connection each: on PostgreSQL
the case row lock makes the second wait and then find the case decided; the
version check catches a decision written from a stale read on either backend.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.db import Database
from gateway.errors import DomainError
from gateway.offers.models import Offer
from gateway.reviews.decisions import Decision, decide
from gateway.reviews.state import StaleCase, advance, get_case
from tests.gateway.reviews.flow import REVIEWER, SECOND, case_for, referred

REVIEWERS = 4


def _decision(n: int) -> Decision:
    return Decision(
        outcome="approve" if n % 2 == 0 else "uphold",
        note=f"reviewer {n}",
        reason_codes=["risk_acceptable"] if n % 2 == 0 else ["policy_confirmed"],
        reviewer=f"reviewer{n}@bank.example",
        second_reviewer=SECOND,
    )


@pytest.mark.committing
@pytest.mark.postgresql_only
def test_reviewers_deciding_at_once_make_exactly_one_decision(
    app: Flask, partner_api: Any, db_session: Session
) -> None:
    body = referred(partner_api("demo-mall"))
    case_id = case_for(db_session, body["id"]).id
    database: Database = app.extensions["gateway.db"]
    barrier = threading.Barrier(REVIEWERS)
    results: list[Any] = [None] * REVIEWERS

    def reviewer(n: int) -> None:
        with app.app_context(), database.new_session() as db:
            barrier.wait()
            try:
                decided = decide(db, case_id, _decision(n), issuer="http://localhost")
                db.commit()
                results[n] = decided.case.outcome
            except DomainError as exc:
                db.rollback()
                results[n] = exc.code

    threads = [threading.Thread(target=reviewer, args=(n,)) for n in range(REVIEWERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    winners = [r for r in results if r in ("approved", "upheld")]
    assert len(winners) == 1, results
    assert sorted(r for r in results if r not in winners) == ["review_closed"] * (REVIEWERS - 1)
    case = case_for(db_session, body["id"])
    assert case.status == "decided" and case.outcome == winners[0]
    offers = db_session.scalar(
        select(func.count()).select_from(Offer).where(Offer.prequalification_id == body["id"])
    )
    assert (offers > 0) == (winners[0] == "approved")


def test_a_write_from_a_stale_read_is_refused(
    partner_api: Any, db_session: Session, app: Flask
) -> None:
    body = referred(partner_api("demo-mall"))
    stale = get_case(db_session, case_for(db_session, body["id"]).id)
    database: Database = app.extensions["gateway.db"]
    with app.app_context(), database.new_session() as other:
        decide(other, stale.id, _decision(1), issuer="http://localhost")
        other.commit()
    with pytest.raises(StaleCase):
        advance(db_session, stale, status="decided", reviewer=REVIEWER)
    assert case_for(db_session, body["id"]).reviewer == "reviewer1@bank.example"
