"""The servicing state replayed from events, whatever order they arrive in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gateway.outcomes.servicing import EventFacts, replay, state_for

T0 = dt.datetime(2026, 1, 10, tzinfo=dt.UTC)


def _at(days: int) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def test_buckets_of_days_past_due() -> None:
    assert [state_for(d) for d in (0, 1, 30, 31, 60, 61, 90, 91)] == [
        "current",
        "dpd_1_30",
        "dpd_1_30",
        "dpd_31_60",
        "dpd_31_60",
        "dpd_61_90",
        "dpd_61_90",
        "dpd_90_plus",
    ]


def test_repayments_then_payoff() -> None:
    loan = replay(
        [
            EventFacts("e1", "repayment", _at(30), 1, Decimal("100.00")),
            EventFacts("e2", "repayment", _at(60), 2, Decimal("100.00")),
            EventFacts("e3", "payoff", _at(60), None, Decimal("50.00")),
        ]
    )
    assert loan.state == "paid_off"
    assert loan.paid_instalments == 2
    assert loan.paid_amount == Decimal("250.00")
    assert loan.first_60_at is None


def test_arrears_reaching_60_days_mark_the_loan_bad_even_if_it_cures() -> None:
    events = [
        EventFacts("e4", "repayment", _at(120), 1, Decimal("300.00")),
        EventFacts("e1", "missed_payment", _at(31), 1),
        EventFacts("e3", "days_past_due", _at(91), days_past_due=61),
        EventFacts("e2", "days_past_due", _at(60), days_past_due=30),
    ]
    loan = replay(events)
    assert loan.state == "current"
    assert loan.max_days_past_due == 61
    assert loan.first_60_at == _at(91)
    assert replay(reversed(events)) == loan


def test_charge_off_closes_and_counts_as_bad_and_later_events_change_nothing() -> None:
    loan = replay(
        [
            EventFacts("e1", "missed_payment", _at(31), 1),
            EventFacts("e2", "charge_off", _at(200)),
            EventFacts("e3", "repayment", _at(230), 1, Decimal("10.00")),
        ]
    )
    assert loan.state == "charged_off"
    assert loan.first_60_at == _at(200)
    assert loan.paid_amount == Decimal("0.00")
    assert loan.last_event_at == _at(230)
