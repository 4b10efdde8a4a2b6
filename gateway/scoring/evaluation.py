"""Cross-validated evaluation of champion and challenger, and out-of-fold calibration.

Both models see exactly the same folds (stratified, shuffled with the spec's
seed). The champion's PD is its calibrated PD: the calibration is fitted on
out-of-fold points within each training fold, as in production training, so
the test fold never leaks into calibration.

Calibration (the spec's ``calibration``; served by :mod:`gateway.scoring.calibration`):
``isotonic`` sorts the out-of-fold points into equal-count bins, fits a
non-increasing bad rate over the bins' mean points (pool adjacent violators,
weighted by rows) and keeps one knot per pooled block, PD floored at
:data:`PD_FLOOR`. Binning first keeps the table short and smooth (a raw
isotonic fit on 20,000 rows has ~50 jagged steps). ``platt`` is one line in
the log-odds; it cannot follow a curve, which the bundled model's table showed
(docs/model-card.md, Calibration).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from gateway.scoring.calibration import pd_of_points
from gateway.scoring.challenger import Challenger
from gateway.scoring.frame import Frame
from gateway.scoring.metrics import figures, summarise
from gateway.scoring.scorecard import WoEScorecard
from gateway.scoring.spec import ModelSpec

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int_]
BoolArray = npt.NDArray[np.bool_]

PD_FLOOR = 0.001


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


def isotonic_knots(
    points: FloatArray, y: IntArray, bins: int, floor: float = PD_FLOOR
) -> tuple[list[float], list[float]]:
    """Knots ``(points, pd)``: points strictly rising, PD strictly falling, PD ≥ ``floor``.

    Args:
        points: out-of-fold points of each row.
        y: 1 for bad.
        bins: equal-count bins the rows are sorted into before the fit (fewer
            when there are fewer rows than bins).
        floor: the smallest PD a knot may carry (no score is risk-free).

    Returns:
        One knot per pooled block, at the block's mean points (fewer than two
        when the bad rate does not fall with the points).
    """
    order = np.argsort(points, kind="mergesort")
    groups = [g for g in np.array_split(order, min(bins, len(order))) if len(g)]
    centres = np.array([points[g].mean() for g in groups])
    rates = np.array([y[g].mean() for g in groups], dtype=np.float64)
    weights = np.array([len(g) for g in groups], dtype=np.float64)
    fitted = IsotonicRegression(increasing=False).fit(centres, rates, sample_weight=weights)
    pooled = np.round(np.clip(fitted.predict(centres), floor, 1 - floor), 6)
    knot_points: list[float] = []
    knot_pd: list[float] = []
    start = 0
    for end in range(1, len(groups) + 1):
        if end == len(groups) or pooled[end] != pooled[start]:
            block = slice(start, end)
            centre = round(float(np.average(centres[block], weights=weights[block])), 4)
            if not knot_points or centre > knot_points[-1]:
                knot_points.append(centre)
                knot_pd.append(float(pooled[start]))
            start = end
    return knot_points, knot_pd


def fit_calibration(
    spec: ModelSpec, points: FloatArray, y: IntArray, eligible: BoolArray | None = None
) -> dict[str, Any]:
    """The artefact's ``calibration`` from out-of-fold points, on the ``eligible`` rows only."""
    if eligible is not None:
        points, y = points[eligible], y[eligible]
    if spec.calibration.method == "platt":
        a, b = platt(points, y)
        return {"method": "platt", "a": round(a, 10), "b": round(b, 10)}
    knot_points, knot_pd = isotonic_knots(points, y, spec.calibration.bins)
    if len(knot_points) < 2:  # the bad rate does not fall with the points at all
        a, b = platt(points, y)
        return {"method": "platt", "a": round(a, 10), "b": round(b, 10)}
    return {
        "method": "isotonic",
        "bins": spec.calibration.bins,
        "rows": len(y),
        "floor": PD_FLOOR,
        "points": knot_points,
        "pd": knot_pd,
    }


def out_of_fold_points(spec: ModelSpec, frame: Frame, y: IntArray, folds: int = 3) -> FloatArray:
    """Points each row gets from a scorecard that did not see it."""
    points = np.zeros(len(y))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=spec.seed)
    for train, test in splitter.split(np.zeros(len(y)), y):
        model = WoEScorecard(spec).fit(frame.take(train), y[train])
        points[test] = model.points(frame.take(test))
    return points


def fit_calibrated(
    spec: ModelSpec, frame: Frame, y: IntArray, eligible: BoolArray | None = None
) -> tuple[WoEScorecard, dict[str, Any]]:
    """A scorecard on all of ``frame`` and its calibration from out-of-fold points.

    Args:
        eligible: rows the calibration is fitted on (``None``: all); the
            scorecard itself is fitted on every row.
    """
    calibration = fit_calibration(spec, out_of_fold_points(spec, frame, y), y, eligible)
    return WoEScorecard(spec).fit(frame, y), calibration


def cross_validate(
    spec: ModelSpec,
    frame: Frame,
    y: IntArray,
    folds: int = 5,
    *,
    with_predictions: bool = False,
    eligible: BoolArray | None = None,
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
        model, calibration = fit_calibrated(
            spec, train_frame, y[train], None if eligible is None else eligible[train]
        )
        champion_pd = pd_of_points(calibration, model.points(test_frame))
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
