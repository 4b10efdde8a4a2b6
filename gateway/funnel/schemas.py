"""Marshmallow schemas of ``POST /v1/events``."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from gateway.api.fields import Timestamp
from gateway.funnel.models import EVENT_TYPES


class EventCreateSchema(Schema):
    id = fields.String(
        required=True,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "Your unique id for the event; a repeat is ignored."},
    )
    type = fields.String(
        required=True,
        validate=validate.OneOf(EVENT_TYPES),
        metadata={"description": " | ".join(EVENT_TYPES)},
    )
    offer_id = fields.String(required=True, validate=validate.Length(min=1, max=32))
    occurred_at = fields.AwareDateTime(required=True, default_timezone=None)


class EventSchema(Schema):
    """The stored event; ``duplicate`` is true when this id had been recorded before."""

    id = fields.String()
    type = fields.String()
    offer_id = fields.String()
    prequalification_id = fields.String()
    occurred_at = Timestamp()
    received_at = Timestamp()
    duplicate = fields.Boolean()
