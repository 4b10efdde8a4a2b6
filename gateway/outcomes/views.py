"""``POST /internal/v1/loan-events``: the bank's loan performance feed."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from gateway.api.operations import operation
from gateway.outcomes import services
from gateway.outcomes.events import LoanEventIn
from gateway.outcomes.internal_auth import require_internal_client
from gateway.outcomes.schemas import LoanEventBatchSchema, LoanEventResultSchema
from gateway.sessions import session

bp = Blueprint("outcomes", __name__)


@bp.post("/internal/v1/loan-events")
@operation(
    body=LoanEventBatchSchema,
    response=LoanEventResultSchema,
    tags=["internal"],
    idempotent=False,
    errors=(401, 403, 409),
)
def record_loan_events(body: dict[str, Any]) -> dict[str, Any]:
    """Record loan events from the bank's core system (internal client, scope loans:write).

    HTTP Basic with an internal client's id and secret. The batch is recorded
    all or nothing; an event id already recorded with the same content is
    counted as a duplicate, with other content it is ``409 loan_event_conflict``.
    """
    db = session()
    require_internal_client(db, "loans:write")
    events = [LoanEventIn(**event) for event in body["events"]]
    result = services.record_events(db, events, source="feed")
    return {
        "recorded": result.recorded,
        "duplicates": result.duplicates,
        "loans": [
            {
                "application_id": loan.application_id,
                "state": loan.state,
                "days_past_due": loan.days_past_due,
                "max_days_past_due": loan.max_days_past_due,
                "paid_instalments": loan.paid_instalments,
                "paid_amount": loan.paid_amount,
            }
            for loan in result.loans
        ],
    }
