"""Discrimination and calibration figures (training only; uses scikit-learn and SciPy)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.stats import chi2  # type: ignore[import-untyped]
from sklearn.metrics import brier_score_loss, roc_auc_score, roc_curve


def hosmer_lemeshow_p(
    y: npt.NDArray[np.int_], pd: npt.NDArray[np.float64], groups: int = 10
) -> float:
    """Hosmer–Lemeshow goodness-of-fit p-value over ``groups`` PD deciles.

    A high p-value means predicted and observed bad counts agree; the test has
    ``groups − 2`` degrees of freedom.
    """
    order = np.argsort(pd, kind="stable")
    statistic = 0.0
    used = 0
    for chunk in np.array_split(order, groups):
        if not len(chunk):
            continue
        expected = float(pd[chunk].sum())
        observed = float(y[chunk].sum())
        n = len(chunk)
        mean = expected / n
        variance = n * mean * (1 - mean)
        if variance > 0:
            statistic += (observed - expected) ** 2 / variance
            used += 1
    dof = max(used - 2, 1)
    return float(chi2.sf(statistic, dof))


def figures(y: npt.NDArray[np.int_], pd: npt.NDArray[np.float64]) -> dict[str, float]:
    """``auc``, ``ks``, ``gini``, ``brier`` and ``hosmer_lemeshow_p`` of PDs against outcomes."""
    auc = float(roc_auc_score(y, pd))
    fpr, tpr, _ = roc_curve(y, pd)
    return {
        "auc": round(auc, 4),
        "ks": round(float(np.max(tpr - fpr)), 4),
        "gini": round(2 * auc - 1, 4),
        "brier": round(float(brier_score_loss(y, pd)), 4),
        "hosmer_lemeshow_p": round(hosmer_lemeshow_p(y, pd), 4),
        "rows": len(y),
        "bad_rate": round(float(np.mean(y)), 4),
    }


def summarise(per_fold: list[dict[str, float]], pooled: dict[str, float]) -> dict[str, object]:
    """Mean of the fold figures, their spread, the pooled out-of-fold figures and each fold."""
    out: dict[str, object] = {}
    for key in ("auc", "ks", "gini", "brier"):
        values = [fold[key] for fold in per_fold]
        out[key] = round(float(np.mean(values)), 4)
        out[f"{key}_std"] = round(float(np.std(values)), 4)
    # Per-fold HL on a few hundred rows is noisy; the pooled out-of-fold test is the figure.
    out["hosmer_lemeshow_p"] = pooled["hosmer_lemeshow_p"]
    out["pooled"] = pooled
    out["per_fold"] = per_fold
    return out
