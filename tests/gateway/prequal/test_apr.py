"""True APR: the IRR of the cash flows, annualised as monthly IRR × 12."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gateway.prequal.apr import annualised_irr, monthly_irr, reported_apr, true_apr
from gateway.prequal.schedules import build_schedule
from tests.gateway.prequal.independent import decimal_apr


def test_annuity_at_one_percent_a_month_has_an_apr_of_12_percent() -> None:
    # 1000 / a(12, 1%) exactly; the IRR of unrounded flows is the rate itself.
    payment = 1000 * 0.01 / (1 - 1.01**-12)
    assert monthly_irr(1000.0, [payment] * 12) == pytest.approx(0.01, abs=1e-12)


def test_rounded_annuity_quotes_its_nominal_rate() -> None:
    schedule = build_schedule(
        "equal_instalment", Decimal("12000.00"), 12, dt.date(2026, 1, 1),
        annual_rate=Decimal("0.12"),
    )  # fmt: skip
    assert true_apr(schedule.principal, schedule.payments()) == Decimal("0.1200")


def test_flat_fee_of_0_6_percent_a_month_is_a_true_apr_of_13_03_percent() -> None:
    # 12000 over 12 months, 1000 principal + 72 fee a month: the "7.2 % a year"
    # flat fee costs about 13 % as a true APR.
    payments = [Decimal("1072.00")] * 12
    assert true_apr(Decimal("12000.00"), payments) == Decimal("0.1303")
    assert annualised_irr(Decimal("12000.00"), payments) == pytest.approx(
        float(decimal_apr(Decimal("12000.00"), payments)), abs=1e-12
    )


def test_zero_cost_flows_have_a_zero_apr() -> None:
    assert true_apr(Decimal("100.00"), [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]) == (
        Decimal("0.0000")
    )


def test_payments_short_of_the_principal_give_a_negative_irr() -> None:
    assert monthly_irr(1000.0, [300.0, 300.0, 300.0]) < 0
    assert reported_apr(-0.03) == Decimal("0.0000")


def test_an_irregular_schedule_is_solved_to_the_independent_bisection() -> None:
    payments = [Decimal("0.01")] * 11 + [Decimal("1500.00")]
    assert annualised_irr(Decimal("1000.00"), payments) == pytest.approx(
        float(decimal_apr(Decimal("1000.00"), payments)), abs=1e-10
    )


def test_reported_apr_rounds_half_up_to_four_places() -> None:
    assert reported_apr(0.12345) == Decimal("0.1235")
    assert reported_apr(0.123449) == Decimal("0.1234")


@pytest.mark.parametrize(
    ("principal", "payments"),
    [(0.0, [1.0]), (100.0, []), (100.0, [-1.0, 200.0]), (100.0, [0.0, 0.0])],
)
def test_degenerate_cash_flows_are_refused(principal: float, payments: list[float]) -> None:
    with pytest.raises(ValueError, match="positive principal"):
        monthly_irr(principal, payments)
