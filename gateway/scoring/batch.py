"""Vectorised scoring of a whole table with numpy (``gateway model score-batch``).

The same artefact and the same bin conventions as :class:`CompiledScorer`
(``edges[i-1] < x <= edges[i]``, unseen categories to the other bin, missing
to the missing bin), over columns instead of one applicant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from gateway.scoring.frame import DataError, Frame
from gateway.scoring.segments import DEFAULT_SEGMENT, indicator

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class BatchScores:
    """Scores of every row."""

    points: FloatArray
    score: npt.NDArray[np.int64]
    pd: FloatArray
    segment: npt.NDArray[np.object_]


def _numeric_points(feature: Mapping[str, Any], x: FloatArray) -> FloatArray:
    table = np.append(np.asarray(feature["points"], dtype=np.float64), feature["missing_points"])
    index = np.searchsorted(np.asarray(feature["edges"], dtype=np.float64), x, side="left")
    index[np.isnan(x)] = len(table) - 1
    return table[index]


def _categorical_points(feature: Mapping[str, Any], values: np.ndarray) -> FloatArray:
    points = [float(p) for p in feature["points"]]
    missing = float(feature["missing_points"])
    other_bin = feature.get("other_bin")
    other = missing if other_bin is None else points[int(other_bin)]
    levels, inverse = np.unique(np.asarray(values, dtype=np.str_), return_inverse=True)
    lookup = {str(c): points[int(i)] for c, i in feature["categories"].items()}
    per_level = np.array(
        [missing if level == "" else lookup.get(str(level), other) for level in levels]
    )
    return per_level[inverse]


def _raw_categories(frame: Frame, name: str) -> np.ndarray:
    column = frame.columns[name]
    if column.dtype == object:
        return np.array(["" if v is None else str(v) for v in column], dtype=np.str_)
    stripped = np.char.strip(column.astype(np.str_))
    missing = np.isin(np.char.lower(stripped), ["na", "nan", "null", "none"])
    return np.where(missing, "", stripped)


def segments_of(segments: Mapping[str, Any] | None, frame: Frame) -> npt.NDArray[np.object_]:
    """Nearest-centroid segment of each row (missing values at the mean)."""
    if not segments:
        return np.full(frame.rows, DEFAULT_SEGMENT, dtype=object)
    columns = []
    for name, mean in zip(segments["features"], segments["mean"], strict=True):
        column, level = indicator(name)
        if level is not None:
            columns.append((_raw_categories(frame, column) == level).astype(np.float64))
        else:
            x = frame.numeric(column).copy()
            x[np.isnan(x)] = mean
            columns.append(x)
    z = (np.column_stack(columns) - np.asarray(segments["mean"])) / np.asarray(segments["scale"])
    centroids = np.asarray(segments["centroids"], dtype=np.float64)
    # ||z − c||² = ||z||² − 2 z·c + ||c||²; the ||z||² term is the same for every centroid.
    distance = -2.0 * z @ centroids.T + (centroids**2).sum(axis=1)
    names = np.array(segments["names"], dtype=object)
    assigned: npt.NDArray[np.object_] = names[np.argmin(distance, axis=1)]
    return assigned


def score_frame(artefact: Mapping[str, Any], frame: Frame) -> BatchScores:
    """Score every row of ``frame`` with ``artefact``.

    Raises:
        DataError: a feature column is absent or not numeric where it must be.
    """
    total = np.full(frame.rows, float(artefact["intercept_points"]))
    for feature in artefact["features"]:
        if feature["type"] == "numeric":
            total += _numeric_points(feature, frame.numeric(feature["name"]))
        else:
            if not frame.has(feature["name"]):
                raise DataError(f"column {feature['name']}: not in the data")
            total += _categorical_points(feature, _raw_categories(frame, feature["name"]))
    calibration = artefact["calibration"]
    pd = 1.0 / (1.0 + np.exp(-(calibration["a"] * total + calibration["b"])))
    return BatchScores(
        points=total,
        score=np.rint(total).astype(np.int64),
        pd=pd,
        segment=segments_of(artefact.get("segments"), frame),
    )
