"""Marshmallow schemas of the application endpoints, and the wire view."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from gateway.api.fields import Timestamp
from gateway.applications.models import Application
from gateway.prequal.presenters import money
from gateway.prequal.schemas import Amount, InstalmentSchema

_MONEY = {"description": "Decimal string with two places, in the application's currency."}


class DecisionReasonSchema(Schema):
    code = fields.String()
    message = fields.String()


class ApplicationSchema(Schema):
    """An application: status, underwriting outcome, funding and the live schedule."""

    id = fields.String()
    offer_id = fields.String()
    prequalification_id = fields.String()
    status = fields.String(
        metadata={
            "description": "submitted | under_review | approved | declined | funded | cancelled"
        }
    )
    currency = fields.String()
    principal = fields.String(metadata=_MONEY)
    created_at = Timestamp()
    updated_at = Timestamp()
    decision_reasons = fields.List(fields.Nested(DecisionReasonSchema))
    funded_amount = fields.String(allow_none=True, metadata=_MONEY)
    funded_at = Timestamp(allow_none=True)
    outstanding_principal = fields.String(allow_none=True, metadata=_MONEY)
    refunded_amount = fields.String(metadata=_MONEY)
    schedule = fields.List(
        fields.Nested(InstalmentSchema),
        allow_none=True,
        metadata={"description": "The repayment schedule once funded, as refunds re-computed it."},
    )


class AcceptSchema(Schema):
    """Accept with the decision token; ``offer_token`` only for offers issued with one."""

    decision_token = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=32768),
        metadata={
            "description": "The prequalification's decision_token exactly as received "
            "(give this, or offer_token for an offer issued with one)."
        },
    )
    offer_token = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=8192),
        metadata={
            "description": "Deprecated: the offer_token of an offer issued before decision "
            "tokens, exactly as received. Give exactly one of the two.",
            "deprecated": True,
        },
    )
    credit_inquiry_consent_id = fields.String(
        required=True, validate=validate.Length(min=1, max=32)
    )


class CancelSchema(Schema):
    reason = fields.String(validate=validate.Length(max=200), load_default=None)


class RefundCreateSchema(Schema):
    refund_id = fields.String(
        required=True,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "Your id for this refund; the same id twice is one refund."},
    )
    amount = Amount(required=True)
    reason = fields.String(validate=validate.Length(max=200), load_default=None)


class RefundSchema(Schema):
    """A refund and the application as it stands after it."""

    id = fields.String()
    refund_id = fields.String()
    application_id = fields.String()
    amount = fields.String(metadata=_MONEY)
    outstanding_before = fields.String(metadata=_MONEY)
    outstanding_after = fields.String(metadata=_MONEY)
    created_at = Timestamp()
    application = fields.Nested(ApplicationSchema)


def application_view(app: Application) -> dict[str, Any]:
    """An application as the API (and its webhooks) show it."""
    return {
        "id": app.id,
        "offer_id": app.offer_id,
        "prequalification_id": app.prequalification_id,
        "status": app.status,
        "currency": app.currency,
        "principal": money(app.principal),
        "created_at": app.created_at,
        "updated_at": app.updated_at,
        "decision_reasons": [
            {"code": r["code"], "message": r["message"]} for r in app.decision_reasons
        ],
        "funded_amount": money(app.funded_amount),
        "funded_at": app.funded_at,
        "outstanding_principal": money(app.outstanding_principal),
        "refunded_amount": money(app.refunded_amount),
        "schedule": app.schedule,
    }
