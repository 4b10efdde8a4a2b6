"""The synthetic population: seeded, documented, and safe for the sandbox."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from gateway.profiles.population import synthetic_phones, write_population_csv
from gateway.profiles.profile import FEATURE_FIELDS
from gateway.profiles.synthetic import PERSONAS, generate_population, synthetic_profile_for


def test_the_same_seed_gives_the_same_population() -> None:
    one, y_one = generate_population(500, 7)
    two, y_two = generate_population(500, 7)
    other, _ = generate_population(500, 8)
    assert np.array_equal(y_one, y_two)
    for name in FEATURE_FIELDS:
        assert np.array_equal(one[name], two[name], equal_nan=one[name].dtype.kind == "f")
    assert not np.array_equal(one["verified_monthly_income"], other["verified_monthly_income"])


def test_the_population_has_its_documented_shape() -> None:
    columns, defaulted = generate_population(50_000, 1)
    assert 0.05 < defaulted.mean() < 0.12
    shares = [float(np.mean(columns["persona"] == p)) for p in PERSONAS]
    assert abs(shares[0] - 0.62) < 0.02 and abs(shares[3] - 0.08) < 0.01
    # No loan history means no on-time ratio; a thin file has no utilisation.
    assert np.all(np.isnan(columns["on_time_ratio"]) == (columns["past_loans"] == 0))
    assert np.all(np.isnan(columns["utilisation"]) == (columns["oldest_account_months"] == 0))
    # The true default responds to what the model can see: delinquency raises it.
    delinquent = columns["delinquencies_12m"] > 0
    assert defaulted[delinquent].mean() > 2 * defaulted[~delinquent].mean()


def test_synthetic_profile_for_is_deterministic_per_customer() -> None:
    first = synthetic_profile_for("cus_" + "a" * 64)
    assert first == synthetic_profile_for("cus_" + "a" * 64)
    assert first != synthetic_profile_for("cus_" + "b" * 64)
    assert first.synthetic
    assert first.customer_ref == "cus_" + "a" * 64


def test_generated_phones_are_unique_and_never_sandbox_personas() -> None:
    phones = synthetic_phones(100_000, 3)
    assert len(set(phones)) == len(phones)
    assert not any(p.startswith("+86138000000") for p in phones)
    assert all(len(p) == 14 and p.startswith("+86139") for p in phones[:100])


def test_the_csv_has_a_phone_every_feature_and_the_true_outcome(tmp_path: Path) -> None:
    columns, defaulted = generate_population(200, 5)
    path = tmp_path / "p.csv"
    write_population_csv(path, columns, defaulted, 5)
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 200
    assert list(rows[0]) == ["phone", *FEATURE_FIELDS, "defaulted"]
    assert sum(int(r["defaulted"]) for r in rows) == int(defaulted.sum())
    assert all(r["on_time_ratio"] == "" for r in rows if r["past_loans"] == "0")
