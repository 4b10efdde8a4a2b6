"""The simulated loan-origination system: personas, profile checks, bureau pull, delay."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from gateway.profiles.profile import Profile
from gateway.profiles.synthetic import synthetic_profile_for
from gateway.underwriting.adapter import LoanOrigination, UnderwritingCase
from gateway.underwriting.simulator import SimulatedLoanOrigination, bureau_pull


def _case(ref: str = "cus_test", persona: str | None = None) -> UnderwritingCase:
    return UnderwritingCase(
        application_id="app_1",
        partner_id="demo-mall",
        environment="sandbox",
        customer_ref=ref,
        currency="CNY",
        principal=Decimal("3999.00"),
        tenor_months=12,
        monthly_payment=Decimal("350.00"),
        sandbox_persona=persona,
    )


def _clean(ref: str) -> Profile:
    return dataclasses.replace(
        synthetic_profile_for(ref),
        fraud_flag=False,
        blacklist_flag=False,
        current_delinquency=False,
        verified_monthly_income=Decimal("20000.00"),
        monthly_debt_service=Decimal("0.00"),
    )


def _clean_bureau_ref() -> str:
    return next(
        ref
        for ref in (f"cus_{i}" for i in range(1000))
        if bureau_pull(ref).adverse_records == 0 and bureau_pull(ref).inquiries_90d <= 8
    )


def test_underwriting_decline_persona_is_declined_and_other_personas_approved() -> None:
    sim: LoanOrigination = SimulatedLoanOrigination(lambda r, e: None, delay=(0, 0))
    declined = sim.decide(_case(persona="underwriting_decline"))
    assert not declined.approved
    assert [r.code for r in declined.reasons] == ["bureau_adverse_record"]
    assert sim.decide(_case(persona="approve")).approved


def test_a_fresh_profile_check_declines_fraud_delinquency_and_over_indebtedness() -> None:
    ref = _clean_bureau_ref()
    profile = _clean(ref)
    sim = SimulatedLoanOrigination(lambda r, e: profile, delay=(0, 0))
    assert sim.decide(_case(ref)).approved
    for change, code in [
        ({"fraud_flag": True}, "fraud_check_failed"),
        ({"current_delinquency": True}, "current_delinquency"),
        ({"monthly_debt_service": Decimal("10700.01")}, "debt_to_income"),
    ]:
        changed = dataclasses.replace(profile, **change)  # type: ignore[arg-type]
        sim = SimulatedLoanOrigination(lambda r, e, p=changed: p, delay=(0, 0))
        decision = sim.decide(_case(ref))
        assert [r.code for r in decision.reasons] == [code]


def test_the_bureau_is_deterministic_and_declines_some_customers() -> None:
    refs = [f"cus_{i}" for i in range(2000)]
    assert [bureau_pull(r) for r in refs[:50]] == [bureau_pull(r) for r in refs[:50]]
    adverse = sum(bureau_pull(r).adverse_records for r in refs)
    assert 10 < adverse < 120  # about one in forty


def test_each_decision_waits_like_a_bureau() -> None:
    slept: list[float] = []
    sim = SimulatedLoanOrigination(lambda r, e: None, delay=(0.5, 2.0), sleep=slept.append)
    sim.decide(_case(persona="approve"))
    assert len(slept) == 1 and 0.5 <= slept[0] <= 2.0
