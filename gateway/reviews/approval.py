"""What an approval may be: within the product, the customer's affordability and four eyes.

Only checks: :func:`approval_terms` writes nothing, so a refused approval
changes nothing. The offers are made by :mod:`gateway.reviews.offers`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy.orm import Session

from gateway.errors import ValidationFailed
from gateway.partners.services import get_partner
from gateway.prequal.models import Prequalification
from gateway.prequal.products import terms_of
from gateway.prequal.terms import GRADES, ProductTerms
from gateway.reviews.affordability import affordability, facts_for
from gateway.reviews.state import reviewer_email

Outcome = Literal["approve", "uphold"]


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
class Approval:
    """The checked terms of an approval."""

    terms: ProductTerms
    amount: Decimal
    tenors: list[int]
    grade: str
    second_reviewer: str | None
    offer_ttl: dt.timedelta
    affordability: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        """What the case records of it."""
        return {
            "amount": self.amount,
            "tenors": self.tenors,
            "grade": self.grade,
            "second_reviewer": self.second_reviewer,
            "affordability": self.affordability,
        }


class SecondReviewerRequired(ValidationFailed):
    """The amount needs a second, different reviewer (four eyes)."""

    code = "second_reviewer_required"


def approval_terms(
    session: Session, pq: Prequalification, decision: Decision, reviewer: str
) -> Approval:
    """Check an approval against the product, affordability and four eyes; nothing is written.

    Raises:
        ValidationFailed: a bad grade or tenor, an amount outside the product,
            above the amount asked or above the affordability cap, no bank
            profile to check affordability against, the same second reviewer.
        SecondReviewerRequired: the amount needs a second, different reviewer.
    """
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
    return Approval(
        terms,
        amount,
        tenors,
        grade,
        second,
        dt.timedelta(hours=config.review.offer_ttl_hours),
        cap.as_json(),
    )


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
