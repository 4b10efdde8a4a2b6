"""Schedules: hand-checked worked examples, due dates, rounding into the last instalment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gateway.prequal.schedules import (
    annuity_payment,
    build_schedule,
    due_dates,
    monthly_fee_for,
    regular_payment,
)

START = dt.date(2026, 1, 31)


def test_equal_instalment_12000_over_12_months_at_12_percent_pays_1066_19() -> None:
    schedule = build_schedule(
        "equal_instalment", Decimal("12000.00"), 12, START, annual_rate=Decimal("0.12")
    )
    # 12000 × 0.01 / (1 − 1.01^−12) = 1066.1855 → 1066.19
    assert schedule.monthly_payment == Decimal("1066.19")
    first, second = schedule.instalments[:2]
    assert (first.interest, first.principal, first.balance_after) == (
        Decimal("120.00"),
        Decimal("946.19"),
        Decimal("11053.81"),
    )
    # 11053.81 × 0.01 = 110.5381 → 110.54
    assert (second.interest, second.principal) == (Decimal("110.54"), Decimal("955.65"))
    last = schedule.instalments[-1]
    assert last.payment == Decimal("1066.14")  # the last absorbs the rounding
    assert last.balance_after == Decimal("0.00")
    assert schedule.total_interest == Decimal("794.23")
    assert schedule.total_repayable == Decimal("12794.23")
    assert sum(schedule.payments()) == schedule.total_repayable


def test_equal_principal_repays_a_level_principal_with_falling_interest() -> None:
    schedule = build_schedule(
        "equal_principal", Decimal("12000.00"), 12, START, annual_rate=Decimal("0.12")
    )
    assert all(row.principal == Decimal("1000.00") for row in schedule.instalments)
    assert [row.interest for row in schedule.instalments[:3]] == [
        Decimal("120.00"),
        Decimal("110.00"),
        Decimal("100.00"),
    ]
    assert schedule.monthly_payment == Decimal("1120.00")  # the first, highest payment
    assert schedule.instalments[-1].payment == Decimal("1010.00")
    assert schedule.total_interest == Decimal("780.00")  # 120 + 110 + … + 10


def test_fee_based_charges_a_fixed_fee_on_the_original_principal() -> None:
    fee = monthly_fee_for(Decimal("12000.00"), Decimal("0.006"))
    schedule = build_schedule("fee_based", Decimal("12000.00"), 12, START, monthly_fee=fee)
    assert fee == Decimal("72.00")
    assert {row.payment for row in schedule.instalments} == {Decimal("1072.00")}
    assert {row.interest for row in schedule.instalments} == {Decimal("0.00")}
    assert schedule.total_fees == Decimal("864.00")
    assert schedule.total_cost == Decimal("864.00")
    assert schedule.total_repayable == Decimal("12864.00")


def test_fee_based_ignores_an_interest_rate_and_interest_methods_ignore_fees() -> None:
    fee_based = build_schedule(
        "fee_based", Decimal("1000"), 3, START, annual_rate=Decimal("0.2"), monthly_fee=Decimal(5)
    )
    interest = build_schedule(
        "equal_instalment", Decimal("1000"), 3, START, annual_rate=Decimal("0.12"),
        monthly_fee=Decimal(5),
    )  # fmt: skip
    assert fee_based.total_interest == Decimal("0.00")
    assert interest.total_fees == Decimal("0.00")


def test_zero_rate_splits_the_principal_and_the_last_instalment_takes_the_remainder() -> None:
    schedule = build_schedule("equal_instalment", Decimal("100.00"), 3, START)
    assert schedule.payments() == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert schedule.total_cost == Decimal("0.00")


def test_half_fen_rounds_up() -> None:
    # 100.05 / 2 = 50.025 → 50.03 (half-up), the last gets 50.02
    schedule = build_schedule("equal_principal", Decimal("100.05"), 2, START)
    assert schedule.payments() == [Decimal("50.03"), Decimal("50.02")]


def test_due_dates_clamp_short_months_without_drifting() -> None:
    assert due_dates(dt.date(2024, 1, 31), 4) == (
        dt.date(2024, 2, 29),
        dt.date(2024, 3, 31),
        dt.date(2024, 4, 30),
        dt.date(2024, 5, 31),
    )
    assert due_dates(dt.date(2026, 11, 15), 3) == (
        dt.date(2026, 12, 15),
        dt.date(2027, 1, 15),
        dt.date(2027, 2, 15),
    )
    assert due_dates(dt.date(2025, 1, 29), 1) == (dt.date(2025, 2, 28),)


def test_schedule_rows_carry_their_due_dates() -> None:
    schedule = build_schedule("equal_instalment", Decimal("1000"), 2, dt.date(2026, 12, 31))
    assert [row.due_date for row in schedule.instalments] == [
        dt.date(2027, 1, 31),
        dt.date(2027, 2, 28),
    ]
    assert [row.number for row in schedule.instalments] == [1, 2]


def test_regular_payment_matches_the_built_schedule() -> None:
    for method in ("equal_instalment", "equal_principal", "fee_based"):
        schedule = build_schedule(
            method, Decimal("3999.00"), 12, START, annual_rate=Decimal("0.129"),
            monthly_fee=Decimal("24.00"),
        )  # fmt: skip
        assert schedule.monthly_payment == regular_payment(
            method, Decimal("3999.00"), 12,
            annual_rate=schedule.annual_rate, monthly_fee=schedule.monthly_fee,
        )  # fmt: skip


def test_annuity_payment_of_a_single_month_is_principal_plus_interest() -> None:
    assert annuity_payment(Decimal("1000.00"), 1, Decimal("0.12")) == Decimal("1010.00")


@pytest.mark.parametrize(
    ("principal", "tenor", "rate", "fee"),
    [
        (Decimal(0), 12, Decimal(0), Decimal(0)),
        (Decimal(100), 0, Decimal(0), Decimal(0)),
        (Decimal(100), 3, Decimal("-0.01"), Decimal(0)),
        (Decimal(100), 3, Decimal(0), Decimal("-1")),
    ],
)
def test_impossible_schedules_are_refused(
    principal: Decimal, tenor: int, rate: Decimal, fee: Decimal
) -> None:
    with pytest.raises(ValueError, match="positive"):
        build_schedule("equal_instalment", principal, tenor, START, annual_rate=rate,
                       monthly_fee=fee)  # fmt: skip
