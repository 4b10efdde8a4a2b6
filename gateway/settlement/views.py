"""``GET /v1/settlements?date=``: the caller's settlement for one day."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from marshmallow import Schema, fields

from gateway.api.fields import Timestamp
from gateway.api.operations import operation
from gateway.principal import current_principal
from gateway.sessions import session
from gateway.settlement import services

bp = Blueprint("settlement", __name__)

_MONEY = {"description": "Decimal string with two places."}


class SettlementQuerySchema(Schema):
    date = fields.Date(required=True, metadata={"description": "The UTC day, YYYY-MM-DD."})


class SettlementTotalsSchema(Schema):
    """Sums of the lines: they reconcile to the fen."""

    applications = fields.Integer()
    funded_amount = fields.String(metadata=_MONEY)
    refunded_amount = fields.String(metadata=_MONEY)
    merchant_subsidy = fields.String(
        metadata={"description": "What you owe for interest-free plans funded that day."}
    )
    net = fields.String(metadata={"description": "funded − refunded − merchant subsidy."})


class SettlementLineSchema(Schema):
    """One application's money on the day."""

    application_id = fields.String()
    prequalification_id = fields.String()
    currency = fields.String()
    funded_at = Timestamp(allow_none=True)
    funded_amount = fields.String(metadata=_MONEY)
    refunded_amount = fields.String(metadata=_MONEY)
    merchant_subsidy = fields.String(metadata=_MONEY)
    net = fields.String(metadata=_MONEY)


class SettlementSchema(Schema):
    """A day's settlement with you: totals and one line per application."""

    object = fields.Constant("settlement")
    date = fields.String(metadata={"description": "YYYY-MM-DD (UTC)."})
    partner_id = fields.String()
    environment = fields.String()
    currency = fields.String()
    totals = fields.Nested(SettlementTotalsSchema)
    lines = fields.List(fields.Nested(SettlementLineSchema))


@bp.get("/v1/settlements")
@operation(
    query=SettlementQuerySchema,
    response=SettlementSchema,
    scope="applications:write",
    tags=["settlements"],
)
def get_settlement(query: dict[str, Any]) -> dict[str, Any]:
    """A day's settlement: funded, refunded, merchant subsidy owed and net, per application.

    The day is a UTC calendar day; totals are the sums of the lines.
    """
    principal = current_principal()
    settlement = services.for_tenant(
        session(), query["date"], principal.partner_id, principal.environment
    )
    return services.settlement_view(settlement)
