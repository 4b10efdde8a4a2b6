"""Stability of the score and of each characteristic, live against the artefact's baseline.

Bins and development counts come from the artefact: each feature's own bins
(plus missing), and the score's bands (``baseline.score``). Live decisions are
rescored with the monitored artefact from their stored features, so the
score's PSI measures the population, not a model change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from gateway.monitoring.stability import (
    bin_counts,
    categorical_bins,
    level,
    numeric_bins,
    psi,
)
from gateway.scoring.scorer import CompiledScorer


def _value(value: Any) -> float:
    return float("nan") if value is None else float(value)


def feature_distribution(
    feature: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]
) -> tuple[list[int], list[int]]:
    """Development and live counts over one characteristic's bins (missing last)."""
    bins = len(feature["counts"])
    name = feature["name"]
    if feature["type"] == "numeric":
        values = np.array([_value(row.get(name)) for row in rows], dtype=np.float64)
        index = numeric_bins(values, feature["edges"])  # missing is bin ``bins``
    else:
        index = categorical_bins(
            [row.get(name) for row in rows], feature["categories"], feature.get("other_bin"), bins
        )
    expected = [*feature["counts"], feature.get("missing_count", 0)]
    actual = bin_counts(index, bins + 1).tolist()
    return [int(c) for c in expected], [int(c) for c in actual]


def score_distribution(
    artefact: Mapping[str, Any], scores: Sequence[int]
) -> tuple[list[int], list[int]]:
    """Development and live counts over the score bands.

    Raises:
        KeyError: the artefact carries no score baseline (trained before it did).
    """
    baseline = artefact["baseline"]["score"]
    edges = baseline["edges"]
    index = np.searchsorted(np.asarray(edges, dtype=np.float64), np.asarray(scores), side="left")
    actual = bin_counts(index.astype(np.int64), len(edges) + 1).tolist()
    return [int(c) for c in baseline["counts"]], [int(c) for c in actual]


def stability(
    scorer: CompiledScorer,
    rows: Sequence[Mapping[str, Any]],
    *,
    watch: float,
    alert: float,
) -> dict[str, Any]:
    """PSI of the rescored score and CSI of every characteristic over ``rows`` (feature dicts).

    Returns:
        ``{"decisions", "score": {...}, "characteristics": [{...}, ...]}``, each
        figure with its value, level and the two distributions.
    """
    artefact = scorer.artefact
    scores = [scorer.score(row).score for row in rows]
    expected, actual = score_distribution(artefact, scores)
    score_psi = psi(expected, actual) if rows else 0.0
    characteristics = []
    for feature in artefact["features"]:
        dev, live = feature_distribution(feature, rows)
        value = psi(dev, live) if rows else 0.0
        characteristics.append(
            {
                "name": feature["name"],
                "csi": round(value, 4),
                "level": level(value, watch, alert),
                "expected": dev,
                "actual": live,
            }
        )
    characteristics.sort(key=lambda c: c["csi"], reverse=True)
    return {
        "decisions": len(rows),
        "score": {
            "psi": round(score_psi, 4),
            "level": level(score_psi, watch, alert),
            "bands": artefact["baseline"]["score"]["labels"],
            "expected": expected,
            "actual": actual,
        },
        "characteristics": characteristics,
    }
