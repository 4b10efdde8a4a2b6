"""What a reviewer may lend: the customer's facts and the affordability arithmetic.

The facts come from where the decision took them: the bank's stored profile
of the customer, a synthetic profile in the sandbox, or — for a sandbox
persona, whose decision was forced — fixed facts that afford any amount the
demo products lend. A live customer new to the bank has no verified income
the bank holds, so no cap can be computed and the case can only be upheld.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from gateway.prequal.affordability import max_principal, payment_capacity
from gateway.prequal.policy import DEFAULT_POLICY, PolicyConfig
from gateway.prequal.terms import ProductTerms

PERSONA_FACTS: Mapping[str, Any] = {
    "age": 35,
    "employment_type": "salaried",
    "verified_monthly_income": Decimal("30000.00"),
    "monthly_debt_service": Decimal("0.00"),
    "fraud_flag": False,
    "blacklist_flag": False,
    "current_delinquency": False,
}


@dataclass(frozen=True)
class Facts:
    """The customer's facts a review relies on, and where they came from.

    ``source``: ``bank_profile``, ``synthetic_profile`` (sandbox) or
    ``sandbox_persona``. ``features`` are the profile facts by name (the
    keyed customer reference left out).
    """

    source: str
    age: int
    verified_monthly_income: Decimal
    monthly_debt_service: Decimal
    features: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Affordability:
    """The debt-to-income arithmetic at one grade.

    ``capacity = monthly_income × dti_cap − monthly_debt_service`` (never
    negative); ``max_by_tenor`` is the largest principal per tenor whose every
    repayment method fits the capacity; tenors the customer would be too old
    at maturity for are left out.
    """

    grade: str
    monthly_income: Decimal
    dti_cap: Decimal
    monthly_debt_service: Decimal
    capacity: Decimal
    max_by_tenor: Mapping[int, Decimal]

    def as_json(self) -> dict[str, Any]:
        """The arithmetic as the dossier shows it (money as two-place strings)."""
        return {
            "grade": self.grade,
            "monthly_income": f"{self.monthly_income:.2f}",
            "dti_cap": str(self.dti_cap),
            "monthly_debt_service": f"{self.monthly_debt_service:.2f}",
            "capacity": f"{self.capacity:.2f}",
            "formula": "capacity = monthly_income × dti_cap − monthly_debt_service",
            "max_principal_by_tenor": {str(t): f"{v:.2f}" for t, v in self.max_by_tenor.items()},
        }


def facts_for(session: Session, pq: Any) -> Facts | None:
    """The facts behind a decision, or ``None`` when the bank holds none (new to bank, live)."""
    from gateway.profiles.services import get_profile
    from gateway.profiles.synthetic import synthetic_profile_for

    if pq.sandbox_persona is not None:
        return Facts(
            "sandbox_persona",
            int(PERSONA_FACTS["age"]),
            PERSONA_FACTS["verified_monthly_income"],
            PERSONA_FACTS["monthly_debt_service"],
            PERSONA_FACTS,
        )
    profile = get_profile(session, pq.customer_ref)
    source = "bank_profile"
    if profile is None and pq.environment == "sandbox":
        profile, source = synthetic_profile_for(pq.customer_ref), "synthetic_profile"
    if profile is None:
        return None
    features = {
        k: v for k, v in profile.features().items() if k not in ("customer_ref", "synthetic")
    }
    return Facts(
        source,
        profile.age,
        profile.verified_monthly_income,
        profile.monthly_debt_service,
        features,
    )


def affordability(
    terms: ProductTerms,
    facts: Facts,
    grade: str,
    tenors: Sequence[int] | None = None,
    policy: PolicyConfig = DEFAULT_POLICY,
) -> Affordability:
    """The largest principal per tenor at ``grade`` (``tenors``: default the product's)."""
    capacity = payment_capacity(
        facts.verified_monthly_income, facts.monthly_debt_service, policy.dti_cap
    )
    oldest = terms.customer_age[1] * 12
    chosen = [t for t in (tenors or terms.tenors) if facts.age * 12 + t <= oldest]
    by_tenor = {
        t: max_principal(terms, grade, t, capacity, unit=policy.lending_unit)
        for t in sorted(chosen)
    }
    return Affordability(
        grade,
        facts.verified_monthly_income,
        policy.dti_cap,
        facts.monthly_debt_service,
        capacity,
        by_tenor,
    )
