"""A hand-built funnel: 25 prequalifications whose every step is written out below.

demo-mall (ecommerce, mass_market), experiment ``exp1``:

- control (10): c1, c2 declined; c3 approved only; c4 displayed; c5 displayed
  then abandoned; c6 selected; c7 accepted, declined at underwriting;
  c8 approved at underwriting; c9, c10 funded.
- long_first (10): l1, l2 displayed; l3 selected; l4 approved at
  underwriting; l5–l10 funded.

demo-travel (travel, young_professional), no experiment: t1 declined; t2
partially approved and displayed; t3 declined at underwriting; t4 funded with
no events at all (inferred steps); t5 displayed twice (two event ids).

Plus two that must not count: one 40 days old, one in the sandbox.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from gateway.applications.models import Application
from gateway.funnel.models import FunnelEvent
from gateway.offers.models import Offer
from gateway.prequal.models import Prequalification

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
D, S, A, CO = "offer_displayed", "offer_selected", "checkout_abandoned", "checkout_completed"
SCORE, UTIL, DTI = "score_below_cutoff", "high_utilisation", "debt_to_income"

# (name, partner, arm, status, reasons, events, underwriting, funded)
JOURNEYS: list[tuple[str, str, str | None, str, list[str], list[str], str | None, bool]] = [
    ("c1", "demo-mall", "exp1:control", "declined", [SCORE, UTIL], [], None, False),
    ("c2", "demo-mall", "exp1:control", "declined", [SCORE], [], None, False),
    ("c3", "demo-mall", "exp1:control", "approved", [], [], None, False),
    ("c4", "demo-mall", "exp1:control", "approved", [], [D], None, False),
    ("c5", "demo-mall", "exp1:control", "approved", [], [D, A], None, False),
    ("c6", "demo-mall", "exp1:control", "approved", [], [D, S], None, False),
    ("c7", "demo-mall", "exp1:control", "approved", [], [D, S], "declined", False),
    ("c8", "demo-mall", "exp1:control", "approved", [], [D, S], "approved", False),
    ("c9", "demo-mall", "exp1:control", "approved", [], [D, S, CO], "approved", True),
    ("c10", "demo-mall", "exp1:control", "approved", [], [D, S, CO], "approved", True),
    ("l1", "demo-mall", "exp1:long_first", "approved", [], [D], None, False),
    ("l2", "demo-mall", "exp1:long_first", "approved", [], [D], None, False),
    ("l3", "demo-mall", "exp1:long_first", "approved", [], [D, S], None, False),
    ("l4", "demo-mall", "exp1:long_first", "approved", [], [D, S], "approved", False),
    *[
        (f"l{i}", "demo-mall", "exp1:long_first", "approved", [], [D, S, CO], "approved", True)
        for i in range(5, 11)
    ],
    ("t1", "demo-travel", None, "declined", [UTIL], [], None, False),
    ("t2", "demo-travel", None, "partially_approved", [DTI], [D], None, False),
    ("t3", "demo-travel", None, "approved", [], [D, S], "declined", False),
    ("t4", "demo-travel", None, "approved", [], [], "approved", True),
    ("t5", "demo-travel", None, "approved", [], [D, D], None, False),
]


def _pq(
    name: str, partner: str, arm: str | None, status: str, reasons: list[str], **kw: Any
) -> Prequalification:
    travel = partner == "demo-travel"
    return Prequalification(
        id=f"pq_{name}",
        partner_id=partner,
        environment=kw.get("environment", "live"),
        customer_ref=f"cus_{name}",
        consent_id=f"cns_{name}",
        status=status,
        scenario_type="travel" if travel else "ecommerce",
        scenario={},
        product_code=None,
        currency="CNY",
        requested_amount=Decimal("3999.00"),
        approved_amount=None,
        upfront_payment=None,
        grade="B",
        score=650,
        pd=0.04,
        score_band="640-659",
        segment="young_professional" if travel else "mass_market",
        model_version="fixture",
        inputs_hash="sha256:0",
        reasons=[{"code": r, "en": r, "zh-CN": r} for r in reasons],
        new_to_bank=False,
        sandbox_persona=None,
        experiment_arm=arm,
        human_review_requested_at=None,
        created_at=kw.get("created_at", NOW - dt.timedelta(days=1)),
        expires_at=NOW,
    )


def _offer(pq: Prequalification) -> Offer:
    money = Decimal("3999.00")
    return Offer(
        id=f"off_{pq.id[3:]}",
        prequalification_id=pq.id,
        partner_id=pq.partner_id,
        environment=pq.environment,
        customer_ref=pq.customer_ref,
        consent_id=pq.consent_id,
        rank=0,
        product_code="p",
        currency="CNY",
        principal=money,
        tenor_months=12,
        repayment_method="equal_instalment",
        apr=Decimal("0.1000"),
        monthly_payment=Decimal("350.00"),
        total_interest=Decimal("201.00"),
        total_fees=Decimal("0.00"),
        total_cost=Decimal("201.00"),
        total_repayable=Decimal("4200.00"),
        merchant_subsidy=None,
        schedule=[],
        schedule_hash="sha256:0",
        status="open",
        void_reason=None,
        created_at=pq.created_at,
        expires_at=pq.expires_at,
        token="x",
    )


def _application(offer: Offer, decision: str, funded: bool) -> Application:
    reasons = (
        []
        if decision == "approved"
        else [
            {
                "code": "bureau_adverse_record" if offer.partner_id == "demo-mall" else DTI,
                "message": "-",
            }
        ]
    )
    return Application(
        id=f"app_{offer.id[4:]}",
        offer_id=offer.id,
        prequalification_id=offer.prequalification_id,
        partner_id=offer.partner_id,
        environment=offer.environment,
        customer_ref=offer.customer_ref,
        credit_inquiry_consent_id="cns_x",
        status="funded" if funded else decision,
        currency="CNY",
        principal=offer.principal,
        underwriting_decision=decision,
        decision_reasons=reasons,
        funded_amount=offer.principal if funded else None,
        outstanding_principal=offer.principal if funded else None,
        refunded_amount=Decimal("0.00"),
        schedule=[] if funded else None,
        cancel_reason=None,
        created_at=NOW,
        updated_at=NOW,
        review_started_at=NOW,
        decided_at=NOW,
        funded_at=NOW if funded else None,
        cancelled_at=None,
    )


def build_fixture(db: Session) -> None:
    """Write the 25 journeys (and the two that must not count) and commit."""
    outside = [
        _pq("old", "demo-mall", None, "approved", [], created_at=NOW - dt.timedelta(days=40)),
        _pq("sbx", "demo-mall", None, "approved", [], environment="sandbox"),
    ]
    for pq in outside:
        db.add(pq)
        db.flush()
        offer = _offer(pq)
        db.add(offer)
        db.flush()
        db.add(_application(offer, "approved", True))
    for name, partner, arm, status, reasons, events, decision, funded in JOURNEYS:
        pq = _pq(name, partner, arm, status, reasons)
        db.add(pq)
        db.flush()
        offer = _offer(pq)
        db.add(offer)
        db.flush()
        for i, kind in enumerate(events):
            db.add(
                FunnelEvent(
                    partner_id=partner,
                    environment="live",
                    id=f"{name}-{i}",
                    type=kind,
                    offer_id=offer.id,
                    prequalification_id=pq.id,
                    occurred_at=NOW,
                    received_at=NOW,
                )
            )
        if decision is not None:
            db.add(_application(offer, decision, funded))
    db.commit()
