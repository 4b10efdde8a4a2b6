"""Prequalification: decide, price and sign offers, in one transaction.

``prequalify`` is the checkout's hot path. In order: hash the identifiers,
hold the customer's ``prequalification`` consent (so a racing revocation waits
for this decision and then voids its offers), pick the product, score the
bank's profile of the customer (a synthetic one in the sandbox, the partner's
declared data for a customer new to the bank), apply policy, price the offers,
sign each offer's terms, and record the decision — consent, model version,
inputs' hash, grade, score band, decision and reasons — in the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, func, insert, literal, or_, select
from sqlalchemy.orm import Session

from gateway import ids
from gateway.audit.services import record as audit
from gateway.clock import utcnow
from gateway.consent.services import require_active_id
from gateway.db import reading, reads_apart, table_of
from gateway.errors import NotFound, ValidationFailed
from gateway.experiments.assignment import assign, present, running_experiment
from gateway.identity import customer_ref as make_customer_ref
from gateway.identity import id_number_hash, normalise_phone
from gateway.offers.models import Offer
from gateway.offers.services import schedule_hash, token_claims
from gateway.prequal.models import Prequalification
from gateway.prequal.policy import (
    DEFAULT_POLICY,
    ApplicantFacts,
    PolicyConfig,
    PolicyDecision,
    decide,
)
from gateway.prequal.pricing import PricedOffer, price_offers
from gateway.prequal.products import terms_of
from gateway.prequal.reasons import Reason
from gateway.prequal.sandbox import Persona, forced_decision, persona_for
from gateway.scoring.reasons import REASONS as MODEL_REASONS

CHINA = dt.timezone(dt.timedelta(hours=8))
OFFERING = ("approved", "partially_approved")
NEW_TO_BANK_AGE = 30  # assumed when a new-to-bank customer's age is not declared


class PrequalificationNotFound(NotFound):
    """No such prequalification for this partner and environment."""

    code = "prequalification_not_found"


@dataclass(frozen=True)
class Declared:
    """What the partner declares about the customer (all optional)."""

    monthly_income: Decimal | None = None
    employment_type: str | None = None
    age: int | None = None


@dataclass(frozen=True)
class PrequalRequest:
    """A checkout's question: is this customer pre-approved for this purchase?"""

    consent_id: str
    phone: str | None
    amount: Decimal
    currency: str
    scenario_type: str
    scenario_fields: Mapping[str, Any] = field(default_factory=dict)
    id_number: str | None = None
    declared: Declared = field(default_factory=Declared)
    requested_tenors: Sequence[int] | None = None
    product_code: str | None = None
    customer_ref: str | None = None
    persona: Persona | None = None

    def __post_init__(self) -> None:
        if (self.phone is None) == (self.customer_ref is None):
            raise ValueError("give exactly one of phone or customer_ref")


@dataclass(frozen=True)
class Caller:
    """The partner and environment asking, and the client acting."""

    partner_id: str
    environment: str
    actor: str


@dataclass(frozen=True)
class Outcome:
    """What :func:`prequalify` decided and wrote.

    ``prequalification`` and ``offers`` are attribute views of the rows
    inserted (the models' column names and values), not session objects:
    the hot path writes them with Core statements.
    """

    prequalification: Any
    offers: list[Any]
    fail_after_commit: bool = False


@dataclass(frozen=True)
class Engine:
    """Everything a decision depends on besides the request."""

    pepper: str
    issuer: str
    scorer: Any
    policy: PolicyConfig = DEFAULT_POLICY
    offer_ttl: dt.timedelta = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class _Case:
    """One prequalification's fixed facts: who asks, about whom, for what."""

    caller: Caller
    request: PrequalRequest
    engine: Engine
    partner_config: Any
    terms: Any
    ref: str
    id_hash: str | None
    persona: Persona | None
    tenors: tuple[int, ...]
    consent_id: str
    now: dt.datetime


@dataclass(frozen=True)
class _Inputs:
    """What the decision read: the customer's profile and recent offers."""

    profile: Any
    recent: int


@dataclass(frozen=True)
class _Draft:
    """A decision and its signed offers, as the rows to insert."""

    pq: dict[str, Any]
    offers: list[dict[str, Any]]
    audit_data: dict[str, Any]


