"""Performance estimated before outcomes mature, from calibrated PDs (NannyML's CBPE).

If the PDs are well calibrated, a loan with PD ``p`` is bad with probability
``p``; so the expected number of bads among loans ranked above a threshold is
the sum of their PDs, and every point of the ROC curve, the bad rate and the
Brier score have an expected value that needs no outcome. The estimate is as
good as the calibration: the report shows it beside the realised figures once
loans mature, so a growing gap between the two is itself an alert.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def expected_bad_rate(pd: Sequence[float] | FloatArray) -> float:
    """Mean PD: the bad rate expected once these loans mature."""
    return float(np.mean(np.asarray(pd, dtype=np.float64)))


def expected_brier(pd: Sequence[float] | FloatArray) -> float:
    """Expected Brier score: ``E[(p − y)²] = p(1 − p)`` averaged over loans."""
    p = np.asarray(pd, dtype=np.float64)
    return float(np.mean(p * (1.0 - p)))


def expected_auc(pd: Sequence[float] | FloatArray) -> float:
    """Expected ROC AUC when each loan is bad with its own PD.

    Loans are ranked by PD (highest first); at each cut the expected true
    positives are the cumulative PD and the expected false positives the
    cumulative ``1 − PD``; the area under that expected curve is the estimate.
    Loans with equal PD form one step (a diagonal segment), as ties do in AUC.

    Raises:
        ValueError: empty input, or PDs all 0 or all 1.
    """
    p = np.asarray(pd, dtype=np.float64)
    if p.size == 0:
        raise ValueError("no PDs")
    positives, negatives = p.sum(), (1.0 - p).sum()
    if positives <= 0 or negatives <= 0:
        raise ValueError("PDs all 0 or all 1")
    order = np.argsort(-p, kind="mergesort")
    ordered = p[order]
    last = np.r_[ordered[1:] != ordered[:-1], True]
    tpr = np.r_[0.0, np.cumsum(ordered)[last] / positives]
    fpr = np.r_[0.0, np.cumsum(1.0 - ordered)[last] / negatives]
    return float(np.sum((fpr[1:] - fpr[:-1]) * (tpr[1:] + tpr[:-1]) / 2.0))
