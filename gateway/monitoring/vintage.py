"""Vintage curves: cumulative bad rate by months on book, one line per monthly cohort.

A loan counts at month ``m`` only once it has been on the book ``m`` months
(younger loans are not yet observable there); it is bad at ``m`` once it first
went 60+ days past due on or before month ``m``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def vintage_curves(
    cohorts: Sequence[str],
    months_on_book: Sequence[int] | npt.NDArray[Any],
    bad_month: Sequence[float] | FloatArray,
    horizon: int,
) -> dict[str, list[float | None]]:
    """Cumulative bad rate per cohort for months on book ``1..horizon``.

    Args:
        cohorts: each loan's cohort label (``YYYY-MM`` of funding).
        months_on_book: each loan's age in whole months at the observation date.
        bad_month: the month on book a loan first went 60+ DPD; NaN if never.
        horizon: the last month on book drawn.

    Returns:
        Per cohort (sorted), a list of ``horizon`` rates; ``None`` where no
        loan of the cohort is that old yet.
    """
    labels = np.asarray(list(cohorts), dtype=object)
    age = np.asarray(months_on_book, dtype=np.int64)
    first_bad = np.asarray(bad_month, dtype=np.float64)
    curves: dict[str, list[float | None]] = {}
    for cohort in sorted(set(labels.tolist())):
        mask = labels == cohort
        rates: list[float | None] = []
        for month in range(1, horizon + 1):
            observable = mask & (age >= month)
            n = int(observable.sum())
            if n == 0:
                rates.append(None)
                continue
            bad = int((observable & (first_bad <= month)).sum())
            rates.append(round(bad / n, 6))
        curves[str(cohort)] = rates
    return curves
