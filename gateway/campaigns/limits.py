"""Pre-approved limits by table lookup: the policy's affordability arithmetic, precomputed.

:func:`gateway.prequal.affordability.max_principal` is the rule: the largest
principal, in lending units up to the product maximum, whose payment under
every repayment method fits the customer's monthly capacity. For one product,
grade and tenor that is a step function of the capacity, so it is tabulated
once (each lending unit with the capacity it needs, in fen, from the same
payment function) and every customer's limit is a ``searchsorted`` away.
A test checks the lookup equals ``max_principal`` on random capacities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

import numpy as np
import numpy.typing as npt

from gateway.prequal.affordability import LENDING_UNIT, _payment
from gateway.prequal.policy import DEFAULT_POLICY, PolicyConfig
from gateway.prequal.terms import GRADES, ProductTerms

IntArray = npt.NDArray[np.int64]
FEN_PER_YUAN = 100


def to_fen(amount: Decimal) -> int:
    """A money amount in whole fen (amounts are kept to the fen)."""
    return int((amount * FEN_PER_YUAN).to_integral_value(ROUND_FLOOR))


@dataclass(frozen=True)
class StepTable:
    """One product, grade and tenor: ``amounts[i]`` needs ``needs[i]`` fen a month."""

    amounts: IntArray  # fen, ascending
    needs: IntArray  # fen, ascending

    def lookup(self, capacity: IntArray) -> IntArray:
        """The largest tabulated amount whose need fits each capacity (0 when none)."""
        index = np.searchsorted(self.needs, capacity, side="right")
        padded = np.concatenate(([0], self.amounts))
        result: IntArray = padded[index]
        return result


def step_table(
    terms: ProductTerms, grade: str, tenor: int, unit: Decimal = LENDING_UNIT
) -> StepTable:
    """Tabulate ``max_principal`` for one product, grade and tenor.

    ``max_principal`` returns the product maximum when that fits, else the
    largest multiple of ``unit`` below it that fits; the payment of each
    candidate is the same ``_payment`` it checks (the highest over the
    product's repayment methods, the subsidised plan alone on 0 % tenors).
    """
    methods = ("equal_instalment",) if terms.subsidised(tenor) else terms.repayment_methods
    top = terms.max_amount
    count = int((top / unit).to_integral_value(ROUND_FLOOR))
    candidates = [unit * k for k in range(1, count + 1) if unit * k < top] + [top]
    needs = [
        max(_payment(terms, grade, amount, tenor, m) for m in methods) for amount in candidates
    ]
    return StepTable(
        np.array([to_fen(a) for a in candidates], dtype=np.int64),
        # A need never falls as the amount grows; the running maximum keeps the
        # array sorted for searchsorted even if rounding ever said otherwise.
        np.maximum.accumulate(np.array([to_fen(n) for n in needs], dtype=np.int64)),
    )


@dataclass(frozen=True)
class ProductTables:
    """A product's step tables for every grade and tenor, and the terms the job reads.

    Plain values only (no :class:`ProductTerms`, whose read-only mappings do
    not pickle): the plan travels to every Python worker.
    """

    code: str
    currency: str
    min_amount: Decimal
    customer_age: tuple[int, int]
    tenors: tuple[int, ...]
    tables: dict[tuple[str, int], StepTable]

    @classmethod
    def build(cls, terms: ProductTerms, grades: Sequence[str] = GRADES) -> ProductTables:
        """Tabulate every grade and tenor of ``terms``."""
        tenors = tuple(sorted(terms.tenors))
        return cls(
            terms.code,
            terms.currency,
            terms.min_amount,
            terms.customer_age,
            tenors,
            {(g, t): step_table(terms, g, t) for g in grades for t in tenors},
        )

    def limits(self, grade: IntArray, age: IntArray, capacity: IntArray) -> IntArray:
        """Each customer's best principal over the tenors their age allows, in fen.

        Args:
            grade: index into :data:`GRADES` per customer (beyond it: no grade, limit 0).
            age: completed years.
            capacity: monthly payment capacity in fen.
        """
        youngest, oldest = self.customer_age
        best = np.zeros(len(grade), dtype=np.int64)
        old_enough = age >= youngest
        of_grade = {g: grade == i for i, g in enumerate(GRADES)}
        for tenor in self.tenors:
            fits = old_enough & (age * 12 + tenor <= oldest * 12)
            for g, mask in of_grade.items():
                table = self.tables.get((g, tenor))
                rows = mask & fits
                if table is not None and rows.any():
                    best[rows] = np.maximum(best[rows], table.lookup(capacity[rows]))
        return best


def capacity_fen(
    income_fen: IntArray, debt_fen: IntArray, policy: PolicyConfig = DEFAULT_POLICY
) -> IntArray:
    """``payment_capacity`` in integer fen: ``income × dti_cap − debt``, down to the fen, ≥ 0."""
    numerator, denominator = policy.dti_cap.as_integer_ratio()
    room = (income_fen * numerator - debt_fen * denominator) // denominator
    result: IntArray = np.maximum(room, 0)
    return result
