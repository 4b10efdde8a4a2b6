"""Marshmallow schemas of ``POST /internal/v1/loan-events``."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from gateway.outcomes.servicing import EVENT_TYPES, STATES
from gateway.prequal.schemas import Amount

MAX_BATCH = 1000


class LoanEventSchema(Schema):
    id = fields.String(
        required=True,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "The core system's event id; a repeat is ignored."},
    )
    application_id = fields.String(required=True, validate=validate.Length(min=1, max=32))
    type = fields.String(
        required=True,
        validate=validate.OneOf(EVENT_TYPES),
        metadata={"description": " | ".join(EVENT_TYPES)},
    )
    occurred_at = fields.AwareDateTime(
        required=True,
        default_timezone=None,
        metadata={"description": "When it happened; for a repayment, when it was paid."},
    )
    instalment = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=600)
    )
    amount = Amount(load_default=None, allow_none=True)
    days_past_due = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=3650)
    )


class LoanEventBatchSchema(Schema):
    events = fields.List(
        fields.Nested(LoanEventSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_BATCH),
        metadata={"description": f"Up to {MAX_BATCH} events, recorded all or nothing."},
    )


class LoanStateSchema(Schema):
    application_id = fields.String()
    state = fields.String(metadata={"description": " | ".join(STATES)})
    days_past_due = fields.Integer()
    max_days_past_due = fields.Integer()
    paid_instalments = fields.Integer()
    paid_amount = fields.Decimal(places=2, as_string=True, metadata={"description": "CNY."})


class LoanEventResultSchema(Schema):
    """Events recorded, events already known (same id and content), and each loan's state."""

    recorded = fields.Integer()
    duplicates = fields.Integer()
    loans = fields.List(fields.Nested(LoanStateSchema))
