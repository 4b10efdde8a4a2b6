"""Assess a customer: the scorecard and the policy (or a sandbox persona's forced outcome)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from gateway.prequal.policy import ApplicantFacts, PolicyDecision, decide
from gateway.prequal.reasons import Reason
from gateway.prequal.sandbox import Persona, forced_decision
from gateway.prequal.terms import ProductTerms
from gateway.prequal.types import Engine, PrequalRequest
from gateway.scoring.reasons import REASONS as MODEL_REASONS

if TYPE_CHECKING:
    from gateway.prequal.decision import Inputs

NEW_TO_BANK_AGE = 30  # assumed when a new-to-bank customer's age is not declared


def model_reasons(codes: Iterable[str]) -> list[Reason]:
    """Reasons for the scorecard's adverse factors, worst first, each code once."""
    reasons: list[Reason] = []
    for code in codes:
        text = MODEL_REASONS.get(code)
        if text is not None and all(r.code != text.code for r in reasons):
            reasons.append(Reason(text.code, text.en, text.zh_cn))
    return reasons


def persona_decision(
    persona: Persona, terms: ProductTerms, request: PrequalRequest, tenors: tuple[int, ...]
) -> tuple[PolicyDecision, str, str, dict[str, Any]]:
    reasons = model_reasons(("high_utilisation", "recent_inquiries"))
    decision = forced_decision(persona, terms, request.amount, tenors, reasons)
    return decision, "mass_market", f"sandbox-persona:{persona}", {"persona": persona}


def model_decision(
    engine: Engine,
    terms: ProductTerms,
    request: PrequalRequest,
    tenors: tuple[int, ...],
    inputs: Inputs,
) -> tuple[PolicyDecision, str, str, dict[str, Any], bool]:
    profile, recent = inputs.profile, inputs.recent
    if profile is not None:
        features = dict(profile.features())
        facts = ApplicantFacts(
            age=profile.age,
            is_new_to_bank=False,
            verified_monthly_income=profile.verified_monthly_income,
            declared_monthly_income=request.declared.monthly_income,
            monthly_debt_service=profile.monthly_debt_service,
            fraud=profile.fraud_flag,
            blacklist=profile.blacklist_flag,
            current_delinquency=profile.current_delinquency,
            recent_offer_count_30d=recent,
        )
    else:
        declared = request.declared
        features = {
            "age": declared.age,
            "employment_type": declared.employment_type,
            "verified_monthly_income": None,
            "months_with_bank": 0,
        }
        facts = ApplicantFacts(
            age=declared.age if declared.age is not None else NEW_TO_BANK_AGE,
            is_new_to_bank=True,
            verified_monthly_income=None,
            declared_monthly_income=declared.monthly_income,
            recent_offer_count_30d=recent,
        )
    result = engine.scorer.score(features)
    decision = decide(
        terms,
        facts,
        pd=result.pd,
        score=result.score,
        requested_amount=request.amount,
        requested_tenors=tenors,
        config=engine.policy,
        model_reasons=model_reasons(factor.reason for factor in result.factors),
    )
    used = {k: v for k, v in features.items() if k != "customer_ref"}
    return decision, result.segment, result.model_version, used, profile is None
