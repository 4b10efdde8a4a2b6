"""Opening, claiming, withdrawing and finding review cases.

Deciding a case is :mod:`gateway.reviews.decisions`. Every change here is an
audit entry in the caller's transaction; services flush, callers commit.
The current time is read through :mod:`gateway.clock` (``clock.utcnow``) so
operations tests can move it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway import clock, ids
from gateway.consent.models import Consent
from gateway.errors import ValidationFailed
from gateway.partners.config import ReviewSettings
from gateway.reviews.models import PENDING, STATUSES, ReviewCase
from gateway.reviews.state import (
    ReviewClaimed,
    ReviewClosed,
    ReviewNotFound,
    StaleCase,
    advance,
    audit_case,
    get_case,
    reviewer_email,
)

__all__ = [
    "REVIEWABLE",
    "ReviewClaimed",
    "ReviewClosed",
    "ReviewNotFound",
    "StaleCase",
    "case_of",
    "claim",
    "get_case",
    "list_cases",
    "open_case",
    "review_of",
    "reviewer_email",
    "sla",
    "withdraw_for_consent",
]

REVIEWABLE = {
    "referred": "referral",
    "declined": "customer_request",
    "partially_approved": "customer_request",
}


def sla(settings: ReviewSettings, kind: str) -> dt.timedelta:
    """How long a case of ``kind`` may wait for a decision."""
    hours = (
        settings.referral_sla_hours if kind == "referral" else settings.customer_request_sla_hours
    )
    return dt.timedelta(hours=hours)


def open_case(
    session: Session,
    pq: Any,
    settings: ReviewSettings,
    *,
    actor: str,
    now: dt.datetime | None = None,
) -> ReviewCase | None:
    """Open the review case of a decision, once (the caller commits).

    A ``referred`` decision gets a ``referral`` case; a ``declined`` or
    ``partially_approved`` one a ``customer_request`` case. An approved
    decision gets none, and a decision that already has a case keeps it.

    Args:
        session: the unit of work of the decision or of the customer's request.
        pq: the prequalification (row or attribute view: ``id``, ``status``,
            ``partner_id``, ``environment``, ``consent_id``).
        settings: the partner's review settings (SLA per kind).
        actor: who asked (the partner's client, or ``policy``).
        now: the current time (tests).

    Returns:
        The case (new or existing), or ``None`` for a decision nobody reviews.
    """
    kind = REVIEWABLE.get(pq.status)
    if kind is None:
        return None
    existing = case_of(session, pq.id)
    if existing is not None:
        return existing
    now = now or clock.utcnow()
    withdrawn = kind == "customer_request" and not _consent_active(session, pq.consent_id)
    case = ReviewCase(
        id=ids.new_id("rev"),
        prequalification_id=pq.id,
        partner_id=pq.partner_id,
        environment=pq.environment,
        consent_id=pq.consent_id,
        kind=kind,
        status="withdrawn" if withdrawn else "open",
        version=1,
        reason_codes=[],
        created_at=now,
        due_at=now + sla(settings, kind),
        updated_at=now,
        withdrawn_at=now if withdrawn else None,
    )
    session.add(case)
    session.flush()
    audit_case(
        session,
        case,
        "review.opened",
        actor,
        {"kind": kind, "decision": pq.status, "due_at": clock.rfc3339(case.due_at)},
    )
    return case


def _consent_active(session: Session, consent_id: str) -> bool:
    """Whether the decision's consent was not revoked (a request after revocation is moot)."""
    consent = session.get(Consent, consent_id)
    return consent is not None and consent.status != "revoked"


def case_of(session: Session, prequalification_id: str) -> ReviewCase | None:
    """The review case of a prequalification, if it has one."""
    return session.scalars(
        select(ReviewCase).where(ReviewCase.prequalification_id == prequalification_id)
    ).first()


def review_of(session: Session, pq: Any) -> ReviewCase | None:
    """The review case of a decision, without a query for decisions nobody reviews."""
    return case_of(session, pq.id) if pq.status in REVIEWABLE else None


def list_cases(
    session: Session,
    *,
    statuses: Sequence[str] = (),
    overdue: bool = False,
    partner_id: str | None = None,
    now: dt.datetime | None = None,
    limit: int = 500,
) -> list[ReviewCase]:
    """Cases, the most urgent first (earliest due).

    Args:
        statuses: only these statuses (default: every one).
        overdue: only pending cases past their due time.
        partner_id: only this partner's.
        now: the current time (tests).
        limit: at most this many.
    """
    unknown = sorted(set(statuses) - set(STATUSES))
    if unknown:
        raise ValidationFailed(
            {"status": f"{', '.join(unknown)}: choose from {', '.join(STATUSES)}"}
        )
    query = select(ReviewCase)
    if statuses:
        query = query.where(ReviewCase.status.in_(statuses))
    if overdue:
        query = query.where(
            ReviewCase.status.in_(PENDING), ReviewCase.due_at < (now or clock.utcnow())
        )
    if partner_id is not None:
        query = query.where(ReviewCase.partner_id == partner_id)
    return list(session.scalars(query.order_by(ReviewCase.due_at, ReviewCase.id).limit(limit)))


def claim(
    session: Session, case_id: str, reviewer: str, *, now: dt.datetime | None = None
) -> ReviewCase:
    """A reviewer takes an open case (``open`` → ``in_review``); again by the same one is a no-op.

    Raises:
        ReviewNotFound: no such case.
        ReviewClosed: decided or withdrawn.
        ReviewClaimed: another reviewer holds it.
        ValidationFailed: the reviewer is not an e-mail address.
    """
    email = reviewer_email(reviewer)
    case = get_case(session, case_id, lock=True)
    if case.status not in PENDING:
        raise ReviewClosed(f"the case is {case.status}")
    if case.status == "in_review":
        if case.reviewer != email:
            raise ReviewClaimed(f"the case is in review by {case.reviewer}")
        return case
    now = now or clock.utcnow()
    advance(session, case, status="in_review", reviewer=email, claimed_at=now, updated_at=now)
    audit_case(session, case, "review.claimed", email, {"kind": case.kind})
    return case


def withdraw_for_consent(
    session: Session, consent_id: str, *, actor: str, now: dt.datetime | None = None
) -> list[str]:
    """Withdraw every pending case whose decision relied on a revoked consent.

    Runs in the revocation's transaction (the consent domain's signal).

    Returns:
        The withdrawn cases' ids.
    """
    cases = session.scalars(
        select(ReviewCase)
        .where(ReviewCase.consent_id == consent_id, ReviewCase.status.in_(PENDING))
        .with_for_update()
    ).all()
    now = now or clock.utcnow()
    for case in cases:
        advance(session, case, status="withdrawn", withdrawn_at=now, updated_at=now)
        audit_case(
            session,
            case,
            "review.withdrawn",
            actor,
            {"reason": "consent_revoked", "consent_id": consent_id},
        )
    return [case.id for case in cases]
