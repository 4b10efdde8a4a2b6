"""The decision draft: read the customer's facts, decide, price, order and sign.

:func:`draft` is pure but for reading the signing key: it returns the rows
to insert, so :func:`gateway.prequal.services.prequalify` can make it in a
read snapshot and redo it if what it relied on moved before the write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from gateway import ids
from gateway.campaigns.checkout import PreApproval, pre_approval
from gateway.errors import ValidationFailed
from gateway.experiments.assignment import assign, present, running_experiment
from gateway.partners.config import PartnerConfig, Product
from gateway.prequal.assessment import model_decision, persona_decision
from gateway.prequal.pricing import price_offers
from gateway.prequal.sandbox import Persona
from gateway.prequal.signing import offer_row, order_for, signed_decision
from gateway.prequal.terms import ProductTerms
from gateway.prequal.types import Caller, Engine, PrequalRequest
from gateway.profiles.profile import Profile
from gateway.risk import services as risk
from gateway.risk.rules import Hit, Subject
from gateway.risk.services import RiskCheck

CHINA = dt.timezone(dt.timedelta(hours=8))
OFFERING = ("approved", "partially_approved")


@dataclass(frozen=True)
class Case:
    """One prequalification's fixed facts: who asks, about whom, for what."""

    caller: Caller
    request: PrequalRequest
    engine: Engine
    partner_config: PartnerConfig
    terms: ProductTerms
    ref: str
    id_hash: str | None
    persona: Persona | None
    tenors: tuple[int, ...]
    consent_id: str
    now: dt.datetime
    subject: Subject | None = None


@dataclass(frozen=True)
class Inputs:
    """What the decision read: the customer's profile, recent offers and the risk controls."""

    profile: Profile | None
    recent: int
    risk: RiskCheck | None = None


@dataclass(frozen=True)
class Draft:
    """A decision (with the token signing its offers) and its offers, as the rows to insert."""

    pq: dict[str, Any]
    offers: list[dict[str, Any]]
    audit_data: dict[str, Any]
    risk_hits: list[Hit] = field(default_factory=list)
    pre_approval: PreApproval | None = None


def draft(session: Session, case: Case, inputs: Inputs) -> Draft:
    """Decide, price, order and sign: the rows to write (``session`` reads the signing key)."""
    request, engine, terms, now = case.request, case.engine, case.terms, case.now
    if case.persona is not None:
        decision, segment, version, features = persona_decision(
            case.persona, terms, request, case.tenors
        )
        new_to_bank = False
    else:
        decision, segment, version, features, new_to_bank = model_decision(
            engine, terms, request, case.tenors, inputs
        )
    hits: list[Hit] = []
    if inputs.risk is not None:
        # Partner concentration, enforced rule hits, then the exposure cap.
        before = decision
        decision = risk.apply(decision, inputs.risk, terms.min_amount)
        hits = risk.findings(inputs.risk, before, decision)
    honoured = (
        None
        if case.persona is not None
        else pre_approval(
            session,
            customer_ref=case.ref,
            partner_id=case.caller.partner_id,
            environment=case.caller.environment,
            product_code=terms.code,
            now=now,
            decision=decision,
            headroom=inputs.risk.exposure.headroom if inputs.risk is not None else None,
        )
    )
    priced = (
        price_offers(
            terms,
            decision.grade or "E",
            decision.approved_amount,
            decision.offer_tenors,
            now.astimezone(CHINA).date(),
        )
        if decision.status in OFFERING and decision.approved_amount is not None
        else []
    )
    experiment = running_experiment(case.partner_config, case.caller.environment)
    arm = assign(experiment, case.ref) if experiment else None
    pq: dict[str, Any] = {
        "id": ids.new_id("pq"),
        "partner_id": case.caller.partner_id,
        "environment": case.caller.environment,
        "customer_ref": case.ref,
        "consent_id": case.consent_id,
        "status": decision.status,
        "scenario_type": request.scenario_type,
        "scenario": scenario_json(request),
        "product_code": terms.code,
        "currency": request.currency,
        "requested_amount": request.amount,
        "approved_amount": decision.approved_amount,
        "upfront_payment": decision.upfront_payment,
        "grade": decision.grade,
        "score": decision.score,
        "pd": round(decision.pd, 6),
        "score_band": score_band(decision.score),
        "segment": segment,
        "model_version": version,
        "inputs_hash": inputs_hash(case.ref, case.id_hash, request, features, version),
        "reasons": [{"code": r.code, "en": r.en, "zh-CN": r.zh_cn} for r in decision.reasons],
        "new_to_bank": new_to_bank,
        "sandbox_persona": case.persona,
        "experiment_arm": experiment.label(arm) if experiment and arm else None,
        **scored_features(engine, features if case.persona is None else None),
        "human_review_requested_at": None,
        "created_at": now,
        "expires_at": now + engine.offer_ttl,
    }
    offers = [
        offer_row(pq, rank, offer)
        for rank, offer in enumerate(present(order_for(segment, priced), arm))
    ]
    # One signature pins every offer's terms (issue 21).
    pq["decision_token"] = signed_decision(session, pq, offers, engine)
    audit_data = {
        "consent_id": case.consent_id,
        "customer_ref": case.ref,
        "model_version": version,
        "inputs_hash": pq["inputs_hash"],
        "grade": pq["grade"],
        "score_band": pq["score_band"],
        "decision": pq["status"],
        "reasons": [r.code for r in decision.reasons],
        "approved_amount": str(pq["approved_amount"]) if pq["approved_amount"] else None,
        "offers": [o["id"] for o in offers],
        "campaign_id": honoured.campaign_id if honoured else None,
    }
    if hits:
        audit_data["risk"] = [f"{h.rule}:{h.mode}" for h in hits]
    return Draft(pq, offers, audit_data, hits, honoured)


