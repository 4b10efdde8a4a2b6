"""Re-computing a funded loan's remaining schedule after a refund.

A refund lowers the outstanding principal. Instalments already due are kept
as they were (the customer has paid or owes them); the remaining ones are
re-built on the reduced principal, over the same number of months, at the
loan's own rate or fee and on the original due dates. Like every schedule
here, the rows reconcile to the fen: their principal parts sum exactly to
the reduced principal and the balance ends at exactly 0.00.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from gateway.prequal.schedules import FEN, ZERO, Schedule, build_schedule, monthly_fee_for
from gateway.prequal.terms import RepaymentMethod

_RATE_STEP = Decimal("0.000001")  # pricing's nominal rates have at most six places


def schedule_rows(schedule: Schedule, *, first_number: int = 1) -> list[dict[str, Any]]:
    """A schedule as JSON rows (the shape of an offer's ``schedule``)."""
    return [
        {
            "number": first_number + i,
            "due_date": row.due_date.isoformat(),
            "payment": str(row.payment),
            "principal": str(row.principal),
            "interest": str(row.interest),
            "fee": str(row.fee),
            "balance_after": str(row.balance_after),
        }
        for i, row in enumerate(schedule.instalments)
    ]


def _same(rows: Sequence[dict[str, Any]], schedule: Schedule) -> bool:
    built = schedule_rows(schedule)
    keys = ("payment", "principal", "interest", "fee", "balance_after")
    return all(
        all(Decimal(a[k]) == Decimal(b[k]) for k in keys) for a, b in zip(rows, built, strict=True)
    )


def loan_pricing(
    method: RepaymentMethod, principal: Decimal, rows: Sequence[dict[str, Any]]
) -> tuple[Decimal, Decimal]:
    """Recover the nominal annual rate and monthly fee a schedule was built with.

    The offer stores its rows and true APR, not the nominal rate. The first
    row's interest pins the rate to a narrow interval; the candidate (six
    places, as pricing uses) that rebuilds every row exactly is the rate.

    Returns:
        ``(annual_rate, monthly_fee)``.

    Raises:
        ValueError: no rate rebuilds the schedule (the rows were not ours).
    """
    start = dt.date.fromisoformat(rows[0]["due_date"])
    start = start.replace(day=1) - dt.timedelta(days=1)  # any date: amounts ignore dates
    tenor = len(rows)
    first_interest = Decimal(rows[0]["interest"])
    fee = Decimal(rows[0]["fee"])
    if method == "fee_based":
        candidate = build_schedule(method, principal, tenor, start, monthly_fee=fee)
        if _same(rows, candidate):
            return ZERO, fee
        raise ValueError("the schedule was not built with its stated fee")
    twelve = Decimal(12)
    low = ((first_interest - Decimal("0.005")) * twelve / principal).quantize(_RATE_STEP)
    high = ((first_interest + Decimal("0.005")) * twelve / principal).quantize(_RATE_STEP)
    rate = max(low - _RATE_STEP, ZERO)
    while rate <= high + _RATE_STEP:
        candidate = build_schedule(method, principal, tenor, start, annual_rate=rate)
        if _same(rows, candidate):
            return rate, ZERO
        rate += _RATE_STEP
    raise ValueError("no nominal rate rebuilds this schedule")


def after_refund(
    method: RepaymentMethod,
    funded_principal: Decimal,
    original_rows: Sequence[dict[str, Any]],
    current_rows: Sequence[dict[str, Any]],
    outstanding: Decimal,
    refund: Decimal,
    today: dt.date,
) -> tuple[Decimal, list[dict[str, Any]]]:
    """The outstanding principal and schedule after a refund.

    Args:
        method: the loan's repayment method.
        funded_principal: what was funded (fixes the loan's rate and fee).
        original_rows: the schedule as funded.
        current_rows: the schedule now (after earlier refunds).
        outstanding: the principal outstanding before this refund.
        refund: the amount refunded (0 < refund <= outstanding).
        today: the refund date; instalments due on or before it are kept.

    Returns:
        The new outstanding principal and the full schedule: kept rows, then
        the re-computed remaining rows (none when nothing remains).

    Raises:
        ValueError: the refund is not positive or exceeds what is outstanding.
    """
    if refund <= 0 or refund > outstanding:
        raise ValueError("a refund must be positive and at most the outstanding principal")
    kept = [row for row in current_rows if dt.date.fromisoformat(row["due_date"]) <= today]
    remaining_dates = [
        dt.date.fromisoformat(row["due_date"])
        for row in current_rows
        if dt.date.fromisoformat(row["due_date"]) > today
    ]
    new_outstanding = (outstanding - refund).quantize(FEN, ROUND_HALF_UP)
    if new_outstanding == 0 or not remaining_dates:
        return new_outstanding, list(kept)
    rate, fee = loan_pricing(method, funded_principal, original_rows)
    if fee:
        # The fee is a rate on principal: it falls in proportion.
        fee = monthly_fee_for(new_outstanding, fee / funded_principal)
    rebuilt = build_schedule(
        method,
        new_outstanding,
        len(remaining_dates),
        remaining_dates[0] - dt.timedelta(days=28),
        annual_rate=rate,
        monthly_fee=fee,
    )
    rows = schedule_rows(rebuilt, first_number=len(kept) + 1)
    for row, due in zip(rows, remaining_dates, strict=True):
        row["due_date"] = due.isoformat()
    return new_outstanding, [*kept, *rows]
