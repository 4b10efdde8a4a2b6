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
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy.orm import Session

from gateway import clock
from gateway.consent.services import require_active_id
from gateway.errors import ValidationFailed
from gateway.offers.models import Offer
from gateway.partners.services import get_partner
from gateway.prequal.models import Prequalification
from gateway.prequal.presenters import prequalification_view
from gateway.prequal.products import terms_of
from gateway.prequal.records import get_prequalification
from gateway.prequal.terms import GRADES
from gateway.reviews.affordability import affordability, facts_for
from gateway.reviews.models import PENDING, ReviewCase
from gateway.reviews.offers import make_offers
from gateway.reviews.reasons import review_reasons
from gateway.reviews.services import (
    ReviewClaimed,
    ReviewClosed,
    _advance,
    _audit,
    get_case,
    reviewer_email,
)
from gateway.webhooks.outbox import emit

Outcome = Literal["approve", "uphold"]


class SecondReviewerRequired(ValidationFailed):
    """The amount needs a second, different reviewer (four eyes)."""

    code = "second_reviewer_required"


@dataclass(frozen=True)
class Decision:
    """What a reviewer decided."""

    outcome: Outcome
    note: str
    reason_codes: Sequence[str]
    reviewer: str
    second_reviewer: str | None = None
    amount: Decimal | None = None
    tenors: Sequence[int] | None = None
    grade: str | None = None


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
        issuer: the ``iss`` of new offer tokens.
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
        offers, terms = _approve(session, case, pq, decision, reviewer, issuer, now)
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
    _advance(session, case, **values)
    _audit(
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


def _approve(
    session: Session,
    case: ReviewCase,
    pq: Prequalification,
    decision: Decision,
    reviewer: str,
    issuer: str,
    now: dt.datetime,
) -> tuple[list[Offer], dict[str, Any]]:
    config = get_partner(session, pq.partner_id).config
    product = config.product(pq.product_code or "") or config.products[0]
    terms = terms_of(product)
    grade = (decision.grade or pq.grade or "E").upper()
    if grade not in GRADES:
        raise ValidationFailed({"grade": f"must be one of {', '.join(GRADES)}"})
    facts = facts_for(session, pq)
    if facts is None:
        raise ValidationFailed(
            {
                "amount": "the bank holds no profile of this customer (new to bank): "
                "affordability cannot be established, so the case can only be upheld"
            }
        )
    unknown = sorted(set(decision.tenors or ()) - set(terms.tenors))
    if unknown:
        raise ValidationFailed(
            {"tenors": f"{unknown} not offered; choose from {list(terms.tenors)}"}
        )
    cap = affordability(terms, facts, grade, decision.tenors)
    too_old = sorted(set(decision.tenors or ()) - set(cap.max_by_tenor))
    if too_old:
        raise ValidationFailed({"tenors": f"{too_old}: the customer is too old at maturity"})
    best = max(cap.max_by_tenor.values(), default=Decimal("0.00"))
    amount = decision.amount if decision.amount is not None else min(pq.requested_amount, best)
    amount = amount.quantize(Decimal("0.01"))
    _check_amount(amount, pq, terms.min_amount, terms.max_amount)
    tenors = sorted(decision.tenors or [t for t, m in cap.max_by_tenor.items() if m >= amount])
    over = [t for t in tenors if cap.max_by_tenor[t] < amount]
    if over or not tenors:
        worst = min((cap.max_by_tenor[t] for t in over), default=best)
        raise ValidationFailed(
            {
                "amount": f"{amount:.2f} is above the affordability cap {worst:.2f} at grade "
                f"{grade} (capacity {cap.capacity:.2f}/month)"
            }
        )
    second = _second_reviewer(decision, reviewer, amount, config.review.second_approval_above)
    ttl = dt.timedelta(hours=config.review.offer_ttl_hours)
    offers = make_offers(
        session,
        pq,
        terms,
        grade=grade,
        amount=amount,
        tenors=tenors,
        issuer=issuer,
        ttl=ttl,
        now=now,
    )
    return offers, {
        "amount": amount,
        "tenors": tenors,
        "grade": grade,
        "second_reviewer": second,
        "affordability": cap.as_json(),
    }


def _check_amount(amount: Decimal, pq: Prequalification, low: Decimal, high: Decimal) -> None:
    if not low <= amount <= high:
        raise ValidationFailed({"amount": f"must be within the product's {low:.2f}–{high:.2f}"})
    if amount > pq.requested_amount:
        raise ValidationFailed(
            {"amount": f"must not exceed the amount asked for ({pq.requested_amount:.2f})"}
        )


def _second_reviewer(
    decision: Decision, reviewer: str, amount: Decimal, threshold: Decimal
) -> str | None:
    if decision.second_reviewer is None:
        if amount > threshold:
            raise SecondReviewerRequired(
                {"second_reviewer": f"approving more than {threshold:.2f} needs a second reviewer"}
            )
        return None
    second = reviewer_email(decision.second_reviewer, "second_reviewer")
    if second == reviewer:
        raise ValidationFailed({"second_reviewer": "must be a different person from the reviewer"})
    return second


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
