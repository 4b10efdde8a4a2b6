"""Affordability: the budget and the largest principal that fits it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gateway.prequal.affordability import max_principal, payment_capacity
from gateway.prequal.pricing import price_offers
from gateway.prequal.terms import MerchantSubsidy
from tests.gateway.prequal.factories import mall_terms


def test_capacity_is_the_dti_share_of_income_less_existing_debt_never_negative() -> None:
    assert payment_capacity(Decimal("8000"), Decimal("3000"), Decimal("0.5")) == Decimal("1000.00")
    assert payment_capacity(Decimal("1000.01"), Decimal("0"), Decimal("0.5")) == Decimal("500.00")
    assert payment_capacity(Decimal("4000"), Decimal("3000"), Decimal("0.5")) == Decimal("0.00")


def test_equal_instalment_inverts_the_annuity_and_rounds_down_to_100() -> None:
    terms = mall_terms(methods=("equal_instalment",))
    # 1066.19 a month buys 12000 at 12 % over 12 months; at grade B (12.9 %) a bit less.
    found = max_principal(terms, "B", 12, Decimal("1066.19"))
    assert found == Decimal("11900.00")
    offer = price_offers(terms, "B", found, [12], dt.date(2026, 1, 1))[0]
    assert offer.monthly_payment <= Decimal("1066.19")


def test_every_method_offered_must_fit() -> None:
    one = max_principal(mall_terms(methods=("equal_instalment",)), "B", 12, Decimal("1000"))
    both = max_principal(
        mall_terms(methods=("equal_instalment", "equal_principal")), "B", 12, Decimal("1000")
    )
    assert both < one  # equal_principal's first payment is the highest


def test_a_subsidised_tenor_affords_more_and_caps_hold() -> None:
    terms = mall_terms(subsidy=MerchantSubsidy(tenors=(12,), merchant_rate=Decimal("0.03")))
    assert max_principal(terms, "E", 12, Decimal("1000")) == Decimal("12000.00")
    assert max_principal(terms, "E", 12, Decimal("100000")) == Decimal("50000.00")
    assert max_principal(terms, "E", 12, Decimal("100000"), ceiling=Decimal("20000")) == (
        Decimal("20000.00")
    )
    assert max_principal(terms, "E", 12, Decimal("0")) == Decimal("0.00")
