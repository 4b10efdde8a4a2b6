"""The sandbox's simulated reviewer: decides sandbox cases within seconds.

Partners test the whole review path without bank staff (DESIGN §5): the
referral of the refer persona (``+8613800000003``) is approved, other
referrals are approved when affordable, and customer requests are upheld.
It runs inside the underwriting worker (``gateway applications work``, which
``make demo`` starts) and never touches a ``live`` case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from gateway import clock
from gateway.db import Database
from gateway.errors import DomainError
from gateway.prequal.models import Prequalification
from gateway.reviews.decisions import Decision, decide
from gateway.reviews.models import PENDING, ReviewCase

REVIEWER = "sandbox-reviewer@reviews.invalid"
SECOND_REVIEWER = "sandbox-second-reviewer@reviews.invalid"
DELAY = dt.timedelta(seconds=1)


@dataclass(frozen=True)
class Simulated:
    """One case the simulated reviewer decided."""

    case_id: str
    outcome: str


def _approval() -> Decision:
    return Decision(
        outcome="approve",
        note="sandbox: the simulated reviewer approves referrals it can afford",
        reason_codes=["risk_acceptable"],
        reviewer=REVIEWER,
        second_reviewer=SECOND_REVIEWER,
    )


def _uphold(code: str) -> Decision:
    return Decision(
        outcome="uphold",
        note="sandbox: the simulated reviewer upholds customer requests",
        reason_codes=[code],
        reviewer=REVIEWER,
    )


def simulate_once(
    database: Database,
    *,
    issuer: str,
    batch: int = 20,
    delay: dt.timedelta = DELAY,
    now: dt.datetime | None = None,
) -> list[Simulated]:
    """Decide the sandbox cases opened at least ``delay`` ago, each in its own transaction.

    Args:
        database: where the cases live.
        issuer: the ``iss`` of the decision token signed over the new offers.
        batch: at most this many cases.
        delay: how long a case waits first (a person takes a moment too).
        now: the current time (tests).

    Returns:
        What was decided; a case another worker decided meanwhile is skipped.
    """
    now = now or clock.utcnow()
    with database.new_session() as db:
        pending = db.execute(
            select(ReviewCase.id, ReviewCase.kind, Prequalification.sandbox_persona)
            .join(Prequalification, Prequalification.id == ReviewCase.prequalification_id)
            .where(
                ReviewCase.environment == "sandbox",
                ReviewCase.status.in_(PENDING),
                ReviewCase.created_at <= now - delay,
            )
            .order_by(ReviewCase.created_at)
            .limit(batch)
        ).all()
    done = []
    for case_id, kind, persona in pending:
        attempts = [_approval(), _uphold("affordability_confirmed")]
        if kind != "referral" and persona != "refer":
            attempts = [_uphold("policy_confirmed")]
        for decision in attempts:
            with database.new_session() as db:
                try:
                    decided = decide(db, case_id, decision, issuer=issuer, now=now)
                    db.commit()
                except DomainError:
                    db.rollback()
                    continue
                done.append(Simulated(case_id, decided.case.outcome or ""))
                break
    return done
