"""Vectorised scoring of a whole table with numpy (``gateway model score-batch``).

The same artefact and the same bin conventions as :class:`CompiledScorer`
(``edges[i-1] < x <= edges[i]``, unseen categories to the other bin, missing
to the missing bin), over columns instead of one applicant.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from gateway.scoring.calibration import pd_of_points
from gateway.scoring.frame import MISSING_TOKENS, DataError, Frame
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


def _per_value(values: np.ndarray, resolve: Callable[[str | None], float]) -> FloatArray:
    """Map each value through ``resolve``, called once per distinct value."""
    cells = values.tolist()
    table = {value: resolve(_category(value)) for value in set(cells)}
    # map(dict.__getitem__) stays in C: no Python call per row.
    return np.fromiter(map(table.__getitem__, cells), dtype=np.float64, count=len(cells))


def _category(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return None if text.lower() in MISSING_TOKENS else text


def _categorical_points(feature: Mapping[str, Any], values: np.ndarray) -> FloatArray:
    points = [float(p) for p in feature["points"]]
    missing = float(feature["missing_points"])
    other_bin = feature.get("other_bin")
    other = missing if other_bin is None else points[int(other_bin)]
    table = {str(c): points[int(i)] for c, i in feature["categories"].items()}
    return _per_value(values, lambda v: missing if v is None else table.get(v, other))


def _indicator_of(level: str) -> Callable[[str | None], float]:
    return lambda value: 1.0 if value == level else 0.0


def segments_of(segments: Mapping[str, Any] | None, frame: Frame) -> npt.NDArray[np.object_]:
    """Nearest-centroid segment of each row (missing values at the mean)."""
    if not segments:
        return np.full(frame.rows, DEFAULT_SEGMENT, dtype=object)
    columns = []
    for name, mean in zip(segments["features"], segments["mean"], strict=True):
        column, level = indicator(name)
        if level is not None:
            if not frame.has(column):
                raise DataError(f"column {column}: not in the data")
            values = frame.columns[column]
            columns.append(_per_value(values, _indicator_of(level)))
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
            total += _categorical_points(feature, frame.columns[feature["name"]])
    pd = pd_of_points(artefact["calibration"], total)
    return BatchScores(
        points=total,
        score=np.rint(total).astype(np.int64),
        pd=pd,
        segment=segments_of(artefact.get("segments"), frame),
    )
