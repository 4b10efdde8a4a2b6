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
    """Nearest-centroid assignment in standardised space, pure Python."""

    def __init__(self, segments: Mapping[str, Any] | None) -> None:
        if not segments:
            self._plan: tuple[tuple[str, str | None, float, float], ...] = ()
            self._centroids: tuple[tuple[float, ...], ...] = ()
            self._names: tuple[str, ...] = ()
            self._ranked: tuple[tuple[tuple[float, ...], float, str], ...] = ()
            return
        features: Sequence[str] = segments["features"]
        self._plan = tuple(
            (*indicator(name), float(mean), float(scale) or 1.0)
            for name, mean, scale in zip(features, segments["mean"], segments["scale"], strict=True)
        )
        self._centroids = tuple(tuple(float(v) for v in c) for c in segments["centroids"])
        self._names = tuple(segments["names"])
        self._ranked = tuple(
            (c, sum(v * v for v in c), name)
            for c, name in zip(self._centroids, self._names, strict=True)
        )

    def assign(self, values: Mapping[str, Any]) -> str:
        """The segment name for one applicant; a missing value sits at the population mean."""
        if not self._centroids:
            return DEFAULT_SEGMENT
        point = []
        for column, level, mean, scale in self._plan:
            raw = values.get(column)
            if level is not None:
                x = 1.0 if raw == level else 0.0
            elif raw is None or raw != raw:
                x = mean
            else:
                x = float(raw)
            point.append((x - mean) / scale)
        # argmin ||z - c||^2 = argmin (||c||^2 - 2 z.c); map(mul) keeps the dot product in C.
        best_name = DEFAULT_SEGMENT
        best = float("inf")
        for centroid, norm, name in self._ranked:
            distance = norm - 2.0 * sum(map(mul, point, centroid))
            if distance < best:
                best, best_name = distance, name
        return best_name
