"""Marshmallow schema of ``human_review`` on a prequalification (docs/resources.md)."""

from __future__ import annotations

from marshmallow import Schema, fields

from gateway.api.fields import Timestamp


class ReviewReasonSchema(Schema):
    code = fields.String()
    message = fields.String()
    locale = fields.String()


class HumanReviewSchema(Schema):
    """Whether a person can review the decision, and where that review stands."""

    available = fields.Boolean(
        metadata={
            "description": "The customer may ask for a review (declined, partially "
            "approved or referred decisions)."
        }
    )
    requested_at = Timestamp(
        allow_none=True,
        metadata={
            "description": "When the review was asked for (by the customer, or by the referral)."
        },
    )
    kind = fields.String(allow_none=True, metadata={"description": "referral | customer_request"})
    status = fields.String(
        allow_none=True, metadata={"description": "open | in_review | decided | withdrawn"}
    )
    due_at = Timestamp(allow_none=True, metadata={"description": "The review's deadline."})
    decided_at = Timestamp(allow_none=True)
    outcome = fields.String(
        allow_none=True,
        metadata={"description": "approved (new offers are listed) | upheld (the decision stands)"},
    )
    message = fields.String(
        allow_none=True, metadata={"description": "What to tell the customer, in the locale."}
    )
    reasons = fields.List(fields.Nested(ReviewReasonSchema))