def scored_features(engine: Engine, features: Mapping[str, Any] | None) -> dict[str, Any]:
    """The decision's ``features`` (facts the model scored, JSON-ready) and the shadow's score."""
    if features is None:
        return {
            "features": None,
            "shadow_model_version": None,
            "shadow_score": None,
            "shadow_pd": None,
        }
    facts = {
        k: float(v) if isinstance(v, Decimal) else v
        for k, v in features.items()
        if k != "synthetic"
    }
    shadow = engine.shadow.score(features) if engine.shadow is not None else None
    return {
        "features": facts,
        "shadow_model_version": shadow.model_version if shadow else None,
        "shadow_score": shadow.score if shadow else None,
        "shadow_pd": round(shadow.pd, 6) if shadow else None,
    }


def choose_product(partner_config: PartnerConfig, request: PrequalRequest) -> Product:
    if request.product_code is not None:
        product = partner_config.product(request.product_code)
        if product is None:
            raise ValidationFailed({"product_code": "is not one of this partner's products"})
    else:
        product = partner_config.products[0]
    if product.currency != request.currency:
        raise ValidationFailed({"scenario.currency": f"this product lends in {product.currency}"})
    return product


def choose_tenors(offered: Sequence[int], requested: Sequence[int] | None) -> tuple[int, ...]:
    if requested is None:
        return tuple(sorted(offered))
    chosen = tuple(sorted(set(requested) & set(offered)))
    if not chosen:
        raise ValidationFailed(
            {"requested_tenors": f"none is offered; choose from {sorted(offered)}"}
        )
    return chosen


def score_band(score: int | None) -> str | None:
    if score is None:
        return None
    low = (score // 20) * 20
    return f"{low}-{low + 19}"


def scenario_json(request: PrequalRequest) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": request.scenario_type,
        "amount": str(request.amount),
        "currency": request.currency,
    }
    for key, value in request.scenario_fields.items():
        if value is not None:
            data[key] = value.isoformat() if isinstance(value, dt.date) else value
    return data


def inputs_hash(
    ref: str,
    id_hash: str | None,
    request: PrequalRequest,
    features: Mapping[str, Any],
    version: str,
) -> str:
    document = {
        "customer_ref": ref,
        "id_number_hash": id_hash,
        "declared": request.declared.__dict__,
        "scenario": scenario_json(request),
        "requested_tenors": list(request.requested_tenors or []),
        "product_code": request.product_code,
        "features": features,
        "model_version": version,
    }
    canonical = json.dumps(document, sort_keys=True, default=str, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
