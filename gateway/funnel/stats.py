"""Comparing two conversion rates: difference, confidence interval, two-proportion z-test."""

from __future__ import annotations

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Comparison:
    """Arm ``b`` against control ``a`` on one conversion."""

    difference: float  # rate_b - rate_a
    ci_low: float  # 95 % Wald interval of the difference (unpooled)
    ci_high: float
    z: float  # pooled two-proportion z statistic
    p_value: float  # two-sided


def rate(successes: int, trials: int) -> float:
    """``successes / trials`` (0 when there were no trials)."""
    return successes / trials if trials else 0.0


def compare(x_a: int, n_a: int, x_b: int, n_b: int) -> Comparison | None:
    """Compare ``x_b / n_b`` with ``x_a / n_a``; ``None`` when either arm is empty.

    The interval uses each arm's own variance; the test pools them under
    the null hypothesis of equal rates (the textbook two-proportion z-test).
    """
    if n_a == 0 or n_b == 0:
        return None
    p_a, p_b = x_a / n_a, x_b / n_b
    diff = p_b - p_a
    half = Z_95 * math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
    pooled = (x_a + x_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    z = diff / se if se > 0 else 0.0
    return Comparison(diff, diff - half, diff + half, z, math.erfc(abs(z) / math.sqrt(2)))