def prequalify(
    session: Session,
    caller: Caller,
    partner_config: Any,
    request: PrequalRequest,
    engine: Engine,
    *,
    now: dt.datetime | None = None,
) -> Outcome:
    """Decide a prequalification and create its signed offers (the caller commits).

    The reads and the work (profile, contact count, scoring, pricing,
    signing) run in a read-only snapshot (:func:`gateway.db.reading`), so on
    SQLite they neither wait for nor hold the write lock; the write
    transaction then re-reads what the decision relied on — the consent,
    held ``FOR SHARE``, and the contact count — redoes the decision in the
    rare case the count moved, and inserts. A revocation racing this
    decision either commits first (``403 consent_required``) or waits for it
    and voids its offers.

    Args:
        session: the unit of work.
        caller: partner, environment and acting client.
        partner_config: the partner's validated ``PartnerConfig``.
        request: the question.
        engine: pepper, issuer, scorer, policy and offer lifetime.
        now: the current time (tests).

    Returns:
        The stored decision, its offers (best first for the customer's
        segment) and whether the sandbox asks for a fault after commit.

    Raises:
        ValidationFailed: a field is invalid (named).
        ConsentRequired: no active ``prequalification`` consent for this customer.
    """
    now = now or utcnow()
    phone = normalise_phone(request.phone) if request.phone is not None else None
    ref = request.customer_ref or make_customer_ref(engine.pepper, phone or "")
    id_hash = id_number_hash(engine.pepper, request.id_number) if request.id_number else None
    product = _product(partner_config, request)
    terms = terms_of(product)
    persona = (
        persona_for(caller.environment, phone)
        if phone is not None
        else (request.persona if caller.environment == "sandbox" else None)
    )
    tenors = _tenors(terms.tenors, request.requested_tenors)
    apart = reads_apart(session)
    consent: dict[str, Any] = {
        "partner_id": caller.partner_id,
        "environment": caller.environment,
        "customer_ref": ref,
        "purpose": "prequalification",
        "consent_id": request.consent_id,
        "now": now,
    }
    with reading(session):
        consent_id = require_active_id(session, **consent, lock=not apart)
        case = _Case(
            caller, request, engine, partner_config, terms, ref, id_hash, persona, tenors,
            consent_id, now,
        )  # fmt: skip
        inputs = _read_inputs(session, case)
        draft = _draft(session, case, inputs)
    if apart:
        # The write transaction: what the decision relied on must still hold.
        require_active_id(session, **consent, lock=True)
        if persona is None:
            recent = _recent_offer_count(session, ref, caller.environment, now)
            if recent != inputs.recent:
                draft = _draft(session, case, _Inputs(inputs.profile, recent))
    session.execute(insert(table_of(Prequalification)), draft.pq)
    if draft.offers:
        session.execute(insert(table_of(Offer)), draft.offers)
    audit(
        session,
        action="prequalification.decided",
        actor=caller.actor,
        partner_id=caller.partner_id,
        environment=caller.environment,
        subject=draft.pq["id"],
        data=draft.audit_data,
    )
    return Outcome(
        SimpleNamespace(**draft.pq),
        [SimpleNamespace(**offer) for offer in draft.offers],
        fail_after_commit=persona == "fault_after_commit",
    )


def _read_inputs(session: Session, case: _Case) -> _Inputs:
    """The profile (stored, or synthetic in the sandbox) and the 30-day offer count."""
    if case.persona is not None:
        return _Inputs(None, 0)  # a persona's decision is forced
    from gateway.profiles.services import get_profile
    from gateway.profiles.synthetic import synthetic_profile_for

    profile = get_profile(session, case.ref)
    if profile is None and case.caller.environment == "sandbox":
        profile = synthetic_profile_for(case.ref)
    recent = _recent_offer_count(session, case.ref, case.caller.environment, case.now)
    return _Inputs(profile, recent)


def _draft(session: Session, case: _Case, inputs: _Inputs) -> _Draft:
    """Decide, price, order and sign: the rows to write (``session`` reads the signing key)."""
    request, engine, terms, now = case.request, case.engine, case.terms, case.now
    if case.persona is not None:
        decision, segment, version, features = _persona_decision(
            case.persona, terms, request, case.tenors
        )
        new_to_bank = False
    else:
        decision, segment, version, features, new_to_bank = _model_decision(
            engine, terms, request, case.tenors, inputs
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
        "scenario": _scenario_json(request),
        "product_code": terms.code,
        "currency": request.currency,
        "requested_amount": request.amount,
        "approved_amount": decision.approved_amount,
        "upfront_payment": decision.upfront_payment,
        "grade": decision.grade,
        "score": decision.score,
        "pd": round(decision.pd, 6),
        "score_band": _band(decision.score),
        "segment": segment,
        "model_version": version,
        "inputs_hash": _inputs_hash(case.ref, case.id_hash, request, features, version),
        "reasons": [{"code": r.code, "en": r.en, "zh-CN": r.zh_cn} for r in decision.reasons],
        "new_to_bank": new_to_bank,
        "sandbox_persona": case.persona,
        "experiment_arm": experiment.label(arm) if experiment and arm else None,
        "human_review_requested_at": None,
        "created_at": now,
        "expires_at": now + engine.offer_ttl,
    }
    offers = [
        _offer(session, pq, rank, offer, engine)
        for rank, offer in enumerate(present(_order_for(segment, priced), arm))
    ]
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
    }
    return _Draft(pq, offers, audit_data)


