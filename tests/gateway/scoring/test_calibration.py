"""Calibration: isotonic knots fitted in training, interpolated the same way in serving."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gateway.scoring.calibration import CalibrationInvalid, KnotTable, pd_of_points
from gateway.scoring.evaluation import PD_FLOOR, isotonic_knots


def test_isotonic_knots_fall_strictly_and_stay_above_the_floor() -> None:
    rng = np.random.default_rng(3)
    points = rng.normal(600, 40, 20_000)
    true_pd = 1 / (1 + np.exp((points - 520) / 25)) + 0.004  # a floor the line cannot reach
    y = (rng.random(points.size) < true_pd).astype(np.int_)
    knots, pds = isotonic_knots(points, y, bins=15)
    assert 2 <= len(knots) <= 15
    assert all(a < b for a, b in itertools.pairwise(knots))
    assert all(a > b for a, b in itertools.pairwise(pds))
    assert min(pds) >= PD_FLOOR
    # The best bin's PD shows the floor (a line in the log-odds would go under it).
    assert pds[-1] == pytest.approx(0.004 + 1 / (1 + np.exp((knots[-1] - 520) / 25)), abs=0.003)


def test_a_hand_computed_pool_of_adjacent_violators() -> None:
    # Four bins of two rows: bad rates 1, 0, 0.5, 0 over rising points; the
    # second and third bins violate the order and pool to 0.25 at their mean.
    points = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
    y = np.array([1, 1, 0, 0, 1, 0, 0, 0])
    knots, pds = isotonic_knots(points, y, bins=4)
    assert knots == [1.5, 4.5, 7.5]
    assert pds == [0.999, 0.25, PD_FLOOR]


def test_serving_interpolates_log_odds_between_knots_and_is_flat_beyond() -> None:
    calibration = {"method": "isotonic", "points": [500.0, 600.0], "pd": [0.5, 0.1]}
    pd = pd_of_points(calibration, np.array([450.0, 500.0, 550.0, 600.0, 700.0]))
    middle = 1 / (1 + np.exp(-(0.0 + np.log(0.1 / 0.9)) / 2))
    assert pd == pytest.approx([0.5, 0.5, middle, 0.1, 0.1])


def test_platt_calibration_is_read_for_older_artefacts() -> None:
    pd = pd_of_points({"method": "platt", "a": -0.1, "b": 60.0}, np.array([600.0]))
    assert pd == pytest.approx([0.5])


@pytest.mark.parametrize(
    "calibration",
    [
        {"method": "isotonic", "points": [500.0], "pd": [0.5]},
        {"method": "isotonic", "points": [600.0, 500.0], "pd": [0.5, 0.1]},
        {"method": "isotonic", "points": [500.0, 600.0], "pd": [0.1, 0.5]},
        {"method": "isotonic", "points": [500.0, 600.0], "pd": [0.5, 0.0]},
    ],
)
def test_a_knot_table_that_is_not_monotone_is_refused(calibration: dict[str, object]) -> None:
    with pytest.raises(CalibrationInvalid):
        KnotTable.from_calibration(calibration)
