"""Product terms refuse contradictions; rates are read-only and capped."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from gateway.prequal.terms import MerchantSubsidy
from tests.gateway.prequal.factories import mall_terms


def test_a_grade_apr_above_the_cap_is_capped() -> None:
    terms = mall_terms(apr_cap="0.2000")
    assert terms.capped_apr("E") == Decimal("0.2000")
    assert terms.capped_apr("A") == Decimal("0.0790")


def test_rates_cannot_be_changed_after_construction() -> None:
    terms = mall_terms()
    with pytest.raises(TypeError):
        terms.apr_by_grade["A"] = Decimal("0.5")  # type: ignore[index]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"min_amount": Decimal(0)}, "min_amount"),
        ({"max_amount": Decimal(100)}, "min_amount"),
        ({"tenors": ()}, "tenors"),
        ({"repayment_methods": ("balloon",)}, "unknown repayment"),
        ({"apr_cap": Decimal("0.25")}, "0.24"),
        ({"apr_cap": Decimal("0.23995")}, "4 decimal places"),
        ({"apr_by_grade": {"A": Decimal("0.1")}}, "lacks grades"),
        ({"monthly_fee_rate_by_grade": {}}, "monthly_fee_rate_by_grade"),
        ({"customer_age": (60, 18)}, "customer_age"),
    ],
)
def test_contradictory_terms_are_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        replace(mall_terms(), **change)  # type: ignore[arg-type]


def test_subsidy_needs_tenors_and_a_sane_rate() -> None:
    with pytest.raises(ValueError, match="tenors"):
        MerchantSubsidy(tenors=(), merchant_rate=Decimal("0.02"))
    with pytest.raises(ValueError, match="merchant_rate"):
        MerchantSubsidy(tenors=(3,), merchant_rate=Decimal("1.5"))
    terms = mall_terms(subsidy=MerchantSubsidy(tenors=(3,), merchant_rate=Decimal("0.02")))
    assert terms.subsidised(3)
    assert not terms.subsidised(6)
