"""Product terms shared by the prequal tests."""

from __future__ import annotations

from decimal import Decimal

from gateway.prequal.terms import GRADES, MerchantSubsidy, ProductTerms

APRS = ("0.0790", "0.1290", "0.1800", "0.2200", "0.2400")
FEE_RATES = ("0.0040", "0.0060", "0.0080", "0.0100", "0.0300")


def mall_terms(
    *,
    methods: tuple[str, ...] = ("equal_instalment", "equal_principal", "fee_based"),
    tenors: tuple[int, ...] = (3, 6, 12, 24),
    subsidy: MerchantSubsidy | None = None,
    apr_cap: str = "0.2400",
    customer_age: tuple[int, int] = (18, 60),
) -> ProductTerms:
    """A shopping-instalments product with every grade priced."""
    return ProductTerms(
        code="mall_instalments",
        currency="CNY",
        min_amount=Decimal("500.00"),
        max_amount=Decimal("50000.00"),
        tenors=tenors,
        repayment_methods=methods,  # type: ignore[arg-type]
        apr_by_grade={g: Decimal(r) for g, r in zip(GRADES, APRS, strict=True)},
        monthly_fee_rate_by_grade={g: Decimal(r) for g, r in zip(GRADES, FEE_RATES, strict=True)},
        apr_cap=Decimal(apr_cap),
        customer_age=customer_age,
        merchant_subsidy=subsidy,
    )
