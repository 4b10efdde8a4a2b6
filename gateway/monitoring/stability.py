"""Population and characteristic stability (PSI, CSI), as Evidently and NannyML define them.

Both compare the share of a live sample in each bin with the share of the
reference (development) sample in the same bins, the bins being the
reference's own: ``PSI = Σ (actual% − expected%) · ln(actual% / expected%)``.
A bin empty on either side would make the logarithm infinite, so shares are
floored at :data:`EMPTY_BIN_FLOOR` (Evidently's ``0.0001``). The CSI of a
characteristic is the same figure over that characteristic's bins (the
scorecard's own bins plus a bin for missing values).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

EMPTY_BIN_FLOOR = 1e-4
WATCH = 0.10
ALERT = 0.25

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def shares(counts: Sequence[float] | FloatArray, floor: float = EMPTY_BIN_FLOOR) -> FloatArray:
    """Each bin's share of the total, floored at ``floor`` (all zero counts give all floor)."""
    array = np.asarray(counts, dtype=np.float64)
    total = array.sum()
    proportions = array / total if total > 0 else np.zeros_like(array)
    return np.where(proportions <= 0, floor, proportions)


def psi(
    expected_counts: Sequence[float] | FloatArray,
    actual_counts: Sequence[float] | FloatArray,
    floor: float = EMPTY_BIN_FLOOR,
) -> float:
    """Population stability index of ``actual`` against ``expected``, over the same bins.

    Args:
        expected_counts: reference sample counts per bin.
        actual_counts: live sample counts per bin (same bins, same order).
        floor: share given to an empty bin.

    Returns:
        The index (0 for identical distributions; ≥ 0.25 is a significant shift).

    Raises:
        ValueError: the two have a different number of bins.
    """
    expected = shares(expected_counts, floor)
    actual = shares(actual_counts, floor)
    if expected.shape != actual.shape:
        raise ValueError("expected and actual need the same bins")
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def numeric_bins(values: FloatArray, edges: Sequence[float]) -> IntArray:
    """Bin index of each value: ``bisect_left`` over ``edges`` as the scorer bins;
    NaN goes to the extra bin ``len(edges) + 1`` (missing)."""
    array = np.asarray(values, dtype=np.float64)
    index = np.searchsorted(np.asarray(edges, dtype=np.float64), array, side="left")
    return np.where(np.isnan(array), len(edges) + 1, index).astype(np.int64)


def categorical_bins(
    values: Sequence[Any], categories: Mapping[str, int], other_bin: int | None, bins: int
) -> IntArray:
    """Bin index of each category; unseen ones go to ``other_bin`` (or missing), ``None``
    to the extra bin ``bins`` (missing)."""
    missing = bins
    other = missing if other_bin is None else other_bin
    return np.array(
        [missing if v is None else categories.get(str(v), other) for v in values], dtype=np.int64
    )


def bin_counts(index: IntArray, bins: int) -> IntArray:
    """Counts per bin for bin indexes in ``0..bins-1``."""
    return np.bincount(np.asarray(index, dtype=np.int64), minlength=bins)[:bins].astype(np.int64)


def level(value: float, watch: float = WATCH, alert: float = ALERT) -> str:
    """``stable`` below ``watch``, ``watch`` below ``alert``, else ``alert``."""
    if value >= alert:
        return "alert"
    return "watch" if value >= watch else "stable"
