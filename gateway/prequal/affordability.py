"""Affordability: the largest principal whose monthly payment fits the customer's budget.

The budget is ``dti_cap × monthly income − existing monthly debt service``.
The schedule maths is inverted per method (payment per yuan lent), the
result rounded down to a lending unit (100 yuan by default) and then checked
against the rounded payment the schedule would really ask for.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_FLOOR, Decimal

from gateway.prequal.schedules import (
    FEN,
    ZERO,
    annuity_factor,
    annuity_payment,
    monthly_fee_for,
    regular_payment,
)
from gateway.prequal.terms import ProductTerms, RepaymentMethod

LENDING_UNIT = Decimal(100)
_ONE = Decimal(1)
_TWELVE = Decimal(12)


def payment_capacity(
    monthly_income: Decimal, monthly_debt_service: Decimal, dti_cap: Decimal
) -> Decimal:
    """The largest new monthly payment the debt-to-income cap leaves room for.

    Args:
        monthly_income: the income the cap applies to (after any haircut).
        monthly_debt_service: what the customer already repays each month.
        dti_cap: the debt-to-income cap (``0.50`` = half of income).

    Returns:
        The room left, rounded down to the fen, never negative.
    """
    room = monthly_income * dti_cap - monthly_debt_service
    return max(ZERO, room.quantize(FEN, ROUND_DOWN))


def _payment_per_yuan(
    terms: ProductTerms, grade: str, tenor: int, method: RepaymentMethod
) -> Decimal:
    """The first (highest regular) monthly payment per yuan lent, before rounding."""
    if terms.subsidised(tenor):
        return _ONE / tenor
    if method == "fee_based":
        # Pricing cuts a fee whose APR exceeds the cap to the annuity at the cap.
        flat = _ONE / tenor + terms.monthly_fee_rate_by_grade[grade]
        return min(flat, annuity_factor(terms.apr_cap, tenor))
    if method == "equal_principal":
        return _ONE / tenor + terms.capped_apr(grade) / _TWELVE
    return annuity_factor(terms.capped_apr(grade), tenor)


def _payment(
    terms: ProductTerms, grade: str, principal: Decimal, tenor: int, method: RepaymentMethod
) -> Decimal:
    """An upper bound on the offer's regular payment (pricing may only lower it)."""
    if terms.subsidised(tenor):
        return regular_payment("equal_instalment", principal, tenor)
    if method == "fee_based":
        fee = monthly_fee_for(principal, terms.monthly_fee_rate_by_grade[grade])
        flat = regular_payment(method, principal, tenor, monthly_fee=fee)
        return min(flat, annuity_payment(principal, tenor, terms.apr_cap))
    return regular_payment(method, principal, tenor, annual_rate=terms.capped_apr(grade))


def max_principal(
    terms: ProductTerms,
    grade: str,
    tenor: int,
    capacity: Decimal,
    *,
    ceiling: Decimal | None = None,
    unit: Decimal = LENDING_UNIT,
) -> Decimal:
    """The largest principal every offer at this tenor keeps within ``capacity``.

    Every repayment method the product offers at the tenor must fit (the
    subsidised 0 % plan where there is one), so whichever offer the customer
    picks is affordable. For ``equal_principal`` the first, highest payment
    is the one that must fit.

    Args:
        terms: the product.
        grade: the customer's risk grade.
        tenor: months.
        capacity: the monthly payment the customer can take on.
        ceiling: an upper bound besides the product's ``max_amount``.
        unit: amounts below the product maximum are rounded down to this.

    Returns:
        The principal (``0.00`` when not even one unit fits).
    """
    top = terms.max_amount if ceiling is None else min(terms.max_amount, ceiling)
    if capacity <= 0:
        return ZERO
    methods = ("equal_instalment",) if terms.subsidised(tenor) else terms.repayment_methods
    per_yuan = max(_payment_per_yuan(terms, grade, tenor, m) for m in methods)
    estimate = capacity / per_yuan
    principal = top if estimate >= top else (estimate / unit).to_integral(ROUND_FLOOR) * unit
    principal = principal.quantize(FEN)

    def fits(amount: Decimal) -> bool:
        return all(_payment(terms, grade, amount, tenor, m) <= capacity for m in methods)

    # Rounding the payment to the fen can move it a fen either way: step down
    # until it fits, or up while the next unit still fits.
    while principal > 0 and not fits(principal):
        principal = (((principal - FEN) / unit).to_integral(ROUND_FLOOR) * unit).quantize(FEN)
    while principal + unit <= top and fits(principal + unit):
        principal += unit
    return principal
