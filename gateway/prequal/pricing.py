"""Priced offers: a schedule per tenor and method, with its true APR under the cap.

- ``equal_instalment`` / ``equal_principal``: interest at the grade's APR
  (capped) as the nominal rate; the reported APR is the IRR of the rounded
  instalments. Should fen rounding push that IRR over the cap, the nominal
  rate is lowered until it no longer does.
- ``fee_based``: principal / n plus a fixed fee of principal × the grade's
  monthly fee rate; when that fee's IRR exceeds the cap, the fee is cut to the
  largest amount (in fen) whose IRR is within the cap.
- A tenor the merchant subsidises gets one 0 % offer instead of the priced
  ones; the subsidy (merchant rate × principal) is for the partner's eyes only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from gateway.prequal.apr import annualised_irr, reported_apr
from gateway.prequal.schedules import (
    FEN,
    ZERO,
    Schedule,
    annuity_payment,
    build_schedule,
    monthly_fee_for,
    to_fen,
)
from gateway.prequal.terms import GRADES, ProductTerms, RepaymentMethod

# Float noise in the IRR of a 0 % schedule is ~1e-16; this slack keeps it from
# counting as "over a 0 % cap" while staying far below the 4th decimal place.
_CAP_SLACK = 1e-9
_RATE_STEP = Decimal("0.000001")
_NUDGES = 3
_TEASER_GRADE = "A"  # "from ¥X/month" quotes the best price any customer can get
_TEASER_START = dt.date(2026, 1, 1)  # amounts do not depend on the dates


@dataclass(frozen=True, slots=True)
class SubsidyQuote:
    """What the merchant pays the bank for a 0 % offer (partner-facing only)."""

    merchant_rate: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PricedOffer:
    """One offer: terms, schedule and true APR.

    ``nominal_rate`` is the annual rate interest was charged at;
    ``monthly_fee_rate`` the fee rate charged (``fee_based``; rounded to
    6 places when the cap cut the fee).
    """

    product_code: str
    currency: str
    grade: str
    repayment_method: RepaymentMethod
    apr: Decimal
    nominal_rate: Decimal
    monthly_fee_rate: Decimal
    schedule: Schedule
    merchant_subsidy: SubsidyQuote | None = None

    @property
    def principal(self) -> Decimal:
        """The amount lent."""
        return self.schedule.principal

    @property
    def tenor_months(self) -> int:
        """Number of monthly instalments."""
        return self.schedule.tenor_months

    @property
    def monthly_payment(self) -> Decimal:
        """The regular payment (the first, highest, for ``equal_principal``)."""
        return self.schedule.monthly_payment

    @property
    def total_interest(self) -> Decimal:
        """Sum of the interest parts."""
        return self.schedule.total_interest

    @property
    def total_fees(self) -> Decimal:
        """Sum of the fees."""
        return self.schedule.total_fees

    @property
    def total_cost(self) -> Decimal:
        """Interest plus fees."""
        return self.schedule.total_cost

    @property
    def total_repayable(self) -> Decimal:
        """Principal plus cost; the sum of the instalments."""
        return self.schedule.total_repayable


@dataclass(frozen=True, slots=True)
class Teaser:
    """ "From ¥X/month" for a product listing."""

    monthly_payment_from: Decimal
    tenor_months: int
    apr_from: Decimal


def _apr(schedule: Schedule) -> float:
    guess = float(schedule.annual_rate) if schedule.annual_rate > 0 else None
    return annualised_irr(schedule.principal, schedule.payments(), guess)


def _interest_bearing(
    method: RepaymentMethod, principal: Decimal, tenor: int, start: dt.date, rate: Decimal,
    cap: Decimal,
) -> tuple[Schedule, float]:  # fmt: skip
    ceiling = float(cap) + _CAP_SLACK
    schedule = build_schedule(method, principal, tenor, start, annual_rate=rate)
    apr = _apr(schedule)
    for _ in range(_NUDGES):
        if apr <= ceiling or rate == 0:
            return schedule, apr
        # Usually one nudge by the excess is enough...
        rate = max(ZERO, (rate - (Decimal(repr(apr)) - cap) - _RATE_STEP).quantize(_RATE_STEP))
        schedule = build_schedule(method, principal, tenor, start, annual_rate=rate)
        apr = _apr(schedule)
    if apr <= ceiling:
        return schedule, apr
    # ...but on tiny loans fen rounding makes the APR lumpy in the rate: bisect
    # for the highest rate within the cap (a 0 % rate always is).
    best = build_schedule(method, principal, tenor, start)
    best_apr, low, high = _apr(best), ZERO, rate
    while high - low > _RATE_STEP:
        middle = ((low + high) / 2).quantize(_RATE_STEP)
        schedule = build_schedule(method, principal, tenor, start, annual_rate=middle)
        apr = _apr(schedule)
        if apr <= ceiling:
            best, best_apr, low = schedule, apr, middle
        else:
            high = middle
    return best, best_apr


def _fee_based(
    principal: Decimal, tenor: int, start: dt.date, fee_rate: Decimal, cap: Decimal
) -> tuple[Schedule, float, Decimal]:
    fee = monthly_fee_for(principal, fee_rate)
    schedule = build_schedule("fee_based", principal, tenor, start, monthly_fee=fee)
    apr = _apr(schedule)
    ceiling = float(cap) + _CAP_SLACK
    if apr <= ceiling:
        return schedule, apr, fee_rate
    # The level payment at the cap rate bounds the fee; fen rounding of the
    # principal parts may still need a fen or two off.
    level = annuity_payment(principal, tenor, cap)
    fee = max(ZERO, (level - principal / tenor).quantize(FEN, ROUND_DOWN))
    schedule = build_schedule("fee_based", principal, tenor, start, monthly_fee=fee)
    apr = _apr(schedule)
    while apr > ceiling and fee > 0:
        fee -= FEN
        schedule = build_schedule("fee_based", principal, tenor, start, monthly_fee=fee)
        apr = _apr(schedule)
    return schedule, apr, (fee / principal).quantize(_RATE_STEP, ROUND_DOWN)


def price_offer(
    terms: ProductTerms,
    grade: str,
    principal: Decimal,
    tenor: int,
    method: RepaymentMethod,
    start: dt.date,
) -> PricedOffer:
    """Price one offer at a grade's terms (ignoring any merchant subsidy).

    Args:
        terms: the product.
        grade: risk grade A–E.
        principal: the amount lent (> 0; policy checks the product range).
        tenor: months, one of the product's tenors.
        method: one of the product's repayment methods.
        start: disbursement date; instalment k falls due k months later.

    Returns:
        The offer, its schedule and its true APR (never above ``terms.apr_cap``).

    Raises:
        ValueError: an unknown grade, or a tenor or method the product lacks.
    """
    if grade not in GRADES:
        raise ValueError(f"unknown grade {grade!r}")
    if tenor not in terms.tenors or method not in terms.repayment_methods:
        raise ValueError(f"product {terms.code} offers no {tenor}-month {method} plan")
    principal = to_fen(principal)
    if method == "fee_based":
        fee_rate = terms.monthly_fee_rate_by_grade[grade]
        schedule, apr, fee_rate = _fee_based(principal, tenor, start, fee_rate, terms.apr_cap)
        nominal = ZERO
    else:
        schedule, apr = _interest_bearing(
            method, principal, tenor, start, terms.capped_apr(grade), terms.apr_cap
        )
        nominal, fee_rate = schedule.annual_rate, ZERO
    return PricedOffer(
        terms.code, terms.currency, grade, method, reported_apr(apr), nominal, fee_rate, schedule
    )


def price_subsidised(
    terms: ProductTerms, grade: str, principal: Decimal, tenor: int, start: dt.date
) -> PricedOffer:
    """The merchant-subsidised 0 % offer: equal instalments, no interest, no fee.

    Raises:
        ValueError: the product does not subsidise this tenor.
    """
    subsidy = terms.merchant_subsidy
    if subsidy is None or tenor not in subsidy.tenors or tenor not in terms.tenors:
        raise ValueError(f"product {terms.code} subsidises no {tenor}-month plan")
    schedule = build_schedule("equal_instalment", to_fen(principal), tenor, start)
    quote = SubsidyQuote(subsidy.merchant_rate, to_fen(subsidy.merchant_rate * principal))
    return PricedOffer(
        terms.code, terms.currency, grade, "equal_instalment", reported_apr(_apr(schedule)),
        ZERO, ZERO, schedule, quote,
    )  # fmt: skip


def price_offers(
    terms: ProductTerms,
    grade: str,
    principal: Decimal,
    tenors: Iterable[int],
    start: dt.date,
) -> list[PricedOffer]:
    """Every offer for a principal: per tenor, one per repayment method.

    A subsidised tenor yields its single 0 % offer instead (it costs the
    customer nothing, so no priced offer beside it could be better).

    Args:
        terms: the product.
        grade: risk grade A–E.
        principal: the approved amount.
        tenors: the tenors to price (each one of the product's).
        start: disbursement date.

    Returns:
        Offers by ascending tenor, methods in the product's order.

    Raises:
        ValueError: an unknown grade or tenor.
    """
    offers = []
    for tenor in sorted(set(tenors)):
        if terms.subsidised(tenor):
            offers.append(price_subsidised(terms, grade, principal, tenor, start))
            continue
        for method in terms.repayment_methods:
            offers.append(price_offer(terms, grade, principal, tenor, method, start))
    return offers


def teaser(terms: ProductTerms, amount: Decimal) -> Teaser | None:
    """The lowest monthly payment and lowest APR a product offers for an amount.

    Quoted at grade A, the best price any customer gets, over every tenor and
    method (subsidised tenors at 0 %).

    Returns:
        The teaser, or ``None`` when the amount is outside the product's range.
    """
    if not terms.min_amount <= amount <= terms.max_amount:
        return None
    offers = price_offers(terms, _TEASER_GRADE, amount, terms.tenors, _TEASER_START)
    cheapest = min(offers, key=lambda o: (o.monthly_payment, -o.tenor_months))
    return Teaser(
        cheapest.monthly_payment, cheapest.tenor_months, min(offer.apr for offer in offers)
    )
