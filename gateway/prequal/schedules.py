"""Repayment schedules to the fen.

Every amount is a ``Decimal`` rounded half-up to 0.01. The regular parts are
rounded each month and the last instalment absorbs what rounding left over, so
the instalments sum exactly to the total repayable, the principal parts sum
exactly to the principal and the balance ends at exactly 0.00.

Interest accrues monthly at the nominal annual rate / 12 on the balance before
each instalment (the monthly-IRR × 12 convention of ``docs/pricing.md``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from gateway.prequal.terms import RepaymentMethod

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
_ONE = Decimal(1)
_TWELVE = Decimal(12)


def to_fen(amount: Decimal) -> Decimal:
    """Round an amount half-up to the fen."""
    return amount.quantize(FEN, ROUND_HALF_UP)


class Instalment(NamedTuple):
    """One row of a schedule (a named tuple: schedules build many, and cheaply)."""

    number: int
    due_date: dt.date
    payment: Decimal
    principal: Decimal
    interest: Decimal
    fee: Decimal
    balance_after: Decimal


@dataclass(frozen=True, slots=True)
class Schedule:
    """A full repayment schedule and its totals.

    ``monthly_payment`` is the regular payment: for ``equal_instalment`` and
    ``fee_based`` every instalment but possibly the last (which absorbs
    rounding); for ``equal_principal`` the first and highest payment.
    """

    method: RepaymentMethod
    principal: Decimal
    tenor_months: int
    annual_rate: Decimal
    monthly_fee: Decimal
    instalments: tuple[Instalment, ...]
    monthly_payment: Decimal
    total_interest: Decimal
    total_fees: Decimal

    @property
    def total_cost(self) -> Decimal:
        """Interest plus fees: what borrowing costs beyond the principal."""
        return self.total_interest + self.total_fees

    @property
    def total_repayable(self) -> Decimal:
        """Principal plus cost; exactly the sum of the instalments."""
        return self.principal + self.total_interest + self.total_fees

    def payments(self) -> list[Decimal]:
        """The customer's payments in order (the cash flows after disbursement)."""
        return [row.payment for row in self.instalments]


@functools.lru_cache(maxsize=1024)
def due_dates(start: dt.date, count: int) -> tuple[dt.date, ...]:
    """Monthly due dates after ``start``: same day of month, clamped to short months.

    The day is always taken from ``start`` (31 Jan → 28 Feb → 31 Mar), so one
    short month never drags later dates earlier. Cached: a day's requests
    share a start date, and every method of an offer set shares the dates.
    """
    dates = []
    for k in range(1, count + 1):
        months = start.month - 1 + k
        year, month = start.year + months // 12, months % 12 + 1
        day = start.day
        if day > 28:
            day = min(day, _days_in_month(year, month))
        dates.append(dt.date(year, month, day))
    return tuple(dates)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if calendar.isleap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


@functools.lru_cache(maxsize=4096)
def annuity_factor(annual_rate: Decimal, tenor: int) -> Decimal:
    """The level payment per yuan lent: ``i / (1 − (1 + i)^−n)``, ``i = annual_rate / 12``.

    Cached: a product has a handful of grade rates and tenors, and the power
    is the dearest step of pricing and affordability.
    """
    if annual_rate == 0:
        return _ONE / tenor
    rate = annual_rate / _TWELVE
    return rate / (_ONE - (_ONE + rate) ** -tenor)


def annuity_payment(principal: Decimal, tenor: int, annual_rate: Decimal) -> Decimal:
    """The rounded level payment of an annuity (等额本息) at ``annual_rate`` / 12."""
    if annual_rate == 0:
        return to_fen(principal / tenor)
    return to_fen(principal * annuity_factor(annual_rate, tenor))


def monthly_fee_for(principal: Decimal, monthly_fee_rate: Decimal) -> Decimal:
    """The fixed monthly fee of a fee-based plan: principal × rate, to the fen."""
    return to_fen(principal * monthly_fee_rate)


def regular_payment(
    method: RepaymentMethod,
    principal: Decimal,
    tenor: int,
    *,
    annual_rate: Decimal = ZERO,
    monthly_fee: Decimal = ZERO,
) -> Decimal:
    """The schedule's ``monthly_payment`` without building the whole schedule."""
    if method == "equal_instalment":
        return annuity_payment(principal, tenor, annual_rate)
    first_principal = to_fen(principal / tenor)
    if method == "equal_principal":
        return first_principal + to_fen(principal * (annual_rate / _TWELVE))
    return first_principal + monthly_fee


def build_schedule(
    method: RepaymentMethod,
    principal: Decimal,
    tenor: int,
    start: dt.date,
    *,
    annual_rate: Decimal = ZERO,
    monthly_fee: Decimal = ZERO,
) -> Schedule:
    """Build a schedule.

    Args:
        method: ``equal_instalment``, ``equal_principal`` or ``fee_based``.
        principal: the amount lent, to the fen (> 0).
        tenor: number of monthly instalments (>= 1).
        start: the disbursement date; instalment k falls due k months later.
        annual_rate: nominal annual interest rate (interest-bearing methods).
        monthly_fee: the fixed fee per instalment (``fee_based``).

    Returns:
        The schedule with its totals.

    Raises:
        ValueError: a non-positive principal or tenor, or a negative rate or fee.
    """
    if principal <= 0 or tenor < 1 or annual_rate < 0 or monthly_fee < 0:
        raise ValueError("principal and tenor must be positive; rate and fee non-negative")
    principal = to_fen(principal)
    if method == "fee_based":
        annual_rate = ZERO
    else:
        monthly_fee = ZERO
    rate = annual_rate / _TWELVE
    level = regular_payment(
        method, principal, tenor, annual_rate=annual_rate, monthly_fee=monthly_fee
    )
    principal_part = to_fen(principal / tenor)
    annuity = method == "equal_instalment"
    balance = principal
    rows = []
    total_interest = ZERO
    # The hot loop of pricing: local names and no helper calls per row.
    for number, due in enumerate(due_dates(start, tenor), start=1):
        interest = (balance * rate).quantize(FEN, ROUND_HALF_UP) if rate else ZERO
        if number == tenor:
            part = balance
        else:
            part = level - interest if annuity else principal_part
            if part > balance:
                part = balance
        balance -= part
        total_interest += interest
        rows.append(
            Instalment(number, due, part + interest + monthly_fee, part, interest,
                       monthly_fee, balance)
        )  # fmt: skip
    return Schedule(
        method=method,
        principal=principal,
        tenor_months=tenor,
        annual_rate=annual_rate,
        monthly_fee=monthly_fee,
        instalments=tuple(rows),
        monthly_payment=rows[0].payment if method != "equal_instalment" or tenor == 1 else level,
        total_interest=total_interest,
        total_fees=monthly_fee * tenor,
    )
