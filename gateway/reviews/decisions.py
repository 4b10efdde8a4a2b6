"""Deciding a review case: approve with new signed offers, or uphold with an explanation.

Every check runs before anything is written, so bad input changes nothing.
Two reviewers deciding one case at once get exactly one decision: the case
row is locked ``FOR UPDATE`` (PostgreSQL) and the write only lands if the
case is still at the version that was read (both backends); the other
reviewer gets :class:`~gateway.reviews.services.ReviewClosed` or
:class:`~gateway.reviews.services.StaleCase`. The decision, its audit entry,
its offers and its ``prequalification.review_completed`` webhook commit together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from gateway import clock
from gateway.consent.gate import require_active_id
from gateway.errors import ValidationFailed
from gateway.offers.models import Offer
from gateway.prequal.models import Prequalification
from gateway.prequal.presenters import prequalification_view
from gateway.prequal.records import get_prequalification
from gateway.reviews.approval import Decision, Outcome, SecondReviewerRequired, approval_terms
from gateway.reviews.models import PENDING, ReviewCase
from gateway.reviews.offers import make_offers
from gateway.reviews.reasons import review_reasons
from gateway.reviews.state import (
    ReviewClaimed,
    ReviewClosed,
    advance,
    audit_case,
    get_case,
    reviewer_email,
)
from gateway.webhooks.outbox import emit

__all__ = ["Decided", "Decision", "Outcome", "SecondReviewerRequired", "decide"]


@dataclass(frozen=True)
class Decided:
    """The decided case, its prequalification and the offers the decision made."""

    case: ReviewCase
    prequalification: Prequalification
    offers: list[Offer]


def decide(
    session: Session,
    case_id: str,
    decision: Decision,
    *,
    issuer: str,
    now: dt.datetime | None = None,
) -> Decided:
    """Decide a pending case (the caller commits).

    Args:
        session: the unit of work.
        case_id: ``rev_…``.
        decision: outcome, note, reason codes, reviewer(s) and, to approve,
            the amount, tenors and grade (defaults: the most the customer can
            afford up to the amount asked, every affordable tenor, the
            decision's grade or ``E``).
        issuer: the ``iss`` of the decision token signed over the new offers.
        now: the current time (tests).

    Returns:
        The decided case, with the new offers of an approval.

    Raises:
        ReviewNotFound: no such case.
        ReviewClosed: already decided or withdrawn.
        ReviewClaimed: another reviewer holds it.
        StaleCase: another reviewer decided it at the same moment.
        ValidationFailed: an empty note, a bad reason code, an amount outside
            the product or above the affordability cap, a bad tenor or grade.
        SecondReviewerRequired: the amount needs a second, different reviewer.
        ConsentRequired: approving, the decision's consent is no longer active.
    """
    now = now or clock.utcnow()
    reviewer = reviewer_email(decision.reviewer)
    note = decision.note.strip()
    if not note:
        raise ValidationFailed({"note": "a note is required: say what you checked and why"})
    reasons = review_reasons(decision.outcome, decision.reason_codes)
    case = get_case(session, case_id)
    pq = session.get(Prequalification, case.prequalification_id)
    assert pq is not None
    if decision.outcome == "approve" and case.status in PENDING:
        # The consent first, then the case: the order a revocation takes them in.
        require_active_id(
            session,
            partner_id=pq.partner_id,
            environment=pq.environment,
            customer_ref=pq.customer_ref,
            purpose="prequalification",
            consent_id=pq.consent_id,
            lock=True,
            now=now,
        )
    case = get_case(session, case_id, lock=True)
    if case.status not in PENDING:
        raise ReviewClosed(f"the case is already {case.status}")
    if case.status == "in_review" and case.reviewer != reviewer:
        raise ReviewClaimed(f"the case is in review by {case.reviewer}")
    offers: list[Offer] = []
    terms: dict[str, Any] = {}
    if decision.outcome == "approve":
        approval = approval_terms(session, pq, decision, reviewer)
        offers = make_offers(
            session,
            pq,
            approval.terms,
            grade=approval.grade,
            amount=approval.amount,
            tenors=approval.tenors,
            issuer=issuer,
            ttl=approval.offer_ttl,
            now=now,
        )
        terms = approval.as_json()
    values: dict[str, Any] = {
        "status": "decided",
        "outcome": "approved" if decision.outcome == "approve" else "upheld",
        "reviewer": reviewer,
        "second_reviewer": terms.get("second_reviewer"),
        "note": note,
        "reason_codes": [r.code for r in reasons],
        "approved_amount": terms.get("amount"),
        "decision": {k: v for k, v in terms.items() if k not in ("amount", "second_reviewer")}
        | {"offers": [o.id for o in offers]},
        "claimed_at": case.claimed_at or now,
        "decided_at": now,
        "updated_at": now,
    }
    advance(session, case, **values)
    audit_case(
        session,
        case,
        "review.decided",
        reviewer,
        {
            "outcome": case.outcome,
            "reason_codes": case.reason_codes,
            "note_sha256": hashlib.sha256(note.encode()).hexdigest(),
            "second_reviewer": case.second_reviewer,
            "approved_amount": str(case.approved_amount) if case.approved_amount else None,
            **(case.decision or {}),
        },
    )
    _notify(session, case, pq, now)
    return Decided(case, pq, offers)


def _notify(session: Session, case: ReviewCase, pq: Prequalification, now: dt.datetime) -> None:
    """The ``prequalification.review_completed`` webhook, in the decision's transaction."""
    _, offers = get_prequalification(session, pq.partner_id, pq.environment, pq.id)
    emit(
        session,
        "prequalification.review_completed",
        partner_id=pq.partner_id,
        environment=pq.environment,
        resource_id=pq.id,
        obj=prequalification_view(pq, offers, "en", now, review=case),
        now=now,
    )
