"""Supervised monotonic binning and weights of evidence."""

from __future__ import annotations

import numpy as np

from gateway.scoring.binning import fit_binning
from gateway.scoring.spec import FeatureSpec


def _risky_by_value(n: int = 5000) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 1, n)
    y = (rng.uniform(0, 1, n) < 0.05 + 0.3 * x).astype(np.int_)
    return x, y


def test_numeric_bins_have_monotonic_bad_rates_in_the_declared_direction() -> None:
    x, y = _risky_by_value()
    binning = fit_binning(FeatureSpec("x", "numeric", "increasing"), x, y)
    assert 2 <= len(binning.bad_rates) <= 6
    assert all(a < b for a, b in zip(binning.bad_rates, binning.bad_rates[1:], strict=False))
    # A higher WoE is a better bin: it falls as risk rises.
    assert all(a > b for a, b in zip(binning.woe, binning.woe[1:], strict=False))
    assert min(binning.counts) >= 0.05 * len(x)


def test_without_a_direction_the_more_informative_one_is_chosen() -> None:
    x, y = _risky_by_value()
    assert fit_binning(FeatureSpec("x", "numeric"), -x, y).direction == "decreasing"


def test_missing_values_get_their_own_weight_of_evidence() -> None:
    x, y = _risky_by_value()
    x = x.copy()
    missing = np.arange(len(x)) % 5 == 0
    y = y.copy()
    y[missing] = 1  # missing is very risky here
    x[missing] = np.nan
    binning = fit_binning(FeatureSpec("x", "numeric", "increasing"), x, y)
    assert binning.missing_count == missing.sum()
    assert binning.missing_woe < min(binning.woe)
    assert binning.transform(np.array([np.nan]))[0] == binning.missing_woe


def test_rare_categories_share_an_other_bin_that_also_takes_unseen_values() -> None:
    rng = np.random.default_rng(5)
    values = np.array(
        rng.choice(["a", "b", "c", "rare1", "rare2"], 3000, p=[0.4, 0.3, 0.26, 0.02, 0.02]),
        dtype=object,
    )
    rate = {"a": 0.05, "b": 0.15, "c": 0.3, "rare1": 0.2, "rare2": 0.2}
    y = np.array([rng.uniform() < rate[v] for v in values], dtype=np.int_)
    binning = fit_binning(FeatureSpec("c", "categorical"), values, y)
    assert binning.other_bin is not None
    assert binning.categories["rare1"] == binning.categories["rare2"] == binning.other_bin
    unseen = binning.bin_index(np.array(["zzz"], dtype=object))[0]
    assert unseen == binning.other_bin
    assert binning.categories["a"] != binning.categories["c"]
