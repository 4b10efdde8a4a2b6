"""Simulated repayment behaviour, drawn from the synthetic process's true default probability."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from gateway.outcomes.models import LoanServicing
from gateway.outcomes.servicing import replay
from gateway.outcomes.simulation import LoanTerms, simulate, simulate_loan
from gateway.profiles.synthetic import sandbox_true_default_probability
from tests.gateway.applications.flow import funded

FUNDED = dt.datetime(2025, 1, 5, tzinfo=dt.UTC)
TERMS = LoanTerms(
    "app_test",
    FUNDED,
    (*(dt.date(2025, m, 5) for m in range(2, 13)), dt.date(2026, 1, 5)),
    (Decimal("100.00"),) * 12,
)
LATER = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)


def test_a_certain_default_reaches_60_days_inside_the_window_and_is_charged_off() -> None:
    events, defaults = simulate_loan(TERMS, 1.0, LATER)
    assert defaults
    loan = replay(e.facts() for e in events)
    assert loan.state == "charged_off"
    assert loan.first_60_at is not None
    assert loan.first_60_at - FUNDED < dt.timedelta(days=365)


def test_a_good_loan_pays_every_instalment_and_pays_off() -> None:
    events, defaults = simulate_loan(TERMS, 0.0, LATER)
    assert not defaults
    loan = replay(e.facts() for e in events)
    assert loan.state == "paid_off"
    assert loan.paid_instalments == 12
    assert loan.first_60_at is None


def test_events_after_as_of_are_not_sent_and_draws_repeat() -> None:
    early = FUNDED + dt.timedelta(days=100)
    events, _ = simulate_loan(TERMS, 0.0, early)
    assert events and all(e.occurred_at <= early for e in events)
    assert simulate_loan(TERMS, 0.3, LATER) == simulate_loan(TERMS, 0.3, LATER)


def test_the_default_rate_follows_the_true_probability() -> None:
    draws = [
        simulate_loan(replace(TERMS, application_id=f"app_{i}"), 0.2, LATER)[1] for i in range(4000)
    ]
    assert abs(sum(draws) / len(draws) - 0.2) < 0.02


def test_simulate_sends_events_for_funded_sandbox_loans_once(
    app: Flask, partner_api: Any, db_session: Session
) -> None:
    _, application = funded(app, partner_api(), phone="+8613900001234")
    now = dt.datetime.now(dt.UTC)
    first = simulate(
        db_session, since=now - dt.timedelta(days=1), as_of=now + dt.timedelta(days=800)
    )
    assert first.loans == 1 and first.recorded > 0
    again = simulate(
        db_session, since=now - dt.timedelta(days=1), as_of=now + dt.timedelta(days=800)
    )
    assert again.recorded == 0 and again.duplicates == first.recorded
    loan = db_session.get(LoanServicing, application["id"])
    assert loan is not None and loan.state in ("paid_off", "charged_off")
    assert 0.0 < sandbox_true_default_probability("any-ref") < 1.0
