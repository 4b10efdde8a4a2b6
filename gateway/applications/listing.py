"""``GET /v1/applications`` and ``GET /v1/applications/{id}/refunds``: cursor-paginated lists."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.api.fields import Timestamp
from gateway.api.pagination import ListQuerySchema, Page, paginate
from gateway.applications.models import STATUSES, Application, Refund
from gateway.prequal.models import Prequalification

_MONEY = {"description": "Decimal string with two places, in the application's currency."}


class ApplicationListQuerySchema(ListQuerySchema):
    """Pagination plus the application filters."""

    status = fields.String(
        load_default=None,
        validate=validate.OneOf(STATUSES),
        metadata={"description": "Only applications with this status."},
    )
    merchant_order_ref = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "Only applications for this order reference of yours."},
    )


def list_applications(
    session: Session, partner_id: str, environment: str, query: dict[str, Any]
) -> Page[Application]:
    """One page of a tenant's applications, newest first (one statement, two with a cursor)."""
    statement = select(Application).where(
        Application.partner_id == partner_id, Application.environment == environment
    )
    if query.get("status"):
        statement = statement.where(Application.status == query["status"])
    if query.get("merchant_order_ref"):
        ref = Prequalification.scenario["merchant_order_ref"].as_string()
        orders = select(Prequalification.id).where(
            Prequalification.partner_id == partner_id,
            Prequalification.environment == environment,
            ref == query["merchant_order_ref"],
        )
        statement = statement.where(Application.prequalification_id.in_(orders))
    return paginate(
        session, statement, created=Application.created_at, key=Application.id, query=query
    )


def list_refunds(session: Session, application: Application, query: dict[str, Any]) -> Page[Refund]:
    """One page of an application's refunds, newest first (the caller checked the tenant)."""
    statement = select(Refund).where(Refund.application_id == application.id)
    return paginate(session, statement, created=Refund.created_at, key=Refund.id, query=query)


def refund_view(record: Refund) -> dict[str, Any]:
    """A refund in a list (without the application, which the list's URL names)."""
    return {
        "id": record.id,
        "refund_id": record.refund_id,
        "application_id": record.application_id,
        "amount": f"{record.amount:.2f}",
        "reason": record.reason,
        "outstanding_before": f"{record.outstanding_before:.2f}",
        "outstanding_after": f"{record.outstanding_after:.2f}",
        "created_at": record.created_at,
    }


class RefundItemSchema(Schema):
    """A refund as lists show it."""

    id = fields.String()
    refund_id = fields.String(metadata={"description": "Your id for this refund."})
    application_id = fields.String()
    amount = fields.String(metadata=_MONEY)
    reason = fields.String(allow_none=True)
    outstanding_before = fields.String(metadata=_MONEY)
    outstanding_after = fields.String(metadata=_MONEY)
    created_at = Timestamp()
