"""The compiled scorer: pure Python over lookup tables precomputed from the artefact.

Scoring one applicant is a bisect (numeric) or a dict lookup (categorical) per
feature, a sum, the calibrated PD (a bisect over the calibration's knots and
one ``exp``, :mod:`gateway.scoring.calibration`) and a nearest-centroid pass
for the segment. Every bin's :class:`Factor` is built once at compile time, so
the hot path allocates only the result. No numpy, no scikit-learn.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, NamedTuple

from gateway.scoring.calibration import CalibrationInvalid, KnotTable
from gateway.scoring.segments import SegmentAssigner


class Factor(NamedTuple):
    """One feature's contribution, and how far it fell short of that feature's best bin.

    Attributes:
        feature: the feature name.
        reason: the feature's stable reason code (:mod:`gateway.scoring.reasons`).
        points: points the applicant got for this feature.
        shortfall: the feature's maximum points minus ``points`` (≥ 0).
    """

    feature: str
    reason: str
    points: float
    shortfall: float


@dataclass(frozen=True)
class ScoreResult:
    """A scored applicant.

    Attributes:
        score: points, rounded (higher is better; ``base_score`` at ``base_odds``:1).
        pd: calibrated probability of default.
        segment: the customer segment name.
        model_version: the artefact version that scored.
        factors: features below their maximum points, largest shortfall first.
    """

    score: int
    pd: float
    segment: str
    model_version: str
    factors: tuple[Factor, ...]


_by_shortfall = attrgetter("shortfall")
# name, edges, factor per bin, missing factor
_NumericStep = tuple[str, tuple[float, ...], tuple[Factor, ...], Factor]
# name, factor per category, factor of unseen categories, missing factor
_CategoricalStep = tuple[str, dict[str, Factor], Factor, Factor]


def _factors(feature: Mapping[str, Any]) -> tuple[list[Factor], Factor]:
    points = [float(p) for p in feature["points"]]
    missing = float(feature["missing_points"])
    best = max([*points, missing])
    name, reason = str(feature["name"]), str(feature["reason"])
    per_bin = [Factor(name, reason, p, round(best - p, 4)) for p in points]
    return per_bin, Factor(name, reason, missing, round(best - missing, 4))


class CompiledScorer:
    """Scores applicants with one artefact.

    Args:
        artefact: a loaded, verified artefact (:func:`gateway.scoring.artefact.load_artefact`).
    """

    def __init__(self, artefact: Mapping[str, Any]) -> None:
        self.version: str = str(artefact["version"])
        self.sha256: str = str(artefact["sha256"])
        self.artefact = artefact
        self._intercept = float(artefact["intercept_points"])
        calibration = artefact["calibration"]
        method = calibration.get("method", "platt")
        # Platt (older artefacts) is the isotonic path's absence: no knots.
        self._knots: tuple[float, ...] = ()
        self._log_odds: tuple[float, ...] = ()
        self._slopes: tuple[float, ...] = ()
        self._a = self._b = 0.0
        if method == "isotonic":
            knots = KnotTable.from_calibration(calibration)
            self._knots, self._log_odds, self._slopes = knots.points, knots.log_odds, knots.slopes
        elif method == "platt":
            self._a = float(calibration["a"])
            self._b = float(calibration["b"])
        else:
            raise CalibrationInvalid(f"calibration.method: {method!r} is not platt or isotonic")
        numeric: list[_NumericStep] = []
        categorical: list[_CategoricalStep] = []
        for feature in artefact["features"]:
            per_bin, missing = _factors(feature)
            if feature["type"] == "numeric":
                edges = tuple(float(e) for e in feature["edges"])
                numeric.append((feature["name"], edges, tuple(per_bin), missing))
            else:
                table = {str(c): per_bin[i] for c, i in feature["categories"].items()}
                other_bin = feature.get("other_bin")
                other = missing if other_bin is None else per_bin[int(other_bin)]
                categorical.append((feature["name"], table, other, missing))
        self._numeric = tuple(numeric)
        self._categorical = tuple(categorical)
        self._segments = SegmentAssigner(artefact.get("segments"))
        self.features: tuple[str, ...] = tuple(f["name"] for f in artefact["features"])

    def score(self, values: Mapping[str, Any]) -> ScoreResult:
        """Score one applicant.

        Args:
            values: feature values by name; ``None``, NaN or an absent key is missing.
                Numbers may be ``int``, ``float`` or ``Decimal``.

        Returns:
            The score, calibrated PD, segment, model version and adverse factors.
        """
        total = self._intercept
        adverse = []
        get = values.get
        # Numeric and categorical features in separate loops: no type test per
        # feature; factor[2] / factor[3] are points / shortfall (tuple indexing
        # is cheaper than the named attributes on this path).
        for name, edges, bins, missing in self._numeric:
            value = get(name)
            if value is None or value != value:
                factor = missing
            else:
                factor = bins[bisect_left(edges, float(value))]
            total += factor[2]
            if factor[3] > 0:
                adverse.append(factor)
        for name, table, other, missing in self._categorical:
            value = get(name)
            factor = missing if value is None else table.get(value, other)
            total += factor[2]
            if factor[3] > 0:
                adverse.append(factor)
        adverse.sort(key=_by_shortfall, reverse=True)
        knots = self._knots
        if knots:
            # Log-odds interpolated between the knots either side; flat beyond the ends.
            at = bisect_right(knots, total)
            if at == 0:
                log_odds = self._log_odds[0]
            elif at == len(knots):
                log_odds = self._log_odds[-1]
            else:
                log_odds = self._log_odds[at - 1] + self._slopes[at - 1] * (total - knots[at - 1])
            pd = 1.0 / (1.0 + math.exp(-log_odds))
        else:
            exponent = -(self._a * total + self._b)
            pd = 0.0 if exponent > 700 else 1.0 / (1.0 + math.exp(exponent))
        return ScoreResult(
            round(total), pd, self._segments.assign(values), self.version, tuple(adverse)
        )

    def segment(self, values: Mapping[str, Any]) -> str:
        """The customer segment alone."""
        return self._segments.assign(values)
