"""The challenger: gradient-boosted trees with the spec's monotonic constraints (training only).

Reported beside the scorecard so a reviewer sees how much discrimination the
scorecard's simplicity costs; never served.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from gateway.scoring.frame import Frame
from gateway.scoring.spec import ModelSpec


class Challenger:
    """``HistGradientBoostingClassifier`` over the spec's features.

    Categorical values are coded by their training categories (unseen → missing).
    It runs on one OpenMP thread: on a few thousand rows the threads' per-split
    synchronisation costs more than it saves, many times more on a busy machine.
    """

    def __init__(self, spec: ModelSpec, seed: int = 0) -> None:
        self.spec = spec
        self.seed = seed
        self.levels: dict[str, dict[str, int]] = {}
        self.model: HistGradientBoostingClassifier | None = None

    def _matrix(self, frame: Frame) -> npt.NDArray[np.float64]:
        columns = []
        for feature in self.spec.features:
            if feature.type == "numeric":
                columns.append(frame.numeric(feature.name))
            else:
                codes = self.levels[feature.name]
                values = frame.categorical(feature.name)
                columns.append(
                    np.array([codes.get(v, np.nan) if v is not None else np.nan for v in values])
                )
        return np.column_stack(columns).astype(np.float64)

    def fit(self, frame: Frame, y: npt.NDArray[np.int_]) -> Challenger:
        """Fit on ``frame`` against the bad flag ``y``."""
        for feature in self.spec.features:
            if feature.type == "categorical":
                seen = sorted({v for v in frame.categorical(feature.name) if v is not None})
                self.levels[feature.name] = {v: i for i, v in enumerate(seen)}
        monotonic = [
            {"increasing": 1, "decreasing": -1}.get(f.monotonic or "", 0)
            for f in self.spec.features
        ]
        categorical = [f.type == "categorical" for f in self.spec.features]
        self.model = HistGradientBoostingClassifier(
            learning_rate=0.05,
            max_iter=200,
            max_leaf_nodes=8,
            min_samples_leaf=20,
            l2_regularization=1.0,
            monotonic_cst=monotonic,
            categorical_features=categorical if any(categorical) else None,
            early_stopping=False,
            random_state=self.seed,
        )
        with threadpool_limits(limits=1, user_api="openmp"):
            self.model.fit(self._matrix(frame), y)
        return self

    def predict_pd(self, frame: Frame) -> npt.NDArray[np.float64]:
        """Probability of bad."""
        assert self.model is not None
        with threadpool_limits(limits=1, user_api="openmp"):
            pd = self.model.predict_proba(self._matrix(frame))[:, 1]
        return np.asarray(pd, dtype=np.float64)
