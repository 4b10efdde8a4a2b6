"""The true APR: the annualised internal rate of return of the cash flows.

The bank pays out the principal at month 0 and receives each rounded
instalment (principal, interest and fees together) at months 1..n. The
monthly IRR ``r`` solves ``principal = Σ payment_k / (1 + r)^k``; the APR is
``12 × r`` (the annualised nominal rate, as the PBoC's 2021 announcement on
disclosing annualised rates and Chinese lenders' IRR method quote it; see
``docs/pricing.md``). A schedule whose interest is charged at
``annual_rate / 12`` on the balance therefore has a true APR equal to its
nominal rate, up to the fen rounding of the instalments.

The solver works in ``float`` for speed (Newton's method, falling back to
bisection whenever a Newton step leaves the bracket) and the result is
reported as a ``Decimal`` rounded half-up to 4 places.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

RATE_PLACES = Decimal("0.0001")
_TOLERANCE = 1e-13
_MAX_STEPS = 200


def _npv_and_slope(rate: float, principal: float, payments: Sequence[float]) -> tuple[float, float]:
    """Net present value at a monthly rate, and its derivative in the rate."""
    v = 1.0 / (1.0 + rate)
    discount = 1.0
    npv = -principal
    slope = 0.0
    for k, payment in enumerate(payments, start=1):
        discount *= v
        npv += payment * discount
        slope -= k * payment * discount * v
    return npv, slope


def monthly_irr(principal: float, payments: Sequence[float], guess: float | None = None) -> float:
    """The monthly rate at which the payments' present value equals the principal.

    Args:
        principal: the amount disbursed at month 0 (> 0).
        payments: the amounts received at months 1, 2, …, each >= 0, not all 0.
        guess: a starting rate (a schedule's own monthly rate saves a step or two).

    Returns:
        The monthly IRR (negative when the payments sum to less than the principal).

    Raises:
        ValueError: no payments, a negative payment or a non-positive principal.
    """
    if principal <= 0 or not payments or min(payments) < 0 or max(payments) <= 0:
        raise ValueError("need a positive principal and non-negative, non-zero payments")
    # With non-negative inflows the NPV is convex and strictly falling in the
    # rate, so there is one root and Newton's method converges to it; every
    # evaluated rate tightens the bracket [low, high] that bisection falls
    # back on should a step leave it (or float noise stall it).
    low, high = -0.999, math.inf
    if guess is None or not low < guess:
        # The simple-interest approximation: good to a few per cent of the rate.
        guess = 2.0 * (sum(payments) - principal) / (principal * (len(payments) + 1))
    rate = guess
    for _ in range(_MAX_STEPS):
        npv, slope = _npv_and_slope(rate, principal, payments)
        if npv == 0:
            return rate
        if npv > 0:
            low = rate
        else:
            high = rate
        candidate = rate - npv / slope if slope else math.nan
        if not low < candidate < high:
            candidate = (low + high) / 2 if high < math.inf else 2 * abs(rate) + 1
        if abs(candidate - rate) < _TOLERANCE:
            return candidate
        rate = candidate
    return rate


def annualised_irr(
    principal: Decimal, payments: Sequence[Decimal], guess: float | None = None
) -> float:
    """The unrounded true APR (monthly IRR × 12) of a loan's cash flows.

    ``guess`` is an annual rate to start from (such as the nominal rate).
    """
    monthly_guess = None if guess is None else guess / 12.0
    return 12.0 * monthly_irr(float(principal), [float(p) for p in payments], monthly_guess)


def true_apr(principal: Decimal, payments: Sequence[Decimal]) -> Decimal:
    """The true APR of a loan's cash flows, rounded half-up to 4 places.

    Args:
        principal: the amount disbursed.
        payments: every instalment the customer pays, fees included, in order.

    Returns:
        The APR as a fraction (``Decimal("0.1290")`` = 12.90 %).

    Raises:
        ValueError: as :func:`monthly_irr`.
    """
    return reported_apr(annualised_irr(principal, payments))


def reported_apr(apr: float) -> Decimal:
    """An unrounded APR as quoted: a ``Decimal`` rounded half-up to 4 places.

    Float noise below zero (a 0 % schedule) is quoted as ``0.0000``.
    """
    return Decimal(repr(max(apr, 0.0))).quantize(RATE_PLACES, ROUND_HALF_UP)
