"""Customer segments at serving time: standardise, then the nearest k-means centroid.

The centroids, the scaler and the segment names come from the artefact
(:mod:`gateway.scoring.segmentation` fits them at training time). A segment
feature is a numeric column, or ``column=value`` for a 0/1 indicator of a
categorical value (e.g. ``employment_type=self_employed``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import mul
from typing import Any

SEGMENT_NAMES = ("high_net_worth", "young_professional", "small_business_owner", "mass_market")
DEFAULT_SEGMENT = "mass_market"


def indicator(feature: str) -> tuple[str, str | None]:
    """``("employment_type", "self_employed")`` for an indicator, ``(name, None)`` otherwise."""
    column, _, value = feature.partition("=")
    return column, (value if value else None)


class SegmentAssigner:
    """Nearest-centroid assignment in standardised space, pure Python.

    With ``z = (x − mean) / scale``, ``||z − c||² = ||z||² + K_c − 2 x·w_c`` where
    ``w_c = c / scale`` and ``K_c = ||c||² + 2 mean·w_c``; ``||z||²`` is the same
    for every centroid, so the nearest centroid is the one with the least
    ``K_c − 2 x·w_c``, computed on the raw values without standardising them.
    """

    def __init__(self, segments: Mapping[str, Any] | None) -> None:
        self._plan: tuple[tuple[str, str | None, float], ...] = ()
        self._ranked: tuple[tuple[tuple[float, ...], float, str], ...] = ()
        if not segments:
            return
        features: Sequence[str] = segments["features"]
        means = [float(m) for m in segments["mean"]]
        scales = [float(s) or 1.0 for s in segments["scale"]]
        self._plan = tuple(
            (*indicator(name), mean) for name, mean in zip(features, means, strict=True)
        )
        ranked = []
        for centroid, name in zip(segments["centroids"], segments["names"], strict=True):
            c = [float(v) for v in centroid]
            weights = tuple(v / s for v, s in zip(c, scales, strict=True))
            offset = sum(v * v for v in c) + 2.0 * sum(map(mul, means, weights))
            ranked.append((weights, offset, str(name)))
        self._ranked = tuple(ranked)

    def assign(self, values: Mapping[str, Any]) -> str:
        """The segment name for one applicant; a missing value sits at the population mean."""
        if not self._ranked:
            return DEFAULT_SEGMENT
        get = values.get
        point = []
        for column, level, mean in self._plan:
            raw = get(column)
            if level is not None:
                point.append(1.0 if raw == level else 0.0)
            elif raw is None or raw != raw:
                point.append(mean)
            else:
                point.append(float(raw))
        best_name = DEFAULT_SEGMENT
        best = float("inf")
        for weights, offset, name in self._ranked:
            # map(mul) keeps the dot product in C.
            distance = offset - 2.0 * sum(map(mul, point, weights))
            if distance < best:
                best, best_name = distance, name
        return best_name
