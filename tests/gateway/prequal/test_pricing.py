"""Offer pricing: one offer per tenor and method, APR under the cap, 0 % subsidies, teaser."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gateway.prequal.pricing import price_offer, price_offers, price_subsidised, teaser
from gateway.prequal.schedules import FEN, annuity_payment, build_schedule
from gateway.prequal.terms import REPAYMENT_METHODS, MerchantSubsidy
from tests.gateway.prequal.factories import mall_terms
from tests.gateway.prequal.independent import decimal_apr

START = dt.date(2026, 11, 21)


def test_price_offers_lists_each_tenor_with_each_method_in_product_order() -> None:
    terms = mall_terms(methods=("fee_based", "equal_instalment"))
    offers = price_offers(terms, "B", Decimal("3999.00"), [12, 3, 6], START)
    assert [(o.tenor_months, o.repayment_method) for o in offers] == [
        (3, "fee_based"), (3, "equal_instalment"),
        (6, "fee_based"), (6, "equal_instalment"),
        (12, "fee_based"), (12, "equal_instalment"),
    ]  # fmt: skip
    assert {o.currency for o in offers} == {"CNY"}
    assert {o.principal for o in offers} == {Decimal("3999.00")}


def test_equal_instalment_quotes_the_grade_apr_and_its_schedule() -> None:
    offer = price_offer(mall_terms(), "B", Decimal("3999.00"), 12, "equal_instalment", START)
    assert offer.apr == Decimal("0.1290")
    assert offer.nominal_rate == Decimal("0.1290")
    # 3999 × 0.01075 / (1 − 1.01075^−12) = 356.9922 → 356.99; first interest 42.99
    assert offer.monthly_payment == Decimal("356.99")
    assert offer.schedule.instalments[0].interest == Decimal("42.99")
    assert offer.total_cost == offer.total_interest
    assert offer.total_repayable == sum(offer.schedule.payments())
    assert offer.merchant_subsidy is None


def test_a_grade_apr_above_the_product_cap_is_priced_at_the_cap() -> None:
    terms = mall_terms(apr_cap="0.2000")  # grade E asks for 0.24
    for method in REPAYMENT_METHODS:
        offer = price_offer(terms, "E", Decimal("3999.00"), 12, method, START)
        assert offer.apr <= Decimal("0.2000")
        exact = decimal_apr(offer.principal, offer.schedule.payments())
        assert exact <= Decimal("0.2000")
        assert abs(exact - offer.apr) <= Decimal("0.0001")


def test_a_fee_whose_true_apr_exceeds_the_cap_is_cut_to_the_cap() -> None:
    # Grade E's fee is 3 % a month: a true APR of about 50 %; the cap is 24 %.
    offer = price_offer(mall_terms(), "E", Decimal("3999.00"), 12, "fee_based", START)
    assert offer.apr == Decimal("0.2400")
    assert decimal_apr(offer.principal, offer.schedule.payments()) <= Decimal("0.24")
    assert offer.monthly_fee_rate < Decimal("0.03")
    # The cut fee is the largest that fits: one fen more would break the cap.
    fee = offer.schedule.monthly_fee
    dearer = build_schedule("fee_based", Decimal("3999.00"), 12, START, monthly_fee=fee + FEN)
    assert decimal_apr(dearer.principal, dearer.payments()) > Decimal("0.24")
    assert offer.monthly_payment <= annuity_payment(Decimal("3999.00"), 12, Decimal("0.24"))


def test_a_fee_within_the_cap_is_charged_as_configured() -> None:
    offer = price_offer(mall_terms(), "B", Decimal("12000.00"), 12, "fee_based", START)
    assert offer.monthly_fee_rate == Decimal("0.0060")
    assert offer.total_fees == Decimal("864.00")
    assert offer.apr == Decimal("0.1303")


def test_rounding_on_a_tiny_loan_never_lifts_the_apr_over_a_cap_equal_to_the_grade_rate() -> None:
    # On 100.00 over 36 months fen rounding of the interest alone would nudge
    # the IRR above 24 %; pricing lowers the nominal rate a hair instead.
    for amount in ("100.07", "123.45", "150.00", "501.01"):
        raw = build_schedule("equal_principal", Decimal(amount), 36, START,
                             annual_rate=Decimal("0.24"))  # fmt: skip
        assert decimal_apr(raw.principal, raw.payments()) > Decimal("0.24")
        offer = price_offer(mall_terms(tenors=(36,)), "E", Decimal(amount), 36,
                            "equal_principal", START)  # fmt: skip
        assert decimal_apr(offer.principal, offer.schedule.payments()) <= Decimal("0.24")
        assert Decimal("0.2390") <= offer.apr <= Decimal("0.2400")
        assert offer.nominal_rate < Decimal("0.24")


def test_subsidised_tenors_get_one_zero_percent_offer_with_the_merchant_subsidy() -> None:
    terms = mall_terms(subsidy=MerchantSubsidy(tenors=(3, 6), merchant_rate=Decimal("0.035")))
    offers = price_offers(terms, "C", Decimal("3999.00"), [3, 6, 12], START)
    subsidised = [o for o in offers if o.merchant_subsidy is not None]
    assert [o.tenor_months for o in subsidised] == [3, 6]
    three = subsidised[0]
    assert three.apr == Decimal("0.0000")
    assert three.total_cost == Decimal("0.00")
    assert three.monthly_payment == Decimal("1333.00")
    assert three.merchant_subsidy is not None
    assert three.merchant_subsidy.amount == Decimal("139.97")  # 3999 × 3.5 %
    assert [o.tenor_months for o in offers].count(12) == 3  # priced normally


def test_an_unsubsidised_tenor_has_no_subsidised_price() -> None:
    terms = mall_terms(subsidy=MerchantSubsidy(tenors=(3,), merchant_rate=Decimal("0.02")))
    with pytest.raises(ValueError, match="subsidises no 12-month"):
        price_subsidised(terms, "A", Decimal("1000.00"), 12, START)


def test_unknown_grade_tenor_or_method_is_refused() -> None:
    terms = mall_terms(methods=("equal_instalment",))
    with pytest.raises(ValueError, match="unknown grade"):
        price_offer(terms, "F", Decimal("1000"), 12, "equal_instalment", START)
    with pytest.raises(ValueError, match="no 9-month"):
        price_offers(terms, "A", Decimal("1000"), [9], START)
    with pytest.raises(ValueError, match="fee_based"):
        price_offer(terms, "A", Decimal("1000"), 12, "fee_based", START)


def test_teaser_quotes_the_lowest_monthly_payment_and_the_lowest_apr() -> None:
    terms = mall_terms(methods=("equal_instalment",))
    found = teaser(terms, Decimal("3999.00"))
    assert found is not None
    # Grade A's 7.9 % over the longest tenor: 3999 × r / (1 − (1 + r)^−24) = 180.68
    assert found.monthly_payment_from == Decimal("180.68")
    assert found.tenor_months == 24
    assert found.apr_from == Decimal("0.0790")


def test_teaser_counts_a_subsidised_offer_and_a_cheap_fee() -> None:
    terms = mall_terms(subsidy=MerchantSubsidy(tenors=(3,), merchant_rate=Decimal("0.02")))
    found = teaser(terms, Decimal("3999.00"))
    assert found is not None
    assert found.apr_from == Decimal("0.0000")


def test_teaser_is_none_outside_the_product_range() -> None:
    assert teaser(mall_terms(), Decimal("499.99")) is None
    assert teaser(mall_terms(), Decimal("50000.01")) is None
