"""Fit customer segments (training only; uses scikit-learn's k-means).

Segments are named by interpretable rules over the centroids in original
units, applied in order, each to the clusters not yet named:

1. ``high_net_worth``: the cluster with the highest mean ``avg_balance``, if
   that mean is at least twice the population median;
2. ``small_business_owner``: the cluster with the highest share of
   ``employment_type=self_employed``, if at least half;
3. ``young_professional``: the cluster with the lowest mean ``age``, if under
   35 and its mean ``verified_monthly_income`` is at least the population median;
4. every other cluster: ``mass_market``.

A rule whose column is not among the segment features is skipped.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.cluster import KMeans

from gateway.scoring.frame import Frame
from gateway.scoring.segments import indicator
from gateway.scoring.spec import SegmentSpec

NAMING_RULES = (
    {"name": "high_net_worth", "rule": "highest mean avg_balance, at least 2x the median"},
    {"name": "small_business_owner", "rule": "highest self-employed share, at least 0.5"},
    {"name": "young_professional", "rule": "lowest mean age, under 35, income >= median"},
    {"name": "mass_market", "rule": "every other cluster"},
)


def segment_matrix(frame: Frame, features: tuple[str, ...]) -> npt.NDArray[np.float64]:
    """The raw segment features, missing values at the column mean."""
    columns = []
    for name in features:
        column, level = indicator(name)
        if level is not None:
            values = frame.categorical(column)
            columns.append(np.array([1.0 if v == level else 0.0 for v in values]))
        else:
            x = frame.numeric(column).copy()
            x[np.isnan(x)] = np.nanmean(x) if np.any(~np.isnan(x)) else 0.0
            columns.append(x)
    return np.column_stack(columns)


def fit_segments(frame: Frame, spec: SegmentSpec) -> dict[str, Any]:
    """k-means on standardised features; returns the artefact's ``segments`` block."""
    raw = segment_matrix(frame, spec.features)
    mean = raw.mean(axis=0)
    scale = raw.std(axis=0)
    scale[scale == 0] = 1.0
    model = KMeans(n_clusters=spec.k, n_init=10, random_state=spec.seed)
    labels = model.fit_predict((raw - mean) / scale)
    centroids = model.cluster_centers_
    names = name_clusters(raw, labels, spec.features, spec.k)
    shares = np.bincount(labels, minlength=spec.k) / len(labels)
    return {
        "features": list(spec.features),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "centroids": [[round(float(v), 6) for v in c] for c in centroids],
        "names": names,
        "shares": [round(float(v), 4) for v in shares],
        "naming_rules": list(NAMING_RULES),
    }


def name_clusters(
    raw: npt.NDArray[np.float64], labels: npt.NDArray[np.int_], features: tuple[str, ...], k: int
) -> list[str]:
    """Apply :data:`NAMING_RULES` to cluster means in original units."""
    means = np.array(
        [raw[labels == c].mean(axis=0) if np.any(labels == c) else raw.mean(0) for c in range(k)]
    )
    column = {name: i for i, name in enumerate(features)}
    names: list[str | None] = [None] * k

    def pick(feature: str, best: str) -> int | None:
        open_ = [c for c in range(k) if names[c] is None]
        if feature not in column or not open_:
            return None
        values = means[open_, column[feature]]
        return open_[int(np.argmax(values) if best == "max" else np.argmin(values))]

    median = {f: float(np.median(raw[:, i])) for f, i in column.items()}
    c = pick("avg_balance", "max")
    if c is not None and means[c, column["avg_balance"]] >= 2 * median["avg_balance"]:
        names[c] = "high_net_worth"
    c = pick("employment_type=self_employed", "max")
    if c is not None and means[c, column["employment_type=self_employed"]] >= 0.5:
        names[c] = "small_business_owner"
    c = pick("age", "min")
    if c is not None and means[c, column["age"]] < 35:
        income = column.get("verified_monthly_income")
        if income is None or means[c, income] >= median["verified_monthly_income"]:
            names[c] = "young_professional"
    return [n or "mass_market" for n in names]
