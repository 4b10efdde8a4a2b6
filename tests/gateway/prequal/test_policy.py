"""Policy: knock-outs, grades, referral band, affordability, partial approvals, reasons."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from gateway.errors import ValidationFailed
from gateway.prequal.policy import DEFAULT_POLICY, ApplicantFacts, PolicyConfig, decide
from gateway.prequal.pricing import price_offers
from gateway.prequal.reasons import Reason
from tests.gateway.prequal.factories import mall_terms

TERMS = mall_terms()
WELL_OFF = ApplicantFacts(
    age=31,
    is_new_to_bank=False,
    verified_monthly_income=Decimal("20000.00"),
    declared_monthly_income=None,
    monthly_debt_service=Decimal("0.00"),
)
MODEL_REASONS = tuple(Reason(f"model_factor_{n}", f"factor {n}", f"因素 {n}") for n in range(1, 6))


def codes(decision: object) -> list[str]:
    return [r.code for r in decision.reasons]  # type: ignore[attr-defined]


def test_a_good_applicant_is_approved_for_the_full_amount_on_every_tenor() -> None:
    decision = decide(TERMS, WELL_OFF, pd=0.01, score=720, requested_amount=Decimal("3999.00"))
    assert decision.status == "approved"
    assert decision.grade == "A"
    assert decision.approved_amount == Decimal("3999.00")
    assert decision.upfront_payment is None
    assert decision.offer_tenors == (3, 6, 12, 24)
    assert decision.reasons == ()
    assert decision.income_basis == "verified"
    assert decision.payment_capacity == Decimal("10000.00")
    assert not decision.human_review_available


@pytest.mark.parametrize(
    ("pd", "grade"),
    [(0.0, "A"), (0.0199, "A"), (0.02, "B"), (0.07, "C"), (0.17, "D"), (0.20, "E"), (0.269, "E")],
)
def test_pd_maps_to_grades_by_the_configured_bounds(pd: float, grade: str) -> None:
    decision = decide(TERMS, WELL_OFF, pd=pd, score=600, requested_amount=Decimal("1000.00"))
    assert decision.status == "approved"
    assert decision.grade == grade


@pytest.mark.parametrize("pd", [0.27, 0.29, 0.30, 0.329])
def test_a_pd_near_the_cut_off_is_referred_without_offers(pd: float) -> None:
    decision = decide(TERMS, WELL_OFF, pd=pd, score=500, requested_amount=Decimal("1000.00"))
    assert decision.status == "referred"
    assert decision.offer_tenors == ()
    assert decision.approved_amount is None
    assert decision.reasons == ()


def test_a_pd_beyond_the_referral_band_is_declined_with_model_reasons_after() -> None:
    decision = decide(
        TERMS, WELL_OFF, pd=0.33, score=400, requested_amount=Decimal("1000.00"),
        model_reasons=MODEL_REASONS,
    )  # fmt: skip
    assert decision.status == "declined"
    assert codes(decision) == [
        "score_below_cutoff", "model_factor_1", "model_factor_2", "model_factor_3",
    ]  # fmt: skip
    assert decision.human_review_available


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"fraud": True}, "fraud_flag"),
        ({"blacklist": True}, "blacklisted"),
        ({"current_delinquency": True}, "current_delinquency"),
        ({"age": 17}, "age_out_of_range"),
        ({"age": 60}, "age_out_of_range"),  # no tenor ends by 60
        ({"recent_offer_count_30d": 5}, "contact_frequency_cap"),
    ],
)
def test_each_knock_out_declines_with_its_code(change: dict[str, object], code: str) -> None:
    facts = replace(WELL_OFF, **change)  # type: ignore[arg-type]
    decision = decide(TERMS, facts, pd=0.01, score=720, requested_amount=Decimal("3999.00"))
    assert decision.status == "declined"
    assert codes(decision) == [code]
    assert decision.offer_tenors == ()
    reason = decision.reasons[0]
    assert reason.message("zh-CN") == reason.zh_cn
    assert reason.message("en") == reason.en


@pytest.mark.parametrize("amount", ["499.99", "50000.01"])
def test_an_amount_outside_the_product_range_is_knocked_out(amount: str) -> None:
    decision = decide(TERMS, WELL_OFF, pd=0.01, score=720, requested_amount=Decimal(amount))
    assert codes(decision) == ["amount_out_of_range"]


def test_knock_outs_are_all_listed_in_a_stable_order_before_model_reasons() -> None:
    facts = replace(WELL_OFF, fraud=True, blacklist=True, current_delinquency=True, age=70,
                    recent_offer_count_30d=9)  # fmt: skip
    decision = decide(
        TERMS, facts, pd=0.5, score=300, requested_amount=Decimal("1.00"),
        model_reasons=MODEL_REASONS[:2],
    )  # fmt: skip
    assert codes(decision) == [
        "fraud_flag", "blacklisted", "current_delinquency", "age_out_of_range",
        "amount_out_of_range", "score_below_cutoff", "contact_frequency_cap",
        "model_factor_1", "model_factor_2",
    ]  # fmt: skip


def test_a_knock_out_beats_the_referral_band() -> None:
    facts = replace(WELL_OFF, fraud=True)
    decision = decide(TERMS, facts, pd=0.29, score=500, requested_amount=Decimal("1000.00"))
    assert decision.status == "declined"


def test_tenors_ending_after_the_maximum_age_are_not_offered() -> None:
    facts = replace(WELL_OFF, age=59)  # max 60 at maturity: 12 months fits, 24 does not
    decision = decide(TERMS, facts, pd=0.01, score=720, requested_amount=Decimal("3999.00"))
    assert decision.status == "approved"
    assert decision.offer_tenors == (3, 6, 12)


def test_the_contact_cap_is_lower_for_grade_d() -> None:
    facts = replace(WELL_OFF, recent_offer_count_30d=3)
    grade_b = decide(TERMS, facts, pd=0.03, score=650, requested_amount=Decimal("1000.00"))
    grade_d = decide(TERMS, facts, pd=0.15, score=560, requested_amount=Decimal("1000.00"))
    assert grade_b.status == "approved"
    assert grade_d.status == "declined"
    assert codes(grade_d) == ["contact_frequency_cap"]


def test_requested_tenors_narrow_the_offer_and_unknown_ones_are_refused() -> None:
    decision = decide(
        TERMS, WELL_OFF, pd=0.01, score=720, requested_amount=Decimal("3999.00"),
        requested_tenors=[6, 12, 9],
    )  # fmt: skip
    assert decision.offer_tenors == (6, 12)
    with pytest.raises(ValidationFailed) as info:
        decide(TERMS, WELL_OFF, pd=0.01, score=720, requested_amount=Decimal("3999.00"),
               requested_tenors=[9])  # fmt: skip
    assert "requested_tenors" in info.value.errors


def test_a_stretched_budget_gets_a_partial_approval_and_an_upfront_payment() -> None:
    facts = replace(WELL_OFF, verified_monthly_income=Decimal("8000.00"),
                    monthly_debt_service=Decimal("3000.00"))  # fmt: skip
    decision = decide(
        TERMS, facts, pd=0.04, score=640, requested_amount=Decimal("30000.00"),
        model_reasons=MODEL_REASONS,
    )  # fmt: skip
    assert decision.status == "partially_approved"
    assert decision.payment_capacity == Decimal("1000.00")  # 8000 × 0.5 − 3000
    assert decision.approved_amount is not None
    assert decision.approved_amount < Decimal("30000.00")
    assert decision.approved_amount % 100 == 0
    assert decision.approved_amount == max(decision.max_principal_by_tenor.values())
    assert decision.upfront_payment == Decimal("30000.00") - decision.approved_amount
    assert codes(decision)[0] == "debt_to_income"
    assert len(decision.reasons) == 4
    assert decision.offer_tenors == (24,)
    # Whatever offer the customer picks fits the budget.
    offers = price_offers(TERMS, "B", decision.approved_amount, decision.offer_tenors,
                          dt.date(2026, 11, 21))  # fmt: skip
    assert all(o.monthly_payment <= Decimal("1000.00") for o in offers)


def test_no_room_in_the_budget_declines_for_debt_to_income() -> None:
    facts = replace(WELL_OFF, verified_monthly_income=Decimal("6000.00"),
                    monthly_debt_service=Decimal("2990.00"))  # fmt: skip
    decision = decide(TERMS, facts, pd=0.04, score=640, requested_amount=Decimal("3000.00"))
    assert decision.status == "declined"
    assert codes(decision) == ["debt_to_income"]
    assert decision.payment_capacity == Decimal("10.00")


def test_without_any_income_the_applicant_is_declined_for_insufficient_income() -> None:
    facts = replace(WELL_OFF, verified_monthly_income=None)
    decision = decide(TERMS, facts, pd=0.04, score=640, requested_amount=Decimal("3000.00"))
    assert codes(decision) == ["insufficient_income"]


def test_declared_income_counts_after_a_haircut() -> None:
    facts = replace(WELL_OFF, verified_monthly_income=None,
                    declared_monthly_income=Decimal("10000.00"))  # fmt: skip
    decision = decide(TERMS, facts, pd=0.04, score=640, requested_amount=Decimal("3000.00"))
    assert decision.income_basis == "declared"
    assert decision.payment_capacity == Decimal("3500.00")  # 10000 × 0.7 × 0.5


def test_new_to_bank_customers_get_a_worse_grade_lower_dti_and_lower_maximum() -> None:
    facts = replace(WELL_OFF, is_new_to_bank=True, verified_monthly_income=None,
                    declared_monthly_income=Decimal("15000.00"))  # fmt: skip
    decision = decide(TERMS, facts, pd=0.03, score=650, requested_amount=Decimal("30000.00"))
    assert decision.grade == "C"  # B shifted one worse
    assert decision.payment_capacity == Decimal("4200.00")  # 15000 × 0.7 × 0.4
    assert decision.status == "partially_approved"
    assert decision.approved_amount == Decimal("20000.00")
    assert codes(decision) == ["new_to_bank_limit"]


@pytest.mark.parametrize(("pd", "status"), [(0.14, "approved"), (0.16, "referred"),
                                            (0.22, "declined")])  # fmt: skip
def test_new_to_bank_cut_off_moves_up_one_grade(pd: float, status: str) -> None:
    facts = replace(WELL_OFF, is_new_to_bank=True)
    decision = decide(TERMS, facts, pd=pd, score=560, requested_amount=Decimal("1000.00"))
    assert decision.status == status


def test_policy_parameters_are_configurable() -> None:
    strict = PolicyConfig(dti_cap=Decimal("0.20"), referral_margin=0.0, contact_frequency_cap=1)
    decision = decide(TERMS, WELL_OFF, pd=0.01, score=720, requested_amount=Decimal("3999.00"),
                      config=strict)  # fmt: skip
    assert decision.payment_capacity == Decimal("4000.00")
    assert DEFAULT_POLICY.decline_pd(False) == 0.30
    assert strict.contact_cap("A") == 1
    assert strict.contact_cap("D") == 3
