"""Re-computing schedules after a refund: kept rows, recovered rate, reconciliation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.applications.schedule import after_refund, loan_pricing, schedule_rows
from gateway.prequal.schedules import build_schedule

START = dt.date(2026, 1, 31)


@given(
    rate=st.integers(min_value=1, max_value=240_000).map(lambda n: Decimal(n) / 1_000_000),
    principal=st.integers(min_value=50_000, max_value=5_000_000).map(lambda n: Decimal(n) / 100),
    tenor=st.sampled_from([3, 6, 12, 24, 36]),
    method=st.sampled_from(["equal_instalment", "equal_principal"]),
)
@settings(max_examples=40, deadline=None)
def test_the_nominal_rate_is_recovered_from_the_rows(
    rate: Decimal, principal: Decimal, tenor: int, method: str
) -> None:
    schedule = build_schedule(method, principal, tenor, START, annual_rate=rate)  # type: ignore[arg-type]
    recovered, fee = loan_pricing(method, principal, schedule_rows(schedule))  # type: ignore[arg-type]
    again = build_schedule(method, principal, tenor, START, annual_rate=recovered)  # type: ignore[arg-type]
    assert schedule_rows(again) == schedule_rows(schedule)
    assert fee == 0


def test_instalments_already_due_are_kept_and_the_rest_reconcile() -> None:
    principal = Decimal("6000.00")
    rows = schedule_rows(
        build_schedule("equal_instalment", principal, 6, START, annual_rate=Decimal("0.12"))
    )
    paid = rows[:2]
    outstanding = Decimal(paid[-1]["balance_after"])
    today = dt.date.fromisoformat(paid[-1]["due_date"])
    new, result = after_refund(
        "equal_instalment", principal, rows, rows, outstanding, Decimal("1000.00"), today
    )
    assert new == outstanding - Decimal("1000.00")
    assert result[:2] == paid
    rest = result[2:]
    assert [r["number"] for r in rest] == [3, 4, 5, 6]
    assert [r["due_date"] for r in rest] == [r["due_date"] for r in rows[2:]]
    assert sum(Decimal(r["principal"]) for r in rest) == new
    assert rest[-1]["balance_after"] == "0.00"
    # same rate: the first rebuilt instalment's interest is 1 % a month of the new balance
    assert Decimal(rest[0]["interest"]) == (new * Decimal("0.01")).quantize(Decimal("0.01"))


def test_fee_based_fee_falls_with_the_principal() -> None:
    principal = Decimal("3000.00")
    rows = schedule_rows(
        build_schedule("fee_based", principal, 3, START, monthly_fee=Decimal("15.00"))
    )
    new, result = after_refund(
        "fee_based", principal, rows, rows, principal, Decimal("1500.00"), START
    )
    assert new == Decimal("1500.00")
    assert {r["fee"] for r in result} == {"7.50"}
    assert sum(Decimal(r["principal"]) for r in result) == new


@pytest.mark.parametrize("amount", ["0.00", "-1.00", "3000.01"])
def test_a_refund_outside_zero_to_outstanding_is_refused(amount: str) -> None:
    rows = schedule_rows(build_schedule("equal_instalment", Decimal("3000.00"), 3, START))
    with pytest.raises(ValueError, match="at most the outstanding"):
        after_refund(
            "equal_instalment",
            Decimal("3000.00"),
            rows,
            rows,
            Decimal("3000.00"),
            Decimal(amount),
            START,
        )
