"""Sandbox test customers (DESIGN §5): phone numbers that force every outcome.

Only in the ``sandbox`` environment; in ``live`` these numbers are ordinary
customers. Any other sandbox phone is scored by the real model on a
synthetic profile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import ROUND_DOWN, Decimal
from typing import Literal

from gateway.prequal.affordability import LENDING_UNIT
from gateway.prequal.policy import PolicyDecision
from gateway.prequal.reasons import Reason, reason
from gateway.prequal.terms import ProductTerms

Persona = Literal[
    "approve",
    "decline",
    "refer",
    "partial",
    "underwriting_decline",
    "fault_after_commit",
    "exposure_limited",
    "velocity_referral",
]

PERSONAS: dict[str, Persona] = {
    "+8613800000001": "approve",
    "+8613800000002": "decline",
    "+8613800000003": "refer",
    "+8613800000004": "partial",
    "+8613800000005": "underwriting_decline",
    "+8613800000006": "fault_after_commit",
    # Approved by policy; the risk controls (gateway/risk/services.py) then cut
    # the offer to ¥2,000 of exposure headroom, or refer it by the velocity rule.
    "+8613800000007": "exposure_limited",
    "+8613800000008": "velocity_referral",
}

_PERSONA_PD = {"decline": 0.45, "refer": 0.30}


def persona_for(environment: str, phone: str) -> Persona | None:
    """The forced outcome of a normalised phone, in the sandbox only."""
    return PERSONAS.get(phone) if environment == "sandbox" else None


def forced_decision(
    persona: Persona,
    terms: ProductTerms,
    requested_amount: Decimal,
    tenors: Sequence[int],
    model_reasons: Sequence[Reason],
) -> PolicyDecision:
    """The decision a persona forces, shaped exactly like a real one.

    ``approve``, ``underwriting_decline``, ``fault_after_commit``,
    ``exposure_limited`` and ``velocity_referral`` are approved for the full
    amount on every requested tenor at grade A (the last two are then cut or
    referred by the risk controls);
    ``partial`` gets half the amount (rounded down to 100, at least the
    product minimum) with the rest as an upfront payment; ``decline`` carries
    the cut-off reason and model reasons; ``refer`` goes to manual review.
    """
    base = PolicyDecision(
        status="approved",
        grade="A",
        pd=0.01,
        score=720,
        requested_amount=requested_amount,
        approved_amount=requested_amount,
        offer_tenors=tuple(sorted(tenors)),
    )
    if persona == "decline":
        reasons = (reason("score_below_cutoff"), *model_reasons[:3])
        return replace(
            base,
            status="declined",
            grade=None,
            pd=_PERSONA_PD["decline"],
            score=480,
            approved_amount=None,
            offer_tenors=(),
            reasons=reasons,
        )
    if persona == "refer":
        return replace(
            base,
            status="referred",
            grade="E",
            pd=_PERSONA_PD["refer"],
            score=560,
            approved_amount=None,
            offer_tenors=(),
        )
    if persona == "partial":
        # Half, rounded down to the lending unit (quantize(Decimal(100)) would
        # round to whole yuan: 1999 of 3999, not 1900).
        units = (requested_amount / 2 / LENDING_UNIT).to_integral_value(rounding=ROUND_DOWN)
        half = (units * LENDING_UNIT).quantize(Decimal("0.01"))
        approved = max(terms.min_amount, half)
        if approved >= requested_amount:
            return base
        return replace(
            base,
            status="partially_approved",
            grade="B",
            pd=0.04,
            score=650,
            approved_amount=approved,
            upfront_payment=requested_amount - approved,
            reasons=(reason("debt_to_income"),),
        )
    return base