def _product(partner_config: Any, request: PrequalRequest) -> Any:
    if request.product_code is not None:
        product = partner_config.product(request.product_code)
        if product is None:
            raise ValidationFailed({"product_code": "is not one of this partner's products"})
    else:
        product = partner_config.products[0]
    if product.currency != request.currency:
        raise ValidationFailed({"scenario.currency": f"this product lends in {product.currency}"})
    return product


def _tenors(offered: Sequence[int], requested: Sequence[int] | None) -> tuple[int, ...]:
    if requested is None:
        return tuple(sorted(offered))
    chosen = tuple(sorted(set(requested) & set(offered)))
    if not chosen:
        raise ValidationFailed(
            {"requested_tenors": f"none is offered; choose from {sorted(offered)}"}
        )
    return chosen


def _model_reasons(codes: Iterable[str]) -> list[Reason]:
    """Reasons for the scorecard's adverse factors, worst first, each code once."""
    reasons: list[Reason] = []
    for code in codes:
        text = MODEL_REASONS.get(code)
        if text is not None and all(r.code != text.code for r in reasons):
            reasons.append(Reason(text.code, text.en, text.zh_cn))
    return reasons


def _persona_decision(
    persona: Persona, terms: Any, request: PrequalRequest, tenors: tuple[int, ...]
) -> tuple[PolicyDecision, str, str, dict[str, Any]]:
    model_reasons = _model_reasons(("high_utilisation", "recent_inquiries"))
    decision = forced_decision(persona, terms, request.amount, tenors, model_reasons)
    return decision, "mass_market", f"sandbox-persona:{persona}", {"persona": persona}


def _model_decision(
    engine: Engine,
    terms: Any,
    request: PrequalRequest,
    tenors: tuple[int, ...],
    inputs: _Inputs,
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
        model_reasons=_model_reasons(factor.reason for factor in result.factors),
    )
    used = {k: v for k, v in features.items() if k != "customer_ref"}
    return decision, result.segment, result.model_version, used, profile is None


_prequalifications = table_of(Prequalification)
_RECENT_OFFERS = (
    select(func.count())
    .select_from(_prequalifications)
    .where(
        _prequalifications.c.customer_ref == bindparam("ref"),
        _prequalifications.c.environment == bindparam("environment"),
        # Two literal comparisons, not IN (...): an expanding IN would be
        # re-rendered on every execution instead of coming from the cache.
        or_(*(_prequalifications.c.status == literal(status) for status in OFFERING)),
        _prequalifications.c.created_at > bindparam("since"),
    )
)


def _recent_offer_count(session: Session, ref: str, environment: str, now: dt.datetime) -> int:
    """Prequalifications with offers for this customer in the last 30 days, all partners."""
    since = now - dt.timedelta(days=30)
    count = session.execute(
        _RECENT_OFFERS, {"ref": ref, "environment": environment, "since": since}
    ).scalar()
    return int(count or 0)


def _band(score: int | None) -> str | None:
    if score is None:
        return None
    low = (score // 20) * 20
    return f"{low}-{low + 19}"


def _scenario_json(request: PrequalRequest) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": request.scenario_type,
        "amount": str(request.amount),
        "currency": request.currency,
    }
    for key, value in request.scenario_fields.items():
        if value is not None:
            data[key] = value.isoformat() if isinstance(value, dt.date) else value
    return data


