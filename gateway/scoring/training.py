"""Train a scorecard and compile it into an artefact (training only; uses scikit-learn).

``train(spec, frame, y)`` fits the calibrated champion on all rows, the
segments if the spec asks for them, optionally cross-validates both models,
and returns the sealed artefact dictionary ready for :func:`write_artefact`.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import sklearn

from gateway.scoring.artefact import FORMAT, seal
from gateway.scoring.baseline import auc_by_pd_cap, score_baseline
from gateway.scoring.binning import FeatureBinning
from gateway.scoring.calibration import pd_of_points
from gateway.scoring.evaluation import cross_validate, fit_calibrated
from gateway.scoring.frame import Frame
from gateway.scoring.metrics import figures
from gateway.scoring.reasons import reason_for_feature
from gateway.scoring.scorecard import WoEScorecard
from gateway.scoring.segmentation import fit_segments
from gateway.scoring.spec import ModelSpec

FloatArray = npt.NDArray[np.float64]


@dataclass
class TrainingResult:
    """The sealed artefact and what the report draws."""

    artefact: dict[str, Any]
    points: FloatArray
    pd: FloatArray
    y: npt.NDArray[np.int_]
    oof_pd: dict[str, FloatArray] | None


def _points(value: float) -> float:
    return round(float(value), 4)


def compile_feature(model: WoEScorecard, name: str, coef: float, factor: float) -> dict[str, Any]:
    """One feature's artefact entry: bins, points per bin, missing points."""
    binning: FeatureBinning = model.binnings_[name]
    to_points = [_points(-factor * coef * w) for w in binning.woe]
    entry: dict[str, Any] = {
        "name": name,
        "type": binning.spec.type,
        "reason": binning.spec.reason or reason_for_feature(name),
        "points": to_points,
        "missing_points": _points(-factor * coef * binning.missing_woe),
        "woe": [round(w, 6) for w in binning.woe],
        "counts": binning.counts,
        "bad_rates": [round(r, 6) for r in binning.bad_rates],
        "missing_count": binning.missing_count,
        "iv": round(binning.iv, 6),
        "coefficient": round(coef, 8),
    }
    if binning.spec.type == "numeric":
        entry["edges"] = binning.edges
        entry["direction"] = binning.direction
    else:
        entry["categories"] = dict(sorted(binning.categories.items()))
        entry["other_bin"] = binning.other_bin
    return entry


def train(
    spec: ModelSpec,
    frame: Frame,
    y: npt.NDArray[np.int_],
    *,
    data_sha256: str,
    cv_folds: int = 5,
    eligible: npt.NDArray[np.bool_] | None = None,
) -> TrainingResult:
    """Fit, calibrate, segment, (cross-)evaluate and compile.

    Args:
        spec: the model spec.
        frame: the training rows, typed per the spec.
        y: 1 for bad, 0 for good.
        data_sha256: hash of the training file, recorded in the metadata.
        cv_folds: folds for the reported cross-validation (0 to skip).
        eligible: the rows the calibration is fitted on (those no knock-out
            column of the spec's ``calibration.knockouts`` flags); ``None``: all.

    Returns:
        The sealed artefact plus in-sample and out-of-fold predictions.
    """
    model, calibration = fit_calibrated(spec, frame, y, eligible)
    factor, offset = model.scaling_constants()
    points = model.points(frame)
    pd = pd_of_points(calibration, points)
    features = [
        compile_feature(model, name, float(coef), factor)
        for name, coef in zip(model.selected_, model.coef_, strict=True)
    ]
    dropped = [
        {"name": name, "iv": round(model.binnings_[name].iv, 6)}
        for name in model.binnings_
        if name not in model.selected_
    ]
    metrics: dict[str, Any] = {"training": figures(y, pd)}
    oof_pd = None
    if cv_folds:
        summary, oof_pd = cross_validate(
            spec, frame, y, cv_folds, with_predictions=True, eligible=eligible
        )
        metrics["cross_validation"] = summary
    artefact = {
        "format": FORMAT,
        "name": spec.name,
        "spec": spec.to_json(),
        "scaling": {
            "base_score": spec.scaling.base_score,
            "base_odds": spec.scaling.base_odds,
            "pdo": spec.scaling.pdo,
            "factor": round(factor, 8),
            "offset": round(offset, 8),
        },
        "intercept_points": _points(offset - factor * model.intercept_),
        "features": features,
        "dropped_features": dropped,
        "calibration": calibration,
        "segments": fit_segments(frame, spec.segments) if spec.segments else None,
        "training": {
            "rows": len(y),
            "bad_rate": round(float(np.mean(y)), 6),
            "data_sha256": data_sha256,
            "seed": spec.seed,
            "scikit_learn": sklearn.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
        },
        "metrics": metrics,
        "baseline": {
            "score": score_baseline(points),
            # Out-of-fold PDs when cross-validated: honest, like the CV figures.
            "auc_by_pd_cap": auc_by_pd_cap(oof_pd["champion"] if oof_pd is not None else pd, y),
        },
    }
    return TrainingResult(seal(artefact), points, pd, y, oof_pd)
