"""Application endpoints: read, cancel before funding, refund after."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from gateway.api.operations import operation
from gateway.api.pagination import ListQuerySchema, list_schema
from gateway.applications import listing, refunds, services
from gateway.applications.schemas import (
    ApplicationSchema,
    CancelSchema,
    RefundCreateSchema,
    RefundSchema,
    application_view,
)
from gateway.prequal.presenters import money
from gateway.principal import current_principal
from gateway.sessions import session

bp = Blueprint("applications", __name__)

ApplicationList = list_schema(ApplicationSchema, "ApplicationListSchema")
RefundList = list_schema(listing.RefundItemSchema, "RefundListSchema")


@bp.get("/v1/applications")
@operation(
    query=listing.ApplicationListQuerySchema,
    response=ApplicationList,
    scope="applications:write",
    tags=["applications"],
)
def list_applications(query: dict[str, Any]) -> dict[str, Any]:
    """List applications, newest first, one page at a time.

    Cursor pagination: pass the last id of a page as ``starting_after`` for
    the next (older) page, the first id as ``ending_before`` for the previous.
    """
    principal = current_principal()
    page = listing.list_applications(session(), principal.partner_id, principal.environment, query)
    return page.wire("/v1/applications", application_view)


@bp.get("/v1/applications/<application_id>/refunds")
@operation(
    query=ListQuerySchema,
    response=RefundList,
    scope="applications:write",
    tags=["applications"],
)
def list_refunds(application_id: str, query: dict[str, Any]) -> dict[str, Any]:
    """List an application's refunds, newest first, one page at a time."""
    principal = current_principal()
    db = session()
    app = services.get_application(db, principal.partner_id, principal.environment, application_id)
    page = listing.list_refunds(db, app, query)
    return page.wire(f"/v1/applications/{app.id}/refunds", listing.refund_view)


@bp.get("/v1/applications/<application_id>")
@operation(response=ApplicationSchema, scope="applications:write", tags=["applications"])
def read_application(application_id: str) -> dict[str, Any]:
    """Read an application: status, decision reasons, funding and schedule."""
    principal = current_principal()
    app = services.get_application(
        session(), principal.partner_id, principal.environment, application_id
    )
    return application_view(app)


@bp.post("/v1/applications/<application_id>/cancel")
@operation(
    body=CancelSchema,
    response=ApplicationSchema,
    scope="applications:write",
    tags=["applications"],
    errors=(409,),
)
def cancel_application(application_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Cancel an application before funding (the order was cancelled)."""
    principal = current_principal()
    db = session()
    app = services.get_application(
        db, principal.partner_id, principal.environment, application_id, lock=True
    )
    services.cancel(db, app, reason=body["reason"])
    return application_view(app)


@bp.post("/v1/applications/<application_id>/refunds")
@operation(
    body=RefundCreateSchema,
    response=RefundSchema,
    status=201,
    scope="applications:write",
    tags=["applications"],
    errors=(409,),
)
def create_refund(application_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Refund part or all of a funded loan; the remaining schedule is re-computed.

    Idempotent by ``Idempotency-Key`` and by your ``refund_id``.
    """
    principal = current_principal()
    db = session()
    app = services.get_application(
        db, principal.partner_id, principal.environment, application_id, lock=True
    )
    record = refunds.refund(
        db, app, refund_id=body["refund_id"], amount=body["amount"], reason=body["reason"]
    )
    return {
        "id": record.id,
        "refund_id": record.refund_id,
        "application_id": app.id,
        "amount": money(record.amount),
        "outstanding_before": money(record.outstanding_before),
        "outstanding_after": money(record.outstanding_after),
        "created_at": record.created_at,
        "application": application_view(app),
    }