def _inputs_hash(
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
        "scenario": _scenario_json(request),
        "requested_tenors": list(request.requested_tenors or []),
        "product_code": request.product_code,
        "features": features,
        "model_version": version,
    }
    canonical = json.dumps(document, sort_keys=True, default=str, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def _order_for(segment: str, offers: Sequence[PricedOffer]) -> list[PricedOffer]:
    """Offers best first for the segment: cheapest overall for the affluent,
    lowest monthly payment for everyone else."""
    if segment == "high_net_worth":
        return sorted(offers, key=lambda o: (o.total_cost, o.tenor_months))
    return sorted(offers, key=lambda o: (o.monthly_payment, o.total_cost))


def _schedule_rows(offer: PricedOffer) -> list[dict[str, Any]]:
    return [
        {
            "number": item.number,
            "due_date": item.due_date.isoformat(),
            "payment": str(item.payment),
            "principal": str(item.principal),
            "interest": str(item.interest),
            "fee": str(item.fee),
            "balance_after": str(item.balance_after),
        }
        for item in offer.schedule.instalments
    ]


def _offer(
    session: Session,
    pq: Mapping[str, Any],
    rank: int,
    priced: PricedOffer,
    engine: Engine,
) -> dict[str, Any]:
    from gateway.keys.services import sign

    schedule = _schedule_rows(priced)
    offer: dict[str, Any] = {
        "id": ids.new_id("off"),
        "prequalification_id": pq["id"],
        "partner_id": pq["partner_id"],
        "environment": pq["environment"],
        "customer_ref": pq["customer_ref"],
        "consent_id": pq["consent_id"],
        "rank": rank,
        "product_code": priced.product_code,
        "currency": priced.currency,
        "principal": priced.principal,
        "tenor_months": priced.tenor_months,
        "repayment_method": priced.repayment_method,
        "apr": priced.apr,
        "monthly_payment": priced.monthly_payment,
        "total_interest": priced.total_interest,
        "total_fees": priced.total_fees,
        "total_cost": priced.total_cost,
        "total_repayable": priced.total_repayable,
        "merchant_subsidy": priced.merchant_subsidy.amount if priced.merchant_subsidy else None,
        "schedule": schedule,
        "schedule_hash": schedule_hash(schedule),
        "status": "open",
        "void_reason": None,
        "created_at": pq["created_at"],
        "expires_at": pq["expires_at"],
    }
    claims = token_claims(SimpleNamespace(**offer), engine.issuer)
    offer["token"] = sign(session, claims, typ="offer+jwt")
    return offer


def get_prequalification(
    session: Session, partner_id: str, environment: str, prequalification_id: str
) -> tuple[Prequalification, list[Offer]]:
    """A prequalification of this partner and environment, with its offers by rank.

    Raises:
        PrequalificationNotFound: not found here (another tenant's is not found either).
    """
    pq = session.get(Prequalification, prequalification_id)
    if pq is None or (pq.partner_id, pq.environment) != (partner_id, environment):
        raise PrequalificationNotFound("no such prequalification")
    offers = list(
        session.scalars(
            select(Offer).where(Offer.prequalification_id == pq.id).order_by(Offer.rank)
        )
    )
    return pq, offers


def request_human_review(
    session: Session, pq: Prequalification, *, actor: str, now: dt.datetime | None = None
) -> Prequalification:
    """Record the customer's request for a person to review the decision (PIPL Art. 24)."""
    if pq.human_review_requested_at is None:
        pq.human_review_requested_at = now or utcnow()
        audit(
            session,
            action="prequalification.review_requested",
            actor=actor,
            partner_id=pq.partner_id,
            environment=pq.environment,
            subject=pq.id,
            data={"decision": pq.status},
        )
        session.flush()
    return pq


def decisions_of_customer(session: Session, customer_ref: str) -> Iterator[dict[str, Any]]:
    """Every decision about a customer, for the customer's own export (PIPL Art. 45)."""
    rows = session.scalars(
        select(Prequalification)
        .where(Prequalification.customer_ref == customer_ref)
        .order_by(Prequalification.created_at)
    )
    for pq in rows:
        yield {
            "id": pq.id,
            "partner_id": pq.partner_id,
            "environment": pq.environment,
            "decided_at": pq.created_at.isoformat(),
            "consent_id": pq.consent_id,
            "decision": pq.status,
            "grade": pq.grade,
            "score_band": pq.score_band,
            "model_version": pq.model_version,
            "inputs_hash": pq.inputs_hash,
            "requested_amount": str(pq.requested_amount),
            "approved_amount": str(pq.approved_amount) if pq.approved_amount else None,
            "reasons": [r["code"] for r in pq.reasons],
            "human_review_requested_at": (
                pq.human_review_requested_at.isoformat() if pq.human_review_requested_at else None
            ),
        }
