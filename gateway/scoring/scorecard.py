"""The champion: a WoE logistic scorecard as a scikit-learn estimator (training only).

``WoEScorecard.fit(frame, y)`` bins every feature (:mod:`gateway.scoring.binning`),
drops features with too little information value, fits an L2 logistic
regression on the WoE columns, and drops any feature whose coefficient comes
out with the wrong sign (a collinear feature that would make "better" bins
cost points), refitting until all signs agree. Points follow the usual
scaling: ``score = offset + factor · ln(good:bad odds)``, ``factor = pdo / ln 2``,
``offset = base_score − factor · ln(base_odds)``.

``X`` is a :class:`gateway.scoring.frame.Frame` (named mixed-type columns), not
an array: the estimator keeps scikit-learn's parameter protocol (``get_params``,
``clone``) and ``predict_proba``.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from gateway.scoring.binning import FeatureBinning, fit_binning
from gateway.scoring.frame import Frame
from gateway.scoring.spec import ModelSpec

FloatArray = npt.NDArray[np.float64]


def feature_values(frame: Frame, name: str, kind: str) -> np.ndarray:
    """A feature column in the type its binning expects."""
    return frame.numeric(name) if kind == "numeric" else frame.categorical(name)


class WoEScorecard(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Monotonic optimally-binned WoE logistic scorecard.

    Args:
        spec: the model spec (features, directions, scaling).
        max_bins: most bins per feature.
        min_bin_fraction: least share of rows per bin.
        min_iv: features below this information value are left out.
        C: inverse L2 regularisation strength of the logistic regression.
    """

    def __init__(
        self,
        spec: ModelSpec,
        max_bins: int = 6,
        min_bin_fraction: float = 0.05,
        min_iv: float = 0.02,
        C: float = 1.0,  # noqa: N803 - scikit-learn's name
    ) -> None:
        self.spec = spec
        self.max_bins = max_bins
        self.min_bin_fraction = min_bin_fraction
        self.min_iv = min_iv
        self.C = C

    def fit(self, X: Frame, y: npt.NDArray[np.int_]) -> WoEScorecard:  # noqa: N803
        """Bin, select and fit; sets ``binnings_``, ``selected_``, ``coef_``, ``intercept_``."""
        y = np.asarray(y, dtype=np.int_)
        self.classes_ = np.array([0, 1])
        self.binnings_: dict[str, FeatureBinning] = {}
        for feature in self.spec.features:
            self.binnings_[feature.name] = fit_binning(
                feature,
                feature_values(X, feature.name, feature.type),
                y,
                max_bins=self.max_bins,
                min_bin_fraction=self.min_bin_fraction,
            )
        selected = [
            name
            for name, b in self.binnings_.items()
            if b.iv >= self.min_iv and len(b.woe) + (1 if b.missing_count else 0) > 1
        ]
        woe = {name: self._woe(X, name) for name in selected}
        while True:
            model = LogisticRegression(C=self.C, max_iter=1000)
            matrix = (
                np.column_stack([woe[n] for n in selected]) if selected else np.zeros((len(y), 0))
            )
            model.fit(matrix if selected else np.zeros((len(y), 1)), y)
            coef = model.coef_[0] if selected else np.zeros(0)
            wrong = [n for n, c in zip(selected, coef, strict=True) if c > 0]
            if not wrong:
                break
            # Drop the weakest wrong-signed feature and refit.
            selected.remove(min(wrong, key=lambda n: self.binnings_[n].iv))
        self.selected_ = selected
        self.coef_ = np.asarray(coef, dtype=np.float64)
        self.intercept_ = float(model.intercept_[0])
        return self

    def _woe(self, X: Frame, name: str) -> FloatArray:  # noqa: N803
        binning = self.binnings_[name]
        return binning.transform(feature_values(X, name, binning.spec.type))

    def decision_function(self, X: Frame) -> FloatArray:  # noqa: N803
        """Log-odds of bad."""
        total = np.full(X.rows, self.intercept_)
        for name, coef in zip(self.selected_, self.coef_, strict=True):
            total += coef * self._woe(X, name)
        return total

    def predict_proba(self, X: Frame) -> FloatArray:  # noqa: N803
        """Columns: P(good), P(bad)."""
        bad = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - bad, bad])

    def predict(self, X: Frame) -> npt.NDArray[np.int_]:  # noqa: N803
        """1 where P(bad) ≥ 0.5."""
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(np.int_)

    def scaling_constants(self) -> tuple[float, float]:
        """``(factor, offset)`` of the points scaling."""
        s = self.spec.scaling
        factor = s.pdo / math.log(2)
        return factor, s.base_score - factor * math.log(s.base_odds)

    def points(self, X: Frame) -> FloatArray:  # noqa: N803
        """Unrounded points score of each row."""
        factor, offset = self.scaling_constants()
        return offset - factor * self.decision_function(X)
