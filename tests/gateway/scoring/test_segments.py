"""Segments: k-means centroids named by rules, assigned to the nearest centroid at serving."""

from __future__ import annotations

from typing import Any

import numpy as np

from gateway.scoring.segmentation import name_clusters
from gateway.scoring.segments import SEGMENT_NAMES, SegmentAssigner

FEATURES = ("age", "verified_monthly_income", "avg_balance", "employment_type=self_employed")


def test_rules_name_wealthy_self_employed_and_young_clusters() -> None:
    # Columns: age, income, balance, self-employed share; one row per cluster mean.
    clusters = np.array(
        [
            [45.0, 7000.0, 10000.0, 0.05],  # mass market
            [27.0, 13000.0, 15000.0, 0.02],  # young, earns above the median
            [43.0, 15000.0, 40000.0, 0.95],  # self-employed
            [52.0, 50000.0, 600000.0, 0.30],  # wealthy
        ]
    )
    raw = np.repeat(clusters, [60, 20, 12, 8], axis=0)
    labels = np.repeat(np.arange(4), [60, 20, 12, 8])
    names = name_clusters(raw, labels, FEATURES, 4)
    assert names == ["mass_market", "young_professional", "small_business_owner", "high_net_worth"]


def test_no_cluster_is_wealthy_unless_twice_the_median_balance() -> None:
    raw = np.array([[40.0, 8000.0, 10000.0, 0.0], [41.0, 8100.0, 11000.0, 0.0]])
    names = name_clusters(raw, np.array([0, 1]), FEATURES, 2)
    assert "high_net_worth" not in names


def test_serving_assigns_the_nearest_centroid_in_standardised_space(
    small_artefact: dict[str, Any],
) -> None:
    segments = small_artefact["segments"]
    assigner = SegmentAssigner(segments)
    assert set(segments["names"]) <= set(SEGMENT_NAMES)
    mean = np.array(segments["mean"])
    scale = np.array(segments["scale"])
    for index, centroid in enumerate(segments["centroids"]):
        raw = np.array(centroid) * scale + mean
        values: dict[str, Any] = {}
        for name, value in zip(segments["features"], raw, strict=True):
            column, _, level = name.partition("=")
            if level:
                values[column] = level if value >= 0.5 else "salaried"
            else:
                values[column] = float(value)
        # A point at a centroid (indicator rounded) lands in that centroid's segment
        # unless the rounding moved it; compare against the exact nearest centroid.
        point = np.array(
            [
                (1.0 if values[n.partition("=")[0]] == n.partition("=")[2] else 0.0)
                if "=" in n
                else values[n]
                for n in segments["features"]
            ]
        )
        z = (point - mean) / scale
        nearest = int(np.argmin(((np.array(segments["centroids"]) - z) ** 2).sum(axis=1)))
        assert assigner.assign(values) == segments["names"][nearest]
        assert index >= 0


def test_a_model_without_segments_puts_everyone_in_mass_market() -> None:
    assert SegmentAssigner(None).assign({"age": 30}) == "mass_market"
