"""Credit policy: knock-outs, PD → grade, referral, affordability, partial approval.

Order of play (``docs/pricing.md`` has the table of defaults):

1. Knock-outs, all collected: fraud flag, blacklist, current delinquency, age
   (at application, and at maturity for every tenor), amount outside the
   product's range, PD beyond the decline cut-off, contact-frequency cap.
   Any knock-out declines.
2. A PD within ``referral_margin`` of the decline cut-off (either side) is
   ``referred`` to manual review.
3. Affordability: the largest principal per tenor whose payment fits the
   debt-to-income cap. Less than the product minimum declines; less than
   requested is a partial approval with the difference payable upfront.

New-to-bank customers get a stricter policy: their grade is one worse (so the
decline cut-off moves one grade up), a lower DTI cap and a lower maximum.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

from gateway.errors import ValidationFailed
from gateway.prequal.affordability import LENDING_UNIT, max_principal, payment_capacity
from gateway.prequal.reasons import Reason, reason
from gateway.prequal.terms import Grade, ProductTerms

DecisionStatus = Literal["approved", "partially_approved", "declined", "referred"]
IncomeBasis = Literal["verified", "declared"]


@dataclass(frozen=True, slots=True)
class ApplicantFacts:
    """What policy knows about the applicant (the model's PD and score come apart).

    ``age`` is in completed years at application; incomes and debt service
    are monthly amounts; ``recent_offer_count_30d`` counts prequalifications
    with offers in the last 30 days across all partners.
    """

    age: int
    is_new_to_bank: bool
    verified_monthly_income: Decimal | None
    declared_monthly_income: Decimal | None
    monthly_debt_service: Decimal = Decimal("0.00")
    fraud: bool = False
    blacklist: bool = False
    current_delinquency: bool = False
    recent_offer_count_30d: int = 0


def _default_contact_caps() -> Mapping[str, int]:
    return MappingProxyType({"D": 3, "E": 2})


@dataclass(frozen=True)
class PolicyConfig:
    """Policy parameters; every default is documented in ``docs/pricing.md``.

    ``grade_pd_bounds``: each grade's exclusive upper PD bound, best grade
    first; a PD at or above the last bound is beyond the decline cut-off.
    """

    grade_pd_bounds: tuple[tuple[Grade, float], ...] = (
        ("A", 0.02),
        ("B", 0.05),
        ("C", 0.10),
        ("D", 0.18),
        ("E", 0.30),
    )
    referral_margin: float = 0.03
    dti_cap: Decimal = Decimal("0.50")
    new_to_bank_dti_cap: Decimal = Decimal("0.40")
    declared_income_haircut: Decimal = Decimal("0.70")
    new_to_bank_grade_shift: int = 1
    new_to_bank_max_amount: Decimal = Decimal("20000.00")
    contact_frequency_cap: int = 5
    contact_frequency_cap_by_grade: Mapping[str, int] = field(default_factory=_default_contact_caps)
    lending_unit: Decimal = LENDING_UNIT
    max_model_reasons: int = 3

    def decline_pd(self, new_to_bank: bool) -> float:
        """The PD at and above which an applicant is beyond the cut-off."""
        shift = self.new_to_bank_grade_shift if new_to_bank else 0
        return self.grade_pd_bounds[len(self.grade_pd_bounds) - 1 - shift][1]

    def grade_for(self, pd: float, new_to_bank: bool) -> Grade | None:
        """The risk grade for a PD (``None`` beyond the cut-off)."""
        shift = self.new_to_bank_grade_shift if new_to_bank else 0
        for index, (_, upper) in enumerate(self.grade_pd_bounds):
            if pd < upper:
                shifted = index + shift
                if shifted < len(self.grade_pd_bounds):
                    return self.grade_pd_bounds[shifted][0]
                return None
        return None

    def contact_cap(self, grade: str) -> int:
        """Prequalifications with offers allowed per rolling 30 days at a grade."""
        return self.contact_frequency_cap_by_grade.get(grade, self.contact_frequency_cap)


DEFAULT_POLICY = PolicyConfig()


@dataclass(frozen=True)
class PolicyDecision:
    """The policy's answer; ``offer_tenors`` are the tenors to price at ``approved_amount``."""

    status: DecisionStatus
    grade: Grade | None
    pd: float
    score: int
    requested_amount: Decimal
    approved_amount: Decimal | None = None
    upfront_payment: Decimal | None = None
    max_principal_by_tenor: Mapping[int, Decimal] = field(default_factory=dict)
    offer_tenors: tuple[int, ...] = ()
    reasons: tuple[Reason, ...] = ()
    income_basis: IncomeBasis | None = None
    payment_capacity: Decimal | None = None

    @property
    def human_review_available(self) -> bool:
        """A declined customer may ask for a person to review the decision (PIPL Art. 24)."""
        return self.status == "declined"


def _offered_tenors(terms: ProductTerms, requested: Iterable[int] | None) -> tuple[int, ...]:
    if requested is None:
        return tuple(sorted(terms.tenors))
    tenors = tuple(sorted(set(requested) & set(terms.tenors)))
    if not tenors:
        raise ValidationFailed({"requested_tenors": "none of these tenors is offered"})
    return tenors


def _income(facts: ApplicantFacts, config: PolicyConfig) -> tuple[Decimal, IncomeBasis] | None:
    if facts.verified_monthly_income is not None and facts.verified_monthly_income > 0:
        return facts.verified_monthly_income, "verified"
    if facts.declared_monthly_income is not None and facts.declared_monthly_income > 0:
        return facts.declared_monthly_income * config.declared_income_haircut, "declared"
    return None


def decide(
    terms: ProductTerms,
    facts: ApplicantFacts,
    *,
    pd: float,
    score: int,
    requested_amount: Decimal,
    requested_tenors: Iterable[int] | None = None,
    config: PolicyConfig = DEFAULT_POLICY,
    model_reasons: Sequence[Reason] = (),
) -> PolicyDecision:
    """Decide an application under the product's terms.

    Args:
        terms: the product applied for.
        facts: the applicant's facts.
        pd: the model's probability of default.
        score: the model's score (recorded with the decision).
        requested_amount: the amount asked for.
        requested_tenors: the tenors asked for (``None``: all the product's).
        config: policy parameters.
        model_reasons: the scorecard's adverse factors, worst first; up to
            ``config.max_model_reasons`` follow the knock-outs on a decline
            or a partial approval.

    Returns:
        The decision.

    Raises:
        ValidationFailed: none of the requested tenors is offered.
    """
    tenors = _offered_tenors(terms, requested_tenors)
    ntb = facts.is_new_to_bank
    extra = tuple(model_reasons[: config.max_model_reasons])
    knockouts = [
        code
        for code, hit in (
            ("fraud_flag", facts.fraud),
            ("blacklisted", facts.blacklist),
            ("current_delinquency", facts.current_delinquency),
        )
        if hit
    ]
    youngest, oldest_at_maturity = terms.customer_age
    tenors = tuple(t for t in tenors if facts.age * 12 + t <= oldest_at_maturity * 12)
    if facts.age < youngest or not tenors:
        knockouts.append("age_out_of_range")
    if not terms.min_amount <= requested_amount <= terms.max_amount:
        knockouts.append("amount_out_of_range")
    grade = config.grade_for(pd, ntb)
    cutoff = config.decline_pd(ntb)
    referral = cutoff - config.referral_margin <= pd < cutoff + config.referral_margin
    if pd >= cutoff and not referral:
        knockouts.append("score_below_cutoff")
    if facts.recent_offer_count_30d >= config.contact_cap(grade or "E"):
        knockouts.append("contact_frequency_cap")
    declined = PolicyDecision("declined", grade, pd, score, requested_amount)
    if knockouts:
        return replace(declined, reasons=(*(reason(code) for code in knockouts), *extra))
    if referral:
        return replace(declined, status="referred")
    assert grade is not None  # pd < cutoff - margin always has a grade
    return _afford(terms, facts, grade, tenors, config, extra, declined)


def _afford(
    terms: ProductTerms,
    facts: ApplicantFacts,
    grade: Grade,
    tenors: tuple[int, ...],
    config: PolicyConfig,
    extra: tuple[Reason, ...],
    declined: PolicyDecision,
) -> PolicyDecision:
    income = _income(facts, config)
    if income is None:
        return replace(declined, reasons=(reason("insufficient_income"), *extra))
    ntb = facts.is_new_to_bank
    capacity = payment_capacity(
        income[0], facts.monthly_debt_service, config.new_to_bank_dti_cap if ntb else config.dti_cap
    )
    ceiling = config.new_to_bank_max_amount if ntb else None
    by_tenor = {
        t: max_principal(terms, grade, t, capacity, ceiling=ceiling, unit=config.lending_unit)
        for t in tenors
    }
    best = max(by_tenor.values())
    declined = replace(
        declined,
        max_principal_by_tenor=MappingProxyType(by_tenor),
        income_basis=income[1],
        payment_capacity=capacity,
    )
    if best < terms.min_amount:
        code = "debt_to_income" if facts.monthly_debt_service > 0 else "insufficient_income"
        return replace(declined, reasons=(reason(code), *extra))
    approved = min(declined.requested_amount, best)
    offer_tenors = tuple(t for t in tenors if by_tenor[t] >= approved)
    if approved == declined.requested_amount:
        return replace(
            declined, status="approved", approved_amount=approved, offer_tenors=offer_tenors
        )
    limited_by_ntb = ceiling is not None and ceiling < terms.max_amount and best >= ceiling
    limit = reason("new_to_bank_limit" if limited_by_ntb else "debt_to_income")
    return replace(
        declined,
        status="partially_approved",
        approved_amount=approved,
        upfront_payment=declined.requested_amount - approved,
        offer_tenors=offer_tenors,
        reasons=(limit, *extra),
    )
