"""From a partner's configured product to the terms pricing works with."""

from __future__ import annotations

from typing import Any

from gateway.prequal.terms import MerchantSubsidy, ProductTerms


def terms_of(product: Any) -> ProductTerms:
    """Map a validated ``gateway.partners.config.Product`` onto :class:`ProductTerms`."""
    subsidy = product.merchant_subsidy
    return ProductTerms(
        code=product.code,
        currency=product.currency,
        min_amount=product.min_amount,
        max_amount=product.max_amount,
        tenors=tuple(product.tenors),
        repayment_methods=tuple(product.repayment_methods),
        apr_by_grade=dict(product.apr_by_grade),
        monthly_fee_rate_by_grade=dict(product.monthly_fee_rate_by_grade or {}),
        apr_cap=product.apr_cap,
        customer_age=(product.customer_age.min, product.customer_age.max_at_maturity),
        merchant_subsidy=(
            MerchantSubsidy(tenors=tuple(subsidy.tenors), merchant_rate=subsidy.merchant_rate)
            if subsidy is not None
            else None
        ),
    )
