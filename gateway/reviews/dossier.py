"""The dossier a reviewer decides on: everything the decision rested on, no raw identifier.

- the decision as stored: status, grade, score, PD, score band, model
  version, inputs' hash, reasons;
- its inputs by name: the scenario, and the customer's facts from the source
  the decision used (the bank's profile, the sandbox's synthetic profile, or
  a sandbox persona's fixed facts). Facts the partner declared are kept only
  inside the inputs' hash, so they are listed as such;
- the model's factors (the facts re-scored by the active model; ``matches``
  says whether that reproduces the stored score);
- each policy rule, its value and whether it fired; the risk rules that hit;
- the affordability arithmetic at the decision's grade;
- the consent and its receipt id; the audit entries of the decision, the
  consent and the case.

The customer is only ever the keyed reference; no phone, ID number or name
is stored anywhere to be shown.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.audit.models import AuditEntry
from gateway.clock import rfc3339
from gateway.consent.models import Consent
from gateway.partners.services import get_partner
from gateway.prequal.models import Prequalification
from gateway.prequal.policy import DEFAULT_POLICY
from gateway.prequal.products import terms_of
from gateway.reviews.affordability import Facts, affordability, facts_for
from gateway.reviews.models import ReviewCase
from gateway.reviews.presenters import case_json
from gateway.risk.models import RiskHit


def dossier(
    session: Session, case: ReviewCase, now: dt.datetime, scorer: Any | None
) -> dict[str, Any]:
    """The whole dossier of a case, JSON-ready.

    Args:
        session: a session to read with.
        case: the case.
        now: the current time.
        scorer: the active model's scorer (``None``: factors are not recomputed).
    """
    pq = session.get(Prequalification, case.prequalification_id)
    assert pq is not None
    config = get_partner(session, pq.partner_id).config
    product = config.product(pq.product_code or "") or config.products[0]
    terms = terms_of(product)
    facts = facts_for(session, pq)
    grade = pq.grade or "E"
    return {
        "case": case_json(case, now),
        "decision": _decision(pq),
        "inputs": {
            "scenario": pq.scenario,
            "facts_source": facts.source if facts else None,
            "facts": _plain(facts.features) if facts else None,
            "declared": "kept only inside inputs_hash (not stored in clear)",
        },
        "model": _model(pq, facts, scorer),
        "policy_rules": _rules(session, pq, facts, terms),
        "risk_rules": _risk_hits(session, pq.id),
        "affordability": affordability(terms, facts, grade).as_json() if facts else None,
        "product": {
            "code": terms.code,
            "min_amount": f"{terms.min_amount:.2f}",
            "max_amount": f"{terms.max_amount:.2f}",
            "tenors": list(terms.tenors),
        },
        "second_approval_above": f"{config.review.second_approval_above:.2f}",
        "consent": _consent(session, pq.consent_id, now),
        "audit": _audit_entries(session, pq, case),
    }


def _plain(values: Any) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in dict(values).items()}


def _decision(pq: Prequalification) -> dict[str, Any]:
    return {
        "id": pq.id,
        "status": pq.status,
        "decided_at": rfc3339(pq.created_at),
        "customer_ref": pq.customer_ref,
        "product_code": pq.product_code,
        "currency": pq.currency,
        "requested_amount": f"{pq.requested_amount:.2f}",
        "approved_amount": f"{pq.approved_amount:.2f}" if pq.approved_amount else None,
        "grade": pq.grade,
        "score": pq.score,
        "pd": pq.pd,
        "score_band": pq.score_band,
        "segment": pq.segment,
        "model_version": pq.model_version,
        "inputs_hash": pq.inputs_hash,
        "new_to_bank": pq.new_to_bank,
        "sandbox_persona": pq.sandbox_persona,
        "reasons": [{"code": r["code"], "text": r["en"]} for r in pq.reasons],
    }


def _model(pq: Prequalification, facts: Facts | None, scorer: Any | None) -> dict[str, Any]:
    if pq.sandbox_persona is not None:
        return {"note": "sandbox persona: the decision was forced, not scored", "factors": []}
    if facts is None or scorer is None:
        return {"note": "no facts to re-score", "factors": []}
    result = scorer.score(dict(facts.features))
    return {
        "model_version": result.model_version,
        "score": result.score,
        "pd": round(result.pd, 6),
        "matches_decision": result.score == pq.score and result.model_version == pq.model_version,
        "factors": [
            {"feature": f.feature, "reason": f.reason, "points": f.points, "shortfall": f.shortfall}
            for f in result.factors
        ],
    }


def _rules(
    session: Session, pq: Prequalification, facts: Facts | None, terms: Any
) -> list[dict[str, Any]]:
    policy = DEFAULT_POLICY
    features = dict(facts.features) if facts else {}
    pd = pq.pd if pq.pd is not None else 0.0
    cutoff = policy.decline_pd(pq.new_to_bank)
    band = (cutoff - policy.referral_margin, cutoff + policy.referral_margin)
    recent = _recent_offers(session, pq)
    cap = policy.contact_cap(pq.grade or "E")
    youngest, oldest = terms.customer_age
    age = facts.age if facts else None

    def rule(code: str, value: Any, fired: bool) -> dict[str, Any]:
        return {"rule": code, "value": value, "fired": fired}

    return [
        rule("fraud_flag", features.get("fraud_flag"), bool(features.get("fraud_flag"))),
        rule("blacklisted", features.get("blacklist_flag"), bool(features.get("blacklist_flag"))),
        rule(
            "current_delinquency",
            features.get("current_delinquency"),
            bool(features.get("current_delinquency")),
        ),
        rule(
            "age_out_of_range",
            {"age": age, "min": youngest, "max_at_maturity": oldest},
            age is not None and age < youngest,
        ),
        rule(
            "amount_out_of_range",
            {
                "requested": f"{pq.requested_amount:.2f}",
                "min": f"{terms.min_amount:.2f}",
                "max": f"{terms.max_amount:.2f}",
            },
            not terms.min_amount <= pq.requested_amount <= terms.max_amount,
        ),
        rule(
            "score_below_cutoff",
            {"pd": pd, "decline_pd": cutoff},
            pd >= cutoff and not band[0] <= pd < band[1],
        ),
        rule("referral_band", {"pd": pd, "band": list(band)}, band[0] <= pd < band[1]),
        rule("contact_frequency_cap", {"offers_30d": recent, "cap": cap}, recent >= cap),
    ]


def _risk_hits(session: Session, pq_id: str) -> list[dict[str, Any]]:
    """The risk rules (velocity, identity, exposure) that hit this decision, in either mode."""
    hits = session.scalars(select(RiskHit).where(RiskHit.subject == pq_id).order_by(RiskHit.id))
    return [
        {
            "rule": h.rule,
            "mode": h.mode,
            "action": h.action,
            "reason": h.reason_code,
            "detail": h.detail,
        }
        for h in hits
    ]


def _recent_offers(session: Session, pq: Prequalification) -> int:
    """Decisions with offers for this customer in the 30 days before this one."""
    count = session.scalar(
        select(func.count())
        .select_from(Prequalification)
        .where(
            Prequalification.customer_ref == pq.customer_ref,
            Prequalification.environment == pq.environment,
            Prequalification.status.in_(("approved", "partially_approved")),
            Prequalification.created_at > pq.created_at - dt.timedelta(days=30),
            Prequalification.created_at < pq.created_at,
        )
    )
    return int(count or 0)


def _consent(session: Session, consent_id: str, now: dt.datetime) -> dict[str, Any] | None:
    consent = session.get(Consent, consent_id)
    if consent is None:
        return None
    return {
        "id": consent.id,
        "purpose": consent.purpose,
        "status": consent.status_at(now),
        "notice_version": consent.notice_version,
        "granted_at": rfc3339(consent.granted_at),
        "expires_at": rfc3339(consent.expires_at),
        "revoked_at": rfc3339(consent.revoked_at) if consent.revoked_at else None,
        "receipt_id": consent.receipt_id,
    }


def _audit_entries(
    session: Session, pq: Prequalification, case: ReviewCase
) -> list[dict[str, Any]]:
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.subject.in_((pq.id, case.id, pq.consent_id)))
        .order_by(AuditEntry.created_at, AuditEntry.id)
    )
    return [
        {
            "at": rfc3339(e.created_at),
            "action": e.action,
            "actor": e.actor,
            "subject": e.subject,
            "data": e.data,
        }
        for e in entries
    ]
