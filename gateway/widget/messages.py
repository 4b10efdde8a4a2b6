"""On-site messaging: "from ¥x/month · annualised from y%" for a product or cart page.

Quoted before any customer is known, so it is the same for everyone: the
lowest monthly payment and the lowest APR any of the partner's products
offers for the amount, at the best grade (:func:`gateway.prequal.pricing.teaser`).
It reads nothing about a customer, which is what lets the endpoint be
public and cacheable.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gateway.prequal.pricing import teaser
from gateway.prequal.products import terms_of

CURRENCY = "CNY"


@dataclass(frozen=True)
class Message:
    """The lowest monthly payment (and its tenor) and the lowest APR for an amount."""

    amount: Decimal
    currency: str
    monthly_payment_from: Decimal
    tenor_months: int
    apr_from: Decimal
    interest_free_available: bool


def quote(partner_config: Any, amount: Decimal) -> Message | None:
    """The message for an amount at one partner (``None``: no product lends that amount).

    Args:
        partner_config: the partner's validated ``PartnerConfig``.
        amount: the product's or the cart's total.

    Returns:
        The best monthly payment and APR over the partner's products, or ``None``.
    """
    best: Message | None = None
    for product in partner_config.products:
        if product.currency != CURRENCY:
            continue
        found = teaser(terms_of(product), amount)
        if found is None:
            continue
        candidate = Message(
            amount,
            CURRENCY,
            found.monthly_payment_from,
            found.tenor_months,
            found.apr_from,
            found.apr_from == 0,
        )
        if best is None:
            best = candidate
            continue
        cheaper = candidate.monthly_payment_from < best.monthly_payment_from
        best = Message(
            amount,
            CURRENCY,
            candidate.monthly_payment_from if cheaper else best.monthly_payment_from,
            candidate.tenor_months if cheaper else best.tenor_months,
            min(candidate.apr_from, best.apr_from),
            candidate.interest_free_available or best.interest_free_available,
        )
    return best
