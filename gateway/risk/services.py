"""The risk controls of one prequalification: check, apply, record.

:func:`check` reads (exposure, partner concentration, rule windows, the
bank's ID record) inside the prequalification's read snapshot;
:func:`apply` changes the policy decision (pure); :func:`record` writes the
observation the next windows count, one ``risk_hits`` row per finding (the
review dossier's line, with the detail for staff), an audit entry per
finding, and the metrics.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from gateway.audit.services import record as audit
from gateway.db import table_of
from gateway.prequal.policy import PolicyDecision
from gateway.risk import adjust
from gateway.risk.config import RiskRules
from gateway.risk.exposure import Exposure, customer_exposure
from gateway.risk.exposure import partner_outstanding as read_partner_outstanding
from gateway.risk.models import RiskHit, RiskObservation
from gateway.risk.reasons import EXPOSURE_LIMIT, PARTNER_LIMIT_REACHED, RULE_CODES
from gateway.risk.rules import Counts, Hit, Subject, count_windows, evaluate

# Sandbox personas (DESIGN §5): what they simulate here.
EXPOSURE_PERSONA_HEADROOM = Decimal("2000.00")
VELOCITY_PERSONA_HIT = Hit(
    "customer_velocity",
    "enforce",
    "refer",
    RULE_CODES["customer_velocity"],
    "sandbox persona +8613800000008: velocity referral forced",
)


@dataclass(frozen=True)
class RiskCheck:
    """What the controls found for one prequalification."""

    hits: tuple[Hit, ...]
    exposure: Exposure
    partner_outstanding: Decimal | None = None
    partner_limit: Decimal | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def partner_limit_reached(self) -> bool:
        """The partner is at or beyond its ``limits.max_outstanding``."""
        return (
            self.partner_limit is not None
            and self.partner_outstanding is not None
            and self.partner_outstanding >= self.partner_limit
        )


def check(
    session: Session,
    rules: RiskRules,
    subject: Subject,
    now: dt.datetime,
    *,
    partner_limit: Decimal | None = None,
    persona: str | None = None,
) -> RiskCheck:
    """Read everything the controls need (no writes).

    Args:
        session: the unit of work (the prequalification's read snapshot).
        rules: the reviewed rules.
        subject: the customer's hashes and where the request comes from.
        now: the decision time.
        partner_limit: the partner's ``limits.max_outstanding`` in this environment.
        persona: the sandbox persona, if any: personas skip the velocity and
            identity rules (their outcome is forced), ``exposure_limited``
            starts with only ¥2,000 of headroom and ``velocity_referral``
            always hits the velocity rule.
    """
    cap = rules.exposure.cap_per_customer
    return assess(
        rules,
        subject,
        exposure=customer_exposure(session, subject.customer_ref, subject.environment, cap),
        counts=count_windows(session, rules, subject, now) if persona is None else None,
        partner_outstanding=(
            read_partner_outstanding(session, subject.partner_id, subject.environment)
            if partner_limit is not None
            else None
        ),
        partner_limit=partner_limit,
        persona=persona,
    )


def assess(
    rules: RiskRules,
    subject: Subject,
    *,
    exposure: Exposure,
    counts: Counts | None,
    partner_outstanding: Decimal | None = None,
    partner_limit: Decimal | None = None,
    persona: str | None = None,
) -> RiskCheck:
    """:func:`check` on what was read (pure): the prequalification reads it in one statement.

    Args:
        counts: the windows (``None`` for a persona, whose outcome is forced).
    """
    cap = exposure.cap
    if persona == "exposure_limited":
        floor = cap - EXPOSURE_PERSONA_HEADROOM
        exposure = Exposure(max(exposure.outstanding, floor), cap)
    if persona is None:
        hits = tuple(evaluate(rules, subject, counts or Counts()))
    elif persona == "velocity_referral":
        hits = (VELOCITY_PERSONA_HIT,)
    else:
        hits = ()
    return RiskCheck(hits, exposure, partner_outstanding, partner_limit)


def apply(decision: PolicyDecision, found: RiskCheck, min_amount: Decimal) -> PolicyDecision:
    """The decision after the controls: partner limit, enforced hits, then the exposure cap."""
    decision = adjust.partner_limit(decision, found.partner_limit_reached)
    decision = adjust.rule_hits(decision, found.hits)
    return adjust.exposure_cap(decision, found.exposure.headroom, min_amount)


def findings(found: RiskCheck, before: PolicyDecision, after: PolicyDecision) -> list[Hit]:
    """Every finding to record: the rule hits, and the limits that changed the decision."""
    out = list(found.hits)
    if found.partner_limit_reached and PARTNER_LIMIT_REACHED in after.reasons:
        out.append(
            Hit(
                "partner_limit",
                "enforce",
                "decline",
                PARTNER_LIMIT_REACHED.code,
                f"partner outstanding {found.partner_outstanding} at or above "
                f"limits.max_outstanding {found.partner_limit}",
            )
        )
    if EXPOSURE_LIMIT in after.reasons and EXPOSURE_LIMIT not in before.reasons:
        out.append(
            Hit(
                "exposure_cap",
                "enforce",
                "cut" if after.status == "partially_approved" else "decline",
                EXPOSURE_LIMIT.code,
                f"exposure {found.exposure.outstanding} of cap {found.exposure.cap}; "
                f"headroom {found.exposure.headroom}; requested {before.approved_amount}",
            )
        )
    return out


_INSERT_OBSERVATION = insert(table_of(RiskObservation))
_hits = table_of(RiskHit)


def record(
    session: Session,
    subject: Subject,
    hits: list[Hit],
    *,
    subject_id: str,
    actor: str,
    now: dt.datetime,
    found: RiskCheck | None = None,
) -> None:
    """Write the observation, each finding (dossier line + audit entry) and the metrics."""
    # On the session's connection: cheaper than through the session, on every decision.
    session.connection().execute(
        _INSERT_OBSERVATION,
        {
            "environment": subject.environment,
            "partner_id": subject.partner_id,
            "customer_ref": subject.customer_ref,
            "id_number_hash": subject.id_number_hash,
            "device_hash": subject.device_hash,
            "ip_hash": subject.ip_hash,
            "prequalification_id": subject_id,
            "created_at": now,
        },
    )
    controls = _controls()
    if controls is not None and found is not None and found.partner_outstanding is not None:
        controls.partner_outstanding.labels(subject.partner_id, subject.environment).set(
            float(found.partner_outstanding)
        )
        if found.partner_limit is not None:
            controls.partner_limit.labels(subject.partner_id).set(float(found.partner_limit))
    for hit in hits:
        session.execute(
            insert(_hits),
            {
                "subject": subject_id,
                "partner_id": subject.partner_id,
                "environment": subject.environment,
                "customer_ref": subject.customer_ref,
                "rule": hit.rule,
                "mode": hit.mode,
                "action": hit.action,
                "reason_code": hit.reason_code,
                "detail": hit.detail[:300],
                "created_at": now,
            },
        )
        audit(
            session,
            action="risk.rule_hit",
            actor=actor,
            partner_id=subject.partner_id,
            environment=subject.environment,
            subject=subject_id,
            data={
                "customer_ref": subject.customer_ref,
                "rule": hit.rule,
                "mode": hit.mode,
                "action": hit.action,
                "reason_code": hit.reason_code,
                "detail": hit.detail,
            },
        )
        if controls is not None:
            controls.hits.labels(hit.rule, hit.mode).inc()


def _controls() -> Any:
    from flask import current_app, has_app_context

    if not has_app_context():
        return None
    return current_app.extensions.get("gateway.risk")
