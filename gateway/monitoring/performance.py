"""Discrimination and calibration on matured loans: AUC, KS, Brier, Wilson intervals.

``y`` is 1 for a bad loan (ever 60+ days past due within the performance
window), 0 for a good one; ``pd`` is the calibrated probability of default
the decision was made with. Higher PD should mean more bads.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def _rank_average(values: FloatArray) -> FloatArray:
    """Ranks 1..n, ties sharing their average rank."""
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    ranks = np.empty(len(values), dtype=np.float64)
    start = 0
    n = len(values)
    while start < n:
        end = start
        while end + 1 < n and ordered[end + 1] == ordered[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2.0 + 1.0
        start = end + 1
    return ranks


def auc(y: Sequence[int] | npt.NDArray[Any], pd: Sequence[float] | FloatArray) -> float:
    """Area under the ROC curve (Mann–Whitney U, ties counted half).

    Raises:
        ValueError: ``y`` holds only goods or only bads.
    """
    labels = np.asarray(y, dtype=np.int64)
    scores = np.asarray(pd, dtype=np.float64)
    bads = int(labels.sum())
    goods = len(labels) - bads
    if bads == 0 or goods == 0:
        raise ValueError("AUC needs both goods and bads")
    ranks = _rank_average(scores)
    u = ranks[labels == 1].sum() - bads * (bads + 1) / 2.0
    return float(u / (bads * goods))


def auc_standard_error(area: float, bads: int, goods: int) -> float:
    """Standard error of an AUC (Hanley & McNeil, 1982): how far sampling alone moves it."""
    q1 = area / (2 - area)
    q2 = 2 * area * area / (1 + area)
    variance = (
        area * (1 - area) + (bads - 1) * (q1 - area * area) + (goods - 1) * (q2 - area * area)
    ) / (bads * goods)
    return math.sqrt(max(variance, 0.0))


def ks(y: Sequence[int] | npt.NDArray[Any], pd: Sequence[float] | FloatArray) -> float:
    """Kolmogorov–Smirnov: the largest gap between the bads' and goods' cumulative
    distributions of PD, taken between distinct PD values.

    Raises:
        ValueError: ``y`` holds only goods or only bads.
    """
    labels = np.asarray(y, dtype=np.int64)
    scores = np.asarray(pd, dtype=np.float64)
    bads = int(labels.sum())
    goods = len(labels) - bads
    if bads == 0 or goods == 0:
        raise ValueError("KS needs both goods and bads")
    order = np.argsort(-scores, kind="mergesort")
    ordered, ordered_y = scores[order], labels[order]
    cum_bad = np.cumsum(ordered_y) / bads
    cum_good = np.cumsum(1 - ordered_y) / goods
    # Only at the last row of each run of equal PDs.
    last = np.r_[ordered[1:] != ordered[:-1], True]
    return float(np.max(np.abs(cum_bad[last] - cum_good[last])))


def brier(y: Sequence[int] | npt.NDArray[Any], pd: Sequence[float] | FloatArray) -> float:
    """Mean squared error of the PD against the outcome."""
    labels = np.asarray(y, dtype=np.float64)
    scores = np.asarray(pd, dtype=np.float64)
    return float(np.mean((scores - labels) ** 2))


def wilson_interval(bads: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval for a bad rate of ``bads`` out of ``n`` (95 % by default).

    Returns:
        ``(low, high)``; ``(0.0, 1.0)`` for ``n == 0``.
    """
    if n <= 0:
        return 0.0, 1.0
    p = bads / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def familywise_z(bands: int, level: float = 0.95) -> float:
    """Two-sided z for ``bands`` intervals that hold together with probability ``level``
    (Bonferroni): with twelve bands at 95 % each, one falls outside by chance
    about half the time; at the Bonferroni z, all hold in 95 % of samples."""
    return NormalDist().inv_cdf(1 - (1 - level) / (2 * max(bands, 1)))


def calibration_table(
    bands: Sequence[str], y: Sequence[int] | npt.NDArray[Any], pd: Sequence[float] | FloatArray
) -> list[dict[str, Any]]:
    """Per score band: loans, bads, mean predicted PD, observed bad rate and its
    95 % Wilson interval, and whether the predicted PD lies inside that interval
    (``within``) and inside the family-wise interval over all the bands
    (``within_familywise``, :func:`familywise_z`).

    Args:
        bands: each loan's score band label (the table keeps first-seen order
            after sorting labels).
        y: 1 for bad.
        pd: the PD at decision.

    Returns:
        One row per band, sorted by band label.
    """
    labels = np.asarray(y, dtype=np.int64)
    scores = np.asarray(pd, dtype=np.float64)
    band_array = np.asarray(list(bands), dtype=object)
    rows = []
    names = sorted(set(band_array.tolist()))
    z_family = familywise_z(len(names))
    for band in names:
        mask = band_array == band
        n = int(mask.sum())
        bad = int(labels[mask].sum())
        low, high = wilson_interval(bad, n)
        family_low, family_high = wilson_interval(bad, n, z_family)
        predicted = float(scores[mask].mean())
        rows.append(
            {
                "band": band,
                "loans": n,
                "bads": bad,
                "predicted_pd": round(predicted, 6),
                "observed_bad_rate": round(bad / n, 6),
                "interval": [round(low, 6), round(high, 6)],
                "within": low <= predicted <= high,
                "within_familywise": family_low <= predicted <= family_high,
            }
        )
    return rows
