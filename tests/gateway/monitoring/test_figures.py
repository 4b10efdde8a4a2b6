"""Each monitoring figure against a small example computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gateway.monitoring.estimation import expected_auc, expected_bad_rate, expected_brier
from gateway.monitoring.performance import auc, brier, calibration_table, ks, wilson_interval
from gateway.monitoring.stability import (
    bin_counts,
    categorical_bins,
    level,
    numeric_bins,
    psi,
)
from gateway.monitoring.vintage import vintage_curves


def test_psi_of_a_half_half_split_moving_to_a_quarter() -> None:
    # (0.25 - 0.5) ln(0.25/0.5) + (0.75 - 0.5) ln(0.75/0.5)
    expected = 0.25 * math.log(2) + 0.25 * math.log(1.5)
    assert psi([50, 50], [25, 75]) == pytest.approx(expected)
    assert psi([50, 50], [25, 75]) == pytest.approx(0.274653, abs=1e-6)


def test_psi_is_zero_for_the_same_shares_whatever_the_counts() -> None:
    assert psi([10, 30, 60], [100, 300, 600]) == pytest.approx(0.0)


def test_psi_floors_an_empty_bin_instead_of_going_infinite() -> None:
    # expected shares (1, 0.0001 floor), actual (0.5, 0.5)
    by_hand = (0.5 - 1.0) * math.log(0.5) + (0.5 - 0.0001) * math.log(0.5 / 0.0001)
    assert psi([100, 0], [50, 50]) == pytest.approx(by_hand)
    assert math.isfinite(psi([0, 10], [10, 0]))


def test_psi_needs_the_same_bins() -> None:
    with pytest.raises(ValueError, match="same bins"):
        psi([1, 2], [1, 2, 3])


def test_numeric_bins_match_the_scorers_bisect_left_and_put_nan_last() -> None:
    values = np.array([0.0, 1.0, 1.5, 2.0, 9.0, np.nan])
    assert numeric_bins(values, [1.0, 2.0]).tolist() == [0, 0, 1, 1, 2, 3]
    assert bin_counts(numeric_bins(values, [1.0, 2.0]), 4).tolist() == [2, 2, 1, 1]


def test_categorical_bins_send_unseen_to_other_and_none_to_missing() -> None:
    index = categorical_bins(["a", "b", "zzz", None], {"a": 0, "b": 1}, 1, 2)
    assert index.tolist() == [0, 1, 1, 2]


def test_levels_follow_the_thresholds() -> None:
    assert [level(0.05), level(0.10), level(0.2), level(0.25)] == [
        "stable",
        "watch",
        "watch",
        "alert",
    ]


def test_auc_ks_and_brier_of_four_loans() -> None:
    y = [0, 0, 1, 1]
    pd = [0.1, 0.4, 0.35, 0.8]
    # Pairs (bad, good): (0.35 > 0.1) yes, (0.35 > 0.4) no, (0.8 > both) yes, yes -> 3/4.
    assert auc(y, pd) == pytest.approx(0.75)
    # Ranked by PD: 0.8 bad, 0.4 good, 0.35 bad, 0.1 good -> gaps 0.5, 0, 0.5, 0.
    assert ks(y, pd) == pytest.approx(0.5)
    assert brier([0, 1], [0.2, 0.6]) == pytest.approx((0.04 + 0.16) / 2)


def test_auc_counts_ties_as_half() -> None:
    assert auc([0, 1], [0.5, 0.5]) == pytest.approx(0.5)
    assert ks([0, 1], [0.5, 0.5]) == pytest.approx(0.0)


def test_auc_needs_goods_and_bads() -> None:
    with pytest.raises(ValueError, match="goods and bads"):
        auc([1, 1], [0.1, 0.2])


def test_wilson_interval_of_ten_bads_in_a_hundred() -> None:
    low, high = wilson_interval(10, 100)
    assert low == pytest.approx(0.05523, abs=1e-5)
    assert high == pytest.approx(0.17437, abs=1e-5)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    assert wilson_interval(0, 20)[0] == 0.0


def test_calibration_table_says_whether_the_pd_is_inside_the_interval() -> None:
    bands = ["560-579"] * 100 + ["600-619"] * 100
    y = [1] * 10 + [0] * 90 + [1] * 1 + [0] * 99
    pd = [0.11] * 100 + [0.08] * 100
    rows = calibration_table(bands, y, pd)
    assert [r["band"] for r in rows] == ["560-579", "600-619"]
    assert rows[0]["loans"] == 100 and rows[0]["bads"] == 10
    assert rows[0]["observed_bad_rate"] == pytest.approx(0.1)
    assert rows[0]["within"] is True
    # 1 in 100 has a Wilson interval of about (0.0018, 0.0545): 0.08 is outside.
    assert rows[1]["within"] is False


def test_cbpe_estimates_from_pds_alone() -> None:
    assert expected_bad_rate([0.1, 0.3]) == pytest.approx(0.2)
    assert expected_brier([0.1, 0.5]) == pytest.approx((0.09 + 0.25) / 2)
    # Expected ROC: (0,0) -> (0.2, 0.8) -> (1, 1): 0.2*0.8/2 + 0.8*1.8/2.
    assert expected_auc([0.8, 0.2]) == pytest.approx(0.08 + 0.72)
    assert expected_auc([0.5, 0.5]) == pytest.approx(0.5)
    assert expected_auc([1.0, 0.0]) == pytest.approx(1.0)


def test_cbpe_auc_matches_the_realised_auc_on_average_when_calibrated() -> None:
    rng = np.random.default_rng(7)
    pd = rng.beta(1.2, 12.0, 20000)
    y = (rng.random(pd.size) < pd).astype(int)
    assert expected_auc(pd) == pytest.approx(auc(y, pd), abs=0.015)
    assert expected_bad_rate(pd) == pytest.approx(y.mean(), abs=0.005)
    assert expected_brier(pd) == pytest.approx(brier(y, pd), abs=0.003)


def test_vintage_curves_count_a_loan_only_once_it_is_old_enough() -> None:
    curves = vintage_curves(
        ["2026-01", "2026-01", "2026-01", "2026-02"],
        [3, 3, 1, 2],
        [2, np.nan, np.nan, 1],
        horizon=3,
    )
    assert curves == {"2026-01": [0.0, 0.5, 0.5], "2026-02": [1.0, 1.0, None]}


def test_familywise_intervals_are_wider_than_per_band_ones() -> None:
    from gateway.monitoring.performance import familywise_z

    assert familywise_z(1) == pytest.approx(1.959964, abs=1e-5)
    assert familywise_z(12) == pytest.approx(2.865, abs=1e-3)
    # 7 of 495 observed against 3.2 % predicted: outside at 95 %, inside family-wise over 12.
    assert wilson_interval(7, 495)[1] < 0.032 < wilson_interval(7, 495, familywise_z(12))[1]


def test_auc_standard_error_of_hanley_and_mcneil() -> None:
    from gateway.monitoring.performance import auc_standard_error

    # A = 0.8, 50 bads, 450 goods: Q1 = 0.8/1.2, Q2 = 2*0.64/1.8.
    q1, q2 = 0.8 / 1.2, 1.28 / 1.8
    by_hand = math.sqrt((0.16 + 49 * (q1 - 0.64) + 449 * (q2 - 0.64)) / (50 * 450))
    assert auc_standard_error(0.8, 50, 450) == pytest.approx(by_hand)
