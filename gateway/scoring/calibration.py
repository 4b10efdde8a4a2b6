"""Points → PD as the artefact records it (serving side: pure Python, plus numpy for batches).

Two methods, named by the artefact's ``calibration.method``:

- ``isotonic`` (trained since issue 16): a short table of knots, points rising
  and PD falling, from isotonic regression on binned out-of-fold points
  (:func:`gateway.scoring.evaluation.isotonic_knots`). Between two knots the
  log-odds are interpolated linearly, so the PD falls strictly with the points
  and never reaches 0; beyond the first or last knot it stays at that knot's PD.
- ``platt`` (older artefacts): ``PD = 1 / (1 + exp(−(a · points + b)))``.

The compiled scorer inlines the same arithmetic on its hot path from
:class:`KnotTable`; :func:`pd_of_points` is the vectorised form for batches.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


class CalibrationInvalid(ValueError):
    """The artefact's ``calibration`` is neither a Platt pair nor a monotone knot table."""


@dataclass(frozen=True)
class KnotTable:
    """Knots ready for interpolation: points ascending, log-odds of the PD at each,
    and the slope of the log-odds from each knot to the next."""

    points: tuple[float, ...]
    log_odds: tuple[float, ...]
    slopes: tuple[float, ...]

    @classmethod
    def from_calibration(cls, calibration: Mapping[str, Any]) -> KnotTable:
        """Read ``{"method": "isotonic", "points": [...], "pd": [...]}``.

        Raises:
            CalibrationInvalid: fewer than two knots, points not strictly rising,
                or PDs not strictly falling inside (0, 1).
        """
        points = tuple(float(p) for p in calibration["points"])
        pds = tuple(float(p) for p in calibration["pd"])
        if len(points) < 2 or len(points) != len(pds):
            raise CalibrationInvalid("calibration: needs at least two (points, pd) knots")
        rising = all(a < b for a, b in pairwise(points))
        falling = all(a > b for a, b in pairwise(pds))
        if not (rising and falling and pds[-1] > 0 and pds[0] < 1):
            raise CalibrationInvalid("calibration: knots must rise in points, fall in PD")
        log_odds = tuple(math.log(p / (1 - p)) for p in pds)
        slopes = tuple(
            (log_odds[i + 1] - log_odds[i]) / (points[i + 1] - points[i])
            for i in range(len(points) - 1)
        )
        return cls(points, log_odds, slopes)


def pd_of_points(calibration: Mapping[str, Any], points: FloatArray) -> FloatArray:
    """The calibrated PD of each points score, by the artefact's method.

    Raises:
        CalibrationInvalid: an unknown method or a malformed knot table.
    """
    total = np.asarray(points, dtype=np.float64)
    method = calibration.get("method", "platt")
    if method == "platt":
        z = float(calibration["a"]) * total + float(calibration["b"])
    elif method == "isotonic":
        table = KnotTable.from_calibration(calibration)
        z = np.interp(total, table.points, table.log_odds)
    else:
        raise CalibrationInvalid(f"calibration.method: {method!r} is not platt or isotonic")
    result: FloatArray = 1.0 / (1.0 + np.exp(-z))
    return result
