"""The limit tables give exactly what the policy's affordability arithmetic gives."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from gateway.campaigns.limits import ProductTables, capacity_fen, to_fen
from gateway.partners.loader import load_directory
from gateway.prequal.affordability import max_principal, payment_capacity
from gateway.prequal.policy import DEFAULT_POLICY
from gateway.prequal.products import terms_of
from tests.gateway.campaigns.conftest import ROOT


def _products() -> list[object]:
    loaded = load_directory(ROOT / "partner_configs")
    return [terms_of(p) for c in loaded.configs.values() for p in c.products]


@pytest.mark.parametrize("terms", _products(), ids=lambda t: t.code)
def test_lookup_equals_max_principal_on_random_capacities(terms: object) -> None:
    tables = ProductTables.build(terms)  # type: ignore[arg-type]
    rng = np.random.default_rng(1)
    capacities = np.concatenate(
        [rng.integers(0, 3_000_000, 300), [0, 1, 99, 100_00, 10**9]]
    ).astype(np.int64)
    for (grade, tenor), table in tables.tables.items():
        looked_up = table.lookup(capacities)
        for capacity, got in zip(capacities.tolist(), looked_up.tolist(), strict=True):
            expected = max_principal(terms, grade, tenor, Decimal(capacity) / 100)  # type: ignore[arg-type]
            assert got == to_fen(expected), (grade, tenor, capacity)


def test_capacity_in_fen_equals_payment_capacity() -> None:
    rng = np.random.default_rng(2)
    income = rng.integers(0, 10_000_000, 2000).astype(np.int64)
    debt = rng.integers(0, 5_000_000, 2000).astype(np.int64)
    got = capacity_fen(income, debt)
    for i, d, c in zip(income.tolist(), debt.tolist(), got.tolist(), strict=True):
        expected = payment_capacity(Decimal(i) / 100, Decimal(d) / 100, DEFAULT_POLICY.dti_cap)
        assert c == to_fen(expected)


def test_limits_respect_the_age_at_maturity() -> None:
    terms = _products()[0]
    tables = ProductTables.build(terms)  # type: ignore[arg-type]
    youngest, oldest = tables.customer_age
    grade = np.zeros(3, dtype=np.int64)  # grade A
    age = np.array([youngest - 1, oldest, 30], dtype=np.int64)
    limits = tables.limits(grade, age, np.full(3, 10**9, dtype=np.int64))
    assert limits[0] == 0 and limits[1] == 0 and limits[2] == to_fen(tables_max(terms))


def tables_max(terms: object) -> Decimal:
    return terms.max_amount  # type: ignore[attr-defined, no-any-return]
