"""Cross-validated evaluation of champion and challenger, and out-of-fold calibration.

Both models see exactly the same folds (stratified, shuffled with the spec's
seed). The champion's PD is its calibrated PD: the Platt parameters are fitted
on out-of-fold points within each training fold, as in production training,
so the test fold never leaks into calibration.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from gateway.scoring.challenger import Challenger
from gateway.scoring.frame import Frame
from gateway.scoring.metrics import figures, summarise
from gateway.scoring.scorecard import WoEScorecard
from gateway.scoring.spec import ModelSpec

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int_]


def platt(points: FloatArray, y: IntArray) -> tuple[float, float]:
    """``(a, b)`` with ``PD = 1 / (1 + exp(−(a · points + b)))`` fitted by logistic regression."""
    scale = float(np.std(points)) or 1.0
    centre = float(np.mean(points))
    model = LogisticRegression(C=1e6, max_iter=1000)
    model.fit(((points - centre) / scale).reshape(-1, 1), y)
    a = float(model.coef_[0][0]) / scale
    b = float(model.intercept_[0]) - a * centre
    return a, b


def apply_platt(points: FloatArray, a: float, b: float) -> FloatArray:
    """Calibrated PD of each points score."""
    return 1.0 / (1.0 + np.exp(-(a * points + b)))


def out_of_fold_points(spec: ModelSpec, frame: Frame, y: IntArray, folds: int = 3) -> FloatArray:
    """Points each row gets from a scorecard that did not see it."""
    points = np.zeros(len(y))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=spec.seed)
    for train, test in splitter.split(np.zeros(len(y)), y):
        model = WoEScorecard(spec).fit(frame.take(train), y[train])
        points[test] = model.points(frame.take(test))
    return points


def fit_calibrated(spec: ModelSpec, frame: Frame, y: IntArray) -> tuple[WoEScorecard, float, float]:
    """A scorecard on all of ``frame`` with Platt parameters from out-of-fold points."""
    a, b = platt(out_of_fold_points(spec, frame, y), y)
    return WoEScorecard(spec).fit(frame, y), a, b


def cross_validate(
    spec: ModelSpec, frame: Frame, y: IntArray, folds: int = 5, *, with_predictions: bool = False
) -> Any:
    """Figures of both models over ``folds`` stratified folds.

    Returns:
        ``{"folds", "rows", "bad_rate", "models": {"champion": …, "challenger": …}}``
        where each model has ``auc``, ``ks``, ``gini``, ``brier``,
        ``hosmer_lemeshow_p``, their spreads, pooled out-of-fold figures and
        ``per_fold``; with ``with_predictions``, a pair of that and the
        out-of-fold PDs by model.
    """
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=spec.seed)
    pooled = {"champion": np.zeros(len(y)), "challenger": np.zeros(len(y))}
    per_fold: dict[str, list[dict[str, float]]] = {"champion": [], "challenger": []}
    for number, (train, test) in enumerate(splitter.split(np.zeros(len(y)), y), start=1):
        train_frame, test_frame = frame.take(train), frame.take(test)
        model, a, b = fit_calibrated(spec, train_frame, y[train])
        champion_pd = apply_platt(model.points(test_frame), a, b)
        challenger_pd = (
            Challenger(spec, seed=spec.seed).fit(train_frame, y[train]).predict_pd(test_frame)
        )
        for name, pd in (("champion", champion_pd), ("challenger", challenger_pd)):
            pooled[name][test] = pd
            per_fold[name].append({"fold": number, **figures(y[test], pd)})
    summary = {
        "folds": folds,
        "rows": len(y),
        "bad_rate": round(float(np.mean(y)), 4),
        "models": {
            "champion": {
                "model": "woe_logistic_scorecard",
                **summarise(per_fold["champion"], figures(y, pooled["champion"])),
            },
            "challenger": {
                "model": "hist_gradient_boosting",
                **summarise(per_fold["challenger"], figures(y, pooled["challenger"])),
            },
        },
    }
    return (summary, pooled) if with_predictions else summary
