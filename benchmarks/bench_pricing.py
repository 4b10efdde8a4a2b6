"""Pricing and policy on the prequalification hot path: microseconds per call.

- a full offer set: 4 tenors × 2 methods (equal_instalment, fee_based), each
  with its schedule and true APR;
- one 12-month schedule; one 24-payment true APR;
- one policy decision (knock-outs, grade, affordability over 4 tenors);
- the products teaser.

Each figure is the best of several rounds of many calls (as ``timeit``
advises: other processes on the machine only ever add time).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from decimal import Decimal

from benchmarks import Figure
from gateway.prequal.apr import true_apr
from gateway.prequal.policy import ApplicantFacts, decide
from gateway.prequal.pricing import price_offers, teaser
from gateway.prequal.schedules import build_schedule
from gateway.prequal.terms import GRADES, ProductTerms

ROUNDS = 5
START = dt.date(2026, 11, 21)
APRS = ("0.079", "0.129", "0.18", "0.22", "0.24")
FEE_RATES = ("0.004", "0.006", "0.008", "0.01", "0.03")
TERMS = ProductTerms(
    code="mall_instalments",
    currency="CNY",
    min_amount=Decimal("500.00"),
    max_amount=Decimal("50000.00"),
    tenors=(3, 6, 12, 24),
    repayment_methods=("equal_instalment", "fee_based"),
    apr_by_grade=dict(zip(GRADES, map(Decimal, APRS), strict=True)),
    monthly_fee_rate_by_grade=dict(zip(GRADES, map(Decimal, FEE_RATES), strict=True)),
)
FACTS = ApplicantFacts(
    age=31,
    is_new_to_bank=False,
    verified_monthly_income=Decimal("8000.00"),
    declared_monthly_income=None,
    monthly_debt_service=Decimal("1500.00"),
)


def _timed(name: str, call: Callable[[], object], calls: int, target: str = "") -> list[Figure]:
    """Wall-clock and CPU microseconds per call, each the best of ``ROUNDS`` rounds.

    CPU time is printed too because this machine is shared: when other
    processes crowd the cores, wall time grows while CPU time per call does not.
    """
    wall, cpu = [], []
    for _ in range(ROUNDS):
        began, began_cpu = time.perf_counter(), time.process_time()
        for _ in range(calls):
            call()
        wall.append((time.perf_counter() - began) / calls * 1e6)
        cpu.append((time.process_time() - began_cpu) / calls * 1e6)
    return [
        Figure(name, min(wall), "µs/call", target),
        Figure(f"{name} [cpu]", min(cpu), "µs/call"),
    ]


def run() -> list[Figure]:
    """Time the pricing engine's public calls."""
    principal = Decimal("3999.00")
    rate = Decimal("0.129")
    payments = build_schedule("equal_instalment", principal, 24, START, annual_rate=rate).payments()
    offers = len(price_offers(TERMS, "B", principal, TERMS.tenors, START))
    return [
        *_timed(
            f"price a full offer set ({offers} offers, schedules + APR)",
            lambda: price_offers(TERMS, "B", principal, TERMS.tenors, START),
            200,
            "a few ms p99 for the whole request",
        ),
        *_timed(
            "one 12-month equal_instalment schedule",
            lambda: build_schedule("equal_instalment", principal, 12, START, annual_rate=rate),
            2000,
        ),
        *_timed("true APR of 24 payments (IRR)", lambda: true_apr(principal, payments), 2000),
        *_timed(
            "policy decision (affordability over 4 tenors)",
            lambda: decide(TERMS, FACTS, pd=0.04, score=640, requested_amount=principal),
            1000,
        ),
        *_timed("products teaser", lambda: teaser(TERMS, principal), 200),
    ]
