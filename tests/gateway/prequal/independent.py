"""An IRR computed independently of the code under test: bisection in Decimal."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext


def npv(rate: Decimal, principal: Decimal, payments: Sequence[Decimal]) -> Decimal:
    """Net present value at a monthly rate of −principal then the payments."""
    total = -principal
    factor = Decimal(1)
    v = 1 / (1 + rate)
    for payment in payments:
        factor *= v
        total += payment * factor
    return total


def decimal_apr(principal: Decimal, payments: Sequence[Decimal]) -> Decimal:
    """12 × the monthly IRR, by plain bisection on [-0.5, 0.5] to ~1e-15."""
    with localcontext() as ctx:
        ctx.prec = 40
        low, high = Decimal("-0.5"), Decimal("0.5")
        for _ in range(60):
            mid = (low + high) / 2
            if npv(mid, principal, payments) > 0:
                low = mid
            else:
                high = mid
        return (low + high) / 2 * 12
