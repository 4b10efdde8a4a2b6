"""Each rule in both modes, evaluated without a database; how hits change a decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gateway.prequal.policy import PolicyDecision
from gateway.prequal.reasons import reason
from gateway.risk import adjust
from gateway.risk.config import RiskRules, Rule
from gateway.risk.rules import Counts, Subject, evaluate

SUBJECT = Subject("sandbox", "demo-mall", "cus_a", "idh_a", "dvh_a", "iph_a")


def _rules(name: str, mode: str, action: str = "refer", threshold: int = 3) -> RiskRules:
    window = None if name == "id_number_mismatch" else dt.timedelta(hours=24)
    return RiskRules(
        rules=[
            Rule(
                rule=name,
                window=window,
                threshold=threshold if window else 0,
                action=action,
                mode=mode,
            )  # type: ignore[arg-type]
        ]
    )


APPROVED = PolicyDecision(
    status="approved",
    grade="A",
    pd=0.01,
    score=720,
    requested_amount=Decimal("3999.00"),
    approved_amount=Decimal("3999.00"),
    offer_tenors=(3, 6, 12),
)


@pytest.mark.parametrize("mode", ["monitor", "enforce"])
@pytest.mark.parametrize(
    ("name", "under", "over", "subject"),
    [
        (
            "customer_velocity",
            Counts(customer_prequalifications=2),
            Counts(customer_prequalifications=3),
            SUBJECT,
        ),
        (
            "phones_per_id_number",
            Counts(id_number_other_phones=2),
            Counts(id_number_other_phones=3),
            SUBJECT,
        ),
        (
            "customers_per_device",
            Counts(device_other_customers=2),
            Counts(device_other_customers=3),
            SUBJECT,
        ),
        (
            "id_number_mismatch",
            Counts(),
            Counts(),
            Subject(**{**SUBJECT.__dict__, "bank_id_number_hash": "idh_a"}),
        ),
    ],
)
def test_each_rule_hits_just_past_its_threshold_in_both_modes(
    name: str, under: Counts, over: Counts, subject: Subject, mode: str
) -> None:
    rules = _rules(name, mode)
    assert evaluate(rules, subject, under) == []
    if name == "id_number_mismatch":
        subject = Subject(**{**SUBJECT.__dict__, "bank_id_number_hash": "idh_other"})
    [hit] = evaluate(rules, subject, over)
    assert (hit.rule, hit.mode, hit.action) == (name, mode, "refer")
    assert hit.reason_code.startswith("risk_")
    assert hit.detail and "cus_" not in hit.detail
    decided = adjust.rule_hits(APPROVED, [hit])
    if mode == "monitor":
        assert decided == APPROVED  # counted, never changes the decision
    else:
        assert decided.status == "referred" and decided.approved_amount is None
        assert decided.reasons[0].code == hit.reason_code


def test_rules_without_the_identifier_never_hit() -> None:
    bare = Subject("sandbox", "demo-mall", "cus_a")
    for name in ("phones_per_id_number", "customers_per_device", "id_number_mismatch"):
        assert evaluate(_rules(name, "enforce", threshold=1), bare, Counts(9, 9, 9)) == []


def test_an_enforced_decline_wins_over_a_refer() -> None:
    rules = RiskRules(
        rules=[
            Rule(
                rule="customer_velocity",
                window=dt.timedelta(hours=1),
                threshold=1,
                action="refer",
                mode="enforce",
            ),
            Rule(rule="id_number_mismatch", action="decline", mode="enforce"),
        ]
    )
    subject = Subject(**{**SUBJECT.__dict__, "bank_id_number_hash": "idh_b"})
    hits = evaluate(rules, subject, Counts(customer_prequalifications=5))
    decided = adjust.rule_hits(APPROVED, hits)
    assert decided.status == "declined"
    assert [r.code for r in decided.reasons] == ["risk_identity_mismatch"]


def test_the_exposure_cap_cuts_to_whole_hundreds_or_declines_below_the_minimum() -> None:
    cut = adjust.exposure_cap(APPROVED, Decimal("2050.75"), Decimal("500.00"))
    assert cut.status == "partially_approved"
    assert cut.approved_amount == Decimal("2000.00")
    assert cut.upfront_payment == Decimal("1999.00")
    assert cut.reasons[0].code == "exposure_limit"
    assert adjust.exposure_cap(APPROVED, Decimal("5000.00"), Decimal("500.00")) == APPROVED
    declined = adjust.exposure_cap(APPROVED, Decimal("499.99"), Decimal("500.00"))
    assert declined.status == "declined" and declined.offer_tenors == ()
    assert [r.code for r in declined.reasons] == ["exposure_limit"]


def test_a_partner_past_its_limit_declines_with_the_generic_reason() -> None:
    decided = adjust.partner_limit(APPROVED, reached=True)
    assert decided.status == "declined"
    assert decided.reasons[0].code == "partner_limit_reached"
    assert "partner" not in decided.reasons[0].en.lower()  # nothing about the partner's book
    assert adjust.partner_limit(APPROVED, reached=False) == APPROVED


def test_a_policy_decline_stays_as_it_was() -> None:
    declined = PolicyDecision(
        status="declined", grade=None, pd=0.4, score=480, requested_amount=Decimal("3999.00"),
        reasons=(reason("score_below_cutoff"),),
    )  # fmt: skip
    assert adjust.partner_limit(declined, reached=True) == declined
    assert adjust.exposure_cap(declined, Decimal("0.00"), Decimal("500.00")) == declined
