"""Property tests (issue 5, acceptance 2): schedules reconcile, APR is the IRR, caps hold.

For any amount (100.00–200000.00), tenor (3–36), rate (0–24 %, or a monthly
fee rate up to 3 % for fee-based plans) and method, including the merchant-
subsidised 0 % plan. The IRR is recomputed independently, by bisection in
``Decimal`` (``tests/gateway/prequal/independent.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.prequal.affordability import max_principal
from gateway.prequal.pricing import PricedOffer, price_offer, price_subsidised
from gateway.prequal.schedules import (
    Schedule,
    annuity_payment,
    build_schedule,
    monthly_fee_for,
    regular_payment,
)
from gateway.prequal.terms import (
    GRADES,
    REPAYMENT_METHODS,
    MerchantSubsidy,
    ProductTerms,
    RepaymentMethod,
)
from tests.gateway.prequal.independent import decimal_apr

amounts = st.integers(10_000, 20_000_000).map(lambda fen: Decimal(fen) / 100)
tenors = st.integers(3, 36)
annual_rates = st.integers(0, 2400).map(lambda bp: Decimal(bp) / 10_000)
fee_rates = st.integers(0, 300).map(lambda bp: Decimal(bp) / 10_000)
caps = st.integers(0, 2400).map(lambda bp: Decimal(bp) / 10_000)
methods = st.sampled_from(["equal_instalment", "equal_principal", "fee_based", "subsidised"])
starts = st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31))
PROPERTY_SETTINGS = settings(max_examples=300, deadline=None)
TOLERANCE = Decimal("0.0001")  # 0.01 percentage points


def assert_reconciles(schedule: Schedule) -> None:
    rows = schedule.instalments
    assert len(rows) == schedule.tenor_months
    assert sum(row.payment for row in rows) == schedule.total_repayable
    assert sum(row.principal for row in rows) == schedule.principal
    assert sum(row.interest for row in rows) == schedule.total_interest
    assert sum(row.fee for row in rows) == schedule.total_fees
    assert schedule.total_repayable == schedule.principal + schedule.total_cost
    assert rows[-1].balance_after == Decimal("0.00")
    for row in rows:
        for part in (row.payment, row.principal, row.interest, row.fee, row.balance_after):
            assert part >= 0
            assert part == part.quantize(Decimal("0.01"))
        assert row.payment == row.principal + row.interest + row.fee
    balances = [schedule.principal] + [row.balance_after for row in rows]
    assert all(
        before - row.principal == after
        for before, after, row in zip(balances[:-1], balances[1:], rows, strict=True)
    )
    assert [row.number for row in rows] == list(range(1, len(rows) + 1))
    dates = [row.due_date for row in rows]
    assert dates == sorted(set(dates))


def terms_for(tenor: int, rate: Decimal, fee_rate: Decimal, cap: Decimal) -> ProductTerms:
    return ProductTerms(
        code="p",
        currency="CNY",
        min_amount=Decimal("100.00"),
        max_amount=Decimal("200000.00"),
        tenors=(tenor,),
        repayment_methods=("equal_instalment", "equal_principal", "fee_based"),
        apr_by_grade=dict.fromkeys(GRADES, rate),
        monthly_fee_rate_by_grade=dict.fromkeys(GRADES, fee_rate),
        apr_cap=cap,
        merchant_subsidy=MerchantSubsidy(tenors=(tenor,), merchant_rate=Decimal("0.03")),
    )


def offer_for(method: str, terms: ProductTerms, amount: Decimal, start: dt.date) -> PricedOffer:
    tenor = terms.tenors[0]
    if method == "subsidised":
        return price_subsidised(terms, "C", amount, tenor, start)
    return price_offer(terms, "C", amount, tenor, method, start)  # type: ignore[arg-type]


@PROPERTY_SETTINGS
@given(amounts, tenors, annual_rates, fee_rates, methods, starts)
def test_every_schedule_reconciles_to_the_fen(
    amount: Decimal, tenor: int, rate: Decimal, fee_rate: Decimal, method: str, start: dt.date
) -> None:
    chosen: RepaymentMethod = "equal_instalment" if method == "subsidised" else method  # type: ignore[assignment]
    fee = monthly_fee_for(amount, fee_rate)
    schedule = build_schedule(
        chosen, amount, tenor, start,
        annual_rate=Decimal(0) if method == "subsidised" else rate, monthly_fee=fee,
    )  # fmt: skip
    assert_reconciles(schedule)
    assert schedule.monthly_payment == regular_payment(
        chosen, amount, tenor, annual_rate=schedule.annual_rate, monthly_fee=schedule.monthly_fee
    )


@PROPERTY_SETTINGS
@given(amounts, tenors, annual_rates, fee_rates, caps, methods, starts)
def test_every_offer_quotes_its_irr_and_never_exceeds_its_cap(
    amount: Decimal,
    tenor: int,
    rate: Decimal,
    fee_rate: Decimal,
    cap: Decimal,
    method: str,
    start: dt.date,
) -> None:
    offer = offer_for(method, terms_for(tenor, rate, fee_rate, cap), amount, start)
    assert_reconciles(offer.schedule)
    irr = decimal_apr(offer.principal, offer.schedule.payments())
    assert abs(offer.apr - irr) <= TOLERANCE
    assert offer.apr <= cap
    assert irr <= cap + Decimal("1e-9")
    if method in ("equal_instalment", "equal_principal") and rate <= cap and amount >= 1000:
        # Fen rounding moves a real-sized loan's IRR by well under a basis point.
        assert abs(offer.apr - rate) <= TOLERANCE


@PROPERTY_SETTINGS
@given(
    tenors,
    annual_rates,
    fee_rates,
    st.integers(0, 5_000_000).map(lambda fen: Decimal(fen) / 100),
    st.sampled_from(REPAYMENT_METHODS),
)
def test_max_principal_is_the_largest_affordable_unit(
    tenor: int, rate: Decimal, fee_rate: Decimal, capacity: Decimal, method: RepaymentMethod
) -> None:
    base = terms_for(tenor, rate, fee_rate, Decimal("0.24"))
    terms = replace(base, repayment_methods=(method,), merchant_subsidy=None)
    found = max_principal(terms, "C", tenor, capacity)
    start = dt.date(2026, 1, 1)
    if found > 0:
        offer = price_offer(terms, "C", found, tenor, method, start)
        assert offer.monthly_payment <= capacity
    if found < terms.max_amount:
        bigger = found + 100
        fee = monthly_fee_for(bigger, fee_rate)
        payment = regular_payment(
            method,
            bigger,
            tenor,
            annual_rate=min(rate, Decimal("0.24")),
            monthly_fee=fee,
        )
        if method == "fee_based":  # pricing cuts the fee to the annuity at the cap
            payment = min(payment, annuity_payment(bigger, tenor, Decimal("0.24")))
        assert payment > capacity
